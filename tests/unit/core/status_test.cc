#include "hearth/core/status.h"

#include <gtest/gtest.h>

namespace hearth::core {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.isOk());
  EXPECT_EQ(s.toString(), "OK");
}

TEST(StatusTest, CarriesCodeAndMessage) {
  Status s = Status::notFound("no such device");
  EXPECT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.toString(), "NotFound: no such device");
}

Result<int> half(int v) {
  if (v % 2 != 0) return Status::invalidArgument("odd");
  return v / 2;
}

Status chain(int v, int& out) {
  auto r = half(v);
  if (!r) return r.error();
  out = *r;
  HEARTH_RETURN_IF_ERROR(Status::ok());
  return Status::ok();
}

TEST(ResultTest, HoldsValueOrError) {
  auto ok = half(8);
  ASSERT_TRUE(ok.isOk());
  EXPECT_EQ(ok.value(), 4);
  auto bad = half(3);
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.error().code(), StatusCode::kInvalidArgument);
  int out = 0;
  EXPECT_TRUE(chain(10, out).isOk());
  EXPECT_EQ(out, 5);
  EXPECT_EQ(chain(7, out).code(), StatusCode::kInvalidArgument);
}

TEST(ResultTest, CustomErrorType) {
  Result<std::string, int> r(42);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error(), 42);
}

}  // namespace
}  // namespace hearth::core

// The value-check hot path must not allocate: ingest runs it for every reported item. This binary
// replaces the global operator new with a counting one, so it is kept apart from spec_test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>

#include "hearth/spec/value_check.h"
#include "spec_test_util.h"

namespace {

thread_local size_t t_allocations = 0;

}  // namespace

void* operator new(std::size_t size) {
  ++t_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace hearth::spec {
namespace {

namespace json = boost::json;

TEST(ValueCheckAllocTest, AcceptAndRejectPathsDoNotAllocate) {
  const PropertyChecker on(testing::lightProperty(1, 0));
  const PropertyChecker brightness(testing::lightProperty(1, 1));
  const PropertyChecker mode(testing::lightProperty(1, 2));
  const PropertyChecker target(testing::lightProperty(1, 4));
  const PropertyChecker name(testing::lightProperty(1, 5));
  // The values are built before counting; a JSON value owns heap memory of its own.
  const json::value yes = true, fifty = 50, too_big = 300, one = 1, twenty_four = 24, kitchen = "kitchen";
  const size_t before = t_allocations;
  EXPECT_TRUE(on.check(yes, Operation::kWrite).ok());
  EXPECT_TRUE(brightness.check(fifty, Operation::kReport).ok());
  EXPECT_FALSE(brightness.check(too_big, Operation::kWrite).ok());
  (void)mode.check(one, Operation::kWrite);
  (void)target.check(twenty_four, Operation::kWrite);
  (void)name.check(kitchen, Operation::kWrite);
  EXPECT_EQ(t_allocations, before);
}

}  // namespace
}  // namespace hearth::spec

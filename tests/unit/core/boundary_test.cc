#include "hearth/core/boundary.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace hearth::core {
namespace {

TEST(BoundaryTest, WorkThatReturnsIsNoError) {
  const uint64_t before = internalErrors(Boundary::kWorker);
  int ran = 0;
  EXPECT_EQ(guard(Boundary::kWorker, "test", [&] { ++ran; }), std::nullopt);
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(internalErrors(Boundary::kWorker), before);
}

TEST(BoundaryTest, AnEscapingExceptionBecomesAnErrorIdAndACount) {
  const uint64_t before = internalErrors(Boundary::kHttp);
  auto id = guard(Boundary::kHttp, "GET /x", [] { throw std::out_of_range("stod"); });
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->size(), 16u);
  EXPECT_EQ(id->find_first_not_of("0123456789abcdef"), std::string::npos);
  auto other = guard(Boundary::kHttp, "GET /x", [] { throw 42; });  // not even a std::exception
  ASSERT_TRUE(other.has_value());
  EXPECT_NE(*id, *other);
  EXPECT_EQ(internalErrors(Boundary::kHttp), before + 2);
  EXPECT_NE(internalErrorsMetricsText().find("hearth_internal_errors_total{boundary=\"http\"} " +
                                             std::to_string(before + 2) + "\n"),
            std::string::npos);
}

TEST(BoundaryTest, KeepRunningStartsALoopAgainUntilItReturns) {
  const uint64_t before = internalErrors(Boundary::kMqtt);
  int rounds = 0;
  keepRunning(Boundary::kMqtt, "loop", [&] {
    if (++rounds < 3) throw std::runtime_error("a bug in one round");
  });
  EXPECT_EQ(rounds, 3);
  EXPECT_EQ(internalErrors(Boundary::kMqtt), before + 2);
}

TEST(BoundaryTest, EveryBoundaryHasItsLine) {
  const std::string text = internalErrorsMetricsText();
  for (const char* name : {"http", "websocket", "mqtt", "worker"}) {
    EXPECT_NE(text.find(std::string("{boundary=\"") + name + "\"}"), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace hearth::core

#include "hearth/core/clock.h"

#include <gtest/gtest.h>

namespace hearth::core {
namespace {

TEST(ClockTest, ManualClockMovesOnlyWhenAdvanced) {
  ManualClock clock;
  auto t0 = clock.now();
  int64_t w0 = clock.unixMillis();
  EXPECT_EQ(clock.now(), t0);
  clock.advance(std::chrono::seconds(5));
  EXPECT_EQ(clock.now() - t0, std::chrono::seconds(5));
  EXPECT_EQ(clock.unixMillis() - w0, 5000);
}

TEST(ClockTest, SystemClockIsMonotonic) {
  const Clock& clock = SystemClock::instance();
  auto a = clock.now();
  auto b = clock.now();
  EXPECT_LE(a, b);
  EXPECT_GT(clock.unixMillis(), 1'600'000'000'000);
}

}  // namespace
}  // namespace hearth::core

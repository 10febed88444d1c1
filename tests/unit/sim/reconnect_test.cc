#include <gtest/gtest.h>

#include <set>

#include "hearth/sim/device_client.h"

namespace hearth::sim {
namespace {

using std::chrono::milliseconds;

TEST(ReconnectDelayTest, GrowsExponentiallyWithJitterUpToTheCap) {
  std::mt19937_64 rng(42);
  for (uint32_t attempt = 0; attempt < 20; ++attempt) {
    const int64_t step = std::min<int64_t>(500LL << std::min(attempt, 20u), 60'000);
    for (int i = 0; i < 50; ++i) {
      const auto d = reconnectDelay(attempt, milliseconds(500), milliseconds(60'000), rng).count();
      EXPECT_GE(d, step - step / 2) << attempt;
      EXPECT_LE(d, step) << attempt;
    }
  }
}

TEST(ReconnectDelayTest, ClientsThatLostTheServerTogetherComeBackSpreadOut) {
  std::mt19937_64 rng(7);
  std::set<int64_t> distinct;
  for (int i = 0; i < 1000; ++i) distinct.insert(reconnectDelay(6, milliseconds(500), milliseconds(60'000), rng).count());
  EXPECT_GT(distinct.size(), 900u);  // 32 s steps: spread over 16 s, not one herd
}

}  // namespace
}  // namespace hearth::sim

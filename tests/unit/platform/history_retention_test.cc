#include "hearth/platform/history_retention.h"

#include <gtest/gtest.h>

#include <future>

#include "hearth/core/clock.h"
#include "hearth/store/embedded_history.h"
#include "unit/temp_dir.h"

namespace hearth::platform {
namespace {

using namespace std::chrono_literals;

TEST(HistoryRetentionTest, RemovesWhatIsOlderThanThePeriodAndKeepsTheShadow) {
  test::TempDir dir;
  auto history = store::openRocksHistory(dir.file("history").string());
  ASSERT_TRUE(history.isOk()) << history.error().toString();
  core::ManualClock clock;
  clock.advance(std::chrono::hours(24 * 40));
  const int64_t now = clock.unixMillis();
  const int64_t day = 24 * 3600 * 1000;
  std::promise<core::Status> stored;
  history.value()->append({{"d1", 2, 1, now - 35 * day, "1"}, {"d1", 2, 1, now - 29 * day, "2"}, {"d1", 2, 1, now, "3"}},
                          {{"d1", 3, 1, now - 31 * day, "[]"}},
                          [&stored](core::Status s) { stored.set_value(std::move(s)); });
  ASSERT_TRUE(stored.get_future().get().isOk());

  HistoryRetention retention(*history.value(), clock, std::chrono::hours(24 * 30));
  ASSERT_TRUE(retention.runOnce().isOk());
  auto left = history.value()->range("d1", 2, 1, INT64_MIN, INT64_MAX, SIZE_MAX);
  ASSERT_TRUE(left.isOk());
  ASSERT_EQ(left.value().size(), 2u);
  EXPECT_EQ(left.value()[0].value_json, "2");
  EXPECT_TRUE(history.value()->events("d1", INT64_MIN, INT64_MAX, SIZE_MAX).value().empty());
  EXPECT_EQ(history.value()->latest("d1").value().at(0).value_json, "3");
}

TEST(HistoryRetentionTest, ZeroKeepsEverything) {
  test::TempDir dir;
  auto history = store::openRocksHistory(dir.file("history").string());
  ASSERT_TRUE(history.isOk());
  core::ManualClock clock;
  std::promise<core::Status> stored;
  history.value()->append({{"d1", 2, 1, 1, "1"}}, {}, [&stored](core::Status s) { stored.set_value(std::move(s)); });
  ASSERT_TRUE(stored.get_future().get().isOk());
  clock.advance(std::chrono::hours(24 * 3650));
  HistoryRetention retention(*history.value(), clock, 0ms);
  retention.start();  // starts nothing
  ASSERT_TRUE(retention.runOnce().isOk());
  EXPECT_EQ(history.value()->range("d1", 2, 1, INT64_MIN, INT64_MAX, SIZE_MAX).value().size(), 1u);
}

}  // namespace
}  // namespace hearth::platform

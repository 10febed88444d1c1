#include "hearth/platform/history_retention.h"

#include <gtest/gtest.h>

#include <future>

#include "hearth/core/clock.h"
#include "hearth/store/embedded_history.h"
#include "hearth/store/sqlite_registry.h"
#include "unit/temp_dir.h"

namespace hearth::platform {
namespace {

using namespace std::chrono_literals;
constexpr int64_t kDay = 24 * 3600 * 1000LL;
constexpr auto kDays = std::chrono::hours(24);

// Devices a1 (product acme.light.a), b1 (acme.light.b) and c1 (acme.light.c), each with samples
// 400, 100, 20 and 5 days old and one 31-day-old event.
class HistoryRetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto history = store::openRocksHistory(dir_.file("history").string());
    ASSERT_TRUE(history.isOk()) << history.error().toString();
    history_ = std::move(history).value();
    auto registry = store::SqliteRegistry::open(store::registryPath(dir_.file("")));
    ASSERT_TRUE(registry.isOk()) << registry.error().toString();
    registry_ = std::move(registry).value();
    clock_.advance(kDays * 1000);
    const int64_t now = clock_.unixMillis();
    std::vector<store::PropertySample> samples;
    std::vector<store::EventRecord> events;
    for (std::string product : {"a", "b", "c"}) {
      const std::string model = "acme.light." + product;
      ASSERT_TRUE(registry_->addVersion(store::ProductVersion{model, 1, "acme", "light", "urn", "{}", 0}).isOk());
      ASSERT_TRUE(registry_->addDevices({store::DeviceRecord{product + "1", model, "h", "", 0}}).isOk());
      for (int64_t age : {400, 100, 20, 5}) samples.push_back({product + "1", 2, 1, now - age * kDay, std::to_string(age)});
      events.push_back({product + "1", 3, 1, now - 31 * kDay, "[]"});
    }
    std::promise<core::Status> stored;
    history_->append(samples, events, [&stored](core::Status s) { stored.set_value(std::move(s)); });
    ASSERT_TRUE(stored.get_future().get().isOk());
  }

  // The ages (days) of the samples left for a device.
  std::vector<std::string> left(const std::string& did) {
    auto samples = history_->range(did, 2, 1, INT64_MIN, INT64_MAX, SIZE_MAX);
    EXPECT_TRUE(samples.isOk());
    std::vector<std::string> out;
    for (const auto& s : samples.value()) out.push_back(s.value_json);
    return out;
  }

  HistoryRetention retention(std::chrono::milliseconds period) {
    return HistoryRetention(*history_, *registry_, *registry_, clock_, period);
  }

  test::TempDir dir_;
  core::ManualClock clock_;
  std::unique_ptr<store::HistoryStore> history_;
  std::unique_ptr<store::SqliteRegistry> registry_;
};

using Ages = std::vector<std::string>;

TEST_F(HistoryRetentionTest, RemovesWhatIsOlderThanTheDefaultAndKeepsTheShadow) {
  ASSERT_TRUE(retention(kDays * 30).runOnce().isOk());
  EXPECT_EQ(left("a1"), (Ages{"20", "5"}));
  EXPECT_EQ(left("c1"), (Ages{"20", "5"}));
  EXPECT_TRUE(history_->events("a1", INT64_MIN, INT64_MAX, SIZE_MAX).value().empty());
  EXPECT_EQ(history_->latest("a1").value().at(0).value_json, "5");
}

TEST_F(HistoryRetentionTest, ZeroKeepsEverything) {
  clock_.advance(kDays * 3650);
  ASSERT_TRUE(retention(0ms).runOnce().isOk());
  EXPECT_EQ(left("b1"), (Ages{"400", "100", "20", "5"}));
}

TEST_F(HistoryRetentionTest, AProductWithAShorterPeriodLosesMoreThanTheRest) {
  ASSERT_TRUE(registry_->setRetentionDays("acme.light.a", 7).isOk());
  ASSERT_TRUE(retention(kDays * 30).runOnce().isOk());
  EXPECT_EQ(left("a1"), (Ages{"5"}));
  EXPECT_EQ(left("b1"), (Ages{"20", "5"}));
  EXPECT_EQ(left("c1"), (Ages{"20", "5"}));
}

TEST_F(HistoryRetentionTest, ProductsThatKeepLongerThanTheDefaultKeepTheirHistory) {
  ASSERT_TRUE(registry_->setRetentionDays("acme.light.a", 7).isOk());
  ASSERT_TRUE(registry_->setRetentionDays("acme.light.b", 365).isOk());
  ASSERT_TRUE(retention(kDays * 30).runOnce().isOk());
  EXPECT_EQ(left("a1"), (Ages{"5"}));
  EXPECT_EQ(left("b1"), (Ages{"100", "20", "5"}));
  EXPECT_EQ(left("c1"), (Ages{"20", "5"}));
  // 0 for a product keeps everything, whatever the default.
  ASSERT_TRUE(registry_->setRetentionDays("acme.light.b", 0).isOk());
  clock_.advance(kDays * 1000);
  ASSERT_TRUE(retention(kDays * 30).runOnce().isOk());
  EXPECT_EQ(left("b1"), (Ages{"100", "20", "5"}));
  EXPECT_TRUE(left("c1").empty());
}

TEST_F(HistoryRetentionTest, ADefaultThatKeepsEverythingStillAppliesProductPeriods) {
  ASSERT_TRUE(registry_->setRetentionDays("acme.light.c", 50).isOk());
  ASSERT_TRUE(retention(0ms).runOnce().isOk());
  EXPECT_EQ(left("a1"), (Ages{"400", "100", "20", "5"}));
  EXPECT_EQ(left("c1"), (Ages{"20", "5"}));
  // Clearing it restores the default.
  ASSERT_TRUE(registry_->setRetentionDays("acme.light.c", std::nullopt).isOk());
  EXPECT_TRUE(registry_->retentionOverrides().value().empty());
  EXPECT_EQ(registry_->setRetentionDays("acme.light.zz", 5).code(), core::StatusCode::kNotFound);
}

}  // namespace
}  // namespace hearth::platform

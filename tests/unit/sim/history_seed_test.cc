#include "hearth/sim/history_seed.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "hearth/store/embedded_history.h"
#include "unit/temp_dir.h"

namespace hearth::sim {
namespace {

constexpr int64_t kWeekMs = 7 * 86'400'000LL;
constexpr int64_t kNow = 1'765'000'800'000;  // 2025-12-06 06:00 UTC

const std::vector<FleetDevice> kDevices = {
    {"thermometer", "", "cleargrass.temperature-humidity-sensor.dk1"},
    {"door", "", "lumi.magnet-sensor.aq2"},
    {"lamp", "", "yeelink.light.color2"},
    {"curtain", "", "heiman.curtain.hs2cc"},
    {"plug", "", "zimi.outlet.v2"},
};

class HistorySeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::openSqliteHistory(dir_.file("history.sqlite3").string());
    ASSERT_TRUE(opened.isOk()) << opened.error().toString();
    history_ = std::move(opened).value();
    auto loaded = loadProducts(HEARTH_DEMO_SPECS_DIR);
    ASSERT_TRUE(loaded.isOk()) << loaded.error().toString();
    products_ = std::move(loaded).value();
  }

  core::Result<HistorySeedResult> seed() {
    return seedHistory(*history_, kDevices, products_, HistorySeedOptions{kNow - kWeekMs, kNow});
  }

  std::vector<store::PropertySample> week(std::string_view did, uint32_t siid, uint32_t piid) {
    auto samples = history_->range(did, siid, piid, kNow - kWeekMs, kNow, 100'000);
    EXPECT_TRUE(samples.isOk());
    return samples.isOk() ? samples.value() : std::vector<store::PropertySample>{};
  }

  test::TempDir dir_;
  std::unique_ptr<store::HistoryStore> history_;
  ProductCatalogue products_;
};

TEST_F(HistorySeedTest, AWeekOfPlausibleReadingsAndEventsFromTheDevicesBehaviours) {
  auto result = seed();
  ASSERT_TRUE(result.isOk()) << result.error().toString();
  EXPECT_EQ(result.value().seeded, kDevices.size());

  // The thermometer's daily curve: a reading every five minutes where it changed, between night
  // and afternoon.
  const auto temperature = week("thermometer", 2, 1);
  EXPECT_GE(temperature.size(), 1000u);
  EXPECT_LE(temperature.size(), 2017u);
  EXPECT_EQ(temperature.front().ts_ms, kNow - kWeekMs);  // as it reported when it came online
  EXPECT_GT(temperature.back().ts_ms, kNow - 3'600'000);
  for (const auto& s : temperature) {
    const double c = std::stod(s.value_json);
    EXPECT_GT(c, 15);
    EXPECT_LT(c, 30);
  }
  auto chart = history_->downsample("thermometer", 2, 1, kNow - kWeekMs, kNow, 120);
  ASSERT_TRUE(chart.isOk());
  EXPECT_GE(chart.value().size(), 119u);  // a full week's chart

  // The front door opens and closes; the lamp was on in the evenings and off again.
  auto door = history_->events("door", kNow - kWeekMs, kNow, 100'000);
  ASSERT_TRUE(door.isOk());
  const auto count = [&](uint32_t eiid) {
    return std::count_if(door.value().begin(), door.value().end(), [&](const auto& e) { return e.eiid == eiid; });
  };
  EXPECT_GT(count(1), 50);  // open
  EXPECT_GT(count(2), 50);  // close
  const auto lamp = week("lamp", 2, 1);
  EXPECT_GE(std::count_if(lamp.begin(), lamp.end(), [](const auto& s) { return s.value_json == "true"; }), 7);
  EXPECT_GE(std::count_if(lamp.begin(), lamp.end(), [](const auto& s) { return s.value_json == "false"; }), 7);
  // The plug drew power while it was on (its surge-power, what zimi.outlet.v2 reports it as).
  const auto power = week("plug", 3, 1);
  EXPECT_TRUE(std::any_of(power.begin(), power.end(), [](const auto& s) { return std::stod(s.value_json) == 0; }));
  EXPECT_TRUE(std::any_of(power.begin(), power.end(), [](const auto& s) { return std::stod(s.value_json) > 40; }));
  // The curtain opened by day: its position went to 100 and back to 0.
  const auto curtain = week("curtain", 1, 3);
  EXPECT_TRUE(std::any_of(curtain.begin(), curtain.end(), [](const auto& s) { return s.value_json == "100"; }));
  EXPECT_TRUE(std::any_of(curtain.begin(), curtain.end(), [](const auto& s) { return s.value_json == "0"; }));
}

TEST_F(HistorySeedTest, RunningItAgainAddsNothing) {
  auto first = seed();
  ASSERT_TRUE(first.isOk()) << first.error().toString();
  const size_t samples = week("thermometer", 2, 1).size();
  auto events = history_->events("door", kNow - kWeekMs, kNow, 100'000);
  ASSERT_TRUE(events.isOk());

  auto second = seed();
  ASSERT_TRUE(second.isOk()) << second.error().toString();
  EXPECT_EQ(second.value().seeded, 0u);
  EXPECT_EQ(second.value().skipped, kDevices.size());
  EXPECT_EQ(second.value().samples, 0u);
  EXPECT_EQ(week("thermometer", 2, 1).size(), samples);
  EXPECT_EQ(history_->events("door", kNow - kWeekMs, kNow, 100'000).value().size(), events.value().size());
}

TEST_F(HistorySeedTest, AModelWithoutASpecIsAnError) {
  auto result = seedHistory(*history_, {{"x", "", "acme.light.none"}}, products_, HistorySeedOptions{0, 1000});
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.error().code(), core::StatusCode::kNotFound);
}

}  // namespace
}  // namespace hearth::sim

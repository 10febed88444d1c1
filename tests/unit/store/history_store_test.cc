// One suite, run against both embedded history engines: they keep the same contract.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "hearth/store/embedded_history.h"
#include "unit/temp_dir.h"

namespace hearth::store {
namespace {

struct Engine {
  std::string name;
  std::function<core::Result<std::unique_ptr<HistoryStore>>(const std::string&)> open;
};

PropertySample sample(std::string did, uint32_t piid, int64_t ts, std::string value) {
  return PropertySample{std::move(did), 2, piid, ts, std::move(value)};
}

EventRecord event(std::string did, uint32_t eiid, int64_t ts) {
  return EventRecord{std::move(did), 5, eiid, ts, "[{\"piid\":1,\"value\":" + std::to_string(ts) + "}]"};
}

core::Status appendAndWait(HistoryStore& store, std::vector<PropertySample> samples,
                           std::vector<EventRecord> events = {}) {
  std::promise<core::Status> stored;
  store.append(std::move(samples), std::move(events), [&stored](core::Status s) { stored.set_value(std::move(s)); });
  return stored.get_future().get();
}

class HistoryStoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  std::unique_ptr<HistoryStore> open() {
    auto store = GetParam().open(dir_.file("history").string());
    EXPECT_TRUE(store.isOk()) << store.error().toString();
    return store.isOk() ? std::move(store).value() : nullptr;
  }

  std::vector<int64_t> timestamps(HistoryStore& store, std::string_view did, uint32_t piid) {
    auto samples = store.range(did, 2, piid, INT64_MIN, INT64_MAX, SIZE_MAX);
    EXPECT_TRUE(samples.isOk()) << samples.error().toString();
    std::vector<int64_t> out;
    for (const PropertySample& s : samples.value()) out.push_back(s.ts_ms);
    return out;
  }

  test::TempDir dir_;
};

TEST_P(HistoryStoreTest, LatestIsTheShadowAndSurvivesRetentionAndReopening) {
  {
    auto store = open();
    EXPECT_TRUE(store->latest("d1").value().empty());
    ASSERT_TRUE(appendAndWait(*store, {sample("d1", 2, 100, "1"), sample("d1", 1, 100, "true"), sample("d2", 1, 100, "7")})
                    .isOk());
    ASSERT_TRUE(appendAndWait(*store, {sample("d1", 2, 200, "2"), sample("d1", 2, 300, "3")}).isOk());
    ASSERT_TRUE(store->deleteBefore(1000).isOk());  // history gone, the shadow stays
    EXPECT_TRUE(store->range("d1", 2, 2, INT64_MIN, INT64_MAX, SIZE_MAX).value().empty());
  }
  auto store = open();
  auto latest = store->latest("d1");
  ASSERT_TRUE(latest.isOk()) << latest.error().toString();
  EXPECT_EQ(latest.value(), (std::vector<PropertySample>{sample("d1", 1, 100, "true"), sample("d1", 2, 300, "3")}));
  EXPECT_EQ(store->latest("d2").value(), (std::vector<PropertySample>{sample("d2", 1, 100, "7")}));
  EXPECT_TRUE(store->latest("d").value().empty());  // a did that is a prefix of another
}

TEST_P(HistoryStoreTest, RangeReturnsOnePropertyInTimeOrder) {
  auto store = open();
  ASSERT_TRUE(appendAndWait(*store, {sample("d1", 1, 300, "24.5"), sample("d1", 1, 100, "true"),
                                     sample("d1", 2, 150, "\"auto\""), sample("d2", 1, 120, "1")})
                  .isOk());
  ASSERT_TRUE(appendAndWait(*store, {sample("d1", 1, 200, "\"auto\""), sample("d1", 1, -50, "-3")}).isOk());

  auto all = store->range("d1", 2, 1, INT64_MIN, INT64_MAX, 100);
  ASSERT_TRUE(all.isOk()) << all.error().toString();
  EXPECT_EQ(all.value(), (std::vector<PropertySample>{sample("d1", 1, -50, "-3"), sample("d1", 1, 100, "true"),
                                                      sample("d1", 1, 200, "\"auto\""), sample("d1", 1, 300, "24.5")}));
  // [from, to): the sample at `to` is left out; the limit keeps the oldest.
  EXPECT_EQ(timestamps(*store, "d1", 2), (std::vector<int64_t>{150}));
  auto window = store->range("d1", 2, 1, 100, 300, 100);
  ASSERT_TRUE(window.isOk());
  EXPECT_EQ(window.value(),
            (std::vector<PropertySample>{sample("d1", 1, 100, "true"), sample("d1", 1, 200, "\"auto\"")}));
  auto limited = store->range("d1", 2, 1, INT64_MIN, INT64_MAX, 2);
  ASSERT_TRUE(limited.isOk());
  EXPECT_EQ(limited.value().size(), 2u);
  EXPECT_EQ(limited.value()[1].ts_ms, 100);
  EXPECT_TRUE(store->range("nobody", 2, 1, INT64_MIN, INT64_MAX, 100).value().empty());
  EXPECT_TRUE(store->range("d1", 2, 1, 300, 100, 100).value().empty());
}

TEST_P(HistoryStoreTest, ASecondReportInTheSameMillisecondReplacesTheFirst) {
  auto store = open();
  ASSERT_TRUE(appendAndWait(*store, {sample("d1", 1, 100, "1")}).isOk());
  ASSERT_TRUE(appendAndWait(*store, {sample("d1", 1, 100, "2")}).isOk());
  auto samples = store->range("d1", 2, 1, 0, 1000, 10);
  ASSERT_TRUE(samples.isOk());
  EXPECT_EQ(samples.value(), (std::vector<PropertySample>{sample("d1", 1, 100, "2")}));
}

TEST_P(HistoryStoreTest, DownsampleAggregatesNumbersAndBooleansPerInterval) {
  auto store = open();
  ASSERT_TRUE(
      appendAndWait(*store, {sample("d1", 1, 0, "1"), sample("d1", 1, 5, "4"), sample("d1", 1, 9, "2"),
                             sample("d1", 1, 30, "true"), sample("d1", 1, 31, "\"auto\""), sample("d1", 1, 35, "false"),
                             sample("d1", 1, 99, "-2.5"), sample("d1", 1, 100, "1000"), sample("d1", 2, 50, "7")})
          .isOk());
  // 100 ms in 10 points: intervals of 10 ms; the ones without numbers (10-29, 40-89) are omitted,
  // the string at 31 is not aggregated, the sample at `to` (100) is outside.
  auto buckets = store->downsample("d1", 2, 1, 0, 100, 10);
  ASSERT_TRUE(buckets.isOk()) << buckets.error().toString();
  EXPECT_EQ(buckets.value(),
            (std::vector<Bucket>{{0, 1, 4, 7.0 / 3, 2, 3}, {30, 0, 1, 0.5, 0, 2}, {90, -2.5, -2.5, -2.5, -2.5, 1}}));
}

TEST_P(HistoryStoreTest, DownsampleIntervalsRoundUp) {
  auto store = open();
  std::vector<PropertySample> samples;
  for (int64_t ts = 1000; ts < 1010; ++ts) samples.push_back(sample("d1", 1, ts, std::to_string(ts - 1000)));
  ASSERT_TRUE(appendAndWait(*store, samples).isOk());
  // 10 ms in 3 points: ceil(10 / 3) = 4 ms, so intervals start at 1000, 1004 and 1008.
  auto buckets = store->downsample("d1", 2, 1, 1000, 1010, 3);
  ASSERT_TRUE(buckets.isOk());
  EXPECT_EQ(buckets.value(),
            (std::vector<Bucket>{{1000, 0, 3, 1.5, 3, 4}, {1004, 4, 7, 5.5, 7, 4}, {1008, 8, 9, 8.5, 9, 2}}));
  EXPECT_EQ(store->downsample("d1", 2, 1, 1000, 1010, 0).error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_TRUE(store->downsample("d1", 2, 1, 1010, 1000, 5).value().empty());
  EXPECT_TRUE(store->downsample("d1", 2, 9, 1000, 1010, 5).value().empty());
}

TEST_P(HistoryStoreTest, EventsOfOneDeviceInTimeOrder) {
  auto store = open();
  ASSERT_TRUE(appendAndWait(*store, {}, {event("d1", 1, 300), event("d1", 2, 100), event("d2", 1, 200)}).isOk());
  ASSERT_TRUE(appendAndWait(*store, {}, {event("d1", 1, 200), event("d1", 1, 100)}).isOk());
  auto events = store->events("d1", 0, 1000, 100);
  ASSERT_TRUE(events.isOk()) << events.error().toString();
  EXPECT_EQ(events.value(), (std::vector<EventRecord>{event("d1", 1, 100), event("d1", 2, 100), event("d1", 1, 200),
                                                      event("d1", 1, 300)}));
  auto window = store->events("d1", 100, 300, 2);
  ASSERT_TRUE(window.isOk());
  EXPECT_EQ(window.value(), (std::vector<EventRecord>{event("d1", 1, 100), event("d1", 2, 100)}));
  EXPECT_EQ(store->events("d2", 0, 1000, 100).value(), (std::vector<EventRecord>{event("d2", 1, 200)}));
}

TEST_P(HistoryStoreTest, RetentionDeletesOlderDataOfAllDevicesOrOne) {
  auto store = open();
  std::vector<PropertySample> samples;
  std::vector<EventRecord> events;
  for (std::string did : {"d1", "d2"}) {
    for (int64_t ts : {10, 49, 50, 90}) {
      samples.push_back(sample(did, 1, ts, "1"));
      samples.push_back(sample(did, 2, ts, "2"));
      events.push_back(event(did, 1, ts));
    }
  }
  ASSERT_TRUE(appendAndWait(*store, samples, events).isOk());

  ASSERT_TRUE(store->deleteBefore("d1", 50).isOk());
  EXPECT_EQ(timestamps(*store, "d1", 1), (std::vector<int64_t>{50, 90}));
  EXPECT_EQ(timestamps(*store, "d1", 2), (std::vector<int64_t>{50, 90}));
  EXPECT_EQ(store->events("d1", 0, 100, 10).value(),
            (std::vector<EventRecord>{event("d1", 1, 50), event("d1", 1, 90)}));
  EXPECT_EQ(timestamps(*store, "d2", 1), (std::vector<int64_t>{10, 49, 50, 90}));
  EXPECT_EQ(store->events("d2", 0, 100, 10).value().size(), 4u);

  ASSERT_TRUE(store->deleteBefore(90).isOk());
  for (std::string did : {"d1", "d2"}) {
    EXPECT_EQ(timestamps(*store, did, 1), (std::vector<int64_t>{90}));
    EXPECT_EQ(timestamps(*store, did, 2), (std::vector<int64_t>{90}));
    EXPECT_EQ(store->events(did, 0, 100, 10).value(), (std::vector<EventRecord>{event(did, 1, 90)}));
  }
  // Nothing older is left: deleting again changes nothing, and new data is kept.
  ASSERT_TRUE(store->deleteBefore(90).isOk());
  ASSERT_TRUE(appendAndWait(*store, {sample("d1", 1, 95, "3")}).isOk());
  EXPECT_EQ(timestamps(*store, "d1", 1), (std::vector<int64_t>{90, 95}));
}

TEST_P(HistoryStoreTest, RemovingADeviceForgetsItsSamplesEventsAndShadowOnly) {
  auto store = open();
  // "d1" is a prefix of "d10": removing one must not touch the other.
  for (std::string did : {"d1", "d10"}) {
    ASSERT_TRUE(appendAndWait(*store, {sample(did, 1, 10, "1"), sample(did, 2, 20, "2")}, {event(did, 1, 15)}).isOk());
  }
  ASSERT_TRUE(store->removeDevice("d1").isOk());
  EXPECT_TRUE(timestamps(*store, "d1", 1).empty());
  EXPECT_TRUE(store->events("d1", INT64_MIN, INT64_MAX, 10).value().empty());
  EXPECT_TRUE(store->latest("d1").value().empty());
  EXPECT_EQ(timestamps(*store, "d10", 1), (std::vector<int64_t>{10}));
  EXPECT_EQ(store->events("d10", INT64_MIN, INT64_MAX, 10).value().size(), 1u);
  EXPECT_EQ(store->latest("d10").value().size(), 2u);
  // It starts afresh.
  ASSERT_TRUE(appendAndWait(*store, {sample("d1", 1, 30, "3")}).isOk());
  EXPECT_EQ(timestamps(*store, "d1", 1), (std::vector<int64_t>{30}));
}

TEST_P(HistoryStoreTest, SeriesSpanningHoursAndLateReportsStayOrdered) {
  constexpr int64_t kHalfHour = 1'800'000;
  auto store = open();
  std::vector<PropertySample> samples;
  for (int64_t i = 9; i >= 0; --i) samples.push_back(sample("d1", 1, i * kHalfHour, std::to_string(i)));
  ASSERT_TRUE(appendAndWait(*store, {samples.begin(), samples.begin() + 5}).isOk());
  ASSERT_TRUE(appendAndWait(*store, {samples.begin() + 5, samples.end()}).isOk());
  ASSERT_TRUE(appendAndWait(*store, {sample("d1", 1, 3 * kHalfHour, "30")}).isOk());  // a repeat replaces
  std::vector<int64_t> expected;
  for (int64_t i = 0; i < 10; ++i) expected.push_back(i * kHalfHour);
  EXPECT_EQ(timestamps(*store, "d1", 1), expected);
  auto buckets = store->downsample("d1", 2, 1, 0, 10 * kHalfHour, 5);
  ASSERT_TRUE(buckets.isOk());
  EXPECT_EQ(buckets.value(), (std::vector<Bucket>{{0, 0, 1, 0.5, 1, 2},
                                                  {2 * kHalfHour, 2, 30, 16, 30, 2},
                                                  {4 * kHalfHour, 4, 5, 4.5, 5, 2},
                                                  {6 * kHalfHour, 6, 7, 6.5, 7, 2},
                                                  {8 * kHalfHour, 8, 9, 8.5, 9, 2}}));

  ASSERT_TRUE(store->deleteBefore(5 * kHalfHour).isOk());
  EXPECT_EQ(timestamps(*store, "d1", 1), std::vector<int64_t>(expected.begin() + 5, expected.end()));
  ASSERT_TRUE(store->deleteBefore("d1", 8 * kHalfHour + 1).isOk());
  EXPECT_EQ(timestamps(*store, "d1", 1), (std::vector<int64_t>{9 * kHalfHour}));
}

TEST_P(HistoryStoreTest, ConcurrentAppendsAreEachCommittedOnce) {
  constexpr int kThreads = 6;
  constexpr int kAppends = 150;
  constexpr int kSamples = 4;
  auto store = open();
  std::vector<std::atomic<int>> done_calls(kThreads * kAppends);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int a = 0; a < kAppends; ++a) {
        std::vector<PropertySample> samples;
        for (int s = 0; s < kSamples; ++s) samples.push_back(sample("d" + std::to_string(t), s, a, std::to_string(a)));
        store->append(std::move(samples), {event("d" + std::to_string(t), 1, a)},
                      [&, index = t * kAppends + a](core::Status status) {
                        if (!status.isOk()) ++failures;
                        ++done_calls[index];
                      });
      }
    });
  }
  for (std::thread& t : threads) t.join();
  store.reset();  // closing finishes every accepted append
  for (const std::atomic<int>& calls : done_calls) ASSERT_EQ(calls.load(), 1);
  EXPECT_EQ(failures.load(), 0);

  store = open();
  for (int t = 0; t < kThreads; ++t) {
    for (uint32_t piid = 0; piid < kSamples; ++piid) {
      EXPECT_EQ(timestamps(*store, "d" + std::to_string(t), piid).size(), static_cast<size_t>(kAppends));
    }
    EXPECT_EQ(store->events("d" + std::to_string(t), 0, kAppends, SIZE_MAX).value().size(),
              static_cast<size_t>(kAppends));
  }
}

TEST_P(HistoryStoreTest, DataSurvivesReopening) {
  {
    auto store = open();
    ASSERT_TRUE(appendAndWait(*store, {sample("d1", 1, 100, "21.5")}, {event("d1", 1, 100)}).isOk());
  }
  auto store = open();
  EXPECT_EQ(store->range("d1", 2, 1, 0, 1000, 10).value(), (std::vector<PropertySample>{sample("d1", 1, 100, "21.5")}));
  EXPECT_EQ(store->events("d1", 0, 1000, 10).value(), (std::vector<EventRecord>{event("d1", 1, 100)}));
}

TEST_P(HistoryStoreTest, AnAppendWithAnInvalidDidIsRefusedWhole) {
  auto store = open();
  EXPECT_EQ(appendAndWait(*store, {sample("d1", 1, 100, "1"), sample("", 1, 100, "1")}).code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(appendAndWait(*store, {}, {event(std::string(kMaxDidBytes + 1, 'x'), 1, 100)}).code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_TRUE(appendAndWait(*store, {sample(std::string(kMaxDidBytes, 'x'), 1, 100, "1")}).isOk());
  EXPECT_TRUE(store->range("d1", 2, 1, 0, 1000, 10).value().empty());
  EXPECT_EQ(timestamps(*store, std::string(kMaxDidBytes, 'x'), 1), (std::vector<int64_t>{100}));
}

TEST_P(HistoryStoreTest, AnUnopenablePathIsAnError) {
  // A path below a regular file can be neither a directory nor a database file.
  auto file = dir_.write("plain", "not a directory");
  auto store = GetParam().open((file / "history").string());
  ASSERT_FALSE(store.isOk());
  EXPECT_EQ(store.error().code(), core::StatusCode::kIoError) << store.error().toString();
}

INSTANTIATE_TEST_SUITE_P(Engines, HistoryStoreTest,
                         ::testing::Values(Engine{"Sqlite", [](const std::string& p) { return openSqliteHistory(p); }},
                                           Engine{"Rocks", [](const std::string& p) { return openRocksHistory(p); }}),
                         [](const ::testing::TestParamInfo<Engine>& info) { return info.param.name; });

}  // namespace
}  // namespace hearth::store

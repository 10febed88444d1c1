#include "hearth/core/group_commit_writer.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace hearth::core {
namespace {

using Batches = std::vector<std::vector<int>>;

// A commit that records its batches and, while closed, holds the writer inside the first one, so
// a test knows exactly what is queued behind it.
class Gate {
 public:
  Status commit(std::vector<int>& batch) {
    {
      std::lock_guard lock(mu_);
      batches_.push_back(batch);
      if (batches_.size() == 1) entered_.set_value();
    }
    opened_.wait();
    return Status::ok();
  }
  void waitEntered() { entered_future_.wait(); }
  void open() { open_.set_value(); }
  Batches batches() {
    std::lock_guard lock(mu_);
    return batches_;
  }

 private:
  std::mutex mu_;
  Batches batches_;
  std::promise<void> entered_;
  std::future<void> entered_future_ = entered_.get_future();
  std::promise<void> open_;
  std::shared_future<void> opened_ = open_.get_future().share();
};

GroupCommitWriter<int>::Options options(GroupCommitLimits limits, const Clock* clock = &SystemClock::instance()) {
  GroupCommitWriter<int>::Options o;
  o.name = "test";
  o.limits = limits;
  o.clock = clock;
  return o;
}

GroupCommitWriter<int>::Commit through(Gate& gate) {
  return [&gate](std::vector<int>& batch) { return gate.commit(batch); };
}

TEST(GroupCommitWriterTest, WritesWhatQueuedWhileItWasBusyAsOneBatchInOrder) {
  Gate gate;
  GroupCommitWriter<int> writer(options({}), through(gate));
  ASSERT_TRUE(writer.push(0).isOk());
  gate.waitEntered();
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(writer.push(int(i)).isOk());
  gate.open();
  writer.flush();
  EXPECT_EQ(gate.batches(), (Batches{{0}, {1, 2, 3, 4, 5}}));
  EXPECT_EQ(writer.stats().batches, 2u);
  EXPECT_EQ(writer.stats().committed_items, 6u);
}

TEST(GroupCommitWriterTest, AProducerBeyondCapacityIsToldItIsOverloaded) {
  Gate gate;
  GroupCommitWriter<int> writer(options({.max_queued_items = 2}), through(gate));
  ASSERT_TRUE(writer.push(0).isOk());  // taken by the writer at once
  gate.waitEntered();
  EXPECT_TRUE(writer.push(1).isOk());
  EXPECT_TRUE(writer.push(2).isOk());
  const Status refused = writer.push(3);  // two waiting: the limit
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.message(), "test: overloaded, 2 items (2 bytes) waiting to be written");
  EXPECT_EQ(writer.stats().refused, 1u);
  EXPECT_EQ(writer.stats().queued_items, 2u);
  gate.open();
  writer.stop();
  EXPECT_EQ(gate.batches(), (Batches{{0}, {1, 2}}));
}

TEST(GroupCommitWriterTest, ARefusedItemStaysWithTheCaller) {
  std::promise<void> entered;
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();
  GroupCommitWriter<std::string>::Options o;
  o.name = "test";
  o.limits.max_queued_items = 1;
  GroupCommitWriter<std::string> writer(o, [&](std::vector<std::string>& batch) {
    if (batch.front() == "first") entered.set_value();
    opened.wait();
    return Status::ok();
  });
  std::string first = "first";
  ASSERT_TRUE(writer.push(std::move(first)).isOk());
  entered.get_future().wait();
  std::string second = "second";
  ASSERT_TRUE(writer.push(std::move(second)).isOk());
  std::string third = "third";
  EXPECT_EQ(writer.push(std::move(third)).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(third, "third");  // refused: still the caller's
  open.set_value();
}

TEST(GroupCommitWriterTest, BoundsBytesButLetsALoneLargeItemThrough) {
  Gate gate;
  auto o = options({.max_queued_bytes = 100});
  o.size_of = [](const int& i) { return static_cast<size_t>(i); };
  GroupCommitWriter<int> writer(o, through(gate));
  ASSERT_TRUE(writer.push(1).isOk());
  gate.waitEntered();
  EXPECT_TRUE(writer.push(500).isOk());  // larger than the limit, but the queue was empty
  EXPECT_EQ(writer.push(1).code(), StatusCode::kResourceExhausted);
  gate.open();
  writer.flush();
  EXPECT_TRUE(writer.push(60).isOk());
  writer.stop();
  EXPECT_EQ(gate.batches(), (Batches{{1}, {500}, {60}}));
}

TEST(GroupCommitWriterTest, PushUntilWaitsForRoomUntilItsDeadline) {
  ManualClock clock;
  Gate gate;
  GroupCommitWriter<int> writer(options({.max_queued_items = 1}, &clock), through(gate));
  ASSERT_TRUE(writer.push(0).isOk());
  gate.waitEntered();
  ASSERT_TRUE(writer.push(1).isOk());
  // Full, and the deadline is now: no waiting.
  EXPECT_EQ(writer.pushUntil(2, clock.now()).code(), StatusCode::kDeadlineExceeded);
  // Full, with time left: waits until the writer makes room, then is admitted.
  auto waiting = std::async(std::launch::async, [&] { return writer.pushUntil(3, clock.now() + std::chrono::hours(1)); });
  gate.open();
  EXPECT_TRUE(waiting.get().isOk());
  writer.stop();
  EXPECT_EQ(writer.pushUntil(4, clock.now() + std::chrono::hours(1)).code(), StatusCode::kUnavailable);
  const Batches batches = gate.batches();
  ASSERT_FALSE(batches.empty());
  std::vector<int> all;
  for (const auto& b : batches) all.insert(all.end(), b.begin(), b.end());
  EXPECT_EQ(all, (std::vector<int>{0, 1, 3}));
  EXPECT_EQ(writer.stats().refused, 2u);
}

TEST(GroupCommitWriterTest, CutsBatchesByCountAndBytes) {
  Gate gate;
  auto o = options({.max_batch_items = 3, .max_batch_bytes = 10});
  o.size_of = [](const int& i) { return static_cast<size_t>(i); };
  GroupCommitWriter<int> writer(o, through(gate));
  ASSERT_TRUE(writer.push(1).isOk());
  gate.waitEntered();
  for (int i : {1, 1, 1, 1, 6, 6, 20, 1}) ASSERT_TRUE(writer.push(int(i)).isOk());
  gate.open();
  writer.stop();
  EXPECT_EQ(gate.batches(), (Batches{{1}, {1, 1, 1}, {1, 6}, {6}, {20}, {1}}));
}

TEST(GroupCommitWriterTest, WaitsUpToMaxDelayForABatchToFill) {
  ManualClock clock;
  std::mutex mu;
  std::condition_variable changed;
  Batches batches;
  size_t waiting_with = 0;
  auto o = options({.max_batch_items = 3, .max_delay = std::chrono::milliseconds(100)}, &clock);
  o.on_wait = [&](size_t queued) {
    std::lock_guard lock(mu);
    waiting_with = queued;
    changed.notify_all();
  };
  GroupCommitWriter<int> writer(o, [&](std::vector<int>& batch) {
    std::lock_guard lock(mu);
    batches.push_back(batch);
    changed.notify_all();
    return Status::ok();
  });
  auto waitFor = [&](auto predicate) {
    std::unique_lock lock(mu);
    changed.wait(lock, predicate);
  };
  ASSERT_TRUE(writer.push(1).isOk());
  waitFor([&] { return waiting_with == 1; });  // holding one item, for more
  ASSERT_TRUE(writer.push(2).isOk());
  waitFor([&] { return waiting_with == 2; });
  {
    std::lock_guard lock(mu);
    EXPECT_TRUE(batches.empty());
  }
  ASSERT_TRUE(writer.push(3).isOk());  // a full batch goes at once
  waitFor([&] { return batches.size() == 1; });
  ASSERT_TRUE(writer.push(4).isOk());
  ASSERT_TRUE(writer.push(5).isOk());
  waitFor([&] { return waiting_with == 2 && batches.size() == 1; });
  clock.advance(std::chrono::milliseconds(100));  // the oldest item has waited max_delay
  waitFor([&] { return batches.size() == 2; });   // seen at the writer's next look at the clock
  writer.stop();
  EXPECT_EQ(batches, (Batches{{1, 2, 3}, {4, 5}}));
}

TEST(GroupCommitWriterTest, KeepsEachProducersOrder) {
  std::mutex mu;
  std::vector<int> written;
  GroupCommitWriter<int> writer(options({.max_batch_items = 7}), [&](std::vector<int>& batch) {
    std::lock_guard lock(mu);
    written.insert(written.end(), batch.begin(), batch.end());
    return Status::ok();
  });
  constexpr int kProducers = 4;
  constexpr int kEach = 500;
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kEach; ++i) ASSERT_TRUE(writer.pushUntil(int(p * kEach + i), Clock::TimePoint::max()).isOk());
    });
  }
  for (auto& t : producers) t.join();
  writer.stop();
  ASSERT_EQ(written.size(), static_cast<size_t>(kProducers * kEach));
  std::vector<int> last(kProducers, -1);
  for (int v : written) {
    EXPECT_GT(v, last[v / kEach]);
    last[v / kEach] = v;
  }
}

TEST(GroupCommitWriterTest, StopWritesAndFinishesEverythingQueuedThenRefuses) {
  Gate gate;
  std::vector<std::pair<int, bool>> finished;  // writer thread only, read after stop()
  auto o = options({.max_batch_items = 2});
  o.finish = [&](std::vector<int>& batch, const Status& s) {
    for (int i : batch) finished.emplace_back(i, s.isOk());
  };
  GroupCommitWriter<int> writer(o, through(gate));
  ASSERT_TRUE(writer.push(0).isOk());
  gate.waitEntered();
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(writer.push(int(i)).isOk());
  auto stopped = std::async(std::launch::async, [&] { writer.stop(); });
  gate.open();
  stopped.get();
  EXPECT_EQ(gate.batches(), (Batches{{0}, {1, 2}, {3, 4}}));
  EXPECT_EQ(finished, (std::vector<std::pair<int, bool>>{{0, true}, {1, true}, {2, true}, {3, true}, {4, true}}));
  EXPECT_EQ(writer.push(5).code(), StatusCode::kUnavailable);
}

TEST(GroupCommitWriterTest, AFailedOrThrowingCommitFailsItsBatchAndTheWriterGoesOn) {
  std::vector<std::pair<int, std::string>> finished;  // writer thread only, read after flush()
  auto o = options({.max_batch_items = 1});
  o.finish = [&](std::vector<int>& batch, const Status& s) {
    for (int i : batch) finished.emplace_back(i, s.isOk() ? "ok" : s.toString());
    if (batch.front() == 4) throw std::runtime_error("finish broke");
  };
  GroupCommitWriter<int> writer(o, [](std::vector<int>& batch) -> Status {
    if (batch.front() == 1) return Status::ioError("disk full");
    if (batch.front() == 2) throw std::runtime_error("boom");
    return Status::ok();
  });
  for (int i = 0; i <= 5; ++i) ASSERT_TRUE(writer.push(int(i)).isOk());
  writer.flush();
  ASSERT_EQ(finished.size(), 6u);
  EXPECT_EQ(finished[0], (std::pair<int, std::string>{0, "ok"}));
  EXPECT_EQ(finished[1].second, Status::ioError("disk full").toString());
  EXPECT_EQ(finished[2].second, Status::internal("test: commit threw: boom").toString());
  EXPECT_EQ(finished[3], (std::pair<int, std::string>{3, "ok"}));
  EXPECT_EQ(finished[5], (std::pair<int, std::string>{5, "ok"}));  // after finish threw
  const GroupCommitStats stats = writer.stats();
  EXPECT_EQ(stats.failed_batches, 2u);
  EXPECT_EQ(stats.failed_items, 2u);
  EXPECT_EQ(stats.exceptions, 2u);
  EXPECT_EQ(stats.committed_items, 4u);
}

}  // namespace
}  // namespace hearth::core

// A session's queue bounds what one subscriber can hold, in messages and in bytes; what overflows
// is dropped for that session alone and counted for its client, with log lines at a bounded rate.
#include "mqtt/slow_subscribers.h"

#include <gtest/gtest.h>

#include "mqtt/metrics.h"
#include "mqtt/session.h"

namespace hearth::mqtt {
namespace {

class SlowSubscribersTest : public ::testing::Test {
 protected:
  Delivery delivery(size_t payload_size) {
    Publish p;
    p.topic = "t";
    p.payload = std::string(payload_size, 'x');
    p.qos = QoS::k1;
    Delivery d;
    d.message = makeMessage(std::move(p), "pub", clock_.now());
    d.qos = QoS::k1;
    return d;
  }

  core::ManualClock clock_;
  SlowSubscribers slow_{clock_};
};

TEST_F(SlowSubscribersTest, AFullQueueDropsForThatSessionOnlyAndCountsItsClient) {
  const QueueLimits limits{3, size_t{1} << 30, &slow_};
  Session full("full");
  Session other("other");
  std::vector<EnqueueResult> results;
  for (int i = 0; i < 5; ++i) results.push_back(full.enqueue(delivery(10), limits, nullptr));
  EXPECT_EQ(results, (std::vector<EnqueueResult>{EnqueueResult::kQueued, EnqueueResult::kQueued,
                                                 EnqueueResult::kQueued, EnqueueResult::kQueueFull,
                                                 EnqueueResult::kQueueFull}));
  EXPECT_EQ(other.enqueue(delivery(10), limits, nullptr), EnqueueResult::kQueued);
  EXPECT_EQ(full.queue.size(), 3u);
  auto worst = slow_.worst(10);
  ASSERT_EQ(worst.size(), 1u);
  EXPECT_EQ(worst[0].client_id, "full");
  EXPECT_EQ(worst[0].queue_full, 2u);
  EXPECT_EQ(worst[0].last_drop_unix_ms, clock_.unixMillis());
}

TEST_F(SlowSubscribersTest, TheQueueIsBoundedInBytesAndTakesOneMessageOfAnySizeWhenEmpty) {
  const size_t one = messageBytes(*delivery(1000).message);
  const QueueLimits limits{1000, 2 * one, &slow_};
  Session s("s");
  EXPECT_EQ(s.enqueue(delivery(1000), limits, nullptr), EnqueueResult::kQueued);
  EXPECT_EQ(s.enqueue(delivery(1000), limits, nullptr), EnqueueResult::kQueued);
  EXPECT_EQ(s.enqueue(delivery(1000), limits, nullptr), EnqueueResult::kQueueFull);
  EXPECT_EQ(s.queue.bytes(), 2 * one);
  // Sent: the message moves out of the queue before the entry goes, and its bytes go with it.
  Delivery sent = std::move(s.queue.front());
  s.queue.pop_front();
  EXPECT_NE(sent.message, nullptr);
  EXPECT_EQ(s.queue.bytes(), one);
  s.queue.clear();
  EXPECT_EQ(s.queue.bytes(), 0u);

  Session big("big");
  const QueueLimits tiny{1000, 1, &slow_};
  EXPECT_EQ(big.enqueue(delivery(100000), tiny, nullptr), EnqueueResult::kQueued);
  EXPECT_EQ(big.enqueue(delivery(1), tiny, nullptr), EnqueueResult::kQueueFull);
}

TEST_F(SlowSubscribersTest, DropsAreLoggedOnceAndThenAtMostEveryInterval) {
  auto counter = slow_.counterFor("c");
  slow_.dropped(*counter, "c", 1000, 1 << 20);
  EXPECT_EQ(counter->logged.load(), 1u);  // the first drop is said at once
  for (int i = 0; i < 500; ++i) slow_.dropped(*counter, "c", 1000, 1 << 20);
  EXPECT_EQ(counter->logged.load(), 1u);  // and the next 500 are not, one by one
  clock_.advance(SlowSubscribers::kLogInterval);
  slow_.dropped(*counter, "c", 1000, 1 << 20);
  EXPECT_EQ(counter->logged.load(), 502u);  // one line for all of them
  EXPECT_EQ(counter->queue_full.load(), 502u);
}

TEST_F(SlowSubscribersTest, AClientKeepsItsCountAcrossSessionsAndTheWorstComeFirst) {
  for (const char* id : {"a", "b", "b", "c", "c", "c"}) {
    auto counter = slow_.counterFor(id);
    slow_.dropped(*counter, id, 1, 1);
  }
  auto worst = slow_.worst(2);
  ASSERT_EQ(worst.size(), 2u);
  EXPECT_EQ(worst[0].client_id, "c");
  EXPECT_EQ(worst[0].queue_full, 3u);
  EXPECT_EQ(worst[1].client_id, "b");
}

TEST_F(SlowSubscribersTest, ClientIdsAreEscapedInTheMetricsLabels) {
  Metrics metrics;
  const std::string text = metrics.prometheusText({}, {ClientDrops{"a\"b\\c\nd", 7, 0}});
  EXPECT_NE(text.find("hearth_mqtt_client_dropped_total{client_id=\"a\\\"b\\\\c\\nd\",reason=\"queue_full\"} 7\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace hearth::mqtt

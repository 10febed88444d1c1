#include "hearth/sim/report_queue.h"

#include <gtest/gtest.h>

namespace hearth::sim {
namespace {

TEST(ReportQueueTest, SendsInOrderAndForgetsWhatWasAcknowledged) {
  ReportQueue q(10);
  q.push("a");
  q.push("b");
  EXPECT_EQ(q.sendNext(1), "a");
  EXPECT_EQ(q.sendNext(2), "b");
  EXPECT_FALSE(q.sendNext(3).has_value());
  EXPECT_TRUE(q.inFlight(1));
  EXPECT_TRUE(q.acknowledge(1));
  EXPECT_FALSE(q.acknowledge(1));  // a duplicate ack
  EXPECT_FALSE(q.inFlight(1));
  EXPECT_EQ(q.inFlightCount(), 1u);
}

TEST(ReportQueueTest, ALostConnectionSendsWhatWasInFlightFirstAgain) {
  ReportQueue q(10);
  q.push("a");
  q.push("b");
  q.push("c");
  ASSERT_EQ(q.sendNext(7), "a");
  ASSERT_EQ(q.sendNext(8), "b");
  q.requeueInFlight();
  EXPECT_EQ(q.inFlightCount(), 0u);
  EXPECT_EQ(q.sendNext(1), "a");
  EXPECT_EQ(q.sendNext(2), "b");
  EXPECT_EQ(q.sendNext(3), "c");
}

TEST(ReportQueueTest, AFullBufferDropsTheOldestAndCountsThem) {
  ReportQueue q(3);
  for (const char* r : {"1", "2", "3", "4", "5"}) q.push(r);
  EXPECT_EQ(q.pending(), 3u);
  EXPECT_EQ(q.dropped(), 2u);
  EXPECT_EQ(q.sendNext(1), "3");
  // Requeued reports count against the capacity too: the oldest still go first.
  q.push("6");
  q.push("7");
  q.requeueInFlight();
  EXPECT_EQ(q.dropped(), 4u);  // "4" when 7 came, "3" when it was requeued
  EXPECT_EQ(q.sendNext(2), "5");
}

}  // namespace
}  // namespace hearth::sim

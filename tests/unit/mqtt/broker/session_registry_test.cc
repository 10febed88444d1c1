#include "mqtt/session_registry.h"

#include <gtest/gtest.h>

#include "mqtt/subscription_index.h"

namespace hearth::mqtt {
namespace {

// Connections are only compared by address here; these stand-ins are never dereferenced.
Connection* const kConnA = reinterpret_cast<Connection*>(0x1000);
Connection* const kConnB = reinterpret_cast<Connection*>(0x2000);

class SessionRegistryTest : public ::testing::Test {
 protected:
  Will will(std::string topic, uint32_t delay) {
    Will w;
    w.topic = std::move(topic);
    w.payload = "gone";
    if (delay) w.properties.will_delay_interval = delay;
    return w;
  }
  core::ManualClock clock_;
  SubscriptionIndex index_{4};
  SessionRegistry registry_{index_};
  std::vector<PendingWill> due_;
};

TEST_F(SessionRegistryTest, ExpiryZeroEndsSessionAtDetach) {
  auto a = registry_.attach("c", true, kConnA, nullptr);
  EXPECT_FALSE(a.present);
  index_.add(a.session.get(), "t", {}, 0);
  a.session->subscriptions.set("t", {});
  registry_.detach(a.session, kConnA, std::nullopt, "", clock_.now(), due_);
  EXPECT_EQ(registry_.size(), 0u);
  EXPECT_EQ(index_.size(), 0u);  // its subscriptions left the index
}

TEST_F(SessionRegistryTest, PersistentSessionResumesUntilItExpires) {
  auto a = registry_.attach("c", false, kConnA, nullptr);
  a.session->expiry_interval = 10;
  registry_.detach(a.session, kConnA, std::nullopt, "", clock_.now(), due_);
  EXPECT_EQ(registry_.size(), 1u);
  auto b = registry_.attach("c", false, kConnB, nullptr);
  EXPECT_TRUE(b.present);
  EXPECT_EQ(b.session, a.session);
  registry_.detach(b.session, kConnB, std::nullopt, "", clock_.now(), due_);
  clock_.advance(std::chrono::seconds(9));
  registry_.sweep(clock_.now(), due_);
  EXPECT_EQ(registry_.size(), 1u);
  clock_.advance(std::chrono::seconds(1));
  registry_.sweep(clock_.now(), due_);
  EXPECT_EQ(registry_.size(), 0u);
}

TEST_F(SessionRegistryTest, TakeoverReportsPreviousConnection) {
  auto a = registry_.attach("c", false, kConnA, nullptr);
  auto b = registry_.attach("c", false, kConnB, nullptr);
  EXPECT_EQ(b.previous, kConnA);
  EXPECT_TRUE(b.present);
  // The old connection's late detach must not detach the new one.
  registry_.detach(a.session, kConnA, std::nullopt, "", clock_.now(), due_);
  EXPECT_EQ(b.session->connection, kConnB);
  EXPECT_TRUE(b.session->online());
}

TEST_F(SessionRegistryTest, WillDelayIsCappedBySessionExpiryAndCancelledByReconnect) {
  auto a = registry_.attach("c", false, kConnA, nullptr);
  a.session->expiry_interval = 5;
  registry_.detach(a.session, kConnA, will("w/c", 60), "", clock_.now(), due_);
  EXPECT_TRUE(due_.empty());
  clock_.advance(std::chrono::seconds(5));
  registry_.sweep(clock_.now(), due_);
  ASSERT_EQ(due_.size(), 1u);  // min(will delay 60, expiry 5)
  EXPECT_EQ(due_[0].will.topic, "w/c");
  due_.clear();

  auto b = registry_.attach("d", false, kConnA, nullptr);
  b.session->expiry_interval = 100;
  registry_.detach(b.session, kConnA, will("w/d", 3), "", clock_.now(), due_);
  registry_.attach("d", false, kConnB, nullptr);  // back in time: no will
  clock_.advance(std::chrono::seconds(10));
  registry_.sweep(clock_.now(), due_);
  EXPECT_TRUE(due_.empty());
}

TEST_F(SessionRegistryTest, CleanStartReleasesPendingWillOfOldSession) {
  auto a = registry_.attach("c", false, kConnA, nullptr);
  a.session->expiry_interval = 100;
  registry_.detach(a.session, kConnA, will("w/x", 50), "", clock_.now(), due_);
  auto b = registry_.attach("c", true, kConnB, nullptr);
  EXPECT_FALSE(b.present);
  ASSERT_EQ(b.wills_due.size(), 1u);  // the old session ended: its will goes out now
}

}  // namespace
}  // namespace hearth::mqtt

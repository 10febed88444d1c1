#include "mqtt/persistence.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "mqtt/retained_store.h"
#include "mqtt/session_registry.h"
#include "mqtt/subscription_index.h"

namespace hearth::mqtt {
namespace {

class PersistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hearth-persist-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    open();
  }
  void TearDown() override {
    persistence_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void open() {
    persistence_.reset();
    store_.reset();
    auto s = openRocksStateStore(dir_.string(), Durability::kCommit);
    ASSERT_TRUE(s.isOk()) << s.error().toString();
    store_ = std::move(s).value();
    persistence_ = std::make_unique<Persistence>(*store_, clock_);
  }
  MessagePtr message(std::string topic, std::string payload, QoS qos) {
    Publish p;
    p.topic = std::move(topic);
    p.payload = std::move(payload);
    p.qos = qos;
    p.properties.user_properties = {{"k", "v"}};
    p.properties.message_expiry_interval = 100;
    return makeMessage(std::move(p), "pub", clock_.now());
  }

  core::ManualClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<Persistence> persistence_;
};

TEST_F(PersistenceTest, MessageRecordRoundTripsWithRemainingExpiry) {
  auto m = message("a/b", std::string("\0bin\xff", 5), QoS::k1);
  std::string bytes = persistence_->encodeMessage(*m);
  clock_.advance(std::chrono::seconds(30));
  auto back = persistence_->decodeMessage(bytes);
  ASSERT_TRUE(back.isOk()) << back.error().toString();
  EXPECT_EQ(back.value()->topic, "a/b");
  EXPECT_EQ(back.value()->payload, m->payload);
  EXPECT_EQ(back.value()->publisher, "pub");
  EXPECT_EQ(back.value()->properties.user_properties, m->properties.user_properties);
  EXPECT_EQ(*back.value()->expires_at, *m->expires_at);
}

TEST_F(PersistenceTest, CorruptMessageRecordsAreErrorsNotCrashes) {
  std::string bytes = persistence_->encodeMessage(*message("a", "x", QoS::k1));
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(persistence_->decodeMessage(bytes.substr(0, cut)).isOk()) << cut;
  }
  bytes[13] = '\x00';  // the PUBLISH fixed header: packet type 0
  EXPECT_FALSE(persistence_->decodeMessage(bytes).isOk());
}

TEST_F(PersistenceTest, SessionQueueInflightAndRetainedSurviveReopen) {
  Session s("dev-1");
  s.expiry_interval = 3600;
  s.detached_at_unix_ms = clock_.unixMillis();
  SubscriptionOptions o;
  o.max_qos = QoS::k2;
  o.no_local = true;
  s.subscriptions.set("cmd/#", StoredSubscription{o, 7});
  for (int i = 0; i < 3; ++i) {
    Delivery d;
    d.message = message("cmd/x", "m" + std::to_string(i), QoS::k1);
    d.qos = QoS::k1;
    d.subscription_ids = {7};
    d.seq = s.next_seq++;
    persistence_->queuedLocked(s, d);
    s.queue.push_back(std::move(d));
  }
  Inflight f;
  f.packet_id = 42;
  f.stage = Inflight::Stage::kAwaitPubAck;
  f.delivery = s.queue.front();
  persistence_->sentLocked(s, f);
  persistence_->completedLocked(s, s.queue[1].seq);  // the second was acknowledged
  persistence_->incomingQos2Locked(s, 9, true);
  persistence_->sessionLocked(s);
  persistence_->retained(*message("state/lamp", "on", QoS::k1));
  store_->flush();
  open();

  SubscriptionIndex index(4);
  RetainedStore retained(4);
  SessionRegistry sessions(index);
  ASSERT_TRUE(persistence_->load(sessions, index, retained).isOk());
  EXPECT_EQ(sessions.size(), 1u);
  EXPECT_EQ(retained.size(), 1u);
  EXPECT_EQ(index.size(), 1u);
  SessionPtr restored;
  index.match("cmd/y", [&](const SubscriptionEntry& e) { restored = e.session->shared_from_this(); });
  ASSERT_TRUE(restored);
  std::lock_guard lock(restored->mu);
  const StoredSubscription* sub = restored->subscriptions.find("cmd/#");
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->subscription_id, 7u);
  EXPECT_TRUE(sub->options.no_local);
  ASSERT_EQ(restored->inflight.size(), 1u);
  EXPECT_EQ(restored->inflight[0].packet_id, 42);
  EXPECT_EQ(restored->inflight[0].delivery.message->payload, "m0");
  ASSERT_EQ(restored->queue.size(), 1u);
  EXPECT_EQ(restored->queue[0].message->payload, "m2");
  EXPECT_EQ(restored->incoming_qos2, std::vector<uint16_t>{9});
  EXPECT_GE(restored->next_seq, 4u);
}

TEST_F(PersistenceTest, ExpiredSessionsAreDroppedAtLoad) {
  Session s("old");
  s.expiry_interval = 10;
  s.detached_at_unix_ms = clock_.unixMillis();
  persistence_->sessionLocked(s);
  store_->flush();
  clock_.advance(std::chrono::seconds(11));
  SubscriptionIndex index(4);
  RetainedStore retained(4);
  SessionRegistry sessions(index);
  ASSERT_TRUE(persistence_->load(sessions, index, retained).isOk());
  EXPECT_EQ(sessions.size(), 0u);
  store_->flush();
  size_t records = 0;
  ASSERT_TRUE(store_->scan("", [&](std::string_view, std::string_view) { ++records; }).isOk());
  EXPECT_EQ(records, 0u);  // and their records removed
}

// A store that refuses every write while `full`, as RocksStateStore does past kStateStoreLimits.
class OverloadedStore final : public StateStore {
 public:
  bool full = false;
  size_t written = 0;

  core::Status write(std::vector<StateWrite> writes, Done done) override {
    core::Status s = full ? core::Status::resourceExhausted("overloaded") : core::Status::ok();
    if (s.isOk()) written += writes.size();
    if (done) done(s);
    return s;
  }
  core::Status scan(std::string_view, const std::function<void(std::string_view, std::string_view)>&) override {
    return core::Status::ok();
  }
  void flush() override {}
  Durability durability() const override { return Durability::kCommit; }
};

// The broker never acknowledges a PUBLISH whose record the store refused, even when the store
// has room again by the time the acknowledgement's barrier comes.
TEST_F(PersistenceTest, ABarrierAfterARefusedRecordFailsAndTheNextOneDoesNot) {
  OverloadedStore store;
  Persistence persistence(store, clock_);
  Session s("dev-1");
  Delivery d;
  d.message = message("cmd/x", "m", QoS::k1);
  d.qos = QoS::k1;
  d.seq = 1;
  store.full = true;
  persistence.queuedLocked(s, d);  // refused
  store.full = false;
  core::Status first;
  persistence.barrier([&](const core::Status& status) { first = status; });
  EXPECT_EQ(first.code(), core::StatusCode::kResourceExhausted) << first.toString();

  persistence.queuedLocked(s, d);
  core::Status second = core::Status::internal("not called");
  persistence.barrier([&](const core::Status& status) { second = status; });
  EXPECT_TRUE(second.isOk()) << second.toString();
  EXPECT_EQ(store.written, 1u);
}

}  // namespace
}  // namespace hearth::mqtt

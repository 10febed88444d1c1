// Read access at delivery (src/mqtt/read_access.h): a granted wildcard subscription delivers only
// the topics its client may read, retained ones included; decisions are cached per session and
// topic, made again after Broker::accessChanged for the client's principal or a ':'-prefix of it,
// and after the broker's read_access_ttl.
//
// Absence is proved by order: one publisher's messages reach a subscriber in the order sent, so
// when the marker published after a withheld message arrives first, the withheld one never will.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>

#include "hearth/core/clock.h"
#include "hearth/mqtt/broker.h"
#include "unit/mqtt/broker/raw_client.h"

namespace hearth::mqtt {
namespace {

// Grants every SUBSCRIBE and PUBLISH; denies reading the (user name, topic) pairs it is told to.
class Rules final : public Authorizer {
 public:
  bool allowed(const ClientIdentity& client, AccessKind kind, std::string_view topic) override {
    if (kind != AccessKind::kRead) return true;
    reads.fetch_add(1);
    std::lock_guard lock(mu_);
    return denied_.count(key(client.username, topic)) == 0;
  }
  void deny(std::string_view username, std::string_view topic) {
    std::lock_guard lock(mu_);
    denied_.insert(key(username, topic));
  }
  std::atomic<int> reads{0};

 private:
  static std::string key(std::string_view username, std::string_view topic) {
    return std::string(username) + ' ' + std::string(topic);
  }
  std::mutex mu_;
  std::set<std::string> denied_;
};

constexpr std::string_view kUser = "app:1:s1";

class ReadAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BrokerOptions o;
    o.bind_address = "127.0.0.1";
    o.tcp_port = 0;
    o.tls_port = -1;
    o.ws_port = -1;
    o.authorizer = &rules_;
    o.clock = &clock_;
    broker_ = std::make_unique<Broker>(o);
    ASSERT_TRUE(broker_->start().isOk());
    publisher_ = connect("pub", "");
  }
  void TearDown() override { broker_->stop(); }

  std::unique_ptr<RawClient> connect(const std::string& client_id, std::string_view username) {
    Connect c;
    c.client_id = client_id;
    if (!username.empty()) c.username = std::string(username);
    auto client = std::make_unique<RawClient>(broker_->listeners().at(0).port, c);
    auto ack = client->next();
    EXPECT_TRUE(ack && std::holds_alternative<ConnAck>(*ack));
    return client;
  }

  static void subscribe(RawClient& client, const std::string& filter) {
    Subscribe s;
    s.packet_id = 1;
    s.subscriptions.push_back(Subscription{filter, {}});
    client.send(s);
    auto ack = client.next();
    ASSERT_TRUE(ack && std::holds_alternative<SubAck>(*ack));
    EXPECT_EQ(std::get<SubAck>(*ack).reason_codes, std::vector<ReasonCode>{ReasonCode::kSuccess});
  }

  void publish(const std::string& topic, bool retain = false) {
    Publish p;
    p.topic = topic;
    p.payload = "x";
    p.retain = retain;
    publisher_->send(p);
  }

  // The topic of the next message the client receives.
  static std::string nextTopic(RawClient& client) {
    auto packet = client.next();
    if (!packet || !std::holds_alternative<Publish>(*packet)) return "(not a PUBLISH)";
    return std::get<Publish>(*packet).topic;
  }

  uint64_t withheld() const {
    const std::string text = broker_->metricsText();
    const std::string name = "\nhearth_mqtt_withheld_total ";  // the sample, not the HELP line
    const size_t at = text.find(name);
    return at == std::string::npos ? 0 : std::stoull(text.substr(at + name.size()));
  }

  Rules rules_;
  core::ManualClock clock_;
  std::unique_ptr<Broker> broker_;
  std::unique_ptr<RawClient> publisher_;
};

TEST_F(ReadAccessTest, AWildcardSubscriptionWithholdsWhatItsClientMayNotRead) {
  rules_.deny(kUser, "secret/a");
  publish("secret/a", /*retain=*/true);
  publish("open/r", /*retain=*/true);
  // Retained messages are stored before the next PUBLISH from the same client is read: a marker
  // through a subscriber of our own says both are in.
  auto watcher = connect("watcher", "");
  subscribe(*watcher, "marker");
  publish("marker");
  ASSERT_EQ(nextTopic(*watcher), "marker");

  auto subscriber = connect("sub", kUser);
  subscribe(*subscriber, "#");
  EXPECT_EQ(nextTopic(*subscriber), "open/r");  // the retained secret/a is withheld
  publish("secret/a");
  publish("open/b");
  EXPECT_EQ(nextTopic(*subscriber), "open/b");
  EXPECT_EQ(withheld(), 2u);
  // The decision is the client's: another one may read secret/a.
  subscribe(*watcher, "secret/#");
  EXPECT_EQ(nextTopic(*watcher), "secret/a");
}

TEST_F(ReadAccessTest, DecisionsAreCachedUntilAccessChangesForThePrincipalOrAPrefixOfIt) {
  auto subscriber = connect("sub", kUser);
  subscribe(*subscriber, "open/#");
  for (int i = 0; i < 3; ++i) {
    publish("open/a");
    ASSERT_EQ(nextTopic(*subscriber), "open/a");
  }
  EXPECT_EQ(rules_.reads.load(), 1);  // one decision for three deliveries

  rules_.deny(kUser, "open/a");
  publish("open/a");
  EXPECT_EQ(nextTopic(*subscriber), "open/a");  // still the cached decision: nobody said

  broker_->accessChanged("app:1");  // every session of user 1
  publish("open/a");
  publish("open/m");
  EXPECT_EQ(nextTopic(*subscriber), "open/m");
  EXPECT_EQ(rules_.reads.load(), 3);  // open/a again, and open/m
}

TEST_F(ReadAccessTest, DecisionsAreMadeAgainAfterTheirTimeToLive) {
  auto subscriber = connect("sub", kUser);
  subscribe(*subscriber, "open/#");
  publish("open/a");
  ASSERT_EQ(nextTopic(*subscriber), "open/a");
  rules_.deny(kUser, "open/a");
  clock_.advance(BrokerOptions{}.read_access_ttl);
  publish("open/a");
  publish("open/m");
  EXPECT_EQ(nextTopic(*subscriber), "open/m");
}

}  // namespace
}  // namespace hearth::mqtt

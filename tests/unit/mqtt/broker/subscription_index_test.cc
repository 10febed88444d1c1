#include "mqtt/subscription_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "mqtt/session.h"

namespace hearth::mqtt {
namespace {

class SubscriptionIndexTest : public ::testing::Test {
 protected:
  std::set<std::string> matches(std::string_view topic) {
    std::set<std::string> out;
    index_.match(topic, [&](const SubscriptionEntry& e) { out.insert(e.session->clientId()); });
    return out;
  }
  Session a_{"a"}, b_{"b"}, c_{"c"};
  SubscriptionIndex index_{8};
};

TEST_F(SubscriptionIndexTest, MatchesExactAndWildcardFilters) {
  index_.add(&a_, "home/kitchen/temp", {}, 0);
  index_.add(&b_, "home/+/temp", {}, 0);
  index_.add(&c_, "home/#", {}, 0);
  EXPECT_EQ(matches("home/kitchen/temp"), (std::set<std::string>{"a", "b", "c"}));
  EXPECT_EQ(matches("home/bedroom/temp"), (std::set<std::string>{"b", "c"}));
  EXPECT_EQ(matches("home"), (std::set<std::string>{"c"}));  // '#' matches the parent level
  EXPECT_EQ(matches("office/temp"), (std::set<std::string>{}));
  EXPECT_EQ(index_.size(), 3u);
}

TEST_F(SubscriptionIndexTest, DollarTopicsNeedExplicitFirstLevel) {
  index_.add(&a_, "#", {}, 0);
  index_.add(&b_, "+/broker/load", {}, 0);
  index_.add(&c_, "$SYS/#", {}, 0);
  EXPECT_EQ(matches("$SYS/broker/load"), (std::set<std::string>{"c"}));
  EXPECT_EQ(matches("x/broker/load"), (std::set<std::string>{"a", "b"}));
}

TEST_F(SubscriptionIndexTest, EmptyLevelsAreLevels) {
  index_.add(&a_, "a//b", {}, 0);
  index_.add(&b_, "a/+/b", {}, 0);
  index_.add(&c_, "/+", {}, 0);
  EXPECT_EQ(matches("a//b"), (std::set<std::string>{"a", "b"}));
  EXPECT_EQ(matches("/x"), (std::set<std::string>{"c"}));
}

TEST_F(SubscriptionIndexTest, AddReplacesAndRemoveForgets) {
  SubscriptionOptions q1;
  q1.max_qos = QoS::k1;
  EXPECT_TRUE(index_.add(&a_, "t/+", {}, 0));
  EXPECT_FALSE(index_.add(&a_, "t/+", q1, 5));
  QoS seen = QoS::k0;
  uint32_t id = 0;
  index_.match("t/x", [&](const SubscriptionEntry& e) {
    seen = e.options.max_qos;
    id = e.subscription_id;
  });
  EXPECT_EQ(seen, QoS::k1);
  EXPECT_EQ(id, 5u);
  EXPECT_TRUE(index_.remove(&a_, "t/+"));
  EXPECT_FALSE(index_.remove(&a_, "t/+"));
  EXPECT_TRUE(matches("t/x").empty());
  EXPECT_EQ(index_.size(), 0u);
}

TEST_F(SubscriptionIndexTest, SharedSubscriptionDeliversToOneMemberRoundRobin) {
  a_.setOnline(true);
  b_.setOnline(true);
  index_.add(&a_, "$share/g/jobs/+", {}, 0);
  index_.add(&b_, "$share/g/jobs/+", {}, 0);
  index_.add(&c_, "jobs/+", {}, 0);
  std::map<std::string, int> counts;
  for (int i = 0; i < 10; ++i) {
    auto m = matches("jobs/x");
    EXPECT_EQ(m.size(), 2u);
    EXPECT_TRUE(m.count("c"));
    for (auto& s : m) counts[s]++;
  }
  EXPECT_EQ(counts["a"], 5);
  EXPECT_EQ(counts["b"], 5);
}

TEST_F(SubscriptionIndexTest, SharedSubscriptionPrefersConnectedMembers) {
  a_.setOnline(false);
  b_.setOnline(true);
  index_.add(&a_, "$share/g/t", {}, 0);
  index_.add(&b_, "$share/g/t", {}, 0);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(matches("t"), (std::set<std::string>{"b"}));
  EXPECT_TRUE(index_.remove(&b_, "$share/g/t"));
  EXPECT_EQ(matches("t"), (std::set<std::string>{"a"}));  // offline, but the only member
}

TEST_F(SubscriptionIndexTest, ManySubscriptionsOnlyVisitMatches) {
  std::vector<std::unique_ptr<Session>> sessions;
  for (int i = 0; i < 20000; ++i) {
    sessions.push_back(std::make_unique<Session>("d" + std::to_string(i)));
    index_.add(sessions.back().get(), "device/d" + std::to_string(i) + "/down", {}, 0);
  }
  index_.add(&a_, "device/+/down", {}, 0);
  EXPECT_EQ(matches("device/d123/down"), (std::set<std::string>{"d123", "a"}));
  for (int i = 0; i < 20000; ++i) index_.remove(sessions[i].get(), "device/d" + std::to_string(i) + "/down");
  EXPECT_EQ(index_.size(), 1u);
}

}  // namespace
}  // namespace hearth::mqtt

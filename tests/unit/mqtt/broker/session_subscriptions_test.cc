#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mqtt/session.h"

namespace hearth::mqtt {
namespace {

std::vector<std::string> filters(const SessionSubscriptions& s) {
  std::vector<std::string> out;
  for (const auto& [filter, sub] : s) out.push_back(filter);
  return out;
}

TEST(SessionSubscriptionsTest, KeepsFiltersSortedAndUnique) {
  SessionSubscriptions s;
  s.set("b/#", {{}, 1});
  s.set("a/+", {{}, 2});
  s.set("c", {{}, 3});
  s.set("a/+", {{}, 4});
  EXPECT_EQ(filters(s), (std::vector<std::string>{"a/+", "b/#", "c"}));
  ASSERT_NE(s.find("a/+"), nullptr);
  EXPECT_EQ(s.find("a/+")->subscription_id, 4u);  // replaced, not added
  EXPECT_EQ(s.find("a"), nullptr);
}

TEST(SessionSubscriptionsTest, EraseReportsWhetherTheFilterWasThere) {
  SessionSubscriptions s;
  s.set("x", {});
  s.set("y", {});
  EXPECT_FALSE(s.erase("z"));
  EXPECT_TRUE(s.erase("x"));
  EXPECT_FALSE(s.erase("x"));
  EXPECT_EQ(filters(s), (std::vector<std::string>{"y"}));
  s.clear();
  EXPECT_TRUE(s.empty());
}

}  // namespace
}  // namespace hearth::mqtt

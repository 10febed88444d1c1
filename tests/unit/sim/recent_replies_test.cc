#include "hearth/sim/recent_replies.h"

#include <gtest/gtest.h>

namespace hearth::sim {
namespace {

TEST(RecentRepliesTest, ARepeatedIdGetsTheSameAnswerWhileItIsAmongTheLast) {
  RecentReplies replies;
  EXPECT_EQ(replies.find(7), nullptr);
  replies.add(7, R"({"id":7,"result":[]})");
  ASSERT_NE(replies.find(7), nullptr);
  EXPECT_EQ(*replies.find(7), R"({"id":7,"result":[]})");
  for (uint64_t id = 100; id < 100 + RecentReplies::kKept - 1; ++id) replies.add(id, "{}");
  EXPECT_NE(replies.find(7), nullptr);  // kKept answers kept, 7 the oldest of them
  replies.add(500, "{}");
  EXPECT_EQ(replies.find(7), nullptr);
  EXPECT_NE(replies.find(100), nullptr);
}

}  // namespace
}  // namespace hearth::sim

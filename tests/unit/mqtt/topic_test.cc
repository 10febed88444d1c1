#include "hearth/mqtt/topic.h"

#include <gtest/gtest.h>

#include <string>

namespace hearth::mqtt {
namespace {

TEST(TopicTest, ValidTopicNames) {
  for (std::string_view t : {"a", "a/b", "/", "//", "/finance", "sport/tennis/player1", "$SYS/x",
                             "with space", "caf\xC3\xA9"}) {
    EXPECT_TRUE(isValidTopicName(t)) << t;
  }
  EXPECT_TRUE(isValidTopicName(std::string(65535, 'a')));
}

TEST(TopicTest, InvalidTopicNames) {
  for (std::string_view t : {"", "+", "#", "a/+", "a/#", "a+b", "sport#"}) {
    EXPECT_FALSE(isValidTopicName(t)) << t;
  }
  EXPECT_FALSE(isValidTopicName(std::string_view("a\0b", 3)));
  EXPECT_FALSE(isValidTopicName(std::string(65536, 'a')));
}

TEST(TopicTest, ValidTopicFilters) {
  for (std::string_view f :
       {"#", "+", "a", "a/#", "+/+/#", "/", "a//b", "+/tennis/#", "/+", "$SYS/#",
        "$share/group/a/+", "$share/g/#", "$share", "$sharegroup/x"}) {
    EXPECT_TRUE(isValidTopicFilter(f)) << f;
  }
}

TEST(TopicTest, InvalidTopicFilters) {
  for (std::string_view f :
       {"", "a#", "a/#/b", "#/a", "a+/b", "+a", "##", "a/b+", "$share/", "$share/g", "$share//a",
        "$share/g+/a", "$share/g#/a", "$share/g/", "$share/g/a#"}) {
    EXPECT_FALSE(isValidTopicFilter(f)) << f;
  }
  EXPECT_FALSE(isValidTopicFilter(std::string_view("a/\0", 3)));
  EXPECT_FALSE(isValidTopicFilter(std::string(65536, 'a')));
}

TEST(TopicTest, MatchesSpecificationExamples) {
  // Spec 4.7.1.2: multi-level wildcard.
  EXPECT_TRUE(topicMatches("sport/tennis/player1/#", "sport/tennis/player1"));
  EXPECT_TRUE(topicMatches("sport/tennis/player1/#", "sport/tennis/player1/ranking"));
  EXPECT_TRUE(topicMatches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon"));
  EXPECT_TRUE(topicMatches("sport/#", "sport"));
  EXPECT_TRUE(topicMatches("#", "anything/at/all"));
  // Spec 4.7.1.3: single-level wildcard.
  EXPECT_TRUE(topicMatches("sport/tennis/+", "sport/tennis/player1"));
  EXPECT_TRUE(topicMatches("sport/tennis/+", "sport/tennis/player2"));
  EXPECT_FALSE(topicMatches("sport/tennis/+", "sport/tennis/player1/ranking"));
  EXPECT_FALSE(topicMatches("sport/+", "sport"));
  EXPECT_TRUE(topicMatches("sport/+", "sport/"));
  EXPECT_TRUE(topicMatches("+/+", "/finance"));
  EXPECT_TRUE(topicMatches("/+", "/finance"));
  EXPECT_FALSE(topicMatches("+", "/finance"));
  EXPECT_TRUE(topicMatches("+/tennis/#", "sport/tennis/x"));
}

TEST(TopicTest, MatchesLiterally) {
  EXPECT_TRUE(topicMatches("a/b", "a/b"));
  EXPECT_FALSE(topicMatches("a/b", "a/b/c"));
  EXPECT_FALSE(topicMatches("a/b/c", "a/b"));
  EXPECT_FALSE(topicMatches("a/b", "a/c"));
  EXPECT_FALSE(topicMatches("A/b", "a/b"));  // case-sensitive
  EXPECT_FALSE(topicMatches("a/b", "a/b/"));
  EXPECT_TRUE(topicMatches("a//b", "a//b"));
  EXPECT_TRUE(topicMatches("a/+/b", "a//b"));
}

TEST(TopicTest, LeadingWildcardsSkipDollarTopics) {
  // Spec 4.7.2.
  EXPECT_FALSE(topicMatches("#", "$SYS/broker/uptime"));
  EXPECT_FALSE(topicMatches("+/monitor/Clients", "$SYS/monitor/Clients"));
  EXPECT_TRUE(topicMatches("$SYS/#", "$SYS/monitor/Clients"));
  EXPECT_TRUE(topicMatches("$SYS/monitor/+", "$SYS/monitor/Clients"));
  EXPECT_TRUE(topicMatches("a/#", "a/$b"));
}

TEST(TopicTest, ParsesSharedSubscriptions) {
  std::string_view group;
  std::string_view filter;
  ASSERT_TRUE(parseSharedSubscription("$share/consumers/sensors/+/temp", group, filter));
  EXPECT_EQ(group, "consumers");
  EXPECT_EQ(filter, "sensors/+/temp");
  ASSERT_TRUE(parseSharedSubscription("$share/g/#", group, filter));
  EXPECT_EQ(group, "g");
  EXPECT_EQ(filter, "#");
  EXPECT_FALSE(parseSharedSubscription("sensors/+/temp", group, filter));
  EXPECT_FALSE(parseSharedSubscription("$share/g", group, filter));
  EXPECT_FALSE(parseSharedSubscription("$sharex/g/a", group, filter));
  EXPECT_FALSE(parseSharedSubscription("$SHARE/g/a", group, filter));
}

}  // namespace
}  // namespace hearth::mqtt

#include "mqtt/auth/acl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hearth/core/config.h"

namespace hearth::mqtt {
namespace {

using ::testing::HasSubstr;

constexpr AccessKind kPub = AccessKind::kPublish;
constexpr AccessKind kSub = AccessKind::kSubscribe;
constexpr AccessKind kRead = AccessKind::kRead;

ClientIdentity anon(std::string_view client_id = "c1") { return {client_id, ""}; }
ClientIdentity user(std::string_view name, std::string_view client_id = "c1") {
  return {client_id, name};
}

std::string parseError(std::string_view text) {
  try {
    Acl::parse(text, "acl.conf");
  } catch (const core::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(AclTest, CoverageOfSubscriptionFilters) {
  // Topic names: plain MQTT matching.
  EXPECT_TRUE(aclFilterCovers("home/#", "home/kitchen/temp"));
  EXPECT_TRUE(aclFilterCovers("home/#", "home"));
  EXPECT_TRUE(aclFilterCovers("home/+/temp", "home/kitchen/temp"));
  EXPECT_FALSE(aclFilterCovers("home/+/temp", "home/kitchen/humidity"));
  // Wildcards in the request are covered only by wildcards in the rule.
  EXPECT_TRUE(aclFilterCovers("home/#", "home/#"));
  EXPECT_TRUE(aclFilterCovers("home/#", "home/+/temp"));
  EXPECT_TRUE(aclFilterCovers("#", "home/+"));
  EXPECT_TRUE(aclFilterCovers("home/+/temp", "home/+/temp"));
  EXPECT_TRUE(aclFilterCovers("home/+/#", "home/+"));
  EXPECT_FALSE(aclFilterCovers("home/+", "home/#"));
  EXPECT_FALSE(aclFilterCovers("home/kitchen/temp", "home/+/temp"));
  EXPECT_FALSE(aclFilterCovers("home/+/#", "home/#"));  // "home/#" also matches "home"
  EXPECT_FALSE(aclFilterCovers("home/+", "home/+/+"));
  EXPECT_FALSE(aclFilterCovers("home/+/+", "home/+"));
  // '$' topics are not reached through a leading wildcard.
  EXPECT_FALSE(aclFilterCovers("#", "$SYS/broker"));
  EXPECT_FALSE(aclFilterCovers("#", "$SYS/#"));
  EXPECT_TRUE(aclFilterCovers("$SYS/#", "$SYS/+"));
}

TEST(AclTest, AnonymousRulesApplyOnlyToAnonymousClients) {
  Acl acl = Acl::parse(
      "topic read public/#\n"
      "user alice\n"
      "topic readwrite alice/#\n",
      "acl.conf");
  EXPECT_TRUE(acl.allowed(anon(), kSub, "public/news"));
  EXPECT_FALSE(acl.allowed(anon(), kPub, "public/news"));
  EXPECT_FALSE(acl.allowed(anon(), kSub, "alice/x"));
  EXPECT_FALSE(acl.allowed(user("alice"), kSub, "public/news"));
  EXPECT_TRUE(acl.allowed(user("alice"), kSub, "alice/x"));
  EXPECT_TRUE(acl.allowed(user("alice"), kPub, "alice/x"));
  // A user without a block gets nothing but patterns.
  EXPECT_FALSE(acl.allowed(user("bob"), kSub, "public/news"));
}

TEST(AclTest, AccessWordsSeparateReadAndWrite) {
  Acl acl = Acl::parse(
      "user dev\n"
      "topic read cmd/#\n"
      "topic write telemetry/#\n"
      "topic both/#\n",  // no access word: readwrite
      "acl.conf");
  EXPECT_TRUE(acl.allowed(user("dev"), kSub, "cmd/reboot"));
  EXPECT_FALSE(acl.allowed(user("dev"), kPub, "cmd/reboot"));
  EXPECT_TRUE(acl.allowed(user("dev"), kPub, "telemetry/t"));
  EXPECT_FALSE(acl.allowed(user("dev"), kSub, "telemetry/t"));
  EXPECT_TRUE(acl.allowed(user("dev"), kPub, "both/x"));
  EXPECT_TRUE(acl.allowed(user("dev"), kSub, "both/x"));
}

TEST(AclTest, MergesRepeatedUserBlocksAndKeepsSpacesInFilters) {
  Acl acl = Acl::parse("user a\ntopic read x\nuser b\ntopic read y\nuser a\ntopic read living room/lamp\n",
                       "acl.conf");
  EXPECT_TRUE(acl.allowed(user("a"), kSub, "x"));
  EXPECT_TRUE(acl.allowed(user("a"), kSub, "living room/lamp"));
  EXPECT_FALSE(acl.allowed(user("a"), kSub, "y"));
}

TEST(AclTest, PatternsSubstituteClientIdAndUserName) {
  Acl acl = Acl::parse(
      "pattern readwrite devices/%c/#\n"
      "pattern read users/%u/inbox\n",
      "acl.conf");
  EXPECT_TRUE(acl.allowed(user("alice", "lamp-1"), kPub, "devices/lamp-1/state"));
  EXPECT_FALSE(acl.allowed(user("alice", "lamp-1"), kPub, "devices/lamp-2/state"));
  EXPECT_TRUE(acl.allowed(user("alice", "lamp-1"), kSub, "users/alice/inbox"));
  EXPECT_FALSE(acl.allowed(user("alice", "lamp-1"), kSub, "users/bob/inbox"));
  EXPECT_FALSE(acl.allowed(user("alice", "lamp-1"), kPub, "users/alice/inbox"));
  // %c patterns apply to anonymous clients too; %u patterns never do.
  EXPECT_TRUE(acl.allowed(anon("lamp-3"), kPub, "devices/lamp-3/state"));
  EXPECT_FALSE(acl.allowed(anon("lamp-3"), kSub, "users//inbox"));
  EXPECT_FALSE(acl.allowed(anon("lamp-3"), kSub, "users/+/inbox"));
}

TEST(AclTest, DenyWinsOverAllows) {
  Acl acl = Acl::parse(
      "pattern readwrite home/#\n"
      "pattern deny home/%u/secret\n"
      "user alice\n"
      "topic readwrite home/alice/#\n"
      "topic deny home/alice/private/#\n",
      "acl.conf");
  EXPECT_TRUE(acl.allowed(user("alice"), kPub, "home/alice/lamp"));
  EXPECT_FALSE(acl.allowed(user("alice"), kPub, "home/alice/private/x"));
  EXPECT_FALSE(acl.allowed(user("alice"), kSub, "home/alice/private/x"));
  EXPECT_FALSE(acl.allowed(user("alice"), kPub, "home/alice/secret"));
  EXPECT_TRUE(acl.allowed(user("bob"), kPub, "home/alice/secret"));
  EXPECT_FALSE(acl.allowed(user("bob"), kSub, "home/bob/secret"));
  // A subscription the deny rules cover wholly is refused; one that merely overlaps them is
  // granted, and the denied topics are withheld when delivered (kRead).
  EXPECT_FALSE(acl.allowed(user("alice"), kSub, "home/alice/private/+"));
  EXPECT_FALSE(acl.allowed(user("alice"), kSub, "home/alice/secret"));
  EXPECT_TRUE(acl.allowed(user("alice"), kSub, "home/alice/#"));
  EXPECT_TRUE(acl.allowed(user("alice"), kSub, "home/alice/lamp/+"));
  EXPECT_TRUE(acl.allowed(user("alice"), kRead, "home/alice/lamp"));
  EXPECT_FALSE(acl.allowed(user("alice"), kRead, "home/alice/private/doc"));
  EXPECT_FALSE(acl.allowed(user("alice"), kRead, "home/alice/secret"));
  EXPECT_FALSE(acl.allowed(user("alice"), kRead, "home/alice/+"));  // a filter is not a topic
}

// The ACL of the Eclipse Paho interoperability suite, which mosquitto passes.
TEST(AclTest, WildcardSubscriptionsBesideADenyRuleAreGranted) {
  Acl acl = Acl::parse("topic deny test/nosubscribe\ntopic readwrite #\n", "acl.conf");
  for (const char* filter : {"#", "+/+", "TopicA/+", "test/#", "test/+"}) {
    EXPECT_TRUE(acl.allowed(anon(), kSub, filter)) << filter;
  }
  EXPECT_FALSE(acl.allowed(anon(), kSub, "test/nosubscribe"));
  EXPECT_FALSE(acl.allowed(anon(), kRead, "test/nosubscribe"));
  EXPECT_TRUE(acl.allowed(anon(), kRead, "TopicA/B"));
  EXPECT_FALSE(acl.allowed(anon(), kPub, "test/nosubscribe"));  // deny is for every access
}

TEST(AclTest, InjectionThroughClientIdOrUserNameNeverMatches) {
  Acl acl = Acl::parse(
      "pattern readwrite devices/%c/#\n"
      "pattern readwrite %u/#\n",
      "acl.conf");
  for (std::string_view evil : {"#", "+", "a/+", "a/b", "x#", "$SYS"}) {
    EXPECT_FALSE(acl.allowed(anon(evil), kSub, "devices/#")) << evil;
    EXPECT_FALSE(acl.allowed(anon(evil), kSub, "devices/other/#")) << evil;
    EXPECT_FALSE(acl.allowed(anon(evil), kPub, "devices/other/x")) << evil;
    EXPECT_FALSE(acl.allowed(user(evil, "c1"), kSub, "#")) << evil;
    EXPECT_FALSE(acl.allowed(user(evil, "c1"), kPub, "$SYS/broker/x")) << evil;
  }
  // The literal request that equals the substituted text is refused too.
  EXPECT_FALSE(acl.allowed(anon("a/b"), kPub, "devices/a/b/x"));
  EXPECT_TRUE(acl.allowed(anon("ok"), kPub, "devices/ok/x"));
}

TEST(AclTest, UnsafeValueInDenyPatternFailsClosed) {
  Acl acl = Acl::parse(
      "topic readwrite devices/#\n"
      "pattern deny devices/%c/locked\n",
      "acl.conf");
  EXPECT_TRUE(acl.allowed(anon("lamp"), kPub, "devices/other/x"));
  EXPECT_FALSE(acl.allowed(anon("lamp"), kPub, "devices/lamp/locked"));
  EXPECT_FALSE(acl.allowed(anon("+"), kPub, "devices/other/x"));
}

TEST(AclTest, WildcardSubscriptionNeedsCoveringRule) {
  Acl acl = Acl::parse("topic read home/+/temp\ntopic read sensors/#\n", "acl.conf");
  EXPECT_TRUE(acl.allowed(anon(), kSub, "home/kitchen/temp"));
  EXPECT_TRUE(acl.allowed(anon(), kSub, "home/+/temp"));
  EXPECT_FALSE(acl.allowed(anon(), kSub, "home/#"));
  EXPECT_FALSE(acl.allowed(anon(), kSub, "home/+/+"));
  EXPECT_FALSE(acl.allowed(anon(), kSub, "#"));
  EXPECT_TRUE(acl.allowed(anon(), kSub, "sensors/#"));
  EXPECT_TRUE(acl.allowed(anon(), kSub, "sensors/+/x"));
}

TEST(AclTest, SharedSubscriptionIsCheckedWithoutItsPrefix) {
  Acl acl = Acl::parse("topic read jobs/#\n", "acl.conf");
  EXPECT_TRUE(acl.allowed(anon(), kSub, "$share/workers/jobs/#"));
  EXPECT_FALSE(acl.allowed(anon(), kSub, "$share/workers/other/#"));
}

TEST(AclTest, RefusesInvalidRequests) {
  Acl acl = Acl::parse("topic readwrite #\n", "acl.conf");
  EXPECT_TRUE(acl.allowed(anon(), kPub, "a/b"));
  EXPECT_FALSE(acl.allowed(anon(), kPub, "a/+"));
  EXPECT_FALSE(acl.allowed(anon(), kPub, ""));
  EXPECT_FALSE(acl.allowed(anon(), kSub, "a/#/b"));
  EXPECT_FALSE(acl.allowed(anon(), kSub, "$SYS/x"));
}

TEST(AclTest, ReportsParseErrorsWithLineNumbers) {
  EXPECT_THAT(parseError("# ok\ntopic read a/#/b\n"), HasSubstr("acl.conf:2: invalid topic filter 'a/#/b'"));
  EXPECT_THAT(parseError("topic read sport+\n"), HasSubstr("acl.conf:1: invalid topic filter"));
  EXPECT_THAT(parseError("\n\nuser\n"), HasSubstr("acl.conf:3: 'user' needs a user name"));
  EXPECT_THAT(parseError("topic read\n"), HasSubstr("acl.conf:1: 'topic read' needs a topic filter"));
  EXPECT_THAT(parseError("topic\n"), HasSubstr("acl.conf:1: 'topic' needs a topic filter"));
  EXPECT_THAT(parseError("allow all\n"), HasSubstr("acl.conf:1: unknown directive 'allow'"));
  EXPECT_THAT(parseError("pattern read devices/%c#\n"), HasSubstr("acl.conf:1: invalid topic filter"));
  EXPECT_THAT(parseError("topic read $share/g/a\n"), HasSubstr("acl.conf:1: invalid topic filter"));
  EXPECT_EQ(parseError("# only comments\n\n   \n"), "no error");
}

}  // namespace
}  // namespace hearth::mqtt

#include "mqtt/retained_store.h"

#include <gtest/gtest.h>

namespace hearth::mqtt {
namespace {

MessagePtr message(std::string topic, std::string payload, core::ManualClock& clock, uint32_t expiry = 0) {
  Publish p;
  p.topic = std::move(topic);
  p.payload = std::move(payload);
  p.retain = true;
  if (expiry) p.properties.message_expiry_interval = expiry;
  return makeMessage(std::move(p), "pub", clock.now());
}

TEST(RetainedStoreTest, PutReplaceDeleteAndMatch) {
  core::ManualClock clock;
  RetainedStore store(4);
  store.put(message("a/b", "1", clock));
  store.put(message("a/c", "2", clock));
  store.put(message("a/b", "3", clock));
  EXPECT_EQ(store.size(), 2u);
  auto exact = store.match("a/b", clock.now());
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_EQ(exact[0]->payload, "3");
  EXPECT_EQ(store.match("a/+", clock.now()).size(), 2u);
  store.put(message("a/b", "", clock));  // empty payload deletes
  EXPECT_EQ(store.size(), 1u);
  EXPECT_TRUE(store.match("a/b", clock.now()).empty());
}

TEST(RetainedStoreTest, ExpiredMessagesAreNotReturned) {
  core::ManualClock clock;
  RetainedStore store(4);
  store.put(message("e/x", "soon", clock, 10));
  EXPECT_EQ(store.match("e/#", clock.now()).size(), 1u);
  clock.advance(std::chrono::seconds(10));
  EXPECT_TRUE(store.match("e/#", clock.now()).empty());
  EXPECT_TRUE(store.match("e/x", clock.now()).empty());
}

TEST(RetainedStoreTest, WildcardsDoNotMatchDollarTopics) {
  core::ManualClock clock;
  RetainedStore store(4);
  store.put(message("$SYS/x", "s", clock));
  EXPECT_TRUE(store.match("#", clock.now()).empty());
  EXPECT_EQ(store.match("$SYS/#", clock.now()).size(), 1u);
}

}  // namespace
}  // namespace hearth::mqtt

// The property allow table and repetition rules, checked for every property in every packet
// against a table written out here from the specification (section 2.2.2.2).
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "hearth/mqtt/codec.h"
#include "unit/mqtt/codec_test_util.h"

namespace hearth::mqtt {
namespace {

using test::bytes;
using test::frame;
using test::kV5;
using test::props;
using test::str;

enum Where {
  kConnect,
  kConnAck,
  kPublish,
  kWill,
  kPubAck,
  kPubRec,
  kPubRel,
  kPubComp,
  kSubscribe,
  kSubAck,
  kUnsubscribe,
  kUnsubAck,
  kDisconnect,
  kAuth,
  kWhereCount
};

// A whole MQTT 5.0 packet of the given kind carrying `p` (an encoded property list).
std::string packetWith(Where where, const std::string& p) {
  std::string connect_header = str("MQTT") + bytes({5, 0x02, 0, 0});
  switch (where) {
    case kConnect: return frame(0x10, connect_header + props(p) + str("c"));
    case kWill: {
      std::string header = str("MQTT") + bytes({5, 0x06, 0, 0});
      return frame(0x10, header + props("") + str("c") + props(p) + str("w") + str(""));
    }
    case kConnAck: return frame(0x20, bytes({0, 0}) + props(p));
    case kPublish: return frame(0x30, str("t") + props(p));
    case kPubAck: return frame(0x40, bytes({0, 1, 0}) + props(p));
    case kPubRec: return frame(0x50, bytes({0, 1, 0}) + props(p));
    case kPubRel: return frame(0x62, bytes({0, 1, 0}) + props(p));
    case kPubComp: return frame(0x70, bytes({0, 1, 0}) + props(p));
    case kSubscribe: return frame(0x82, bytes({0, 1}) + props(p) + str("t") + bytes({0}));
    case kSubAck: return frame(0x90, bytes({0, 1}) + props(p) + bytes({0}));
    case kUnsubscribe: return frame(0xA2, bytes({0, 1}) + props(p) + str("t"));
    case kUnsubAck: return frame(0xB0, bytes({0, 1}) + props(p) + bytes({0}));
    case kDisconnect: return frame(0xE0, bytes({0}) + props(p));
    case kAuth: return frame(0xF0, bytes({0}) + props(p));
    case kWhereCount: break;
  }
  return "";
}

CodecResult<Packet> decodeIn(Where where, const std::string& p) {
  std::string wire = packetWith(where, p);
  if (where == kConnect || where == kWill) {
    auto c = decodeConnect(wire);
    if (!c) return std::move(c).error();
    return Packet(std::move(c).value());
  }
  return decode(wire, kV5);
}

struct PropertyCase {
  int id;
  std::string value;  // a valid encoded value
  std::set<Where> allowed;
};

std::vector<PropertyCase> allProperties() {
  std::set<Where> message = {kPublish, kWill};
  std::set<Where> everywhere;
  for (int w = 0; w < kWhereCount; ++w) everywhere.insert(static_cast<Where>(w));
  return {
      {0x01, bytes({1}), message},
      {0x02, bytes({0, 0, 0, 9}), message},
      {0x03, str("text/plain"), message},
      {0x08, str("reply/to"), message},
      {0x09, str("\x01\x02"), message},
      {0x0B, bytes({0x80, 0x01}), {kPublish, kSubscribe}},
      {0x11, bytes({0, 0, 1, 0}), {kConnect, kConnAck, kDisconnect}},
      {0x12, str("assigned"), {kConnAck}},
      {0x13, bytes({0, 60}), {kConnAck}},
      {0x15, str("method"), {kConnect, kConnAck, kAuth}},
      {0x16, str("data"), {kConnect, kConnAck, kAuth}},
      {0x17, bytes({0}), {kConnect}},
      {0x18, bytes({0, 0, 0, 5}), {kWill}},
      {0x19, bytes({1}), {kConnect}},
      {0x1A, str("info"), {kConnAck}},
      {0x1C, str("server2"), {kConnAck, kDisconnect}},
      {0x1F,
       str("reason"),
       {kConnAck, kPubAck, kPubRec, kPubRel, kPubComp, kSubAck, kUnsubAck, kDisconnect, kAuth}},
      {0x21, bytes({0, 10}), {kConnect, kConnAck}},
      {0x22, bytes({0, 10}), {kConnect, kConnAck}},
      {0x23, bytes({0, 1}), {kPublish}},
      {0x24, bytes({1}), {kConnAck}},
      {0x25, bytes({1}), {kConnAck}},
      {0x26, str("key") + str("value"), everywhere},
      {0x27, bytes({0, 1, 0, 0}), {kConnect, kConnAck}},
      {0x28, bytes({0}), {kConnAck}},
      {0x29, bytes({1}), {kConnAck}},
      {0x2A, bytes({0}), {kConnAck}},
  };
}

// Authentication Data needs an Authentication Method next to it in CONNECT.
std::string withPrerequisites(Where where, int id, const std::string& encoded) {
  if (id == 0x16 && where == kConnect) return bytes({0x15}) + str("method") + encoded;
  return encoded;
}

TEST(CodecPropertiesTest, CoversAll27Properties) { EXPECT_EQ(allProperties().size(), 27u); }

TEST(CodecPropertiesTest, EachPropertyIsAcceptedExactlyWhereAllowed) {
  for (const PropertyCase& pc : allProperties()) {
    for (int w = 0; w < kWhereCount; ++w) {
      auto where = static_cast<Where>(w);
      std::string encoded = withPrerequisites(where, pc.id, bytes({pc.id}) + pc.value);
      auto r = decodeIn(where, encoded);
      if (pc.allowed.count(where)) {
        EXPECT_TRUE(r.isOk()) << "property " << pc.id << " in packet kind " << w << ": "
                              << r.error().message;
      } else {
        ASSERT_FALSE(r.isOk()) << "property " << pc.id << " accepted in packet kind " << w;
        EXPECT_EQ(r.error().reason, ReasonCode::kProtocolError) << pc.id << " in " << w;
      }
    }
  }
}

TEST(CodecPropertiesTest, OnlyUserPropertyAndPublishSubscriptionIdentifierRepeat) {
  for (const PropertyCase& pc : allProperties()) {
    Where where = *pc.allowed.begin();
    std::string once = bytes({pc.id}) + pc.value;
    auto r = decodeIn(where, withPrerequisites(where, pc.id, once + once));
    bool repeatable = pc.id == 0x26 || (pc.id == 0x0B && where == kPublish);
    if (repeatable) {
      EXPECT_TRUE(r.isOk()) << pc.id;
    } else {
      ASSERT_FALSE(r.isOk()) << "property " << pc.id << " repeated";
      EXPECT_EQ(r.error().reason, ReasonCode::kProtocolError) << pc.id;
    }
  }
  EXPECT_EQ(decodeIn(kSubscribe, bytes({0x0B, 1, 0x0B, 2})).error().reason,
            ReasonCode::kProtocolError);
}

TEST(CodecPropertiesTest, RejectsUnknownPropertyIdentifiers) {
  std::set<int> known;
  for (const PropertyCase& pc : allProperties()) known.insert(pc.id);
  for (int id = 0; id < 0x80; ++id) {
    if (known.count(id)) continue;
    auto r = decodeIn(kDisconnect, bytes({id, 0}));
    ASSERT_FALSE(r.isOk()) << id;
    EXPECT_EQ(r.error().reason, ReasonCode::kMalformedPacket) << id;
  }
  // A two-byte identifier decodes to 128+, which is no property either.
  EXPECT_EQ(decodeIn(kDisconnect, bytes({0x80, 0x01, 0})).error().reason,
            ReasonCode::kMalformedPacket);
}

TEST(CodecPropertiesTest, RejectsOutOfRangeValues) {
  for (int id : {0x17, 0x19}) {
    EXPECT_EQ(decodeIn(kConnect, bytes({id, 2})).error().reason, ReasonCode::kProtocolError) << id;
  }
  for (int id : {0x24, 0x25, 0x28, 0x29, 0x2A}) {
    EXPECT_EQ(decodeIn(kConnAck, bytes({id, 2})).error().reason, ReasonCode::kProtocolError) << id;
  }
  EXPECT_EQ(decodeIn(kConnect, bytes({0x21, 0, 0})).error().reason, ReasonCode::kProtocolError);
  EXPECT_EQ(decodeIn(kConnAck, bytes({0x21, 0, 0})).error().reason, ReasonCode::kProtocolError);
  EXPECT_EQ(decodeIn(kConnect, bytes({0x27, 0, 0, 0, 0})).error().reason,
            ReasonCode::kProtocolError);
  EXPECT_EQ(decodeIn(kWill, bytes({0x01, 7})).error().reason, ReasonCode::kProtocolError);
  EXPECT_EQ(decodeIn(kWill, bytes({0x08}) + str("a/+")).error().reason, ReasonCode::kProtocolError);
  // Topic Alias Maximum 0 just means "no aliases".
  EXPECT_TRUE(decodeIn(kConnect, bytes({0x22, 0, 0})).isOk());
}

TEST(CodecPropertiesTest, RejectsTruncatedValues) {
  EXPECT_EQ(decodeIn(kConnAck, bytes({0x13, 0})).error().reason, ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeIn(kConnAck, bytes({0x12, 0, 5, 'a'})).error().reason,
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeIn(kConnAck, bytes({0x26, 0, 1, 'a'})).error().reason,
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeIn(kPublish, bytes({0x0B, 0x80})).error().reason, ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeIn(kConnAck, bytes({0x24})).error().reason, ReasonCode::kMalformedPacket);
}

TEST(CodecPropertiesTest, KeepsUserPropertyOrderAndDuplicates) {
  auto r = decodeIn(kPubAck, bytes({0x26}) + str("b") + str("1") + bytes({0x26}) + str("a") +
                                 str("2") + bytes({0x26}) + str("b") + str("3"));
  ASSERT_TRUE(r.isOk());
  const auto& ups = std::get<PubResponse>(*r).properties.user_properties;
  EXPECT_EQ(ups, (std::vector<UserProperty>{{"b", "1"}, {"a", "2"}, {"b", "3"}}));
}

}  // namespace
}  // namespace hearth::mqtt

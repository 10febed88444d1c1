#include <gtest/gtest.h>

#include "hearth/mqtt/codec.h"
#include "unit/mqtt/codec_test_util.h"

namespace hearth::mqtt {
namespace {

using test::bytes;
using test::decodeAs;
using test::decodeReason;
using test::encodeToString;
using test::expectRoundTrip;
using test::frame;
using test::kV311;
using test::kV5;
using test::props;
using test::str;

TEST(CodecPublishTest, DecodesV311Qos0FromBytes) {
  auto p = decodeAs<Publish>(bytes({0x30, 0x07, 0x00, 0x03, 'a', '/', 'b', 'h', 'i'}), kV311);
  EXPECT_EQ(p.topic, "a/b");
  EXPECT_EQ(p.payload, "hi");
  EXPECT_EQ(p.qos, QoS::k0);
  EXPECT_FALSE(p.retain);
  EXPECT_FALSE(p.dup);
  EXPECT_EQ(p.packet_id, 0);
}

TEST(CodecPublishTest, DecodesV311Qos1RetainDupFromBytes) {
  auto p = decodeAs<Publish>(bytes({0x3B, 0x06, 0x00, 0x01, 't', 0x12, 0x34, 'x'}), kV311);
  EXPECT_EQ(p.topic, "t");
  EXPECT_EQ(p.qos, QoS::k1);
  EXPECT_TRUE(p.retain);
  EXPECT_TRUE(p.dup);
  EXPECT_EQ(p.packet_id, 0x1234);
  EXPECT_EQ(p.payload, "x");
}

TEST(CodecPublishTest, DecodesV5WithPropertiesFromBytes) {
  // clang-format off
  std::string wire = bytes({
      0x34, 0x16,                          // PUBLISH QoS 2, remaining length 22
      0x00, 0x01, 't',                     // topic
      0x00, 0x0A,                          // packet id 10
      0x0E,                                // property length 14
      0x01, 0x01,                          // Payload Format Indicator 1
      0x0B, 0x05,                          // Subscription Identifier 5
      0x0B, 0x80, 0x01,                    // Subscription Identifier 128
      0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v',  // User Property k=v
      '{', '}',                            // payload
  });
  // clang-format on
  auto p = decodeAs<Publish>(wire, kV5);
  EXPECT_EQ(p.topic, "t");
  EXPECT_EQ(p.qos, QoS::k2);
  EXPECT_EQ(p.packet_id, 10);
  EXPECT_EQ(p.payload, "{}");
  EXPECT_EQ(p.properties.payload_format_indicator, 1);
  EXPECT_EQ(p.properties.subscription_identifiers, (std::vector<uint32_t>{5, 128}));
  ASSERT_EQ(p.properties.user_properties.size(), 1u);
  EXPECT_EQ(p.properties.user_properties[0], (UserProperty{"k", "v"}));
  EXPECT_EQ(encodeToString(Packet(p), kV5), wire);
}

TEST(CodecPublishTest, RoundTripsV311) {
  Publish p;
  p.topic = "home/kitchen/temp";
  p.payload = "21.5";
  expectRoundTrip(p, kV311);
  p.qos = QoS::k1;
  p.packet_id = 1;
  p.retain = true;
  expectRoundTrip(p, kV311);
  p.qos = QoS::k2;
  p.packet_id = 65535;
  p.dup = true;
  p.payload.clear();
  expectRoundTrip(p, kV311);
}

TEST(CodecPublishTest, V311DropsProperties) {
  Publish p;
  p.topic = "t";
  p.properties.message_expiry_interval = 10;
  EXPECT_EQ(encodeToString(Packet(p), kV311), bytes({0x30, 0x03, 0x00, 0x01, 't'}));
}

TEST(CodecPublishTest, RoundTripsV5WithAllPublishProperties) {
  Publish p;
  p.topic = "dev/1/event";
  p.payload = std::string("\x00\x01\x02\xFF", 4);
  p.qos = QoS::k1;
  p.packet_id = 77;
  Properties& pr = p.properties;
  pr.payload_format_indicator = 0;
  pr.message_expiry_interval = 3600;
  pr.content_type = "application/octet-stream";
  pr.response_topic = "dev/1/reply";
  pr.correlation_data = std::string("\x00\xAB", 2);
  pr.subscription_identifiers = {1, 268435455, 16384};
  pr.topic_alias = 3;
  pr.user_properties = {{"z", "1"}, {"a", "2"}, {"z", "3"}};
  expectRoundTrip(p, kV5);
}

TEST(CodecPublishTest, RoundTripsLargePayloads) {
  // Remaining Lengths on either side of the varint byte boundaries.
  for (size_t body : {127u, 128u, 16383u, 16384u, 2097151u, 2097152u}) {
    Publish p;
    p.topic = "t";
    p.payload.assign(body - 3, 'x');  // topic field takes 3 bytes
    std::string wire = encodeToString(Packet(p), kV311);
    size_t header = body < 128 ? 2 : body < 16384 ? 3 : body < 2097152 ? 4 : 5;
    EXPECT_EQ(wire.size(), header + body);
    EXPECT_EQ(decodeAs<Publish>(wire, kV311), p);
  }
}

TEST(CodecPublishTest, AcceptsEmptyTopicWithTopicAliasInV5) {
  Publish p;
  p.properties.topic_alias = 7;
  p.payload = "aliased";
  expectRoundTrip(p, kV5);
}

TEST(CodecPublishTest, RejectsQos3AndDupAtQos0) {
  EXPECT_EQ(decodeReason(bytes({0x36, 0x05, 0x00, 0x01, 't', 0x00, 0x01}), kV311),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x38, 0x03, 0x00, 0x01, 't'}), kV311),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x38, 0x04, 0x00, 0x01, 't', 0x00}), kV5),
            ReasonCode::kMalformedPacket);
}

TEST(CodecPublishTest, RejectsWildcardsInTopicName) {
  EXPECT_EQ(decodeReason(frame(0x30, str("a/+")), kV311), ReasonCode::kTopicNameInvalid);
  EXPECT_EQ(decodeReason(frame(0x30, str("#")), kV311), ReasonCode::kTopicNameInvalid);
  EXPECT_EQ(decodeReason(frame(0x30, str("a/#") + props("")), kV5), ReasonCode::kTopicNameInvalid);
}

TEST(CodecPublishTest, RejectsEmptyTopic) {
  EXPECT_EQ(decodeReason(frame(0x30, str("") + "payload"), kV311), ReasonCode::kTopicNameInvalid);
  // In 5.0 only a Topic Alias makes an empty topic name legal.
  EXPECT_EQ(decodeReason(frame(0x30, str("") + props("")), kV5), ReasonCode::kProtocolError);
}

TEST(CodecPublishTest, RejectsTopicAliasZero) {
  EXPECT_EQ(decodeReason(frame(0x30, str("t") + props(bytes({0x23, 0x00, 0x00}))), kV5),
            ReasonCode::kTopicAliasInvalid);
}

TEST(CodecPublishTest, RejectsPacketIdZeroAtQos1And2) {
  EXPECT_EQ(decodeReason(frame(0x32, str("t") + bytes({0, 0})), kV311), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(frame(0x34, str("t") + bytes({0, 0}) + props("")), kV5),
            ReasonCode::kProtocolError);
}

TEST(CodecPublishTest, RejectsInvalidUtf8InTopic) {
  EXPECT_EQ(decodeReason(frame(0x30, str("a\xFF")), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(frame(0x30, str(std::string("a\0", 2))), kV311),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(frame(0x30, str("\xED\xBF\xBF") + props("")), kV5),
            ReasonCode::kMalformedPacket);
}

TEST(CodecPublishTest, RejectsLengthsOverrunningThePacket) {
  // Topic length 10, three bytes present.
  EXPECT_EQ(decodeReason(bytes({0x30, 0x05, 0x00, 0x0A, 'a', 'b', 'c'}), kV311),
            ReasonCode::kMalformedPacket);
  // Packet id cut off.
  EXPECT_EQ(decodeReason(bytes({0x32, 0x04, 0x00, 0x01, 't', 0x00}), kV311),
            ReasonCode::kMalformedPacket);
  // Property Length 9 with two bytes of properties.
  EXPECT_EQ(decodeReason(bytes({0x30, 0x06, 0x00, 0x01, 't', 0x09, 0x01, 0x01}), kV5),
            ReasonCode::kMalformedPacket);
  // A property value that runs past the Property Length (u32 with two bytes in the block).
  EXPECT_EQ(decodeReason(bytes({0x30, 0x08, 0x00, 0x01, 't', 0x03, 0x02, 0x00, 0x00, 0x00}), kV5),
            ReasonCode::kMalformedPacket);
  // Properties missing entirely.
  EXPECT_EQ(decodeReason(bytes({0x30, 0x03, 0x00, 0x01, 't'}), kV5), ReasonCode::kMalformedPacket);
}

TEST(CodecPublishTest, RejectsBadProperties) {
  auto publish = [](const std::string& encoded_props) {
    return frame(0x30, str("t") + props(encoded_props));
  };
  // Session Expiry Interval is not a PUBLISH property.
  EXPECT_EQ(decodeReason(publish(bytes({0x11, 0, 0, 0, 1})), kV5), ReasonCode::kProtocolError);
  // Message Expiry Interval twice.
  EXPECT_EQ(decodeReason(publish(bytes({0x02, 0, 0, 0, 1, 0x02, 0, 0, 0, 2})), kV5),
            ReasonCode::kProtocolError);
  // 0x05 is not a property identifier.
  EXPECT_EQ(decodeReason(publish(bytes({0x05, 0x00})), kV5), ReasonCode::kMalformedPacket);
  // Payload Format Indicator is 0 or 1.
  EXPECT_EQ(decodeReason(publish(bytes({0x01, 0x02})), kV5), ReasonCode::kProtocolError);
  // Subscription Identifier 0.
  EXPECT_EQ(decodeReason(publish(bytes({0x0B, 0x00})), kV5), ReasonCode::kProtocolError);
  // A Response Topic is a topic name: no wildcards.
  EXPECT_EQ(decodeReason(publish(bytes({0x08}) + str("r/#")), kV5), ReasonCode::kProtocolError);
  // Invalid UTF-8 in Content Type, and in a User Property value.
  EXPECT_EQ(decodeReason(publish(bytes({0x03}) + str("\xC3")), kV5), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(publish(bytes({0x26}) + str("k") + str(std::string("\0", 1))), kV5),
            ReasonCode::kMalformedPacket);
  // A Subscription Identifier varint of five bytes.
  EXPECT_EQ(decodeReason(publish(bytes({0x0B, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})), kV5),
            ReasonCode::kMalformedPacket);
}

TEST(CodecPubResponseTest, DecodesV311FromBytes) {
  auto a = decodeAs<PubResponse>(bytes({0x40, 0x02, 0x00, 0x07}), kV311);
  EXPECT_EQ(a.type, PacketType::kPubAck);
  EXPECT_EQ(a.packet_id, 7);
  EXPECT_EQ(a.reason_code, ReasonCode::kSuccess);
  EXPECT_EQ(decodeAs<PubResponse>(bytes({0x50, 0x02, 0x00, 0x07}), kV311).type,
            PacketType::kPubRec);
  EXPECT_EQ(decodeAs<PubResponse>(bytes({0x62, 0x02, 0x00, 0x07}), kV311).type,
            PacketType::kPubRel);
  EXPECT_EQ(decodeAs<PubResponse>(bytes({0x70, 0x02, 0x00, 0x07}), kV311).type,
            PacketType::kPubComp);
}

TEST(CodecPubResponseTest, RejectsWrongFlags) {
  EXPECT_EQ(decodeReason(bytes({0x60, 0x02, 0x00, 0x07}), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x63, 0x02, 0x00, 0x07}), kV5), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x42, 0x02, 0x00, 0x07}), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x51, 0x02, 0x00, 0x07}), kV5), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x78, 0x02, 0x00, 0x07}), kV5), ReasonCode::kMalformedPacket);
}

TEST(CodecPubResponseTest, V311RejectsAnythingButTwoBytes) {
  EXPECT_EQ(decodeReason(bytes({0x40, 0x03, 0x00, 0x07, 0x00}), kV311),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x40, 0x01, 0x00}), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x40, 0x00}), kV5), ReasonCode::kMalformedPacket);
}

TEST(CodecPubResponseTest, RejectsPacketIdZero) {
  EXPECT_EQ(decodeReason(bytes({0x40, 0x02, 0x00, 0x00}), kV311), ReasonCode::kProtocolError);
}

TEST(CodecPubResponseTest, V5DecodesShortForms) {
  auto a = decodeAs<PubResponse>(bytes({0x40, 0x02, 0x00, 0x07}), kV5);
  EXPECT_EQ(a.reason_code, ReasonCode::kSuccess);
  a = decodeAs<PubResponse>(bytes({0x40, 0x03, 0x00, 0x07, 0x10}), kV5);
  EXPECT_EQ(a.reason_code, ReasonCode::kNoMatchingSubscribers);
  a = decodeAs<PubResponse>(bytes({0x50, 0x04, 0x00, 0x07, 0x80, 0x00}), kV5);
  EXPECT_EQ(a.reason_code, ReasonCode::kUnspecifiedError);
  a = decodeAs<PubResponse>(bytes({0x62, 0x03, 0x00, 0x07, 0x92}), kV5);
  EXPECT_EQ(a.type, PacketType::kPubRel);
  EXPECT_EQ(a.reason_code, ReasonCode::kPacketIdentifierNotFound);
}

TEST(CodecPubResponseTest, V5EncodesShortestForm) {
  PubResponse a;
  a.packet_id = 7;
  EXPECT_EQ(encodeToString(Packet(a), kV5), bytes({0x40, 0x02, 0x00, 0x07}));
  a.reason_code = ReasonCode::kNotAuthorized;
  EXPECT_EQ(encodeToString(Packet(a), kV5), bytes({0x40, 0x03, 0x00, 0x07, 0x87}));
  a.reason_code = ReasonCode::kSuccess;
  a.properties.reason_string = "r";
  EXPECT_EQ(encodeToString(Packet(a), kV5),
            bytes({0x40, 0x08, 0x00, 0x07, 0x00, 0x04, 0x1F, 0x00, 0x01, 'r'}));
  // 3.1.1 has neither reason code nor properties.
  EXPECT_EQ(encodeToString(Packet(a), kV311), bytes({0x40, 0x02, 0x00, 0x07}));
  a.type = PacketType::kPubRel;
  EXPECT_EQ(encodeToString(Packet(a), kV311), bytes({0x62, 0x02, 0x00, 0x07}));
}

TEST(CodecPubResponseTest, RoundTripsAllFourTypes) {
  for (PacketType t :
       {PacketType::kPubAck, PacketType::kPubRec, PacketType::kPubRel, PacketType::kPubComp}) {
    PubResponse a;
    a.type = t;
    a.packet_id = 513;
    expectRoundTrip(a, kV311);
    expectRoundTrip(a, kV5);
    bool rel_or_comp = t == PacketType::kPubRel || t == PacketType::kPubComp;
    a.reason_code =
        rel_or_comp ? ReasonCode::kPacketIdentifierNotFound : ReasonCode::kQuotaExceeded;
    expectRoundTrip(a, kV5);
    a.properties.reason_string = "why";
    a.properties.user_properties = {{"a", "b"}};
    expectRoundTrip(a, kV5);
  }
}

TEST(CodecPubResponseTest, V5RejectsReasonCodesNotListedForTheType) {
  // PUBREL and PUBCOMP know only Success and Packet Identifier not found.
  EXPECT_EQ(decodeReason(bytes({0x62, 0x03, 0x00, 0x07, 0x10}), kV5), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0x70, 0x03, 0x00, 0x07, 0x87}), kV5), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0x40, 0x03, 0x00, 0x07, 0x92}), kV5), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0x40, 0x03, 0x00, 0x07, 0x01}), kV5), ReasonCode::kProtocolError);
}

TEST(CodecPubResponseTest, V5RejectsBadProperties) {
  // Property Length overruns, a disallowed property, and trailing bytes after the properties.
  EXPECT_EQ(decodeReason(bytes({0x40, 0x05, 0x00, 0x07, 0x00, 0x05, 0x1F}), kV5),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x40, 0x06, 0x00, 0x07, 0x00, 0x02, 0x01, 0x01}), kV5),
            ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0x40, 0x05, 0x00, 0x07, 0x00, 0x00, 0x00}), kV5),
            ReasonCode::kMalformedPacket);
}

}  // namespace
}  // namespace hearth::mqtt

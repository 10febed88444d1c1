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

TEST(CodecSubscribeTest, DecodesV311FromBytes) {
  // clang-format off
  std::string wire = bytes({0x82, 0x0E, 0x00, 0x0A,           // packet id 10
                            0x00, 0x03, 'a', '/', 'b', 0x01,   // a/b QoS 1
                            0x00, 0x03, 'c', '/', '#', 0x02}); // c/# QoS 2
  // clang-format on
  auto s = decodeAs<Subscribe>(wire, kV311);
  EXPECT_EQ(s.packet_id, 10);
  ASSERT_EQ(s.subscriptions.size(), 2u);
  EXPECT_EQ(s.subscriptions[0].filter, "a/b");
  EXPECT_EQ(s.subscriptions[0].options.max_qos, QoS::k1);
  EXPECT_EQ(s.subscriptions[1].filter, "c/#");
  EXPECT_EQ(s.subscriptions[1].options.max_qos, QoS::k2);
  EXPECT_EQ(encodeToString(Packet(s), kV311), wire);
}

TEST(CodecSubscribeTest, DecodesV5OptionsAndSubscriptionIdentifier) {
  // clang-format off
  std::string wire = bytes({0x82, 0x0B, 0x00, 0x01,
                            0x02, 0x0B, 0x2A,           // Subscription Identifier 42
                            0x00, 0x03, '+', '/', 'x',  // +/x
                            0x2D});  // retain handling 2, RAP, no local, QoS 1
  // clang-format on
  auto s = decodeAs<Subscribe>(wire, kV5);
  EXPECT_EQ(s.properties.subscription_identifiers, std::vector<uint32_t>{42});
  ASSERT_EQ(s.subscriptions.size(), 1u);
  const SubscriptionOptions& o = s.subscriptions[0].options;
  EXPECT_EQ(o.max_qos, QoS::k1);
  EXPECT_TRUE(o.no_local);
  EXPECT_TRUE(o.retain_as_published);
  EXPECT_EQ(o.retain_handling, 2);
  EXPECT_EQ(encodeToString(Packet(s), kV5), wire);
}

TEST(CodecSubscribeTest, RoundTrips) {
  Subscribe s;
  s.packet_id = 42;
  s.subscriptions = {{"a/b", {QoS::k0, false, false, 0}},
                     {"#", {QoS::k2, false, false, 0}},
                     {"$share/g/x/+", {QoS::k1, false, false, 0}}};
  expectRoundTrip(s, kV311);
  s.subscriptions.push_back({"y/#", {QoS::k1, true, true, 1}});
  s.properties.subscription_identifiers = {268435455};
  s.properties.user_properties = {{"u", "v"}};
  expectRoundTrip(s, kV5);
}

TEST(CodecSubscribeTest, RejectsFlagsOtherThan0010) {
  std::string body = bytes({0x00, 0x01}) + str("a") + bytes({0x00});
  EXPECT_EQ(decodeReason(frame(0x80, body), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(frame(0x83, body), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(frame(0x8A, bytes({0x00, 0x01, 0x00}) + str("a") + bytes({0})), kV5),
            ReasonCode::kMalformedPacket);
}

TEST(CodecSubscribeTest, RejectsMissingTopicFilters) {
  EXPECT_EQ(decodeReason(bytes({0x82, 0x02, 0x00, 0x01}), kV311), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0x82, 0x03, 0x00, 0x01, 0x00}), kV5), ReasonCode::kProtocolError);
}

TEST(CodecSubscribeTest, RejectsPacketIdZero) {
  EXPECT_EQ(decodeReason(frame(0x82, bytes({0, 0}) + str("a") + bytes({0})), kV311),
            ReasonCode::kProtocolError);
}

TEST(CodecSubscribeTest, RejectsBadSubscriptionOptions) {
  auto v5 = [](int options) {
    return frame(0x82, bytes({0, 1, 0}) + str("a/b") + bytes({options}));
  };
  auto v311 = [](int options) {
    return frame(0x82, bytes({0, 1}) + str("a/b") + bytes({options}));
  };
  EXPECT_EQ(decodeReason(v5(0x40), kV5), ReasonCode::kMalformedPacket);  // reserved bit 6
  EXPECT_EQ(decodeReason(v5(0x80), kV5), ReasonCode::kMalformedPacket);  // reserved bit 7
  EXPECT_EQ(decodeReason(v5(0x03), kV5), ReasonCode::kMalformedPacket);  // QoS 3
  EXPECT_EQ(decodeReason(v5(0x30), kV5), ReasonCode::kProtocolError);    // Retain Handling 3
  EXPECT_EQ(decodeReason(v311(0x03), kV311), ReasonCode::kMalformedPacket);
  // In 3.1.1 everything above the QoS bits is reserved.
  EXPECT_EQ(decodeReason(v311(0x04), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(v311(0x10), kV311), ReasonCode::kMalformedPacket);
}

TEST(CodecSubscribeTest, RejectsNoLocalOnSharedSubscription) {
  std::string wire = frame(0x82, bytes({0, 1, 0}) + str("$share/g/a") + bytes({0x04}));
  EXPECT_EQ(decodeReason(wire, kV5), ReasonCode::kProtocolError);
}

TEST(CodecSubscribeTest, RejectsInvalidTopicFilters) {
  for (std::string_view filter : {"a/#/b", "a+", "sport#", "", "$share/g", "$share//a"}) {
    EXPECT_EQ(decodeReason(frame(0x82, bytes({0, 1}) + str(filter) + bytes({0})), kV311),
              ReasonCode::kTopicFilterInvalid)
        << filter;
  }
  EXPECT_EQ(decodeReason(frame(0x82, bytes({0, 1}) + str("a/\xFF") + bytes({0})), kV311),
            ReasonCode::kMalformedPacket);
}

TEST(CodecSubscribeTest, RejectsTruncatedEntries) {
  // Filter without its options byte, and a filter length overrunning the packet.
  EXPECT_EQ(decodeReason(frame(0x82, bytes({0, 1}) + str("a")), kV311),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(frame(0x82, bytes({0, 1, 0, 9, 'a'})), kV311),
            ReasonCode::kMalformedPacket);
}

TEST(CodecSubscribeTest, SubscriptionIdentifierRules) {
  auto with = [](const std::string& p) {
    return frame(0x82, bytes({0, 1}) + props(p) + str("a") + bytes({0}));
  };
  // At most once in SUBSCRIBE, unlike PUBLISH.
  EXPECT_EQ(decodeReason(with(bytes({0x0B, 0x01, 0x0B, 0x02})), kV5), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(with(bytes({0x0B, 0x00})), kV5), ReasonCode::kProtocolError);
  // User Properties may repeat; a Reason String is not allowed in SUBSCRIBE.
  EXPECT_TRUE(decode(with(bytes({0x26, 0, 1, 'a', 0, 0, 0x26, 0, 1, 'a', 0, 0})), kV5).isOk());
  EXPECT_EQ(decodeReason(with(bytes({0x1F, 0, 0})), kV5), ReasonCode::kProtocolError);
}

TEST(CodecSubAckTest, DecodesV311ReturnCodes) {
  auto a = decodeAs<SubAck>(bytes({0x90, 0x06, 0x00, 0x0A, 0x00, 0x01, 0x02, 0x80}), kV311);
  EXPECT_EQ(a.packet_id, 10);
  EXPECT_EQ(a.reason_codes,
            (std::vector<ReasonCode>{ReasonCode::kSuccess, ReasonCode::kGrantedQos1,
                                     ReasonCode::kGrantedQos2, ReasonCode::kUnspecifiedError}));
}

TEST(CodecSubAckTest, V311RejectsOtherReturnCodes) {
  EXPECT_EQ(decodeReason(bytes({0x90, 0x03, 0x00, 0x0A, 0x03}), kV311), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0x90, 0x03, 0x00, 0x0A, 0x87}), kV311), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0x90, 0x02, 0x00, 0x0A}), kV311), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0x92, 0x03, 0x00, 0x0A, 0x00}), kV311),
            ReasonCode::kMalformedPacket);
}

TEST(CodecSubAckTest, V311EncodesEveryFailureAs0x80) {
  SubAck a;
  a.packet_id = 10;
  a.reason_codes = {ReasonCode::kGrantedQos1, ReasonCode::kNotAuthorized, ReasonCode::kGrantedQos2,
                    ReasonCode::kTopicFilterInvalid};
  a.properties.reason_string = "dropped";
  EXPECT_EQ(encodeToString(Packet(a), kV311),
            bytes({0x90, 0x06, 0x00, 0x0A, 0x01, 0x80, 0x02, 0x80}));
}

TEST(CodecSubAckTest, RoundTripsV5) {
  SubAck a;
  a.packet_id = 9;
  a.reason_codes = {ReasonCode::kSuccess, ReasonCode::kGrantedQos2,
                    ReasonCode::kSharedSubscriptionsNotSupported,
                    ReasonCode::kWildcardSubscriptionsNotSupported};
  expectRoundTrip(a, kV5);
  a.properties.reason_string = "partial";
  a.properties.user_properties = {{"k", "v"}};
  expectRoundTrip(a, kV5);
  EXPECT_EQ(decodeAs<SubAck>(bytes({0x90, 0x04, 0x00, 0x09, 0x00, 0x8F}), kV5).reason_codes,
            std::vector<ReasonCode>{ReasonCode::kTopicFilterInvalid});
}

TEST(CodecSubAckTest, V5RejectsReasonCodesNotListedForSubAck) {
  EXPECT_EQ(decodeReason(bytes({0x90, 0x04, 0x00, 0x09, 0x00, 0x11}), kV5),
            ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0x90, 0x03, 0x00, 0x09, 0x00}), kV5), ReasonCode::kProtocolError);
}

TEST(CodecUnsubscribeTest, DecodesFromBytesAndRoundTrips) {
  std::string wire = bytes({0xA2, 0x0A, 0x00, 0x05, 0x00, 0x01, 'a', 0x00, 0x03, 'b', '/', '+'});
  auto u = decodeAs<Unsubscribe>(wire, kV311);
  EXPECT_EQ(u.packet_id, 5);
  EXPECT_EQ(u.filters, (std::vector<std::string>{"a", "b/+"}));
  EXPECT_EQ(encodeToString(Packet(u), kV311), wire);
  expectRoundTrip(u, kV311);
  u.properties.user_properties = {{"why", "cleanup"}};
  expectRoundTrip(u, kV5);
}

TEST(CodecUnsubscribeTest, RejectsMalformedUnsubscribe) {
  EXPECT_EQ(decodeReason(frame(0xA0, bytes({0, 5}) + str("a")), kV311),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(frame(0xA2, bytes({0, 0}) + str("a")), kV311), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(frame(0xA2, bytes({0, 5})), kV311), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(frame(0xA2, bytes({0, 5, 0})), kV5), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(frame(0xA2, bytes({0, 5}) + str("a#")), kV311),
            ReasonCode::kTopicFilterInvalid);
  EXPECT_EQ(decodeReason(frame(0xA2, bytes({0, 5, 0x02, 0x0B, 0x01}) + str("a")), kV5),
            ReasonCode::kProtocolError);  // no Subscription Identifier in UNSUBSCRIBE
}

TEST(CodecUnsubAckTest, V311HasNoPayload) {
  auto a = decodeAs<UnsubAck>(bytes({0xB0, 0x02, 0x00, 0x05}), kV311);
  EXPECT_EQ(a.packet_id, 5);
  EXPECT_TRUE(a.reason_codes.empty());
  EXPECT_EQ(decodeReason(bytes({0xB0, 0x03, 0x00, 0x05, 0x00}), kV311),
            ReasonCode::kMalformedPacket);
  UnsubAck with_codes;
  with_codes.packet_id = 5;
  with_codes.reason_codes = {ReasonCode::kNoSubscriptionExisted};
  EXPECT_EQ(encodeToString(Packet(with_codes), kV311), bytes({0xB0, 0x02, 0x00, 0x05}));
}

TEST(CodecUnsubAckTest, V5DecodesFromBytesAndRoundTrips) {
  auto a = decodeAs<UnsubAck>(bytes({0xB0, 0x05, 0x00, 0x05, 0x00, 0x00, 0x11}), kV5);
  EXPECT_EQ(a.reason_codes,
            (std::vector<ReasonCode>{ReasonCode::kSuccess, ReasonCode::kNoSubscriptionExisted}));
  expectRoundTrip(a, kV5);
  a.properties.reason_string = "ok";
  expectRoundTrip(a, kV5);
  EXPECT_EQ(decodeReason(bytes({0xB0, 0x04, 0x00, 0x05, 0x00, 0x01}), kV5),
            ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0xB0, 0x03, 0x00, 0x05, 0x00}), kV5), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0xB1, 0x04, 0x00, 0x05, 0x00, 0x00}), kV5),
            ReasonCode::kMalformedPacket);
}

}  // namespace
}  // namespace hearth::mqtt

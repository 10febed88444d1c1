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
using test::kV311;
using test::kV5;

TEST(CodecPingTest, DecodesAndEncodesBothVersions) {
  for (ProtocolVersion v : {kV311, kV5}) {
    decodeAs<PingReq>(bytes({0xC0, 0x00}), v);
    decodeAs<PingResp>(bytes({0xD0, 0x00}), v);
    EXPECT_EQ(encodeToString(Packet(PingReq{}), v), bytes({0xC0, 0x00}));
    EXPECT_EQ(encodeToString(Packet(PingResp{}), v), bytes({0xD0, 0x00}));
  }
}

TEST(CodecPingTest, RejectsFlagsAndBody) {
  EXPECT_EQ(decodeReason(bytes({0xC1, 0x00}), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0xD8, 0x00}), kV5), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0xC0, 0x01, 0x00}), kV5), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0xD0, 0x01, 0x00}), kV311), ReasonCode::kMalformedPacket);
}

TEST(CodecDisconnectTest, V311HasNoVariableHeader) {
  EXPECT_EQ(decodeAs<Disconnect>(bytes({0xE0, 0x00}), kV311), Disconnect{});
  EXPECT_EQ(decodeReason(bytes({0xE0, 0x01, 0x00}), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0xE2, 0x00}), kV311), ReasonCode::kMalformedPacket);
  Disconnect d;
  d.reason_code = ReasonCode::kServerShuttingDown;
  d.properties.reason_string = "bye";
  EXPECT_EQ(encodeToString(Packet(d), kV311), bytes({0xE0, 0x00}));
}

TEST(CodecDisconnectTest, V5DecodesShortForms) {
  EXPECT_EQ(decodeAs<Disconnect>(bytes({0xE0, 0x00}), kV5).reason_code, ReasonCode::kSuccess);
  EXPECT_EQ(decodeAs<Disconnect>(bytes({0xE0, 0x01, 0x04}), kV5).reason_code,
            ReasonCode::kDisconnectWithWill);
  EXPECT_EQ(decodeAs<Disconnect>(bytes({0xE0, 0x02, 0x8E, 0x00}), kV5).reason_code,
            ReasonCode::kSessionTakenOver);
}

TEST(CodecDisconnectTest, V5DecodesPropertiesFromBytes) {
  auto d = decodeAs<Disconnect>(
      bytes({0xE0, 0x0A, 0x9C, 0x08, 0x1C, 0x00, 0x05, 'h', 'o', 's', 't', '2'}), kV5);
  EXPECT_EQ(d.reason_code, ReasonCode::kUseAnotherServer);
  EXPECT_EQ(d.properties.server_reference, "host2");
}

TEST(CodecDisconnectTest, V5EncodesShortestForm) {
  Disconnect d;
  EXPECT_EQ(encodeToString(Packet(d), kV5), bytes({0xE0, 0x00}));
  d.reason_code = ReasonCode::kKeepAliveTimeout;
  EXPECT_EQ(encodeToString(Packet(d), kV5), bytes({0xE0, 0x01, 0x8D}));
  d.reason_code = ReasonCode::kSuccess;
  d.properties.session_expiry_interval = 0;
  EXPECT_EQ(encodeToString(Packet(d), kV5), bytes({0xE0, 0x07, 0x00, 0x05, 0x11, 0, 0, 0, 0}));
}

TEST(CodecDisconnectTest, V5RoundTrips) {
  Disconnect d;
  expectRoundTrip(d, kV5);
  d.reason_code = ReasonCode::kAdministrativeAction;
  expectRoundTrip(d, kV5);
  d.properties.session_expiry_interval = 10;
  d.properties.reason_string = "kicked";
  d.properties.server_reference = "elsewhere";
  d.properties.user_properties = {{"a", "b"}, {"a", "c"}};
  expectRoundTrip(d, kV5);
}

TEST(CodecDisconnectTest, V5RejectsBadReasonCodeAndProperties) {
  EXPECT_EQ(decodeReason(bytes({0xE0, 0x01, 0x10}), kV5), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0xE0, 0x01, 0x84}), kV5), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0xE0, 0x05, 0x00, 0x03, 0x23, 0x00, 0x01}), kV5),
            ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0xE0, 0x03, 0x00, 0x00, 0x00}), kV5), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0xE0, 0x02, 0x00, 0x05}), kV5), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0xE1, 0x00}), kV5), ReasonCode::kMalformedPacket);
}

TEST(CodecAuthTest, V5DecodesFromBytes) {
  EXPECT_EQ(decodeAs<Auth>(bytes({0xF0, 0x00}), kV5), Auth{});
  auto a = decodeAs<Auth>(
      bytes({0xF0, 0x0A, 0x18, 0x08, 0x15, 0x00, 0x01, 'm', 0x16, 0x00, 0x01, 0x7F}), kV5);
  EXPECT_EQ(a.reason_code, ReasonCode::kContinueAuthentication);
  EXPECT_EQ(a.properties.authentication_method, "m");
  EXPECT_EQ(a.properties.authentication_data, "\x7F");
}

TEST(CodecAuthTest, V5RoundTripsAndEncodesShortForm) {
  Auth a;
  EXPECT_EQ(encodeToString(Packet(a), kV5), bytes({0xF0, 0x00}));
  expectRoundTrip(a, kV5);
  a.reason_code = ReasonCode::kReAuthenticate;
  EXPECT_EQ(encodeToString(Packet(a), kV5), bytes({0xF0, 0x02, 0x19, 0x00}));
  expectRoundTrip(a, kV5);
  a.properties.authentication_method = "SCRAM-SHA-256";
  a.properties.authentication_data = std::string("\x00\x10", 2);
  a.properties.reason_string = "step 2";
  a.properties.user_properties = {{"k", "v"}};
  expectRoundTrip(a, kV5);
}

TEST(CodecAuthTest, RejectsMalformedAuth) {
  // Reason code without the Property Length: only DISCONNECT allows that.
  EXPECT_EQ(decodeReason(bytes({0xF0, 0x01, 0x18}), kV5), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0xF0, 0x02, 0x87, 0x00}), kV5), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0xF1, 0x00}), kV5), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0xF0, 0x04, 0x18, 0x02, 0x1F, 0x00}), kV5),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0xF0, 0x07, 0x18, 0x05, 0x11, 0, 0, 0, 0}), kV5),
            ReasonCode::kProtocolError);
}

TEST(CodecAuthTest, DoesNotExistInV311) {
  EXPECT_EQ(decodeReason(bytes({0xF0, 0x00}), kV311), ReasonCode::kMalformedPacket);
  std::string out = "x";
  encode(Packet(Auth{}), kV311, out);
  EXPECT_EQ(out, "x");
  EXPECT_EQ(encodedSize(Packet(Auth{}), kV311), 0u);
}

TEST(CodecPacketTypeTest, NamesEveryPacket) {
  EXPECT_EQ(packetType(Packet(Connect{})), PacketType::kConnect);
  EXPECT_EQ(packetType(Packet(ConnAck{})), PacketType::kConnAck);
  EXPECT_EQ(packetType(Packet(Publish{})), PacketType::kPublish);
  EXPECT_EQ(packetType(Packet(PubResponse{PacketType::kPubRec, 1, ReasonCode::kSuccess, {}})),
            PacketType::kPubRec);
  EXPECT_EQ(packetType(Packet(Subscribe{})), PacketType::kSubscribe);
  EXPECT_EQ(packetType(Packet(SubAck{})), PacketType::kSubAck);
  EXPECT_EQ(packetType(Packet(Unsubscribe{})), PacketType::kUnsubscribe);
  EXPECT_EQ(packetType(Packet(UnsubAck{})), PacketType::kUnsubAck);
  EXPECT_EQ(packetType(Packet(PingReq{})), PacketType::kPingReq);
  EXPECT_EQ(packetType(Packet(PingResp{})), PacketType::kPingResp);
  EXPECT_EQ(packetType(Packet(Disconnect{})), PacketType::kDisconnect);
  EXPECT_EQ(packetType(Packet(Auth{})), PacketType::kAuth);
}

TEST(ReasonCodeTest, NamesFollowTheSpecification) {
  EXPECT_EQ(reasonCodeName(ReasonCode::kMalformedPacket), "Malformed Packet");
  EXPECT_EQ(reasonCodeName(ReasonCode::kSuccess), "Success");
  EXPECT_EQ(reasonCodeName(ReasonCode::kTopicAliasInvalid), "Topic Alias invalid");
  EXPECT_EQ(reasonCodeName(static_cast<ReasonCode>(0x05)), "Unknown reason code");
  EXPECT_TRUE(isError(ReasonCode::kUnspecifiedError));
  EXPECT_FALSE(isError(ReasonCode::kGrantedQos2));
}

TEST(ReasonCodeTest, MapsToV311ConnackCodes) {
  EXPECT_EQ(toV311ConnackCode(ReasonCode::kSuccess), 0);
  EXPECT_EQ(toV311ConnackCode(ReasonCode::kUnsupportedProtocolVersion), 1);
  EXPECT_EQ(toV311ConnackCode(ReasonCode::kClientIdentifierNotValid), 2);
  EXPECT_EQ(toV311ConnackCode(ReasonCode::kServerUnavailable), 3);
  EXPECT_EQ(toV311ConnackCode(ReasonCode::kServerBusy), 3);
  EXPECT_EQ(toV311ConnackCode(ReasonCode::kServerShuttingDown), 3);
  EXPECT_EQ(toV311ConnackCode(ReasonCode::kBadUserNameOrPassword), 4);
  EXPECT_EQ(toV311ConnackCode(ReasonCode::kNotAuthorized), 5);
  EXPECT_EQ(toV311ConnackCode(ReasonCode::kBanned), 5);
  EXPECT_EQ(toV311ConnackCode(ReasonCode::kMalformedPacket), 3);
  EXPECT_EQ(toV311ConnackCode(ReasonCode::kQuotaExceeded), 3);
}

TEST(ReasonCodeTest, MapsToV311SubackCodes) {
  EXPECT_EQ(toV311SubackCode(ReasonCode::kSuccess), 0x00);
  EXPECT_EQ(toV311SubackCode(ReasonCode::kGrantedQos1), 0x01);
  EXPECT_EQ(toV311SubackCode(ReasonCode::kGrantedQos2), 0x02);
  EXPECT_EQ(toV311SubackCode(ReasonCode::kNotAuthorized), 0x80);
  EXPECT_EQ(toV311SubackCode(ReasonCode::kUnspecifiedError), 0x80);
}

}  // namespace
}  // namespace hearth::mqtt

#include <gtest/gtest.h>

#include "hearth/mqtt/codec.h"
#include "unit/mqtt/codec_test_util.h"

namespace hearth::mqtt {
namespace {

using test::bytes;
using test::decodeReason;
using test::expectRoundTrip;
using test::frame;
using test::kV311;
using test::kV5;
using test::props;
using test::str;

// Variable header of a CONNECT up to the Keep Alive: "MQTT", level, flags, keep alive 60.
std::string connectHeader(int level, int flags) {
  return str("MQTT") + bytes({level, flags, 0x00, 0x3C});
}

ReasonCode connectReason(std::string_view packet) {
  auto r = decodeConnect(packet);
  EXPECT_FALSE(r.isOk());
  return r ? ReasonCode::kSuccess : r.error().reason;
}

TEST(CodecConnectTest, DecodesV311FromSpecBytes) {
  // Clean session, keep alive 60, client id "abc", written out byte by byte.
  // clang-format off
  std::string wire = bytes({0x10, 0x0F, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C,
                            0x00, 0x03, 'a', 'b', 'c'});
  // clang-format on
  auto r = decodeConnect(wire);
  ASSERT_TRUE(r.isOk()) << r.error().message;
  EXPECT_EQ(r->version, ProtocolVersion::kV311);
  EXPECT_TRUE(r->clean_start);
  EXPECT_EQ(r->keep_alive, 60);
  EXPECT_EQ(r->client_id, "abc");
  EXPECT_FALSE(r->will.has_value());
  EXPECT_FALSE(r->username.has_value());
  EXPECT_FALSE(r->password.has_value());
  EXPECT_EQ(r->properties, Properties{});
  // The encoder writes exactly these bytes back.
  EXPECT_EQ(test::encodeToString(Packet(*r), kV311), wire);
}

TEST(CodecConnectTest, DecodesV5WithWillProperties) {
  // clang-format off
  std::string wire = bytes({
      0x10, 0x2C,                                // CONNECT, remaining length 44
      0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,      // protocol name, level 5
      0xEE,                                      // user, pass, will retain, will QoS 1, will, clean
      0x00, 0x0A,                                // keep alive 10
      0x05, 0x11, 0x00, 0x00, 0x00, 0x78,        // Session Expiry Interval 120
      0x00, 0x02, 'c', '1',                      // client id
      0x07, 0x01, 0x01, 0x18, 0x00, 0x00, 0x00, 0x05,  // Payload Format 1, Will Delay 5
      0x00, 0x03, 'a', '/', 'b',                 // will topic
      0x00, 0x02, 'h', 'i',                      // will payload
      0x00, 0x01, 'u',                           // user name
      0x00, 0x02, 0x00, 0xFF,                    // password (binary)
  });
  // clang-format on
  auto r = decodeConnect(wire);
  ASSERT_TRUE(r.isOk()) << r.error().message;
  EXPECT_EQ(r->version, ProtocolVersion::kV5);
  EXPECT_TRUE(r->clean_start);
  EXPECT_EQ(r->keep_alive, 10);
  EXPECT_EQ(r->client_id, "c1");
  EXPECT_EQ(r->properties.session_expiry_interval, 120u);
  ASSERT_TRUE(r->will.has_value());
  EXPECT_EQ(r->will->topic, "a/b");
  EXPECT_EQ(r->will->payload, "hi");
  EXPECT_EQ(r->will->qos, QoS::k1);
  EXPECT_TRUE(r->will->retain);
  EXPECT_EQ(r->will->properties.will_delay_interval, 5u);
  EXPECT_EQ(r->will->properties.payload_format_indicator, 1);
  EXPECT_EQ(r->username, "u");
  EXPECT_EQ(r->password, std::string("\0\xFF", 2));
  EXPECT_EQ(test::encodeToString(Packet(*r), kV5), wire);
}

TEST(CodecConnectTest, RoundTripsV311) {
  Connect c;
  c.version = ProtocolVersion::kV311;
  c.client_id = "sensor-1";
  expectRoundTrip(c, kV311);
  c.clean_start = false;
  c.keep_alive = 65535;
  c.will = Will{"status/sensor-1", std::string("off\0line", 8), QoS::k2, true, {}};
  c.username = "user";
  c.password = "secret";
  expectRoundTrip(c, kV311);
}

TEST(CodecConnectTest, RoundTripsV5WithAllConnectProperties) {
  Connect c;
  c.client_id = "";
  c.username.reset();
  c.password = "token-without-user";  // allowed in 5.0
  Properties& p = c.properties;
  p.session_expiry_interval = 0xFFFFFFFF;
  p.authentication_method = "SCRAM-SHA-1";
  p.authentication_data = std::string("\x00\x01\x02", 3);
  p.request_problem_information = 0;
  p.request_response_information = 1;
  p.receive_maximum = 20;
  p.topic_alias_maximum = 10;
  p.maximum_packet_size = 1 << 20;
  p.user_properties = {{"a", "1"}, {"a", "2"}, {"b", ""}};
  Will w;
  w.topic = "last/will";
  w.payload = "bye";
  w.properties.will_delay_interval = 30;
  w.properties.payload_format_indicator = 1;
  w.properties.message_expiry_interval = 60;
  w.properties.content_type = "text/plain";
  w.properties.response_topic = "reply/here";
  w.properties.correlation_data = "\x01\x02";
  w.properties.user_properties = {{"k", "v"}};
  c.will = w;
  expectRoundTrip(c, kV5);
}

TEST(CodecConnectTest, RejectsReservedFlag) {
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x03) + str("c"))),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(5, 0x03) + props("") + str("c"))),
            ReasonCode::kMalformedPacket);
}

TEST(CodecConnectTest, RejectsFixedHeaderFlags) {
  EXPECT_EQ(connectReason(frame(0x11, connectHeader(4, 0x02) + str("c"))),
            ReasonCode::kMalformedPacket);
}

TEST(CodecConnectTest, RejectsWillQosOrRetainWithoutWillFlag) {
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x0A) + str("c"))),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x22) + str("c"))),
            ReasonCode::kMalformedPacket);
}

TEST(CodecConnectTest, RejectsWillQos3) {
  std::string body = connectHeader(4, 0x1E) + str("c") + str("t") + str("p");
  EXPECT_EQ(connectReason(frame(0x10, body)), ReasonCode::kMalformedPacket);
}

TEST(CodecConnectTest, RejectsPasswordWithoutUserNameInV311) {
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x42) + str("c") + str("pw"))),
            ReasonCode::kMalformedPacket);
}

TEST(CodecConnectTest, AcceptsPasswordWithoutUserNameInV5) {
  auto r = decodeConnect(frame(0x10, connectHeader(5, 0x42) + props("") + str("c") + str("pw")));
  ASSERT_TRUE(r.isOk()) << r.error().message;
  EXPECT_FALSE(r->username.has_value());
  EXPECT_EQ(r->password, "pw");
}

TEST(CodecConnectTest, UnknownProtocolNameOrLevelIsUnsupportedVersion) {
  // MQTT 3.1 ("MQIsdp", level 3).
  std::string v31 = str("MQIsdp") + bytes({3, 0x02, 0x00, 0x3C}) + str("c");
  EXPECT_EQ(connectReason(frame(0x10, v31)), ReasonCode::kUnsupportedProtocolVersion);
  EXPECT_EQ(connectReason(frame(0x10, str("MQTX") + bytes({4, 2, 0, 0}) + str("c"))),
            ReasonCode::kUnsupportedProtocolVersion);
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(3, 0x02) + str("c"))),
            ReasonCode::kUnsupportedProtocolVersion);
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(6, 0x02) + str("c"))),
            ReasonCode::kUnsupportedProtocolVersion);
}

TEST(CodecConnectTest, RejectsInvalidUtf8InClientId) {
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x02) + str("a\xC0\x80"))),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x02) + str(std::string("a\0b", 3)))),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x02) + str("\xED\xA0\x80"))),
            ReasonCode::kMalformedPacket);
}

TEST(CodecConnectTest, RejectsInvalidUtf8InUserName) {
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x82) + str("c") + str("\xFF"))),
            ReasonCode::kMalformedPacket);
}

TEST(CodecConnectTest, RejectsWildcardWillTopic) {
  std::string body = connectHeader(4, 0x06) + str("c") + str("a/#") + str("p");
  EXPECT_EQ(connectReason(frame(0x10, body)), ReasonCode::kTopicNameInvalid);
}

TEST(CodecConnectTest, RejectsAuthenticationDataWithoutMethod) {
  std::string body = connectHeader(5, 0x02) + props(bytes({0x16}) + str("x")) + str("c");
  EXPECT_EQ(connectReason(frame(0x10, body)), ReasonCode::kProtocolError);
}

TEST(CodecConnectTest, RejectsPropertyNotAllowedInConnect) {
  std::string body = connectHeader(5, 0x02) + props(bytes({0x23, 0x00, 0x01})) + str("c");
  EXPECT_EQ(connectReason(frame(0x10, body)), ReasonCode::kProtocolError);
  // Will Delay Interval belongs in the will properties, not the CONNECT properties.
  body = connectHeader(5, 0x02) + props(bytes({0x18, 0, 0, 0, 1})) + str("c");
  EXPECT_EQ(connectReason(frame(0x10, body)), ReasonCode::kProtocolError);
}

TEST(CodecConnectTest, RejectsTruncatedAndTrailingBytes) {
  // Client id length says 5, 3 bytes present.
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x02) + bytes({0, 5, 'a', 'b', 'c'}))),
            ReasonCode::kMalformedPacket);
  // A byte after the last field, inside the Remaining Length.
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x02) + str("c") + "x")),
            ReasonCode::kMalformedPacket);
  // Missing the client id altogether.
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x02))), ReasonCode::kMalformedPacket);
  // Will flag set but no will fields.
  EXPECT_EQ(connectReason(frame(0x10, connectHeader(4, 0x06) + str("c"))),
            ReasonCode::kMalformedPacket);
}

TEST(CodecConnectTest, DecodeRequiresTheConnectionsVersion) {
  std::string v5 = frame(0x10, connectHeader(5, 0x02) + props("") + str("c"));
  EXPECT_TRUE(decode(v5, kV5).isOk());
  EXPECT_EQ(decodeReason(v5, kV311), ReasonCode::kProtocolError);
  std::string v311 = frame(0x10, connectHeader(4, 0x02) + str("c"));
  EXPECT_TRUE(decode(v311, kV311).isOk());
  EXPECT_EQ(decodeReason(v311, kV5), ReasonCode::kProtocolError);
}

TEST(CodecConnectTest, DecodeConnectRejectsOtherPackets) {
  EXPECT_FALSE(decodeConnect(bytes({0xC0, 0x00})).isOk());
  EXPECT_FALSE(decodeConnect("").isOk());
}

TEST(CodecConnAckTest, DecodesV311TwoBytes) {
  auto a = test::decodeAs<ConnAck>(bytes({0x20, 0x02, 0x01, 0x00}), kV311);
  EXPECT_TRUE(a.session_present);
  EXPECT_EQ(a.reason_code, ReasonCode::kSuccess);
  const std::pair<int, ReasonCode> codes[] = {
      {1, ReasonCode::kUnsupportedProtocolVersion},
      {2, ReasonCode::kClientIdentifierNotValid},
      {3, ReasonCode::kServerUnavailable},
      {4, ReasonCode::kBadUserNameOrPassword},
      {5, ReasonCode::kNotAuthorized},
  };
  for (auto [code, reason] : codes) {
    EXPECT_EQ(test::decodeAs<ConnAck>(bytes({0x20, 0x02, 0x00, code}), kV311).reason_code, reason);
  }
}

TEST(CodecConnAckTest, V311RejectsBadReturnCodeFlagsAndLength) {
  EXPECT_EQ(decodeReason(bytes({0x20, 0x02, 0x00, 0x06}), kV311), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0x20, 0x02, 0x02, 0x00}), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x20, 0x03, 0x00, 0x00, 0x00}), kV311),
            ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x20, 0x01, 0x00}), kV311), ReasonCode::kMalformedPacket);
  EXPECT_EQ(decodeReason(bytes({0x21, 0x02, 0x00, 0x00}), kV311), ReasonCode::kMalformedPacket);
}

TEST(CodecConnAckTest, V311EncodesMappedReturnCode) {
  ConnAck a;
  a.reason_code = ReasonCode::kServerBusy;
  a.properties.reason_string = "dropped in 3.1.1";
  EXPECT_EQ(test::encodeToString(Packet(a), kV311), bytes({0x20, 0x02, 0x00, 0x03}));
  a.reason_code = ReasonCode::kBanned;
  EXPECT_EQ(test::encodeToString(Packet(a), kV311), bytes({0x20, 0x02, 0x00, 0x05}));
  a = ConnAck{};
  a.session_present = true;
  EXPECT_EQ(test::encodeToString(Packet(a), kV311), bytes({0x20, 0x02, 0x01, 0x00}));
}

TEST(CodecConnAckTest, DecodesV5FromBytes) {
  auto a = test::decodeAs<ConnAck>(
      bytes({0x20, 0x08, 0x00, 0x87, 0x05, 0x1F, 0x00, 0x02, 'n', 'o'}), kV5);
  EXPECT_FALSE(a.session_present);
  EXPECT_EQ(a.reason_code, ReasonCode::kNotAuthorized);
  EXPECT_EQ(a.properties.reason_string, "no");
  // The Property Length is required in a 5.0 CONNACK.
  EXPECT_EQ(decodeReason(bytes({0x20, 0x02, 0x00, 0x00}), kV5), ReasonCode::kMalformedPacket);
}

TEST(CodecConnAckTest, RoundTripsV5WithAllConnAckProperties) {
  ConnAck a;
  a.session_present = true;
  Properties& p = a.properties;
  p.session_expiry_interval = 3600;
  p.assigned_client_identifier = "auto-1234";
  p.server_keep_alive = 30;
  p.authentication_method = "m";
  p.authentication_data = "d";
  p.response_information = "resp/";
  p.server_reference = "other:1883";
  p.reason_string = "welcome";
  p.receive_maximum = 100;
  p.topic_alias_maximum = 16;
  p.maximum_qos = 1;
  p.retain_available = 0;
  p.user_properties = {{"x", "y"}};
  p.maximum_packet_size = 65536;
  p.wildcard_subscription_available = 1;
  p.subscription_identifiers_available = 0;
  p.shared_subscription_available = 1;
  expectRoundTrip(a, kV5);
  a.properties = {};
  a.session_present = false;
  a.reason_code = ReasonCode::kQuotaExceeded;
  expectRoundTrip(a, kV5);
}

TEST(CodecConnAckTest, V5RejectsReasonCodeNotListedForConnAck) {
  EXPECT_EQ(decodeReason(bytes({0x20, 0x03, 0x00, 0x04, 0x00}), kV5), ReasonCode::kProtocolError);
  EXPECT_EQ(decodeReason(bytes({0x20, 0x03, 0x00, 0x8E, 0x00}), kV5), ReasonCode::kProtocolError);
}

}  // namespace
}  // namespace hearth::mqtt

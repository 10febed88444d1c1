#include "hearth/mqtt/reason_code.h"

#include <cstdint>
#include <initializer_list>

#include "hearth/mqtt/packet.h"
#include "mqtt/codec/packets.h"

namespace hearth::mqtt {

std::string_view reasonCodeName(ReasonCode rc) {
  switch (rc) {
    case ReasonCode::kSuccess: return "Success";
    case ReasonCode::kGrantedQos1: return "Granted QoS 1";
    case ReasonCode::kGrantedQos2: return "Granted QoS 2";
    case ReasonCode::kDisconnectWithWill: return "Disconnect with Will Message";
    case ReasonCode::kNoMatchingSubscribers: return "No matching subscribers";
    case ReasonCode::kNoSubscriptionExisted: return "No subscription existed";
    case ReasonCode::kContinueAuthentication: return "Continue authentication";
    case ReasonCode::kReAuthenticate: return "Re-authenticate";
    case ReasonCode::kUnspecifiedError: return "Unspecified error";
    case ReasonCode::kMalformedPacket: return "Malformed Packet";
    case ReasonCode::kProtocolError: return "Protocol Error";
    case ReasonCode::kImplementationSpecificError: return "Implementation specific error";
    case ReasonCode::kUnsupportedProtocolVersion: return "Unsupported Protocol Version";
    case ReasonCode::kClientIdentifierNotValid: return "Client Identifier not valid";
    case ReasonCode::kBadUserNameOrPassword: return "Bad User Name or Password";
    case ReasonCode::kNotAuthorized: return "Not authorized";
    case ReasonCode::kServerUnavailable: return "Server unavailable";
    case ReasonCode::kServerBusy: return "Server busy";
    case ReasonCode::kBanned: return "Banned";
    case ReasonCode::kServerShuttingDown: return "Server shutting down";
    case ReasonCode::kBadAuthenticationMethod: return "Bad authentication method";
    case ReasonCode::kKeepAliveTimeout: return "Keep Alive timeout";
    case ReasonCode::kSessionTakenOver: return "Session taken over";
    case ReasonCode::kTopicFilterInvalid: return "Topic Filter invalid";
    case ReasonCode::kTopicNameInvalid: return "Topic Name invalid";
    case ReasonCode::kPacketIdentifierInUse: return "Packet Identifier in use";
    case ReasonCode::kPacketIdentifierNotFound: return "Packet Identifier not found";
    case ReasonCode::kReceiveMaximumExceeded: return "Receive Maximum exceeded";
    case ReasonCode::kTopicAliasInvalid: return "Topic Alias invalid";
    case ReasonCode::kPacketTooLarge: return "Packet too large";
    case ReasonCode::kMessageRateTooHigh: return "Message rate too high";
    case ReasonCode::kQuotaExceeded: return "Quota exceeded";
    case ReasonCode::kAdministrativeAction: return "Administrative action";
    case ReasonCode::kPayloadFormatInvalid: return "Payload format invalid";
    case ReasonCode::kRetainNotSupported: return "Retain not supported";
    case ReasonCode::kQosNotSupported: return "QoS not supported";
    case ReasonCode::kUseAnotherServer: return "Use another server";
    case ReasonCode::kServerMoved: return "Server moved";
    case ReasonCode::kSharedSubscriptionsNotSupported: return "Shared Subscriptions not supported";
    case ReasonCode::kConnectionRateExceeded: return "Connection rate exceeded";
    case ReasonCode::kMaximumConnectTime: return "Maximum connect time";
    case ReasonCode::kSubscriptionIdentifiersNotSupported:
      return "Subscription Identifiers not supported";
    case ReasonCode::kWildcardSubscriptionsNotSupported:
      return "Wildcard Subscriptions not supported";
  }
  return "Unknown reason code";
}

uint8_t toV311ConnackCode(ReasonCode rc) {
  switch (rc) {
    case ReasonCode::kSuccess: return 0;
    case ReasonCode::kUnsupportedProtocolVersion: return 1;  // unacceptable protocol version
    case ReasonCode::kClientIdentifierNotValid: return 2;    // identifier rejected
    case ReasonCode::kServerUnavailable:
    case ReasonCode::kServerBusy:
    case ReasonCode::kServerShuttingDown: return 3;  // server unavailable
    case ReasonCode::kBadUserNameOrPassword: return 4;
    case ReasonCode::kNotAuthorized:
    case ReasonCode::kBanned: return 5;
    default: return 3;  // 3.1.1 has nothing closer for any other refusal
  }
}

uint8_t toV311SubackCode(ReasonCode rc) {
  switch (rc) {
    case ReasonCode::kSuccess: return 0x00;
    case ReasonCode::kGrantedQos1: return 0x01;
    case ReasonCode::kGrantedQos2: return 0x02;
    default: return 0x80;
  }
}

namespace detail {
namespace {

// A set of reason code bytes, one bit each.
struct CodeSet {
  uint64_t bits[4] = {};
  constexpr CodeSet(std::initializer_list<uint8_t> codes) {
    for (uint8_t c : codes) bits[c >> 6] |= uint64_t{1} << (c & 63);
  }
  constexpr bool contains(uint8_t c) const { return (bits[c >> 6] >> (c & 63)) & 1; }
};

// The reason codes each MQTT 5.0 packet may carry (spec 3.2.2.2, 3.4.2.1 - 3.7.2.1, 3.9.3,
// 3.11.3, 3.14.2.1, 3.15.2.1).
constexpr CodeSet kConnAckCodes{0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
                                0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F};
constexpr CodeSet kPubAckCodes{0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99};
constexpr CodeSet kPubRelCodes{0x00, 0x92};
constexpr CodeSet kSubAckCodes{0x00, 0x01, 0x02, 0x80, 0x83, 0x87,
                               0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2};
constexpr CodeSet kUnsubAckCodes{0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91};
constexpr CodeSet kDisconnectCodes{0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D,
                                   0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
                                   0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2};
constexpr CodeSet kAuthCodes{0x00, 0x18, 0x19};

}  // namespace

bool isAllowedReasonCode(PacketType type, uint8_t code) {
  switch (type) {
    case PacketType::kConnAck: return kConnAckCodes.contains(code);
    case PacketType::kPubAck:
    case PacketType::kPubRec: return kPubAckCodes.contains(code);
    case PacketType::kPubRel:
    case PacketType::kPubComp: return kPubRelCodes.contains(code);
    case PacketType::kSubAck: return kSubAckCodes.contains(code);
    case PacketType::kUnsubAck: return kUnsubAckCodes.contains(code);
    case PacketType::kDisconnect: return kDisconnectCodes.contains(code);
    case PacketType::kAuth: return kAuthCodes.contains(code);
    default: return false;
  }
}

}  // namespace detail
}  // namespace hearth::mqtt

// MQTT 5.0 reason codes (spec section 2.4) and the MQTT 3.1.1 CONNACK return codes they map to.
// This header and reason_code.cc are the one place that names reason codes and maps them.
#pragma once

#include <cstdint>
#include <string_view>

namespace hearth::mqtt {

enum class ReasonCode : uint8_t {
  kSuccess = 0x00,  // also Normal disconnection and Granted QoS 0
  kGrantedQos1 = 0x01,
  kGrantedQos2 = 0x02,
  kDisconnectWithWill = 0x04,
  kNoMatchingSubscribers = 0x10,
  kNoSubscriptionExisted = 0x11,
  kContinueAuthentication = 0x18,
  kReAuthenticate = 0x19,
  kUnspecifiedError = 0x80,
  kMalformedPacket = 0x81,
  kProtocolError = 0x82,
  kImplementationSpecificError = 0x83,
  kUnsupportedProtocolVersion = 0x84,
  kClientIdentifierNotValid = 0x85,
  kBadUserNameOrPassword = 0x86,
  kNotAuthorized = 0x87,
  kServerUnavailable = 0x88,
  kServerBusy = 0x89,
  kBanned = 0x8A,
  kServerShuttingDown = 0x8B,
  kBadAuthenticationMethod = 0x8C,
  kKeepAliveTimeout = 0x8D,
  kSessionTakenOver = 0x8E,
  kTopicFilterInvalid = 0x8F,
  kTopicNameInvalid = 0x90,
  kPacketIdentifierInUse = 0x91,
  kPacketIdentifierNotFound = 0x92,
  kReceiveMaximumExceeded = 0x93,
  kTopicAliasInvalid = 0x94,
  kPacketTooLarge = 0x95,
  kMessageRateTooHigh = 0x96,
  kQuotaExceeded = 0x97,
  kAdministrativeAction = 0x98,
  kPayloadFormatInvalid = 0x99,
  kRetainNotSupported = 0x9A,
  kQosNotSupported = 0x9B,
  kUseAnotherServer = 0x9C,
  kServerMoved = 0x9D,
  kSharedSubscriptionsNotSupported = 0x9E,
  kConnectionRateExceeded = 0x9F,
  kMaximumConnectTime = 0xA0,
  kSubscriptionIdentifiersNotSupported = 0xA1,
  kWildcardSubscriptionsNotSupported = 0xA2,
};

// True for 0x80 and above: the operation failed.
constexpr bool isError(ReasonCode rc) { return static_cast<uint8_t>(rc) >= 0x80; }

// "Malformed Packet", as the specification names it.
std::string_view reasonCodeName(ReasonCode rc);

// The MQTT 3.1.1 CONNACK return code (0..5) that best expresses a CONNECT failure reason.
uint8_t toV311ConnackCode(ReasonCode rc);

// The SUBACK return code for MQTT 3.1.1: granted QoS 0..2, anything else is 0x80 Failure.
uint8_t toV311SubackCode(ReasonCode rc);

}  // namespace hearth::mqtt

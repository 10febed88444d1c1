// MQTT control packets as plain value types, shared by MQTT 3.1.1 and 5.0.
//
// The codec (codec.h) turns bytes into these and back. Fields that exist only in MQTT 5.0
// (properties, most reason codes) are ignored when encoding for 3.1.1 and left empty when
// decoding 3.1.1. Binary fields (payload, password, correlation data) are std::string used as a
// byte container.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "hearth/mqtt/reason_code.h"

namespace hearth::mqtt {

enum class ProtocolVersion : uint8_t {
  kV311 = 4,
  kV5 = 5,
};

enum class PacketType : uint8_t {
  kConnect = 1,
  kConnAck = 2,
  kPublish = 3,
  kPubAck = 4,
  kPubRec = 5,
  kPubRel = 6,
  kPubComp = 7,
  kSubscribe = 8,
  kSubAck = 9,
  kUnsubscribe = 10,
  kUnsubAck = 11,
  kPingReq = 12,
  kPingResp = 13,
  kDisconnect = 14,
  kAuth = 15,
};

enum class QoS : uint8_t { k0 = 0, k1 = 1, k2 = 2 };

struct UserProperty {
  std::string key;
  std::string value;
  friend bool operator==(const UserProperty&, const UserProperty&) = default;
};

// Every MQTT 5.0 property (spec section 2.2.2.2). The decoder rejects a property that is not
// allowed in the packet it appears in, or that appears twice where only once is allowed, with
// kProtocolError; an empty optional means "absent".
struct Properties {
  std::optional<uint8_t> payload_format_indicator;          // 0x01
  std::optional<uint32_t> message_expiry_interval;          // 0x02
  std::optional<std::string> content_type;                  // 0x03
  std::optional<std::string> response_topic;                // 0x08
  std::optional<std::string> correlation_data;              // 0x09 (binary)
  std::vector<uint32_t> subscription_identifiers;           // 0x0B (several in PUBLISH to a client)
  std::optional<uint32_t> session_expiry_interval;          // 0x11
  std::optional<std::string> assigned_client_identifier;    // 0x12
  std::optional<uint16_t> server_keep_alive;                // 0x13
  std::optional<std::string> authentication_method;         // 0x15
  std::optional<std::string> authentication_data;           // 0x16 (binary)
  std::optional<uint8_t> request_problem_information;       // 0x17
  std::optional<uint32_t> will_delay_interval;              // 0x18
  std::optional<uint8_t> request_response_information;      // 0x19
  std::optional<std::string> response_information;          // 0x1A
  std::optional<std::string> server_reference;              // 0x1C
  std::optional<std::string> reason_string;                 // 0x1F
  std::optional<uint16_t> receive_maximum;                  // 0x21
  std::optional<uint16_t> topic_alias_maximum;              // 0x22
  std::optional<uint16_t> topic_alias;                      // 0x23
  std::optional<uint8_t> maximum_qos;                       // 0x24
  std::optional<uint8_t> retain_available;                  // 0x25
  std::vector<UserProperty> user_properties;                // 0x26 (repeatable, order kept)
  std::optional<uint32_t> maximum_packet_size;              // 0x27
  std::optional<uint8_t> wildcard_subscription_available;   // 0x28
  std::optional<uint8_t> subscription_identifiers_available;  // 0x29
  std::optional<uint8_t> shared_subscription_available;     // 0x2A

  friend bool operator==(const Properties&, const Properties&) = default;
};

struct Will {
  std::string topic;
  std::string payload;
  QoS qos = QoS::k0;
  bool retain = false;
  Properties properties;  // will properties (MQTT 5.0)
  friend bool operator==(const Will&, const Will&) = default;
};

struct Connect {
  ProtocolVersion version = ProtocolVersion::kV5;
  bool clean_start = true;  // "clean session" in 3.1.1
  uint16_t keep_alive = 0;  // seconds; 0 disables
  std::string client_id;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<Will> will;
  Properties properties;
  friend bool operator==(const Connect&, const Connect&) = default;
};

struct ConnAck {
  bool session_present = false;
  // For 3.1.1 the encoder writes toV311ConnackCode(reason_code).
  ReasonCode reason_code = ReasonCode::kSuccess;
  Properties properties;
  friend bool operator==(const ConnAck&, const ConnAck&) = default;
};

struct Publish {
  std::string topic;  // may be empty in MQTT 5.0 when a topic alias is set
  std::string payload;
  QoS qos = QoS::k0;
  bool retain = false;
  bool dup = false;
  uint16_t packet_id = 0;  // present only for QoS 1 and 2
  Properties properties;
  friend bool operator==(const Publish&, const Publish&) = default;
};

// PUBACK, PUBREC, PUBREL and PUBCOMP share one shape; `type` says which.
struct PubResponse {
  PacketType type = PacketType::kPubAck;
  uint16_t packet_id = 0;
  ReasonCode reason_code = ReasonCode::kSuccess;
  Properties properties;
  friend bool operator==(const PubResponse&, const PubResponse&) = default;
};

struct SubscriptionOptions {
  QoS max_qos = QoS::k0;
  bool no_local = false;
  bool retain_as_published = false;
  uint8_t retain_handling = 0;  // 0 send retained, 1 only if new subscription, 2 never
  friend bool operator==(const SubscriptionOptions&, const SubscriptionOptions&) = default;
};

struct Subscription {
  std::string filter;
  SubscriptionOptions options;
  friend bool operator==(const Subscription&, const Subscription&) = default;
};

struct Subscribe {
  uint16_t packet_id = 0;
  std::vector<Subscription> subscriptions;
  Properties properties;
  friend bool operator==(const Subscribe&, const Subscribe&) = default;
};

struct SubAck {
  uint16_t packet_id = 0;
  std::vector<ReasonCode> reason_codes;  // one per subscription, in order
  Properties properties;
  friend bool operator==(const SubAck&, const SubAck&) = default;
};

struct Unsubscribe {
  uint16_t packet_id = 0;
  std::vector<std::string> filters;
  Properties properties;
  friend bool operator==(const Unsubscribe&, const Unsubscribe&) = default;
};

struct UnsubAck {
  uint16_t packet_id = 0;
  std::vector<ReasonCode> reason_codes;  // MQTT 5.0 only; 3.1.1 UNSUBACK has none
  Properties properties;
  friend bool operator==(const UnsubAck&, const UnsubAck&) = default;
};

struct PingReq {
  friend bool operator==(const PingReq&, const PingReq&) = default;
};
struct PingResp {
  friend bool operator==(const PingResp&, const PingResp&) = default;
};

struct Disconnect {
  ReasonCode reason_code = ReasonCode::kSuccess;
  Properties properties;
  friend bool operator==(const Disconnect&, const Disconnect&) = default;
};

struct Auth {
  ReasonCode reason_code = ReasonCode::kSuccess;
  Properties properties;
  friend bool operator==(const Auth&, const Auth&) = default;
};

using Packet = std::variant<Connect, ConnAck, Publish, PubResponse, Subscribe, SubAck, Unsubscribe,
                            UnsubAck, PingReq, PingResp, Disconnect, Auth>;

PacketType packetType(const Packet& packet);

}  // namespace hearth::mqtt

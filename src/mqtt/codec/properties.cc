#include "mqtt/codec/properties.h"

#include <array>
#include <string>
#include <string_view>

#include "hearth/mqtt/topic.h"

namespace hearth::mqtt::detail {
namespace {

enum class ValueType : uint8_t { kNone, kByte, kU16, kU32, kVarInt, kUtf8, kBinary, kPair };

constexpr uint16_t bit(PropertyContext c) {
  return static_cast<uint16_t>(1u << static_cast<int>(c));
}

using C = PropertyContext;
constexpr uint16_t kWillish = bit(C::kPublish) | bit(C::kWill);
constexpr uint16_t kAcks = bit(C::kConnAck) | bit(C::kPubAck) | bit(C::kPubRec) | bit(C::kPubRel) |
                           bit(C::kPubComp) | bit(C::kSubAck) | bit(C::kUnsubAck) |
                           bit(C::kDisconnect) | bit(C::kAuth);
constexpr uint16_t kEverywhere =
    static_cast<uint16_t>((1u << (static_cast<int>(C::kAuth) + 1)) - 1);

struct PropertySpec {
  ValueType type = ValueType::kNone;
  uint16_t contexts = 0;
  std::string_view name;
};

// Spec table 2.2.2.2: identifier -> data type, the packets it may appear in, and its name.
constexpr std::array<PropertySpec, 0x2B> kSpecs = [] {
  std::array<PropertySpec, 0x2B> s{};
  s[0x01] = {ValueType::kByte, kWillish, "Payload Format Indicator"};
  s[0x02] = {ValueType::kU32, kWillish, "Message Expiry Interval"};
  s[0x03] = {ValueType::kUtf8, kWillish, "Content Type"};
  s[0x08] = {ValueType::kUtf8, kWillish, "Response Topic"};
  s[0x09] = {ValueType::kBinary, kWillish, "Correlation Data"};
  s[0x0B] = {ValueType::kVarInt, bit(C::kPublish) | bit(C::kSubscribe), "Subscription Identifier"};
  s[0x11] = {ValueType::kU32, bit(C::kConnect) | bit(C::kConnAck) | bit(C::kDisconnect),
             "Session Expiry Interval"};
  s[0x12] = {ValueType::kUtf8, bit(C::kConnAck), "Assigned Client Identifier"};
  s[0x13] = {ValueType::kU16, bit(C::kConnAck), "Server Keep Alive"};
  s[0x15] = {ValueType::kUtf8, bit(C::kConnect) | bit(C::kConnAck) | bit(C::kAuth),
             "Authentication Method"};
  s[0x16] = {ValueType::kBinary, bit(C::kConnect) | bit(C::kConnAck) | bit(C::kAuth),
             "Authentication Data"};
  s[0x17] = {ValueType::kByte, bit(C::kConnect), "Request Problem Information"};
  s[0x18] = {ValueType::kU32, bit(C::kWill), "Will Delay Interval"};
  s[0x19] = {ValueType::kByte, bit(C::kConnect), "Request Response Information"};
  s[0x1A] = {ValueType::kUtf8, bit(C::kConnAck), "Response Information"};
  s[0x1C] = {ValueType::kUtf8, bit(C::kConnAck) | bit(C::kDisconnect), "Server Reference"};
  s[0x1F] = {ValueType::kUtf8, kAcks, "Reason String"};
  s[0x21] = {ValueType::kU16, bit(C::kConnect) | bit(C::kConnAck), "Receive Maximum"};
  s[0x22] = {ValueType::kU16, bit(C::kConnect) | bit(C::kConnAck), "Topic Alias Maximum"};
  s[0x23] = {ValueType::kU16, bit(C::kPublish), "Topic Alias"};
  s[0x24] = {ValueType::kByte, bit(C::kConnAck), "Maximum QoS"};
  s[0x25] = {ValueType::kByte, bit(C::kConnAck), "Retain Available"};
  s[0x26] = {ValueType::kPair, kEverywhere, "User Property"};
  s[0x27] = {ValueType::kU32, bit(C::kConnect) | bit(C::kConnAck), "Maximum Packet Size"};
  s[0x28] = {ValueType::kByte, bit(C::kConnAck), "Wildcard Subscription Available"};
  s[0x29] = {ValueType::kByte, bit(C::kConnAck), "Subscription Identifier Available"};
  s[0x2A] = {ValueType::kByte, bit(C::kConnAck), "Shared Subscription Available"};
  return s;
}();

constexpr uint32_t kUserProperty = 0x26;
constexpr uint32_t kSubscriptionIdentifier = 0x0B;

std::string_view contextName(PropertyContext c) {
  switch (c) {
    case C::kConnect: return "CONNECT";
    case C::kConnAck: return "CONNACK";
    case C::kPublish: return "PUBLISH";
    case C::kWill: return "Will Properties";
    case C::kPubAck: return "PUBACK";
    case C::kPubRec: return "PUBREC";
    case C::kPubRel: return "PUBREL";
    case C::kPubComp: return "PUBCOMP";
    case C::kSubscribe: return "SUBSCRIBE";
    case C::kSubAck: return "SUBACK";
    case C::kUnsubscribe: return "UNSUBSCRIBE";
    case C::kUnsubAck: return "UNSUBACK";
    case C::kDisconnect: return "DISCONNECT";
    case C::kAuth: return "AUTH";
  }
  return "?";
}

CodecError propertyError(ReasonCode reason, std::string_view name, std::string_view problem) {
  std::string message(name);
  message += problem;
  return makeError(reason, std::move(message));
}

// One property value as read off the wire, before it is stored in its field.
struct RawValue {
  uint32_t number = 0;
  std::string_view text;
  std::string_view text2;  // the value of a User Property
};

DecodeError readValue(ByteReader& r, const PropertySpec& spec, RawValue& v) {
  switch (spec.type) {
    case ValueType::kByte: {
      uint8_t b;
      if (!r.readU8(b)) return truncated(spec.name);
      // Every one-byte property is a 0/1 flag (Maximum QoS too: 2 is expressed by absence).
      if (b > 1) return propertyError(ReasonCode::kProtocolError, spec.name, " must be 0 or 1");
      v.number = b;
      return std::nullopt;
    }
    case ValueType::kU16: {
      uint16_t n;
      if (!r.readU16(n)) return truncated(spec.name);
      v.number = n;
      return std::nullopt;
    }
    case ValueType::kU32:
      if (!r.readU32(v.number)) return truncated(spec.name);
      return std::nullopt;
    case ValueType::kVarInt:
      if (!r.readVarInt(v.number)) {
        return propertyError(ReasonCode::kMalformedPacket, spec.name, " is not a valid varint");
      }
      return std::nullopt;
    case ValueType::kUtf8: return readUtf8String(r, v.text, spec.name);
    case ValueType::kBinary: return readBinaryData(r, v.text, spec.name);
    case ValueType::kPair:
      HEARTH_MQTT_TRY(readUtf8String(r, v.text, "User Property name"));
      return readUtf8String(r, v.text2, "User Property value");
    case ValueType::kNone: break;
  }
  return malformed("unknown property type");
}

DecodeError nonZero(const PropertySpec& spec, uint32_t n, ReasonCode reason) {
  if (n == 0) return propertyError(reason, spec.name, " must not be 0");
  return std::nullopt;
}

DecodeError store(uint32_t id, const PropertySpec& spec, const RawValue& v, Properties& p) {
  auto u8 = static_cast<uint8_t>(v.number);
  auto u16 = static_cast<uint16_t>(v.number);
  switch (id) {
    case 0x01: p.payload_format_indicator = u8; break;
    case 0x02: p.message_expiry_interval = v.number; break;
    case 0x03: p.content_type.emplace(v.text); break;
    case 0x08:
      if (!isValidTopicName(v.text)) {
        return propertyError(ReasonCode::kProtocolError, spec.name, " is not a valid topic name");
      }
      p.response_topic.emplace(v.text);
      break;
    case 0x09: p.correlation_data.emplace(v.text); break;
    case 0x0B:
      HEARTH_MQTT_TRY(nonZero(spec, v.number, ReasonCode::kProtocolError));
      p.subscription_identifiers.push_back(v.number);
      break;
    case 0x11: p.session_expiry_interval = v.number; break;
    case 0x12: p.assigned_client_identifier.emplace(v.text); break;
    case 0x13: p.server_keep_alive = u16; break;
    case 0x15: p.authentication_method.emplace(v.text); break;
    case 0x16: p.authentication_data.emplace(v.text); break;
    case 0x17: p.request_problem_information = u8; break;
    case 0x18: p.will_delay_interval = v.number; break;
    case 0x19: p.request_response_information = u8; break;
    case 0x1A: p.response_information.emplace(v.text); break;
    case 0x1C: p.server_reference.emplace(v.text); break;
    case 0x1F: p.reason_string.emplace(v.text); break;
    case 0x21:
      HEARTH_MQTT_TRY(nonZero(spec, v.number, ReasonCode::kProtocolError));
      p.receive_maximum = u16;
      break;
    case 0x22: p.topic_alias_maximum = u16; break;
    case 0x23:
      HEARTH_MQTT_TRY(nonZero(spec, v.number, ReasonCode::kTopicAliasInvalid));
      p.topic_alias = u16;
      break;
    case 0x24: p.maximum_qos = u8; break;
    case 0x25: p.retain_available = u8; break;
    case 0x26:
      p.user_properties.push_back(UserProperty{std::string(v.text), std::string(v.text2)});
      break;
    case 0x27:
      HEARTH_MQTT_TRY(nonZero(spec, v.number, ReasonCode::kProtocolError));
      p.maximum_packet_size = v.number;
      break;
    case 0x28: p.wildcard_subscription_available = u8; break;
    case 0x29: p.subscription_identifiers_available = u8; break;
    case 0x2A: p.shared_subscription_available = u8; break;
    default: return malformed("unknown property identifier");
  }
  return std::nullopt;
}

}  // namespace

DecodeError decodeProperties(ByteReader& reader, PropertyContext context, Properties& out) {
  uint32_t length;
  if (!reader.readVarInt(length)) return malformed("invalid Property Length");
  std::string_view block;
  if (!reader.readBytes(length, block)) return malformed("Property Length overruns the packet");

  ByteReader r(block);
  uint64_t seen = 0;  // ids are below 64, one bit each
  while (!r.atEnd()) {
    uint32_t id;
    if (!r.readVarInt(id)) return malformed("invalid property identifier");
    if (id >= kSpecs.size() || kSpecs[id].type == ValueType::kNone) {
      return malformed("unknown property identifier " + std::to_string(id));
    }
    const PropertySpec& spec = kSpecs[id];
    if ((spec.contexts & bit(context)) == 0) {
      std::string problem = " is not allowed in ";
      problem += contextName(context);
      return propertyError(ReasonCode::kProtocolError, spec.name, problem);
    }
    // User Property may repeat anywhere; Subscription Identifier only in PUBLISH, where a server
    // lists one per matching subscription [MQTT-3.3.4-4]. Everything else at most once.
    bool repeatable =
        id == kUserProperty || (id == kSubscriptionIdentifier && context == C::kPublish);
    if (!repeatable) {
      uint64_t mask = uint64_t{1} << id;
      if (seen & mask) {
        return propertyError(ReasonCode::kProtocolError, spec.name, " appears more than once");
      }
      seen |= mask;
    }
    RawValue value;
    HEARTH_MQTT_TRY(readValue(r, spec, value));
    HEARTH_MQTT_TRY(store(id, spec, value, out));
  }
  return std::nullopt;
}

size_t propertiesLength(const Properties& p) {
  size_t n = 0;
  auto str = [&n](const std::optional<std::string>& s) {
    if (s) n += 1 + prefixedSize(*s);
  };
  if (p.payload_format_indicator) n += 2;
  if (p.message_expiry_interval) n += 5;
  str(p.content_type);
  str(p.response_topic);
  str(p.correlation_data);
  for (uint32_t id : p.subscription_identifiers) n += 1 + varIntSize(id);
  if (p.session_expiry_interval) n += 5;
  str(p.assigned_client_identifier);
  if (p.server_keep_alive) n += 3;
  str(p.authentication_method);
  str(p.authentication_data);
  if (p.request_problem_information) n += 2;
  if (p.will_delay_interval) n += 5;
  if (p.request_response_information) n += 2;
  str(p.response_information);
  str(p.server_reference);
  str(p.reason_string);
  if (p.receive_maximum) n += 3;
  if (p.topic_alias_maximum) n += 3;
  if (p.topic_alias) n += 3;
  if (p.maximum_qos) n += 2;
  if (p.retain_available) n += 2;
  for (const UserProperty& up : p.user_properties) {
    n += 1 + prefixedSize(up.key) + prefixedSize(up.value);
  }
  if (p.maximum_packet_size) n += 5;
  if (p.wildcard_subscription_available) n += 2;
  if (p.subscription_identifiers_available) n += 2;
  if (p.shared_subscription_available) n += 2;
  return n;
}

void writeProperties(ByteWriter& w, const Properties& p, size_t length) {
  w.writeVarInt(static_cast<uint32_t>(length));
  if (length == 0) return;
  auto u8 = [&w](uint8_t id, const std::optional<uint8_t>& v) {
    if (v) {
      w.writeU8(id);
      w.writeU8(*v);
    }
  };
  auto u16 = [&w](uint8_t id, const std::optional<uint16_t>& v) {
    if (v) {
      w.writeU8(id);
      w.writeU16(*v);
    }
  };
  auto u32 = [&w](uint8_t id, const std::optional<uint32_t>& v) {
    if (v) {
      w.writeU8(id);
      w.writeU32(*v);
    }
  };
  auto str = [&w](uint8_t id, const std::optional<std::string>& v) {
    if (v) {
      w.writeU8(id);
      w.writePrefixed(*v);
    }
  };
  u8(0x01, p.payload_format_indicator);
  u32(0x02, p.message_expiry_interval);
  str(0x03, p.content_type);
  str(0x08, p.response_topic);
  str(0x09, p.correlation_data);
  for (uint32_t id : p.subscription_identifiers) {
    w.writeU8(0x0B);
    w.writeVarInt(id);
  }
  u32(0x11, p.session_expiry_interval);
  str(0x12, p.assigned_client_identifier);
  u16(0x13, p.server_keep_alive);
  str(0x15, p.authentication_method);
  str(0x16, p.authentication_data);
  u8(0x17, p.request_problem_information);
  u32(0x18, p.will_delay_interval);
  u8(0x19, p.request_response_information);
  str(0x1A, p.response_information);
  str(0x1C, p.server_reference);
  str(0x1F, p.reason_string);
  u16(0x21, p.receive_maximum);
  u16(0x22, p.topic_alias_maximum);
  u16(0x23, p.topic_alias);
  u8(0x24, p.maximum_qos);
  u8(0x25, p.retain_available);
  for (const UserProperty& up : p.user_properties) {
    w.writeU8(0x26);
    w.writePrefixed(up.key);
    w.writePrefixed(up.value);
  }
  u32(0x27, p.maximum_packet_size);
  u8(0x28, p.wildcard_subscription_available);
  u8(0x29, p.subscription_identifiers_available);
  u8(0x2A, p.shared_subscription_available);
}

}  // namespace hearth::mqtt::detail

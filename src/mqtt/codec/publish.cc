// PUBLISH and its acknowledgements PUBACK, PUBREC, PUBREL, PUBCOMP (spec 3.3 - 3.7).
#include <string>

#include "hearth/mqtt/topic.h"
#include "mqtt/codec/packets.h"
#include "mqtt/codec/properties.h"

namespace hearth::mqtt::detail {
namespace {

constexpr uint8_t kRetainFlag = 0x01;
constexpr uint8_t kDupFlag = 0x08;

std::string_view pubResponseName(PacketType type) {
  switch (type) {
    case PacketType::kPubAck: return "PUBACK";
    case PacketType::kPubRec: return "PUBREC";
    case PacketType::kPubRel: return "PUBREL";
    default: return "PUBCOMP";
  }
}

PropertyContext pubResponseContext(PacketType type) {
  switch (type) {
    case PacketType::kPubAck: return PropertyContext::kPubAck;
    case PacketType::kPubRec: return PropertyContext::kPubRec;
    case PacketType::kPubRel: return PropertyContext::kPubRel;
    default: return PropertyContext::kPubComp;
  }
}

// PUBREL is the one acknowledgement whose fixed header flags are 0010 [MQTT-3.6.1-1].
uint8_t pubResponseFlags(PacketType type) { return type == PacketType::kPubRel ? 0x02 : 0x00; }

}  // namespace

DecodeError decodePublishBody(uint8_t flags, std::string_view body, ProtocolVersion v, Publish& p) {
  auto qos = static_cast<uint8_t>((flags >> 1) & 0x03);
  if (qos == 3) return malformed("PUBLISH with QoS 3");  // [MQTT-3.3.1-4]
  p.qos = static_cast<QoS>(qos);
  p.dup = flags & kDupFlag;
  p.retain = flags & kRetainFlag;
  if (p.dup && p.qos == QoS::k0)
    return malformed("PUBLISH with DUP set at QoS 0");  // [MQTT-3.3.1-2]

  ByteReader r(body);
  std::string_view topic;
  HEARTH_MQTT_TRY(readUtf8String(r, topic, "topic name"));
  // isValidTopicName also rejects the empty topic, which is decided below.
  if (!topic.empty() && !isValidTopicName(topic)) {
    return makeError(ReasonCode::kTopicNameInvalid, "wildcard in PUBLISH topic name");
  }
  if (p.qos != QoS::k0) {
    if (!r.readU16(p.packet_id)) return truncated("packet identifier");
    HEARTH_MQTT_TRY(checkPacketId(p.packet_id, "PUBLISH"));
  }
  if (v == ProtocolVersion::kV5) {
    HEARTH_MQTT_TRY(decodeProperties(r, PropertyContext::kPublish, p.properties));
    // An empty topic name is how a sender uses an established Topic Alias [MQTT-3.3.2-8]; whether
    // the alias is known is session state, checked by the broker.
    if (topic.empty() && !p.properties.topic_alias) {
      return protocolError("empty topic name without a Topic Alias");
    }
  } else if (topic.empty()) {
    return makeError(ReasonCode::kTopicNameInvalid, "empty PUBLISH topic name");
  }
  p.topic.assign(topic);
  p.payload.assign(r.readRest());
  return std::nullopt;
}

size_t bodySize(const Publish& p, ProtocolVersion v) {
  size_t n = prefixedSize(p.topic) + p.payload.size();
  if (p.qos != QoS::k0) n += 2;
  if (v == ProtocolVersion::kV5) n += propertiesFieldSize(propertiesLength(p.properties));
  return n;
}

void encodePacket(const Publish& p, ProtocolVersion v, std::string& out) {
  bool v5 = v == ProtocolVersion::kV5;
  size_t props = v5 ? propertiesLength(p.properties) : 0;
  size_t body = prefixedSize(p.topic) + p.payload.size() + (p.qos != QoS::k0 ? 2 : 0) +
                (v5 ? propertiesFieldSize(props) : 0);
  auto flags = static_cast<uint8_t>(static_cast<uint8_t>(p.qos) << 1);
  if (p.dup) flags |= kDupFlag;
  if (p.retain) flags |= kRetainFlag;
  ByteWriter w = startPacket(out, firstByte(PacketType::kPublish, flags), body);
  w.writePrefixed(p.topic);
  if (p.qos != QoS::k0) w.writeU16(p.packet_id);
  if (v5) writeProperties(w, p.properties, props);
  w.writeBytes(p.payload);
  finishPacket(w, out);
}

DecodeError decodePubResponseBody(PacketType type, uint8_t flags, std::string_view body,
                                  ProtocolVersion v, PubResponse& p) {
  std::string_view name = pubResponseName(type);
  HEARTH_MQTT_TRY(checkFlags(flags, pubResponseFlags(type), name));
  ByteReader r(body);
  p.type = type;
  if (!r.readU16(p.packet_id)) return truncated(name);
  HEARTH_MQTT_TRY(checkPacketId(p.packet_id, name));
  // MQTT 5.0 may stop after the packet id (Success, no properties) or after the reason code (no
  // properties) [MQTT-3.4.2-1, 3.4.2.2.1].
  if (v == ProtocolVersion::kV5 && !r.atEnd()) {
    uint8_t code;
    if (!r.readU8(code)) return truncated(name);
    if (!isAllowedReasonCode(type, code)) {
      return protocolError("invalid " + std::string(name) + " reason code " + std::to_string(code));
    }
    p.reason_code = static_cast<ReasonCode>(code);
    if (!r.atEnd()) HEARTH_MQTT_TRY(decodeProperties(r, pubResponseContext(type), p.properties));
  }
  return checkEnd(r, name);
}

size_t bodySize(const PubResponse& p, ProtocolVersion v) {
  if (v != ProtocolVersion::kV5) return 2;
  size_t props = propertiesLength(p.properties);
  if (props == 0) return p.reason_code == ReasonCode::kSuccess ? 2 : 3;
  return 3 + propertiesFieldSize(props);
}

void encodePacket(const PubResponse& p, ProtocolVersion v, std::string& out) {
  bool v5 = v == ProtocolVersion::kV5;
  size_t props = v5 ? propertiesLength(p.properties) : 0;
  // The shortest form that carries everything: the reason code only when it is not Success or
  // properties follow, the Property Length only when there are properties.
  bool with_reason = v5 && (props != 0 || p.reason_code != ReasonCode::kSuccess);
  size_t body = 2 + (with_reason ? 1 : 0) + (props != 0 ? propertiesFieldSize(props) : 0);
  ByteWriter w = startPacket(out, firstByte(p.type, pubResponseFlags(p.type)), body);
  w.writeU16(p.packet_id);
  if (with_reason) w.writeU8(static_cast<uint8_t>(p.reason_code));
  if (props != 0) writeProperties(w, p.properties, props);
  finishPacket(w, out);
}

}  // namespace hearth::mqtt::detail

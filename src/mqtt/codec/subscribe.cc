// SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (spec 3.8 - 3.11).
#include <string>

#include "hearth/mqtt/topic.h"
#include "mqtt/codec/packets.h"
#include "mqtt/codec/properties.h"

namespace hearth::mqtt::detail {
namespace {

// SUBSCRIBE and UNSUBSCRIBE carry fixed header flags 0010 [MQTT-3.8.1-1, MQTT-3.10.1-1].
constexpr uint8_t kSubscribeFlags = 0x02;

// Subscription Options bits (spec 3.8.3.1).
constexpr uint8_t kOptQosMask = 0x03;
constexpr uint8_t kOptNoLocal = 0x04;
constexpr uint8_t kOptRetainAsPublished = 0x08;
constexpr uint8_t kOptRetainHandlingShift = 4;
constexpr uint8_t kOptReservedV5 = 0xC0;
constexpr uint8_t kOptReservedV311 = 0xFC;  // 3.1.1 has only the QoS bits [MQTT-3.8.3-4]

DecodeError readTopicFilter(ByteReader& r, std::string_view& filter) {
  HEARTH_MQTT_TRY(readUtf8String(r, filter, "topic filter"));
  if (!isValidTopicFilter(filter))
    return makeError(ReasonCode::kTopicFilterInvalid, "invalid topic filter");
  return std::nullopt;
}

DecodeError decodeOptions(uint8_t byte, ProtocolVersion v, std::string_view filter,
                          SubscriptionOptions& out) {
  bool v5 = v == ProtocolVersion::kV5;
  if (byte & (v5 ? kOptReservedV5 : kOptReservedV311)) {
    return malformed("reserved subscription option bits set");
  }
  uint8_t qos = byte & kOptQosMask;
  if (qos == 3) return malformed("subscription with QoS 3");
  out.max_qos = static_cast<QoS>(qos);
  if (!v5) return std::nullopt;
  out.no_local = byte & kOptNoLocal;
  out.retain_as_published = byte & kOptRetainAsPublished;
  out.retain_handling = static_cast<uint8_t>(byte >> kOptRetainHandlingShift) & 0x03;
  if (out.retain_handling == 3) return protocolError("Retain Handling 3");
  std::string_view group;
  std::string_view shared_filter;
  if (out.no_local && parseSharedSubscription(filter, group, shared_filter)) {
    return protocolError("No Local on a shared subscription");  // [MQTT-3.8.3-4]
  }
  return std::nullopt;
}

uint8_t encodeOptions(const SubscriptionOptions& o, ProtocolVersion v) {
  auto byte = static_cast<uint8_t>(o.max_qos);
  if (v != ProtocolVersion::kV5) return byte;
  if (o.no_local) byte |= kOptNoLocal;
  if (o.retain_as_published) byte |= kOptRetainAsPublished;
  byte |= static_cast<uint8_t>((o.retain_handling & 0x03) << kOptRetainHandlingShift);
  return byte;
}

bool isAllowedV311SubackCode(uint8_t code) { return code <= 2 || code == 0x80; }

// Reads the reason codes that fill the rest of a SUBACK or UNSUBACK payload; there must be at
// least one, as the packet answers at least one topic filter.
DecodeError readReasonCodes(ByteReader& r, PacketType type, ProtocolVersion v,
                            std::vector<ReasonCode>& out, std::string_view name) {
  if (r.atEnd()) return protocolError(std::string(name) + " without reason codes");
  std::string_view codes = r.readRest();
  out.reserve(codes.size());  // bounded by the bytes present
  for (char ch : codes) {
    auto code = static_cast<uint8_t>(ch);
    bool ok =
        v == ProtocolVersion::kV5 ? isAllowedReasonCode(type, code) : isAllowedV311SubackCode(code);
    if (!ok)
      return protocolError("invalid " + std::string(name) + " reason code " + std::to_string(code));
    out.push_back(static_cast<ReasonCode>(code));
  }
  return std::nullopt;
}

size_t subscribeBody(const Subscribe& p, size_t props, ProtocolVersion v) {
  size_t n = 2 + (v == ProtocolVersion::kV5 ? propertiesFieldSize(props) : 0);
  for (const Subscription& s : p.subscriptions) n += prefixedSize(s.filter) + 1;
  return n;
}

size_t unsubscribeBody(const Unsubscribe& p, size_t props, ProtocolVersion v) {
  size_t n = 2 + (v == ProtocolVersion::kV5 ? propertiesFieldSize(props) : 0);
  for (const std::string& f : p.filters) n += prefixedSize(f);
  return n;
}

}  // namespace

DecodeError decodeSubscribeBody(uint8_t flags, std::string_view body, ProtocolVersion v,
                                Subscribe& p) {
  HEARTH_MQTT_TRY(checkFlags(flags, kSubscribeFlags, "SUBSCRIBE"));
  ByteReader r(body);
  if (!r.readU16(p.packet_id)) return truncated("packet identifier");
  HEARTH_MQTT_TRY(checkPacketId(p.packet_id, "SUBSCRIBE"));
  if (v == ProtocolVersion::kV5) {
    HEARTH_MQTT_TRY(decodeProperties(r, PropertyContext::kSubscribe, p.properties));
  }
  if (r.atEnd()) return protocolError("SUBSCRIBE without topic filters");  // [MQTT-3.8.3-2]
  while (!r.atEnd()) {
    std::string_view filter;
    HEARTH_MQTT_TRY(readTopicFilter(r, filter));
    uint8_t options;
    if (!r.readU8(options)) return truncated("subscription options");
    Subscription& s = p.subscriptions.emplace_back();
    HEARTH_MQTT_TRY(decodeOptions(options, v, filter, s.options));
    s.filter.assign(filter);
  }
  return std::nullopt;
}

size_t bodySize(const Subscribe& p, ProtocolVersion v) {
  return subscribeBody(p, v == ProtocolVersion::kV5 ? propertiesLength(p.properties) : 0, v);
}

void encodePacket(const Subscribe& p, ProtocolVersion v, std::string& out) {
  bool v5 = v == ProtocolVersion::kV5;
  size_t props = v5 ? propertiesLength(p.properties) : 0;
  ByteWriter w = startPacket(out, firstByte(PacketType::kSubscribe, kSubscribeFlags),
                             subscribeBody(p, props, v));
  w.writeU16(p.packet_id);
  if (v5) writeProperties(w, p.properties, props);
  for (const Subscription& s : p.subscriptions) {
    w.writePrefixed(s.filter);
    w.writeU8(encodeOptions(s.options, v));
  }
  finishPacket(w, out);
}

DecodeError decodeSubAckBody(uint8_t flags, std::string_view body, ProtocolVersion v, SubAck& p) {
  HEARTH_MQTT_TRY(checkFlags(flags, 0, "SUBACK"));
  ByteReader r(body);
  if (!r.readU16(p.packet_id)) return truncated("packet identifier");
  HEARTH_MQTT_TRY(checkPacketId(p.packet_id, "SUBACK"));
  if (v == ProtocolVersion::kV5) {
    HEARTH_MQTT_TRY(decodeProperties(r, PropertyContext::kSubAck, p.properties));
  }
  return readReasonCodes(r, PacketType::kSubAck, v, p.reason_codes, "SUBACK");
}

size_t bodySize(const SubAck& p, ProtocolVersion v) {
  size_t n = 2 + p.reason_codes.size();
  if (v == ProtocolVersion::kV5) n += propertiesFieldSize(propertiesLength(p.properties));
  return n;
}

void encodePacket(const SubAck& p, ProtocolVersion v, std::string& out) {
  bool v5 = v == ProtocolVersion::kV5;
  size_t props = v5 ? propertiesLength(p.properties) : 0;
  size_t body = 2 + p.reason_codes.size() + (v5 ? propertiesFieldSize(props) : 0);
  ByteWriter w = startPacket(out, firstByte(PacketType::kSubAck), body);
  w.writeU16(p.packet_id);
  if (v5) writeProperties(w, p.properties, props);
  for (ReasonCode rc : p.reason_codes) {
    w.writeU8(v5 ? static_cast<uint8_t>(rc) : toV311SubackCode(rc));
  }
  finishPacket(w, out);
}

DecodeError decodeUnsubscribeBody(uint8_t flags, std::string_view body, ProtocolVersion v,
                                  Unsubscribe& p) {
  HEARTH_MQTT_TRY(checkFlags(flags, kSubscribeFlags, "UNSUBSCRIBE"));
  ByteReader r(body);
  if (!r.readU16(p.packet_id)) return truncated("packet identifier");
  HEARTH_MQTT_TRY(checkPacketId(p.packet_id, "UNSUBSCRIBE"));
  if (v == ProtocolVersion::kV5) {
    HEARTH_MQTT_TRY(decodeProperties(r, PropertyContext::kUnsubscribe, p.properties));
  }
  if (r.atEnd()) return protocolError("UNSUBSCRIBE without topic filters");  // [MQTT-3.10.3-2]
  while (!r.atEnd()) {
    std::string_view filter;
    HEARTH_MQTT_TRY(readTopicFilter(r, filter));
    p.filters.emplace_back(filter);
  }
  return std::nullopt;
}

size_t bodySize(const Unsubscribe& p, ProtocolVersion v) {
  return unsubscribeBody(p, v == ProtocolVersion::kV5 ? propertiesLength(p.properties) : 0, v);
}

void encodePacket(const Unsubscribe& p, ProtocolVersion v, std::string& out) {
  bool v5 = v == ProtocolVersion::kV5;
  size_t props = v5 ? propertiesLength(p.properties) : 0;
  ByteWriter w = startPacket(out, firstByte(PacketType::kUnsubscribe, kSubscribeFlags),
                             unsubscribeBody(p, props, v));
  w.writeU16(p.packet_id);
  if (v5) writeProperties(w, p.properties, props);
  for (const std::string& f : p.filters) w.writePrefixed(f);
  finishPacket(w, out);
}

DecodeError decodeUnsubAckBody(uint8_t flags, std::string_view body, ProtocolVersion v,
                               UnsubAck& p) {
  HEARTH_MQTT_TRY(checkFlags(flags, 0, "UNSUBACK"));
  ByteReader r(body);
  if (!r.readU16(p.packet_id)) return truncated("packet identifier");
  HEARTH_MQTT_TRY(checkPacketId(p.packet_id, "UNSUBACK"));
  if (v == ProtocolVersion::kV5) {
    HEARTH_MQTT_TRY(decodeProperties(r, PropertyContext::kUnsubAck, p.properties));
    HEARTH_MQTT_TRY(readReasonCodes(r, PacketType::kUnsubAck, v, p.reason_codes, "UNSUBACK"));
  }
  return checkEnd(r, "UNSUBACK");  // a 3.1.1 UNSUBACK has no payload
}

size_t bodySize(const UnsubAck& p, ProtocolVersion v) {
  if (v != ProtocolVersion::kV5) return 2;
  return 2 + propertiesFieldSize(propertiesLength(p.properties)) + p.reason_codes.size();
}

void encodePacket(const UnsubAck& p, ProtocolVersion v, std::string& out) {
  bool v5 = v == ProtocolVersion::kV5;
  size_t props = v5 ? propertiesLength(p.properties) : 0;
  size_t body = v5 ? 2 + propertiesFieldSize(props) + p.reason_codes.size() : 2;
  ByteWriter w = startPacket(out, firstByte(PacketType::kUnsubAck), body);
  w.writeU16(p.packet_id);
  if (v5) {
    writeProperties(w, p.properties, props);
    for (ReasonCode rc : p.reason_codes) w.writeU8(static_cast<uint8_t>(rc));
  }
  finishPacket(w, out);
}

}  // namespace hearth::mqtt::detail

// CONNECT and CONNACK (spec 3.1, 3.2; MQTT 3.1.1 sections 3.1, 3.2).
#include <string>

#include "hearth/mqtt/topic.h"
#include "mqtt/codec/packets.h"
#include "mqtt/codec/properties.h"

namespace hearth::mqtt::detail {
namespace {

constexpr std::string_view kProtocolName = "MQTT";

// Connect Flags bits (spec 3.1.2.3).
constexpr uint8_t kFlagReserved = 0x01;
constexpr uint8_t kFlagCleanStart = 0x02;
constexpr uint8_t kFlagWill = 0x04;
constexpr uint8_t kFlagWillQosShift = 3;
constexpr uint8_t kFlagWillRetain = 0x20;
constexpr uint8_t kFlagPassword = 0x40;
constexpr uint8_t kFlagUserName = 0x80;

CodecError unsupported(std::string message) {
  return makeError(ReasonCode::kUnsupportedProtocolVersion, std::move(message));
}

struct ConnectSizes {
  size_t properties = 0;       // propertiesLength of the CONNECT properties
  size_t will_properties = 0;  // and of the will properties
  size_t body = 0;
};

ConnectSizes connectSizes(const Connect& p, ProtocolVersion v) {
  ConnectSizes s;
  // Protocol Name, Protocol Level, Connect Flags, Keep Alive.
  s.body = prefixedSize(kProtocolName) + 1 + 1 + 2 + prefixedSize(p.client_id);
  bool v5 = v == ProtocolVersion::kV5;
  if (v5) {
    s.properties = propertiesLength(p.properties);
    s.body += propertiesFieldSize(s.properties);
  }
  if (p.will) {
    if (v5) {
      s.will_properties = propertiesLength(p.will->properties);
      s.body += propertiesFieldSize(s.will_properties);
    }
    s.body += prefixedSize(p.will->topic) + prefixedSize(p.will->payload);
  }
  if (p.username) s.body += prefixedSize(*p.username);
  if (p.password) s.body += prefixedSize(*p.password);
  return s;
}

// MQTT 3.1.1 CONNACK return codes 0..5 (3.1.1 table 3.1) as the reason codes they stand for.
bool fromV311ConnackCode(uint8_t code, ReasonCode& out) {
  switch (code) {
    case 0: out = ReasonCode::kSuccess; return true;
    case 1: out = ReasonCode::kUnsupportedProtocolVersion; return true;
    case 2: out = ReasonCode::kClientIdentifierNotValid; return true;
    case 3: out = ReasonCode::kServerUnavailable; return true;
    case 4: out = ReasonCode::kBadUserNameOrPassword; return true;
    case 5: out = ReasonCode::kNotAuthorized; return true;
    default: return false;
  }
}

}  // namespace

DecodeError decodeConnectBody(uint8_t flags, std::string_view body, Connect& c) {
  HEARTH_MQTT_TRY(checkFlags(flags, 0, "CONNECT"));
  ByteReader r(body);

  // An unknown protocol name or level means "not a protocol I speak" rather than a malformed
  // packet, so the broker can answer with CONNACK 0x84 / return code 1 [MQTT-3.1.2-2].
  std::string_view name;
  if (!r.readBinary(name)) return truncated("protocol name");
  if (name != kProtocolName) return unsupported("unknown protocol name");
  uint8_t level;
  if (!r.readU8(level)) return truncated("protocol level");
  if (level == static_cast<uint8_t>(ProtocolVersion::kV311)) {
    c.version = ProtocolVersion::kV311;
  } else if (level == static_cast<uint8_t>(ProtocolVersion::kV5)) {
    c.version = ProtocolVersion::kV5;
  } else {
    return unsupported("unsupported protocol level " + std::to_string(level));
  }
  bool v5 = c.version == ProtocolVersion::kV5;

  uint8_t cf;
  if (!r.readU8(cf)) return truncated("connect flags");
  if (cf & kFlagReserved) return malformed("reserved connect flag set");
  uint8_t will_qos = (cf >> kFlagWillQosShift) & 0x03;
  bool will = cf & kFlagWill;
  if (will_qos == 3) return malformed("will QoS 3");
  if (!will && (will_qos != 0 || (cf & kFlagWillRetain))) {
    return malformed("will QoS or retain set without the will flag");
  }
  if (!v5 && (cf & kFlagPassword) && !(cf & kFlagUserName)) {
    return malformed("password flag without user name flag");
  }
  c.clean_start = cf & kFlagCleanStart;
  if (!r.readU16(c.keep_alive)) return truncated("keep alive");

  if (v5) {
    HEARTH_MQTT_TRY(decodeProperties(r, PropertyContext::kConnect, c.properties));
    if (c.properties.authentication_data && !c.properties.authentication_method) {
      return protocolError("Authentication Data without Authentication Method");
    }
  }

  std::string_view text;
  HEARTH_MQTT_TRY(readUtf8String(r, text, "client identifier"));
  c.client_id.assign(text);

  if (will) {
    Will& w = c.will.emplace();
    w.qos = static_cast<QoS>(will_qos);
    w.retain = cf & kFlagWillRetain;
    if (v5) HEARTH_MQTT_TRY(decodeProperties(r, PropertyContext::kWill, w.properties));
    HEARTH_MQTT_TRY(readUtf8String(r, text, "will topic"));
    if (!isValidTopicName(text)) {
      return makeError(ReasonCode::kTopicNameInvalid, "invalid will topic");
    }
    w.topic.assign(text);
    HEARTH_MQTT_TRY(readBinaryData(r, text, "will payload"));
    w.payload.assign(text);
  }
  if (cf & kFlagUserName) {
    HEARTH_MQTT_TRY(readUtf8String(r, text, "user name"));
    c.username.emplace(text);
  }
  if (cf & kFlagPassword) {
    HEARTH_MQTT_TRY(readBinaryData(r, text, "password"));
    c.password.emplace(text);
  }
  return checkEnd(r, "CONNECT");
}

size_t bodySize(const Connect& p, ProtocolVersion v) { return connectSizes(p, v).body; }

void encodePacket(const Connect& p, ProtocolVersion v, std::string& out) {
  ConnectSizes sizes = connectSizes(p, v);
  ByteWriter w = startPacket(out, firstByte(PacketType::kConnect), sizes.body);
  w.writePrefixed(kProtocolName);
  w.writeU8(static_cast<uint8_t>(v));
  uint8_t cf = 0;
  if (p.clean_start) cf |= kFlagCleanStart;
  if (p.will) {
    cf |= kFlagWill;
    cf |= static_cast<uint8_t>(static_cast<uint8_t>(p.will->qos) << kFlagWillQosShift);
    if (p.will->retain) cf |= kFlagWillRetain;
  }
  if (p.username) cf |= kFlagUserName;
  if (p.password) cf |= kFlagPassword;
  w.writeU8(cf);
  w.writeU16(p.keep_alive);
  bool v5 = v == ProtocolVersion::kV5;
  if (v5) writeProperties(w, p.properties, sizes.properties);
  w.writePrefixed(p.client_id);
  if (p.will) {
    if (v5) writeProperties(w, p.will->properties, sizes.will_properties);
    w.writePrefixed(p.will->topic);
    w.writePrefixed(p.will->payload);
  }
  if (p.username) w.writePrefixed(*p.username);
  if (p.password) w.writePrefixed(*p.password);
  finishPacket(w, out);
}

DecodeError decodeConnAckBody(uint8_t flags, std::string_view body, ProtocolVersion v, ConnAck& a) {
  HEARTH_MQTT_TRY(checkFlags(flags, 0, "CONNACK"));
  ByteReader r(body);
  uint8_t ack_flags;
  uint8_t code;
  if (!r.readU8(ack_flags) || !r.readU8(code)) return truncated("CONNACK");
  if (ack_flags & 0xFE) return malformed("reserved CONNACK flag set");
  a.session_present = ack_flags & 0x01;
  if (v == ProtocolVersion::kV5) {
    if (!isAllowedReasonCode(PacketType::kConnAck, code)) {
      return protocolError("invalid CONNACK reason code " + std::to_string(code));
    }
    a.reason_code = static_cast<ReasonCode>(code);
    HEARTH_MQTT_TRY(decodeProperties(r, PropertyContext::kConnAck, a.properties));
  } else if (!fromV311ConnackCode(code, a.reason_code)) {
    return protocolError("invalid CONNACK return code " + std::to_string(code));
  }
  return checkEnd(r, "CONNACK");
}

size_t bodySize(const ConnAck& p, ProtocolVersion v) {
  if (v != ProtocolVersion::kV5) return 2;
  return 2 + propertiesFieldSize(propertiesLength(p.properties));
}

void encodePacket(const ConnAck& p, ProtocolVersion v, std::string& out) {
  bool v5 = v == ProtocolVersion::kV5;
  size_t props = v5 ? propertiesLength(p.properties) : 0;
  size_t body = v5 ? 2 + propertiesFieldSize(props) : 2;
  ByteWriter w = startPacket(out, firstByte(PacketType::kConnAck), body);
  w.writeU8(p.session_present ? 1 : 0);
  if (v5) {
    w.writeU8(static_cast<uint8_t>(p.reason_code));
    writeProperties(w, p.properties, props);
  } else {
    w.writeU8(toV311ConnackCode(p.reason_code));
  }
  finishPacket(w, out);
}

}  // namespace hearth::mqtt::detail

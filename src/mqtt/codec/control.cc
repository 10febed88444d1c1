// PINGREQ, PINGRESP, DISCONNECT and AUTH (spec 3.12 - 3.15).
#include <string>

#include "mqtt/codec/packets.h"
#include "mqtt/codec/properties.h"

namespace hearth::mqtt::detail {
namespace {

// DISCONNECT and AUTH share a shape: a reason code and properties, both omittable.
template <class T>
DecodeError decodeReasonAndProperties(ByteReader& r, PacketType type, PropertyContext context,
                                      std::string_view name, T& out) {
  uint8_t code;
  if (!r.readU8(code)) return truncated(name);
  if (!isAllowedReasonCode(type, code)) {
    return protocolError("invalid " + std::string(name) + " reason code " + std::to_string(code));
  }
  out.reason_code = static_cast<ReasonCode>(code);
  return decodeProperties(r, context, out.properties);
}

}  // namespace

DecodeError checkEmptyPacket(PacketType type, uint8_t flags, std::string_view body) {
  std::string_view name = type == PacketType::kPingReq ? "PINGREQ" : "PINGRESP";
  HEARTH_MQTT_TRY(checkFlags(flags, 0, name));
  if (!body.empty()) return malformed(std::string(name) + " with a body");
  return std::nullopt;
}

void encodePacket(const PingReq&, ProtocolVersion, std::string& out) {
  ByteWriter w = startPacket(out, firstByte(PacketType::kPingReq), 0);
  finishPacket(w, out);
}

void encodePacket(const PingResp&, ProtocolVersion, std::string& out) {
  ByteWriter w = startPacket(out, firstByte(PacketType::kPingResp), 0);
  finishPacket(w, out);
}

DecodeError decodeDisconnectBody(uint8_t flags, std::string_view body, ProtocolVersion v,
                                 Disconnect& d) {
  HEARTH_MQTT_TRY(checkFlags(flags, 0, "DISCONNECT"));
  if (v != ProtocolVersion::kV5) {
    if (!body.empty()) return malformed("MQTT 3.1.1 DISCONNECT with a body");
    return std::nullopt;
  }
  // Remaining Length 0 means Normal disconnection; 1 means a reason code without properties
  // [3.14.2.1, 3.14.2.2.1].
  ByteReader r(body);
  if (body.size() == 1) {
    uint8_t code;
    if (!r.readU8(code)) return truncated("DISCONNECT");
    if (!isAllowedReasonCode(PacketType::kDisconnect, code)) {
      return protocolError("invalid DISCONNECT reason code " + std::to_string(code));
    }
    d.reason_code = static_cast<ReasonCode>(code);
  } else if (!body.empty()) {
    HEARTH_MQTT_TRY(decodeReasonAndProperties(r, PacketType::kDisconnect,
                                              PropertyContext::kDisconnect, "DISCONNECT", d));
  }
  return checkEnd(r, "DISCONNECT");
}

size_t bodySize(const Disconnect& p, ProtocolVersion v) {
  if (v != ProtocolVersion::kV5) return 0;
  size_t props = propertiesLength(p.properties);
  if (props == 0) return p.reason_code == ReasonCode::kSuccess ? 0 : 1;
  return 1 + propertiesFieldSize(props);
}

void encodePacket(const Disconnect& p, ProtocolVersion v, std::string& out) {
  bool v5 = v == ProtocolVersion::kV5;
  size_t props = v5 ? propertiesLength(p.properties) : 0;
  bool with_reason = v5 && (props != 0 || p.reason_code != ReasonCode::kSuccess);
  size_t body = (with_reason ? 1 : 0) + (props != 0 ? propertiesFieldSize(props) : 0);
  ByteWriter w = startPacket(out, firstByte(PacketType::kDisconnect), body);
  if (with_reason) w.writeU8(static_cast<uint8_t>(p.reason_code));
  if (props != 0) writeProperties(w, p.properties, props);
  finishPacket(w, out);
}

DecodeError decodeAuthBody(uint8_t flags, std::string_view body, ProtocolVersion v, Auth& a) {
  if (v != ProtocolVersion::kV5) return malformed("AUTH is reserved in MQTT 3.1.1");
  HEARTH_MQTT_TRY(checkFlags(flags, 0, "AUTH"));
  // Only the whole variable header may be left out (Success, no properties) [3.15.2.1]; unlike
  // DISCONNECT there is no form with a reason code alone.
  if (body.empty()) return std::nullopt;
  ByteReader r(body);
  HEARTH_MQTT_TRY(
      decodeReasonAndProperties(r, PacketType::kAuth, PropertyContext::kAuth, "AUTH", a));
  return checkEnd(r, "AUTH");
}

size_t bodySize(const Auth& p, ProtocolVersion v) {
  if (v != ProtocolVersion::kV5) return 0;
  size_t props = propertiesLength(p.properties);
  if (props == 0 && p.reason_code == ReasonCode::kSuccess) return 0;
  return 1 + propertiesFieldSize(props);
}

void encodePacket(const Auth& p, ProtocolVersion v, std::string& out) {
  // AUTH does not exist in MQTT 3.1.1: nothing to write (encodedSize says 0 too).
  if (v != ProtocolVersion::kV5) return;
  size_t props = propertiesLength(p.properties);
  bool short_form = props == 0 && p.reason_code == ReasonCode::kSuccess;
  size_t body = short_form ? 0 : 1 + propertiesFieldSize(props);
  ByteWriter w = startPacket(out, firstByte(PacketType::kAuth), body);
  if (!short_form) {
    w.writeU8(static_cast<uint8_t>(p.reason_code));
    writeProperties(w, p.properties, props);
  }
  finishPacket(w, out);
}

}  // namespace hearth::mqtt::detail

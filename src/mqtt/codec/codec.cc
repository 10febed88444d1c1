// decode / decodeConnect / encode / encodedSize: fixed-header handling and dispatch by type.
#include "hearth/mqtt/codec.h"

#include <string>

#include "mqtt/codec/packets.h"

namespace hearth::mqtt {
namespace {

// Decodes a body into a T built in place inside the Packet: the packet structs are large
// (Properties alone is ~500 bytes), so they are filled where they will live rather than moved
// out of per-packet results.
template <class T, class Fn>
CodecResult<Packet> decodeInto(Fn&& decode_body) {
  Packet packet(std::in_place_type<T>);
  HEARTH_MQTT_TRY(decode_body(std::get<T>(packet)));
  return packet;
}

// Splits a whole packet into its fixed header and body; the packet must be exactly one frame.
CodecResult<Frame> splitPacket(std::string_view packet) {
  Frame frame;
  switch (detail::parseFixedHeader(packet, frame)) {
    case detail::HeaderStatus::kNeedMore: return detail::malformed("truncated fixed header");
    case detail::HeaderStatus::kBadLength:
      return detail::malformed("Remaining Length longer than four bytes");
    case detail::HeaderStatus::kOk: break;
  }
  if (packet.size() < frame.size())
    return detail::malformed("Remaining Length overruns the packet");
  if (packet.size() > frame.size()) return detail::malformed("bytes after the end of the packet");
  return frame;
}

}  // namespace

CodecResult<Connect> decodeConnect(std::string_view packet) {
  auto frame = splitPacket(packet);
  if (!frame) return std::move(frame).error();
  if ((frame->first_byte >> 4) != static_cast<uint8_t>(PacketType::kConnect)) {
    return detail::protocolError("expected CONNECT");
  }
  Connect connect;
  HEARTH_MQTT_TRY(detail::decodeConnectBody(frame->first_byte & 0x0F,
                                            packet.substr(frame->header_size), connect));
  return connect;
}

CodecResult<Packet> decode(std::string_view packet, ProtocolVersion version) {
  auto frame = splitPacket(packet);
  if (!frame) return std::move(frame).error();
  auto type = static_cast<PacketType>(frame->first_byte >> 4);
  uint8_t flags = frame->first_byte & 0x0F;
  std::string_view body = packet.substr(frame->header_size);
  using namespace detail;  // NOLINT: the per-packet functions
  switch (type) {
    case PacketType::kConnect:
      return decodeInto<Connect>([&](Connect& c) -> DecodeError {
        HEARTH_MQTT_TRY(decodeConnectBody(flags, body, c));
        if (c.version != version) {
          return protocolError("CONNECT protocol version differs from the connection's");
        }
        return std::nullopt;
      });
    case PacketType::kConnAck:
      return decodeInto<ConnAck>(
          [&](ConnAck& p) { return decodeConnAckBody(flags, body, version, p); });
    case PacketType::kPublish:
      return decodeInto<Publish>(
          [&](Publish& p) { return decodePublishBody(flags, body, version, p); });
    case PacketType::kPubAck:
    case PacketType::kPubRec:
    case PacketType::kPubRel:
    case PacketType::kPubComp:
      return decodeInto<PubResponse>(
          [&](PubResponse& p) { return decodePubResponseBody(type, flags, body, version, p); });
    case PacketType::kSubscribe:
      return decodeInto<Subscribe>(
          [&](Subscribe& p) { return decodeSubscribeBody(flags, body, version, p); });
    case PacketType::kSubAck:
      return decodeInto<SubAck>(
          [&](SubAck& p) { return decodeSubAckBody(flags, body, version, p); });
    case PacketType::kUnsubscribe:
      return decodeInto<Unsubscribe>(
          [&](Unsubscribe& p) { return decodeUnsubscribeBody(flags, body, version, p); });
    case PacketType::kUnsubAck:
      return decodeInto<UnsubAck>(
          [&](UnsubAck& p) { return decodeUnsubAckBody(flags, body, version, p); });
    case PacketType::kPingReq:
      HEARTH_MQTT_TRY(checkEmptyPacket(type, flags, body));
      return Packet(PingReq{});
    case PacketType::kPingResp:
      HEARTH_MQTT_TRY(checkEmptyPacket(type, flags, body));
      return Packet(PingResp{});
    case PacketType::kDisconnect:
      return decodeInto<Disconnect>(
          [&](Disconnect& p) { return decodeDisconnectBody(flags, body, version, p); });
    case PacketType::kAuth:
      return decodeInto<Auth>([&](Auth& p) { return decodeAuthBody(flags, body, version, p); });
  }
  return malformed("reserved packet type 0");
}

void encode(const Packet& packet, ProtocolVersion version, std::string& out) {
  std::visit([&](const auto& p) { detail::encodePacket(p, version, out); }, packet);
}

void encode(const Publish& publish, ProtocolVersion version, std::string& out) {
  detail::encodePacket(publish, version, out);
}

size_t encodedSize(const Publish& publish, ProtocolVersion version) {
  return detail::packetSize(detail::bodySize(publish, version));
}

size_t encodedSize(const Packet& packet, ProtocolVersion version) {
  // AUTH has no MQTT 3.1.1 form; encode writes nothing for it.
  if (version != ProtocolVersion::kV5 && std::holds_alternative<Auth>(packet)) return 0;
  size_t body = std::visit([&](const auto& p) { return detail::bodySize(p, version); }, packet);
  return detail::packetSize(body);
}

}  // namespace hearth::mqtt

// The per-packet decoders and encoders behind codec.h, and the fixed-header helpers they share.
//
// A decoder gets the flags nibble of the fixed header and the packet body (everything after the
// Remaining Length); it checks the flags, reads every field with bounds checks and rejects
// trailing bytes. It fills a default-constructed packet in place, so decode() can build the
// packet inside the returned variant instead of moving a large struct through several layers.
//
// encodePacket appends one whole packet; bodySize computes the Remaining Length it will write, so
// encodedSize and encode cannot disagree. Both are overloaded per packet type, so codec.cc
// dispatches with one std::visit.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hearth/mqtt/codec.h"
#include "mqtt/codec/byte_reader.h"
#include "mqtt/codec/byte_writer.h"

namespace hearth::mqtt::detail {

enum class HeaderStatus { kOk, kNeedMore, kBadLength };

// Parses the fixed header at the start of `buffer` (type and flags, Remaining Length). kNeedMore
// when the Remaining Length is cut off; kBadLength when it would need a fifth byte.
HeaderStatus parseFixedHeader(std::string_view buffer, Frame& frame);

inline size_t packetSize(size_t body_size) {
  return 1 + varIntSize(static_cast<uint32_t>(body_size)) + body_size;
}

// Grows `out` by one whole packet (sized once, no reallocation while writing) and writes the
// fixed header; the returned writer sits at the start of the body.
inline ByteWriter startPacket(std::string& out, uint8_t first_byte, size_t body_size) {
  assert(body_size <= kMaxVarInt);
  size_t old_size = out.size();
  out.resize(old_size + packetSize(body_size));
  ByteWriter w(out.data() + old_size);
  w.writeU8(first_byte);
  w.writeVarInt(static_cast<uint32_t>(body_size));
  return w;
}

// The body size computed up front must be exactly what was written.
inline void finishPacket([[maybe_unused]] const ByteWriter& w,
                         [[maybe_unused]] const std::string& out) {
  assert(w.position() == out.data() + out.size());
}

inline uint8_t firstByte(PacketType type, uint8_t flags = 0) {
  return static_cast<uint8_t>((static_cast<uint8_t>(type) << 4) | flags);
}

// Malformed Packet when the fixed header flags differ from the ones the spec fixes [MQTT-2.1.3-1].
DecodeError checkFlags(uint8_t flags, uint8_t expected, std::string_view packet_name);

// Malformed Packet when bytes are left after the last field.
DecodeError checkEnd(const ByteReader& reader, std::string_view packet_name);

// Whether `code` is one the specification lists for packets of `type` in MQTT 5.0.
bool isAllowedReasonCode(PacketType type, uint8_t code);

// Fails with Protocol Error when a packet that needs a non-zero Packet Identifier has 0
// [MQTT-2.2.1-3]; acknowledgements are checked too, as 0 can never be in use.
DecodeError checkPacketId(uint16_t id, std::string_view packet_name);

// connect.cc
DecodeError decodeConnectBody(uint8_t flags, std::string_view body, Connect& out);
size_t bodySize(const Connect& p, ProtocolVersion v);
void encodePacket(const Connect& p, ProtocolVersion v, std::string& out);
DecodeError decodeConnAckBody(uint8_t flags, std::string_view body, ProtocolVersion v,
                              ConnAck& out);
size_t bodySize(const ConnAck& p, ProtocolVersion v);
void encodePacket(const ConnAck& p, ProtocolVersion v, std::string& out);

// publish.cc
DecodeError decodePublishBody(uint8_t flags, std::string_view body, ProtocolVersion v,
                              Publish& out);
size_t bodySize(const Publish& p, ProtocolVersion v);
void encodePacket(const Publish& p, ProtocolVersion v, std::string& out);
DecodeError decodePubResponseBody(PacketType type, uint8_t flags, std::string_view body,
                                  ProtocolVersion v, PubResponse& out);
size_t bodySize(const PubResponse& p, ProtocolVersion v);
void encodePacket(const PubResponse& p, ProtocolVersion v, std::string& out);

// subscribe.cc
DecodeError decodeSubscribeBody(uint8_t flags, std::string_view body, ProtocolVersion v,
                                Subscribe& out);
size_t bodySize(const Subscribe& p, ProtocolVersion v);
void encodePacket(const Subscribe& p, ProtocolVersion v, std::string& out);
DecodeError decodeSubAckBody(uint8_t flags, std::string_view body, ProtocolVersion v, SubAck& out);
size_t bodySize(const SubAck& p, ProtocolVersion v);
void encodePacket(const SubAck& p, ProtocolVersion v, std::string& out);
DecodeError decodeUnsubscribeBody(uint8_t flags, std::string_view body, ProtocolVersion v,
                                  Unsubscribe& out);
size_t bodySize(const Unsubscribe& p, ProtocolVersion v);
void encodePacket(const Unsubscribe& p, ProtocolVersion v, std::string& out);
DecodeError decodeUnsubAckBody(uint8_t flags, std::string_view body, ProtocolVersion v,
                               UnsubAck& out);
size_t bodySize(const UnsubAck& p, ProtocolVersion v);
void encodePacket(const UnsubAck& p, ProtocolVersion v, std::string& out);

// control.cc: PINGREQ, PINGRESP, DISCONNECT, AUTH.
DecodeError checkEmptyPacket(PacketType type, uint8_t flags, std::string_view body);
inline size_t bodySize(const PingReq&, ProtocolVersion) { return 0; }
inline size_t bodySize(const PingResp&, ProtocolVersion) { return 0; }
void encodePacket(const PingReq& p, ProtocolVersion v, std::string& out);
void encodePacket(const PingResp& p, ProtocolVersion v, std::string& out);
DecodeError decodeDisconnectBody(uint8_t flags, std::string_view body, ProtocolVersion v,
                                 Disconnect& out);
size_t bodySize(const Disconnect& p, ProtocolVersion v);
void encodePacket(const Disconnect& p, ProtocolVersion v, std::string& out);
DecodeError decodeAuthBody(uint8_t flags, std::string_view body, ProtocolVersion v, Auth& out);
size_t bodySize(const Auth& p, ProtocolVersion v);
void encodePacket(const Auth& p, ProtocolVersion v, std::string& out);

}  // namespace hearth::mqtt::detail

// The MQTT codec: pure functions between bytes and packet values, with no I/O and no state
// beyond the arguments. Safe to call from any thread.
//
// Decoding never trusts the input: every length is checked against the bytes present and against
// the caller's limit before anything is allocated, and every failure says which reason code the
// broker must answer with (kMalformedPacket, kProtocolError, kPacketTooLarge,
// kUnsupportedProtocolVersion, kTopicNameInvalid, ...), plus a human-readable message suitable for
// a Reason String.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hearth/core/status.h"
#include "hearth/mqtt/packet.h"

namespace hearth::mqtt {

struct CodecError {
  ReasonCode reason = ReasonCode::kMalformedPacket;
  std::string message;
};

template <class T>
using CodecResult = core::Result<T, CodecError>;

// The fixed header of one packet found at the start of a buffer.
struct Frame {
  uint8_t first_byte = 0;          // packet type (high nibble) and flags (low nibble)
  uint32_t remaining_length = 0;
  size_t header_size = 0;          // 2..5 bytes
  size_t size() const { return header_size + remaining_length; }
};

enum class FrameStatus { kComplete, kNeedMore };

struct FrameResult {
  FrameStatus status = FrameStatus::kNeedMore;
  Frame frame;
};

// Looks for one complete packet at the start of `buffer`. kNeedMore means read more bytes.
// Fails with kMalformedPacket for a bad variable-byte integer or packet type 0, and with
// kPacketTooLarge when the whole packet would exceed `max_packet_size` (checked before the body
// arrives, so a peer cannot make the caller buffer more than the limit).
CodecResult<FrameResult> peekFrame(std::string_view buffer, uint32_t max_packet_size);

// Decodes a CONNECT packet (the whole packet, fixed header included). The protocol version comes
// from the packet itself; an unknown protocol name or level fails with
// kUnsupportedProtocolVersion.
CodecResult<Connect> decodeConnect(std::string_view packet);

// Decodes any packet (the whole packet, fixed header included) of the given protocol version.
// A CONNECT decoded here must carry the same version. Reserved flag bits, reserved property ids,
// duplicate properties, properties not allowed in this packet type, trailing bytes, invalid UTF-8
// (including U+0000 and surrogates), wildcards in topic names, malformed topic filters and
// packet id 0 where one is required are rejected as the specification says.
CodecResult<Packet> decode(std::string_view packet, ProtocolVersion version);

// Appends the encoding of `packet` for `version` to `out`. Fields that the version cannot carry
// are dropped (properties for 3.1.1). The packet must be valid (a PUBLISH with QoS > 0 has a
// non-zero packet id, strings are at most 65535 bytes); the broker only encodes packets it built.
void encode(const Packet& packet, ProtocolVersion version, std::string& out);

// The size `encode` would append, without encoding: for Maximum Packet Size checks.
size_t encodedSize(const Packet& packet, ProtocolVersion version);

// The same for a PUBLISH that is not wrapped in a Packet: the broker's per-delivery path, where
// building the variant would copy the message once more.
void encode(const Publish& publish, ProtocolVersion version, std::string& out);
size_t encodedSize(const Publish& publish, ProtocolVersion version);

}  // namespace hearth::mqtt

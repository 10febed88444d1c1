// Fixed-header parsing: peekFrame and the checks every packet decoder shares.
#include <string>

#include "hearth/mqtt/codec.h"
#include "mqtt/codec/packets.h"

namespace hearth::mqtt {
namespace detail {

HeaderStatus parseFixedHeader(std::string_view buffer, Frame& frame) {
  if (buffer.empty()) return HeaderStatus::kNeedMore;
  frame.first_byte = static_cast<uint8_t>(buffer[0]);
  uint32_t length = 0;
  // At most four length bytes; decoded by hand rather than with ByteReader so that a cut-off
  // length (need more) can be told from an over-long one (malformed).
  for (size_t i = 0; i < 4; ++i) {
    if (1 + i >= buffer.size()) return HeaderStatus::kNeedMore;
    auto b = static_cast<uint8_t>(buffer[1 + i]);
    length |= uint32_t{static_cast<uint8_t>(b & 0x7F)} << (7 * i);
    if ((b & 0x80) == 0) {
      frame.remaining_length = length;
      frame.header_size = 2 + i;
      return HeaderStatus::kOk;
    }
  }
  return HeaderStatus::kBadLength;
}

DecodeError checkFlags(uint8_t flags, uint8_t expected, std::string_view packet_name) {
  if (flags == expected) return std::nullopt;
  std::string message = "reserved flag bits set in ";
  message += packet_name;
  return malformed(std::move(message));
}

DecodeError checkEnd(const ByteReader& reader, std::string_view packet_name) {
  if (reader.atEnd()) return std::nullopt;
  std::string message = "trailing bytes after ";
  message += packet_name;
  return malformed(std::move(message));
}

DecodeError checkPacketId(uint16_t id, std::string_view packet_name) {
  if (id != 0) return std::nullopt;
  std::string message = "packet identifier 0 in ";
  message += packet_name;
  return protocolError(std::move(message));
}

}  // namespace detail

CodecResult<FrameResult> peekFrame(std::string_view buffer, uint32_t max_packet_size) {
  FrameResult result;
  if (buffer.empty()) return result;
  // Refused as soon as the first byte arrives rather than after its length.
  if ((static_cast<uint8_t>(buffer[0]) >> 4) == 0)
    return detail::malformed("reserved packet type 0");
  switch (detail::parseFixedHeader(buffer, result.frame)) {
    case detail::HeaderStatus::kNeedMore: return result;
    case detail::HeaderStatus::kBadLength:
      return detail::malformed("Remaining Length longer than four bytes");
    case detail::HeaderStatus::kOk: break;
  }
  // Checked before the body arrives: the caller never buffers more than the limit.
  if (result.frame.size() > max_packet_size) {
    return CodecError{ReasonCode::kPacketTooLarge,
                      "packet of " + std::to_string(result.frame.size()) +
                          " bytes exceeds the maximum of " + std::to_string(max_packet_size)};
  }
  if (buffer.size() >= result.frame.size()) result.status = FrameStatus::kComplete;
  return result;
}

}  // namespace hearth::mqtt

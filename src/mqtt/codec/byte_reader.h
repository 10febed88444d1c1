// Bounded reading of the MQTT data representations (spec section 1.5) from an untrusted buffer.
//
// Every read checks that the bytes are present before touching them and reports failure instead
// of reading past the end; nothing here allocates. The reader never owns the bytes: string views it
// hands out point into the caller's buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "hearth/mqtt/codec.h"

namespace hearth::mqtt::detail {

// The outcome of one decoding step: empty on success. A step that fails builds its message only
// then, so the success path allocates nothing.
using DecodeError = std::optional<CodecError>;

inline CodecError makeError(ReasonCode reason, std::string message) {
  return CodecError{reason, std::move(message)};
}
inline CodecError malformed(std::string message) {
  return makeError(ReasonCode::kMalformedPacket, std::move(message));
}
inline CodecError protocolError(std::string message) {
  return makeError(ReasonCode::kProtocolError, std::move(message));
}

// Propagates a failed DecodeError out of a function returning CodecResult<T> or DecodeError.
#define HEARTH_MQTT_TRY(expr)                                      \
  do {                                                             \
    ::hearth::mqtt::detail::DecodeError hearth_mqtt_err_ = (expr); \
    if (hearth_mqtt_err_) return std::move(*hearth_mqtt_err_);     \
  } while (0)

// The largest value a Variable Byte Integer (four bytes of seven bits) can carry.
inline constexpr uint32_t kMaxVarInt = 268'435'455;

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  bool atEnd() const { return pos_ == data_.size(); }

  bool readU8(uint8_t& out) {
    if (remaining() < 1) return false;
    out = byteAt(pos_);
    pos_ += 1;
    return true;
  }

  bool readU16(uint16_t& out) {
    if (remaining() < 2) return false;
    out = static_cast<uint16_t>((byteAt(pos_) << 8) | byteAt(pos_ + 1));
    pos_ += 2;
    return true;
  }

  bool readU32(uint32_t& out) {
    if (remaining() < 4) return false;
    out = (uint32_t{byteAt(pos_)} << 24) | (uint32_t{byteAt(pos_ + 1)} << 16) |
          (uint32_t{byteAt(pos_ + 2)} << 8) | uint32_t{byteAt(pos_ + 3)};
    pos_ += 4;
    return true;
  }

  // A Variable Byte Integer (spec 1.5.5). Fails when truncated or when a fourth byte still has
  // its continuation bit set: a fifth byte is never valid.
  bool readVarInt(uint32_t& out) {
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      uint8_t b;
      if (!readU8(b)) return false;
      value |= uint32_t{static_cast<uint8_t>(b & 0x7F)} << (7 * i);
      if ((b & 0x80) == 0) {
        out = value;
        return true;
      }
    }
    return false;
  }

  // The next `n` bytes, without copying.
  bool readBytes(size_t n, std::string_view& out) {
    if (remaining() < n) return false;
    out = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }

  // Binary Data (spec 1.5.6): a two-byte length, then that many bytes.
  bool readBinary(std::string_view& out) {
    uint16_t len;
    size_t start = pos_;
    if (!readU16(len) || !readBytes(len, out)) {
      pos_ = start;
      return false;
    }
    return true;
  }

  // Everything not read yet (the PUBLISH payload, a property block).
  std::string_view readRest() {
    std::string_view rest = data_.substr(pos_);
    pos_ = data_.size();
    return rest;
  }

 private:
  uint8_t byteAt(size_t i) const { return static_cast<uint8_t>(data_[i]); }

  std::string_view data_;
  size_t pos_ = 0;
};

// A UTF-8 Encoded String (spec 1.5.4): length-prefixed and well-formed, without U+0000 or
// surrogates. Failures are Malformed Packet; `what` names the field in the message.
DecodeError readUtf8String(ByteReader& reader, std::string_view& out, std::string_view what);

// Binary Data, failing with a Malformed Packet error that names `what`.
DecodeError readBinaryData(ByteReader& reader, std::string_view& out, std::string_view what);

// "truncated <what>": the error for a field that runs past the end of its packet or block.
CodecError truncated(std::string_view what);

}  // namespace hearth::mqtt::detail

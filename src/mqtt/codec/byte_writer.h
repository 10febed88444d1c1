// Writing the MQTT data representations (spec section 1.5) into a buffer already sized by
// encodedSize. The writer does no bounds checks of its own: the encoders size the output exactly
// first (encode asserts the two agree in debug builds, and the fuzzer checks it).
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace hearth::mqtt::detail {

// Bytes a Variable Byte Integer takes for `value` (at most 268,435,455).
constexpr size_t varIntSize(uint32_t value) {
  return value < 128 ? 1 : value < 16'384 ? 2 : value < 2'097'152 ? 3 : 4;
}

// Bytes a length-prefixed UTF-8 string or Binary Data field takes.
constexpr size_t prefixedSize(std::string_view s) { return 2 + s.size(); }

class ByteWriter {
 public:
  explicit ByteWriter(char* out) : p_(out) {}

  char* position() const { return p_; }

  void writeU8(uint8_t v) { *p_++ = static_cast<char>(v); }

  void writeU16(uint16_t v) {
    writeU8(static_cast<uint8_t>(v >> 8));
    writeU8(static_cast<uint8_t>(v));
  }

  void writeU32(uint32_t v) {
    writeU8(static_cast<uint8_t>(v >> 24));
    writeU8(static_cast<uint8_t>(v >> 16));
    writeU8(static_cast<uint8_t>(v >> 8));
    writeU8(static_cast<uint8_t>(v));
  }

  void writeVarInt(uint32_t v) {
    do {
      uint8_t b = v & 0x7F;
      v >>= 7;
      if (v != 0) b |= 0x80;
      writeU8(b);
    } while (v != 0);
  }

  void writeBytes(std::string_view s) {
    if (!s.empty()) std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }

  // A UTF-8 string or Binary Data field: two-byte length, then the bytes. The caller guarantees
  // at most 65,535 bytes.
  void writePrefixed(std::string_view s) {
    assert(s.size() <= 0xFFFF);
    writeU16(static_cast<uint16_t>(s.size()));
    writeBytes(s);
  }

 private:
  char* p_;
};

}  // namespace hearth::mqtt::detail

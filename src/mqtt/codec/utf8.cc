#include "mqtt/codec/utf8.h"

#include <cstdint>
#include <cstring>

namespace hearth::mqtt::detail {
namespace {

// True when none of the eight bytes in `word` is zero or has its high bit set: plain ASCII
// without NUL. Checking a word at a time keeps the common all-ASCII topic cheap.
bool isAsciiWithoutNul(uint64_t word) {
  constexpr uint64_t kLow = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  bool has_high_bit = (word & kHigh) != 0;
  // The classic "has a zero byte" bit trick.
  bool has_zero = ((word - kLow) & ~word & kHigh) != 0;
  return !has_high_bit && !has_zero;
}

}  // namespace

bool isValidMqttUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  while (p < end) {
    if (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if (isAsciiWithoutNul(word)) {
        p += 8;
        continue;
      }
    }
    unsigned char c = *p;
    if (c < 0x80) {
      if (c == 0) return false;  // U+0000 is forbidden [MQTT-1.5.4-2]
      ++p;
      continue;
    }
    // Lead byte: how many continuation bytes follow, and the smallest code point this length may
    // encode (anything less is an overlong form).
    int extra;
    uint32_t cp;
    uint32_t min_cp;
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
      min_cp = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
      min_cp = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
      min_cp = 0x10000;
    } else {
      return false;  // a stray continuation byte or 0xF8..0xFF
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      unsigned char cc = p[i];
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min_cp || cp > 0x10FFFF) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // surrogates [MQTT-1.5.4-1]
    p += extra + 1;
  }
  return true;
}

}  // namespace hearth::mqtt::detail

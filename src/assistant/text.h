// Sentence normalisation for the interpreter: Traditional Chinese to Simplified (OpenCC),
// full-width forms to ASCII, case and punctuation folded, then cut into units: an English word
// (or a number written with digits) is one unit, each Chinese character is one unit. Names in the
// home are cut the same way, so matching compares units.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hearth::assistant {

struct Unit {
  std::string text;  // folded: lower case, English plural removed ("lights" → "light")
  size_t begin = 0;  // byte range in Normalized::text
  size_t end = 0;
  bool cjk = false;
  bool plural = false;  // an English plural folded to its singular
};

struct Normalized {
  std::string text;          // Simplified, ASCII-folded, lower case; punctuation as spaces
  std::vector<Unit> units;
  bool chinese = false;      // holds a Chinese character: answer in Chinese
};

// Never fails: bytes that are not UTF-8 are dropped. Thread-safe.
Normalized normalize(std::string_view raw);

// The units of a name or phrase, folded as in normalize().
std::vector<std::string> unitsOf(std::string_view phrase);

// The code point at byte `i` of `s` and its length in bytes; a malformed or overlong sequence
// reads as code point 0.
std::pair<char32_t, size_t> decodeUtf8(std::string_view s, size_t i);

// Edit distance between two short words, with transposition; stops early above `limit`.
int editDistance(std::string_view a, std::string_view b, int limit);

}  // namespace hearth::assistant

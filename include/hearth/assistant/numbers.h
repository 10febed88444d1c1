// Numbers as people say them to their home, in English and Chinese: "24", "24.5", "twenty four",
// "twenty-four point five", "one hundred and five", "fifty percent", "half", "二十四", "七十五",
// "一百零五", "两百", "一百五" (150), "二十四点五", "百分之五十", "一半", "５０％".
//
// The assistant's interpreter reads values from these ("set the bedroom to twenty two degrees",
// "亮度调到百分之五十"); this is the one place that knows how numbers are written.
// Pure functions over UTF-8 text of any length: never throw, time linear in the text; text that
// holds no number gives an empty list.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace hearth::assistant {

// The largest magnitude read as a number. No setting of a home comes near it, and a double holds
// every integer up to it exactly; a number said beyond it is out of range, not a value.
inline constexpr double kMaxSpokenNumber = 1e15;

struct SpokenNumber {
  double value = 0;
  bool percent = false;  // said as a share: "50%", "fifty percent", "百分之五十", "half" (50), "一半"
  size_t begin = 0;      // byte offsets of what was read, in the text given
  size_t end = 0;
  // Said, but beyond ±kMaxSpokenNumber ("999…9" with 330 digits): `value` is 0, and the reader
  // of the sentence must say so rather than use it.
  bool out_of_range = false;
};

// Every number in `text`, left to right. English words are matched without regard to case.
std::vector<SpokenNumber> findNumbers(std::string_view text);

}  // namespace hearth::assistant

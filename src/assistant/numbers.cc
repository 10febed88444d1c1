#include "hearth/assistant/numbers.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "text.h"

namespace hearth::assistant {

namespace {

// 0-9 for an ASCII or full-width digit, else -1.
int digitOf(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= U'\uFF10' && c <= U'\uFF19') return static_cast<int>(c - U'\uFF10');
  return -1;
}

bool isPercentSign(char32_t c) { return c == U'%' || c == U'\uFF05'; }

// Digits after the point beyond this many change nothing a home can be set to; reading more would
// only let a long run of zeros underflow.
constexpr size_t kMaxFractionDigits = 15;

// The value of the decimal digits `whole` "." `fraction` (ASCII, either may be empty), or
// nullopt beyond kMaxSpokenNumber. Any length of input, never a throw: the digits are bounded
// before std::from_chars reads them.
std::optional<double> decimalValue(std::string_view whole, std::string_view fraction) {
  whole.remove_prefix(std::min(whole.find_first_not_of('0'), whole.size()));
  constexpr size_t kMaxWholeDigits = 16;  // kMaxSpokenNumber has 16
  if (whole.size() > kMaxWholeDigits) return std::nullopt;
  fraction = fraction.substr(0, kMaxFractionDigits);
  std::array<char, kMaxWholeDigits + 2 + kMaxFractionDigits> buffer{};
  char* out = buffer.data();
  *out++ = '0';
  out = std::copy(whole.begin(), whole.end(), out);
  if (!fraction.empty()) {
    *out++ = '.';
    out = std::copy(fraction.begin(), fraction.end(), out);
  }
  double value = 0;
  const auto [end, error] = std::from_chars(buffer.data(), out, value);
  if (error != std::errc() || end != out || value > kMaxSpokenNumber) return std::nullopt;
  return value;
}

// --- Chinese ---------------------------------------------------------------------------------

int chineseDigit(char32_t c) {
  switch (c) {
    case U'零': case U'〇': return 0;
    case U'一': return 1;
    case U'二': case U'两': return 2;
    case U'三': return 3;
    case U'四': return 4;
    case U'五': return 5;
    case U'六': return 6;
    case U'七': return 7;
    case U'八': return 8;
    case U'九': return 9;
    default: return -1;
  }
}

int chineseUnit(char32_t c) {
  switch (c) {
    case U'十': return 10;
    case U'百': return 100;
    case U'千': return 1000;
    case U'万': return 10000;
    default: return 0;
  }
}

bool isChineseNumeral(char32_t c) { return chineseDigit(c) >= 0 || chineseUnit(c) > 0; }

// After a lone 一 these make a word, not a number: 一下 (a moment), 一些 (some), 一起 (together)...
bool makesWordWithYi(char32_t c) {
  return c == U'下' || c == U'些' || c == U'起' || c == U'直' || c == U'会' || c == U'样' || c == U'个' ||
         c == U'切' || c == U'共';
}

struct Scan {
  double value = 0;
  size_t end = 0;
  bool out_of_range = false;  // read to `end`, but beyond kMaxSpokenNumber: value is 0
};

Scan scanOf(std::optional<double> value, size_t end) {
  return value && std::abs(*value) <= kMaxSpokenNumber ? Scan{*value, end, false} : Scan{0, end, true};
}

// The run of ASCII or full-width digits at `i`, with at most one decimal point between digits.
Scan digitRun(std::string_view text, size_t i) {
  std::string whole;
  std::string fraction;
  bool point = false;
  size_t j = i;
  while (j < text.size()) {
    auto [c, n] = decodeUtf8(text, j);
    if (const int d = digitOf(c); d >= 0) {
      (point ? fraction : whole) += static_cast<char>('0' + d);
    } else if ((c == U'.' || c == U'\uFF0E') && !point && j + n < text.size() &&
               digitOf(decodeUtf8(text, j + n).first) >= 0) {
      point = true;
    } else {
      break;
    }
    j += n;
  }
  return scanOf(decimalValue(whole, fraction), j);
}

// A run of Chinese numerals from `i` (with 点 and digits after it as decimals); nullopt when the
// run is a word rather than a number.
std::optional<Scan> chineseNumber(std::string_view s, size_t i) {
  double total = 0;
  double section = 0;
  int digit = -1;     // the digit waiting for its unit
  int last_unit = 0;  // the unit just applied, for 一百五 = 150
  bool zero_seen = false;
  size_t count = 0;
  std::string positional;  // 二四 read digit by digit
  bool has_unit = false;
  size_t j = i;
  while (j < s.size()) {
    auto [c, n] = decodeUtf8(s, j);
    if (const int d = chineseDigit(c); d >= 0) {
      if (digit >= 0 && !has_unit) positional += static_cast<char>('0' + digit);
      if (d == 0) zero_seen = true;  // 一百零五: the five is five, not fifty
      digit = d;
    } else if (const int unit = chineseUnit(c); unit > 0) {
      has_unit = true;
      if (unit == 10000) {
        total += (section + std::max(digit, 0)) * 10000;
        section = 0;
      } else {
        section += (digit < 0 ? 1 : digit) * unit;  // 十五: an unwritten one
      }
      last_unit = unit;
      digit = -1;
      zero_seen = false;
    } else {
      break;
    }
    ++count;
    j += n;
  }
  if (count == 0) return std::nullopt;
  std::optional<double> value;
  if (!has_unit) {
    positional += static_cast<char>('0' + digit);
    value = decimalValue(positional, {});
  } else {
    double tail = digit < 0 ? 0 : digit;
    // 一百五 is 150 and 三千二 is 3200: a last digit right after 百 or 千 counts a tenth of it.
    if (digit > 0 && !zero_seen && last_unit >= 100 && last_unit < 10000) tail = digit * (last_unit / 10.0);
    value = total + section + tail;
  }
  if (count == 1 && chineseDigit(decodeUtf8(s, i).first) == 1 && j < s.size()) {
    auto [next, n] = decodeUtf8(s, j);
    (void)n;
    if (makesWordWithYi(next)) return std::nullopt;
  }
  // Decimals: 二十四点五. A 点 without a digit after it is "a little" (亮一点), not a point.
  if (j < s.size() && decodeUtf8(s, j).first == U'点') {
    size_t k = j + decodeUtf8(s, j).second;
    std::string fraction;
    while (k < s.size()) {
      auto [c, n] = decodeUtf8(s, k);
      const int d = chineseDigit(c) >= 0 ? chineseDigit(c) : digitOf(c);
      if (d < 0) break;
      fraction += static_cast<char>('0' + d);
      k += n;
    }
    if (!fraction.empty()) {
      if (value) value = *value + decimalValue({}, fraction).value_or(0);
      j = k;
    } else if (count == 1 && value == 1.0) {
      return std::nullopt;  // 一点: a little
    }
  }
  return scanOf(value, j);
}

// --- English ---------------------------------------------------------------------------------

struct Word {
  std::string text;  // lower case
  size_t begin = 0;
  size_t end = 0;
};

constexpr std::array<std::string_view, 20> kSmall = {
    "zero",    "one",     "two",       "three",    "four",     "five",    "six",
    "seven",   "eight",   "nine",      "ten",      "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen",  "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 8> kTens = {"twenty", "thirty", "forty", "fifty",
                                                   "sixty",  "seventy", "eighty", "ninety"};

std::optional<int> smallNumber(std::string_view w) {
  for (size_t i = 0; i < kSmall.size(); ++i) {
    if (kSmall[i] == w) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<int> tensNumber(std::string_view w) {
  for (size_t i = 0; i < kTens.size(); ++i) {
    if (kTens[i] == w) return static_cast<int>(20 + 10 * i);
  }
  return std::nullopt;
}

bool isNumberWord(std::string_view w) {
  return smallNumber(w) || tensNumber(w) || w == "hundred" || w == "thousand";
}

// Words of ASCII letters (a hyphen splits "twenty-four"), with their offsets.
std::vector<Word> words(std::string_view s, size_t from, size_t to) {
  std::vector<Word> out;
  size_t i = from;
  while (i < to) {
    while (i < to && !std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    const size_t b = i;
    std::string w;
    while (i < to && std::isalpha(static_cast<unsigned char>(s[i]))) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
      ++i;
    }
    if (!w.empty()) out.push_back({std::move(w), b, i});
  }
  return out;
}

// "percent", "per cent", "percentage" at word k: how many words it takes (0 when not there).
size_t percentWords(const std::vector<Word>& w, size_t k) {
  if (k < w.size() && (w[k].text == "percent" || w[k].text == "percentage")) return 1;
  if (k + 1 < w.size() && w[k].text == "per" && w[k + 1].text == "cent") return 2;
  return 0;
}

// Only spaces and hyphens between two words: "twenty-four", "twenty four", not "twenty, four".
bool adjacent(std::string_view s, const Word& a, const Word& b) {
  for (size_t i = a.end; i < b.begin; ++i) {
    if (s[i] != ' ' && s[i] != '-') return false;
  }
  return true;
}

// Numbers in a stretch of ASCII text (no digits in it: those are read apart).
void englishNumbers(std::string_view s, size_t from, size_t to, std::vector<SpokenNumber>& out) {
  const std::vector<Word> w = words(s, from, to);
  size_t k = 0;
  while (k < w.size()) {
    const std::string& t = w[k].text;
    if (t == "half" || t == "halfway") {
      out.push_back({50, true, w[k].begin, w[k].end});
      ++k;
      continue;
    }
    if (t == "quarter") {
      out.push_back({25, true, w[k].begin, w[k].end});
      ++k;
      continue;
    }
    const bool a_hundred = t == "a" && k + 1 < w.size() && (w[k + 1].text == "hundred" || w[k + 1].text == "thousand");
    if (!isNumberWord(t) && !a_hundred) {
      ++k;
      continue;
    }
    double total = 0;
    double current = 0;
    size_t j = a_hundred ? k + 1 : k;
    size_t last = j;
    if (a_hundred) current = 1;
    for (; j < w.size(); ++j) {
      if (j > k && !adjacent(s, w[j - 1], w[j])) break;
      const std::string& x = w[j].text;
      if (auto n = smallNumber(x)) {
        current += *n;
      } else if (auto n = tensNumber(x)) {
        current += *n;
      } else if (x == "hundred") {
        current = std::max(current, 1.0) * 100;
      } else if (x == "thousand") {
        total += std::max(current, 1.0) * 1000;
        current = 0;
      } else if (x == "and" && j + 1 < w.size() && isNumberWord(w[j + 1].text) && current >= 100) {
        continue;
      } else {
        break;
      }
      last = j;
    }
    double value = total + current;
    size_t end_word = last;
    // "twenty point five"
    if (last + 1 < w.size() && w[last + 1].text == "point") {
      std::string fraction;
      size_t f = last + 2;
      for (; f < w.size(); ++f) {
        auto d = smallNumber(w[f].text);
        if (!d || *d > 9) break;
        fraction += static_cast<char>('0' + *d);
      }
      if (!fraction.empty()) {
        value += decimalValue({}, fraction).value_or(0);
        end_word = f - 1;
      }
    }
    // "hundred" multiplies: a long enough run of them leaves any range, up to infinity.
    const Scan read = scanOf(value, 0);
    SpokenNumber n{read.value, false, w[k].begin, w[end_word].end, read.out_of_range};
    if (const size_t p = percentWords(w, end_word + 1)) {
      n.percent = true;
      n.end = w[end_word + p].end;
      end_word += p;
    }
    out.push_back(n);
    k = end_word + 1;
  }
}

}  // namespace

std::vector<SpokenNumber> findNumbers(std::string_view text) {
  std::vector<SpokenNumber> out;
  size_t ascii_from = 0;  // start of the ASCII stretch not yet read for English words
  size_t i = 0;
  const auto flushEnglish = [&](size_t to) {
    if (ascii_from < to) englishNumbers(text, ascii_from, to, out);
  };
  while (i < text.size()) {
    auto [c, n] = decodeUtf8(text, i);
    if (digitOf(c) >= 0) {
      flushEnglish(i);
      const size_t begin = (i > 0 && text[i - 1] == '-' && (i == 1 || text[i - 2] == ' ')) ? i - 1 : i;
      const Scan run = digitRun(text, i);
      SpokenNumber num{run.value * (begin < i ? -1 : 1), false, begin, run.end, run.out_of_range};
      size_t k = run.end;
      while (k < text.size() && text[k] == ' ') ++k;
      if (k < text.size() && isPercentSign(decodeUtf8(text, k).first)) {
        num.percent = true;
        num.end = k + decodeUtf8(text, k).second;
      } else {
        const auto after = words(text, k, std::min(text.size(), k + 16));
        const size_t p = after.empty() || after[0].begin != k ? 0 : percentWords(after, 0);
        if (p > 0) {
          num.percent = true;
          num.end = after[p - 1].end;
        }
      }
      out.push_back(num);
      i = ascii_from = num.end;
      continue;
    }
    if (c < 0x80) {
      i += n;
      continue;
    }
    flushEnglish(i);
    ascii_from = i + n;
    // 百分之五十 / 百分之50: a share. 零下五度: below zero.
    const bool share = c == U'百' && text.substr(i + n, 6) == "分之";
    const bool below_zero = c == U'零' && text.substr(i + n, 3) == "下";
    if (share || below_zero) {
      const size_t start = i;
      size_t j = i + n + (share ? 6 : 3);
      std::optional<Scan> scan;
      // The digits are read here, not by a call of findNumbers() on the rest of the text: that
      // read all of the rest once per share, twice as long for each further 百分之.
      if (j < text.size() && digitOf(decodeUtf8(text, j).first) >= 0) {
        scan = digitRun(text, j);
      } else if (j < text.size() && isChineseNumeral(decodeUtf8(text, j).first)) {
        scan = chineseNumber(text, j);
      }
      if (scan) {
        out.push_back({below_zero ? -scan->value : scan->value, share, start, scan->end, scan->out_of_range});
        i = ascii_from = scan->end;
        continue;
      }
    }
    if (c == U'一' && text.substr(i + n, 3) == "半") {  // 一半: half
      out.push_back({50, true, i, i + n + 3});
      i = ascii_from = i + n + 3;
      continue;
    }
    if (isChineseNumeral(c)) {
      if (auto scan = chineseNumber(text, i)) {
        SpokenNumber num{scan->value, false, i, scan->end, scan->out_of_range};
        if (scan->end < text.size() && isPercentSign(decodeUtf8(text, scan->end).first)) {
          num.percent = true;
          num.end = scan->end + decodeUtf8(text, scan->end).second;
        }
        out.push_back(num);
        i = ascii_from = num.end;
        continue;
      }
    }
    i += n;
  }
  flushEnglish(text.size());
  return out;
}

}  // namespace hearth::assistant

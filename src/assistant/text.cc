#include "text.h"

#include <opencc/opencc.h>

#include <algorithm>
#include <mutex>

namespace hearth::assistant {

namespace {

// Traditional → Simplified, through one OpenCC converter per process. OpenCC does not promise
// that a converter may be shared between threads, so calls are serialised (about 10 µs each).
class TraditionalToSimplified {
 public:
  TraditionalToSimplified() : converter_(opencc_open("t2s.json")) {}
  ~TraditionalToSimplified() {
    if (usable()) opencc_close(converter_);
  }
  // `text` unchanged when OpenCC's data is missing: Simplified input still works.
  std::string convert(std::string_view text) {
    if (!usable()) return std::string(text);
    std::lock_guard lock(mutex_);
    char* out = opencc_convert_utf8(converter_, text.data(), text.size());
    if (out == nullptr) return std::string(text);
    std::string result(out);
    opencc_convert_utf8_free(out);
    return result;
  }

 private:
  bool usable() const { return converter_ != reinterpret_cast<opencc_t>(-1); }
  opencc_t converter_;
  std::mutex mutex_;
};

TraditionalToSimplified& traditionalToSimplified() {
  static TraditionalToSimplified converter;
  return converter;
}

void append(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool isHan(char32_t c) {
  return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x2FFFF) || c == U'〇';
}

bool isAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// English plural to singular, so that "lights" meets "light" and "batteries" meets "battery".
std::string foldPlural(std::string word) {
  const size_t n = word.size();
  if (n <= 3 || !std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return word;
  }
  auto ends = [&](std::string_view suffix) {
    return n > suffix.size() && std::string_view(word).substr(n - suffix.size()) == suffix;
  };
  if (ends("ies") && n > 4) return word.substr(0, n - 3) + "y";
  if (ends("sses") || ends("ches") || ends("shes") || ends("xes")) return word.substr(0, n - 2);
  if (ends("ss") || ends("us") || ends("is")) return word;
  if (word.back() == 's') word.pop_back();
  return word;
}

// The folded text: Simplified, ASCII for full-width forms, lower case, punctuation as spaces
// (but a decimal point, percent and degree signs and a minus stay), "'s" dropped.
std::string fold(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    auto [c, len] = decodeUtf8(raw, i);
    i += len;
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (c < 0x80) {
      const char a = static_cast<char>(c);
      if (isAsciiAlnum(a) || a == '%' || a == '-') {
        out += a;
      } else if (a == '.' && !out.empty() && isDigit(out.back()) && i < raw.size() && isDigit(raw[i])) {
        out += a;
      } else if (a == '\'') {
        if (i < raw.size() && (raw[i] == 's' || raw[i] == 'S') &&
            (i + 1 >= raw.size() || !isAsciiAlnum(static_cast<char>(raw[i + 1] | 0x20)))) {
          ++i;  // "what's", "Macrotorrent's": the possessive or "is" adds nothing here
        }
      } else {
        out += ' ';
      }
    } else if (c == U'°' || c == U'℃') {
      out += "°";
    } else if (isHan(c)) {
      append(out, c);
    } else {
      out += ' ';  // CJK punctuation, ideographic space, symbols, malformed bytes
    }
  }
  return out;
}

std::vector<Unit> cut(const std::string& text) {
  std::vector<Unit> units;
  for (size_t i = 0; i < text.size();) {
    const char a = text[i];
    if (isAsciiAlnum(a)) {
      size_t j = i;
      while (j < text.size() &&
             (isAsciiAlnum(text[j]) || (text[j] == '.' && j > i && isDigit(text[j - 1])))) {
        ++j;
      }
      std::string word = foldPlural(text.substr(i, j - i));
      const bool plural = word.size() < j - i;
      units.push_back({std::move(word), i, j, false, plural});
      i = j;
    } else if (a == '%') {
      units.push_back({"%", i, i + 1, false, false});
      ++i;
    } else if (static_cast<unsigned char>(a) >= 0x80) {
      auto [c, len] = decodeUtf8(text, i);
      units.push_back({text.substr(i, len), i, i + len, c != U'°', false});
      i += len;
    } else {
      ++i;  // space, minus
    }
  }
  return units;
}

}  // namespace

std::pair<char32_t, size_t> decodeUtf8(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) -> int {
    if (i + k >= s.size()) return -1;
    const auto c = static_cast<unsigned char>(s[i + k]);
    return (c & 0xC0) == 0x80 ? (c & 0x3F) : -1;
  };
  if (b < 0x80) return {b, 1};
  if ((b & 0xE0) == 0xC0 && cont(1) >= 0) {
    const char32_t c = ((b & 0x1F) << 6) | cont(1);
    return {c >= 0x80 ? c : 0, 2};
  }
  if ((b & 0xF0) == 0xE0 && cont(1) >= 0 && cont(2) >= 0) {
    const char32_t c = ((b & 0x0F) << 12) | (cont(1) << 6) | cont(2);
    return {c >= 0x800 ? c : 0, 3};
  }
  if ((b & 0xF8) == 0xF0 && cont(1) >= 0 && cont(2) >= 0 && cont(3) >= 0) {
    const char32_t c = ((b & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
    return {c >= 0x10000 && c <= 0x10FFFF ? c : 0, 4};
  }
  return {0, 1};
}

Normalized normalize(std::string_view raw) {
  Normalized n;
  n.text = fold(raw);
  // Folded first: OpenCC reads past the end of malformed UTF-8, and fold() leaves only whole
  // characters.
  const bool ascii = std::all_of(n.text.begin(), n.text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii) n.text = traditionalToSimplified().convert(n.text);
  n.units = cut(n.text);
  n.chinese = std::any_of(n.units.begin(), n.units.end(), [](const Unit& u) { return u.cjk; });
  return n;
}

std::vector<std::string> unitsOf(std::string_view phrase) {
  std::vector<std::string> out;
  for (auto& u : normalize(phrase).units) out.push_back(std::move(u.text));
  return out;
}

int editDistance(std::string_view a, std::string_view b, int limit) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int best = cur[0];
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      best = std::min(best, cur[j]);
    }
    if (best > limit) return limit + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

}  // namespace hearth::assistant

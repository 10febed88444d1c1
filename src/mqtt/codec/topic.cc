// Topic names, topic filters and matching (spec 4.7, 4.8.2).
#include "hearth/mqtt/topic.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace hearth::mqtt {
namespace {

constexpr size_t kMaxTopicLength = 65535;
constexpr std::string_view kSharePrefix = "$share/";

// Walks the '/'-separated levels of a topic or filter; "a//b" has an empty middle level and
// "a/" an empty last one.
class Levels {
 public:
  explicit Levels(std::string_view s) : s_(s) {}

  bool next(std::string_view& level) {
    if (done_) return false;
    size_t slash = s_.find('/', pos_);
    if (slash == std::string_view::npos) {
      level = s_.substr(pos_);
      done_ = true;
    } else {
      level = s_.substr(pos_, slash - pos_);
      pos_ = slash + 1;
    }
    return true;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
  bool done_ = false;
};

bool hasNul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Whether any byte of `word` is zero (the classic bit trick), or equals `b`.
constexpr bool hasZeroByte(uint64_t word) { return ((word - kOnes) & ~word & kHighBits) != 0; }
constexpr bool hasByte(uint64_t word, uint8_t b) { return hasZeroByte(word ^ (kOnes * b)); }

bool isForbiddenInTopicName(char c) { return c == '+' || c == '#' || c == '\0'; }

// A filter without the shared-subscription prefix.
bool isValidPlainFilter(std::string_view filter) {
  if (filter.empty()) return false;
  Levels levels(filter);
  std::string_view level;
  bool after_hash = false;
  while (levels.next(level)) {
    if (after_hash) return false;  // '#' must be the last level [MQTT-4.7.1-1]
    if (level.size() == 1 && (level[0] == '#' || level[0] == '+')) {
      after_hash = level[0] == '#';
      continue;
    }
    // Otherwise a wildcard may not appear at all: "a+" or "sport#" [MQTT-4.7.1-2].
    if (level.find_first_of("+#") != std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

bool isValidTopicName(std::string_view topic) {
  if (topic.empty() || topic.size() > kMaxTopicLength) return false;
  // Every PUBLISH goes through here: scan eight bytes at a time for '+', '#' and NUL.
  size_t i = 0;
  for (; i + 8 <= topic.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, topic.data() + i, sizeof word);
    if (hasZeroByte(word) || hasByte(word, '+') || hasByte(word, '#')) return false;
  }
  for (; i < topic.size(); ++i) {
    if (isForbiddenInTopicName(topic[i])) return false;
  }
  return true;
}

bool isValidTopicFilter(std::string_view filter) {
  if (filter.empty() || filter.size() > kMaxTopicLength || hasNul(filter)) return false;
  if (!filter.starts_with(kSharePrefix)) return isValidPlainFilter(filter);
  std::string_view group;
  std::string_view topic_filter;
  if (!parseSharedSubscription(filter, group, topic_filter)) return false;
  // The Share Name is at least one character and has no '/', '+' or '#' [MQTT-4.8.2-1, 4.8.2-2].
  if (group.empty() || group.find_first_of("+#") != std::string_view::npos) return false;
  return isValidPlainFilter(topic_filter);
}

bool topicMatches(std::string_view filter, std::string_view topic) {
  // Topics starting with '$' (such as $SYS) are not matched by a leading wildcard [MQTT-4.7.2-1].
  if (!topic.empty() && topic[0] == '$' && !filter.empty() &&
      (filter[0] == '+' || filter[0] == '#')) {
    return false;
  }
  Levels filter_levels(filter);
  Levels topic_levels(topic);
  std::string_view f;
  std::string_view t;
  while (filter_levels.next(f)) {
    // '#' matches what is left, including nothing: "sport/#" matches "sport" too.
    if (f == "#") return true;
    if (!topic_levels.next(t)) return false;
    if (f != "+" && f != t) return false;
  }
  return !topic_levels.next(t);
}

bool parseSharedSubscription(std::string_view filter, std::string_view& group,
                             std::string_view& topic_filter) {
  if (!filter.starts_with(kSharePrefix)) return false;
  std::string_view rest = filter.substr(kSharePrefix.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return false;
  group = rest.substr(0, slash);
  topic_filter = rest.substr(slash + 1);
  return true;
}

}  // namespace hearth::mqtt

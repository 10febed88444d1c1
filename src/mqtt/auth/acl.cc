#include "mqtt/auth/acl.h"

#include <algorithm>

#include <fmt/format.h>

#include "hearth/core/config.h"
#include "hearth/mqtt/topic.h"

namespace hearth::mqtt {
namespace {

constexpr std::string_view kWhitespace = " \t\r";

std::string_view trim(std::string_view s) {
  size_t first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  size_t last = s.find_last_not_of(kWhitespace);
  return s.substr(first, last - first + 1);
}

// Splits off the first whitespace-separated word; `rest` is what follows, trimmed.
std::string_view firstWord(std::string_view s, std::string_view& rest) {
  size_t end = s.find_first_of(" \t");
  if (end == std::string_view::npos) {
    rest = {};
    return s;
  }
  rest = trim(s.substr(end));
  return s.substr(0, end);
}

bool hasWildcard(std::string_view s) { return s.find_first_of("+#") != std::string_view::npos; }

// Walks the '/'-separated levels of a valid filter.
class LevelReader {
 public:
  explicit LevelReader(std::string_view s) : s_(s) {}
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

bool leadingWildcard(std::string_view f) { return !f.empty() && (f[0] == '+' || f[0] == '#'); }

// MQTT-4.7.2-1 applied to filters: a leading wildcard does not reach '$' topics.
bool dollarBlocked(std::string_view filter, std::string_view other) {
  return !other.empty() && other[0] == '$' && leadingWildcard(filter);
}

enum class Substitution { kDone, kAbsent, kUnsafe };

// A substituted value must stay inside one topic level and out of '$' topics.
Substitution checkValue(std::string_view value) {
  if (value.empty()) return Substitution::kAbsent;
  if (value[0] == '$' || value.find_first_of(std::string_view("+#/\0", 4)) != std::string_view::npos) {
    return Substitution::kUnsafe;
  }
  return Substitution::kDone;
}

// The pattern with %c and %u replaced into `out`, unless a value is absent or unsafe.
Substitution substitute(const AclRule& rule, const ClientIdentity& client, std::string& out) {
  Substitution result = Substitution::kDone;
  for (auto [used, value] : {std::pair{rule.uses_client_id, client.client_id},
                             std::pair{rule.uses_username, client.username}}) {
    if (!used) continue;
    Substitution s = checkValue(value);
    if (s == Substitution::kAbsent) return s;  // absent wins: the pattern is not for this client
    if (s == Substitution::kUnsafe) result = s;
  }
  if (result != Substitution::kDone) return result;
  out.clear();
  std::string_view p = rule.filter;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '%' && i + 1 < p.size() && (p[i + 1] == 'c' || p[i + 1] == 'u')) {
      out += p[i + 1] == 'c' ? client.client_id : client.username;
      ++i;
    } else {
      out += p[i];
    }
  }
  return Substitution::kDone;
}

bool grants(AclAccess access, AccessKind kind) {
  auto needed = kind == AccessKind::kPublish ? AclAccess::kWrite : AclAccess::kRead;
  return (static_cast<uint8_t>(access) & static_cast<uint8_t>(needed)) != 0 &&
         access != AclAccess::kDeny;
}

}  // namespace

bool aclFilterCovers(std::string_view filter, std::string_view request) {
  if (!hasWildcard(request)) return topicMatches(filter, request);
  if (dollarBlocked(filter, request)) return false;
  LevelReader fl(filter);
  LevelReader rl(request);
  std::string_view f;
  std::string_view r;
  while (true) {
    bool has_f = fl.next(f);
    bool has_r = rl.next(r);
    if (has_f && f == "#") return true;
    if (!has_f || !has_r) return has_f == has_r;
    if (r == "#") return false;  // only a '#' covers a '#'
    if (r == "+") {
      if (f != "+") return false;
    } else if (f != "+" && f != r) {
      return false;
    }
  }
}

void Acl::RuleList::add(AclRule rule) {
  if (rule.access == AclAccess::kDeny) {
    rules.insert(rules.begin() + static_cast<std::ptrdiff_t>(deny_count), std::move(rule));
    ++deny_count;
  } else {
    rules.push_back(std::move(rule));
  }
}

Acl Acl::parse(std::string_view text, std::string_view source) {
  Acl acl;
  RuleList* current = &acl.anonymous_;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto fail = [&](std::string_view what) {
      throw core::ConfigError(fmt::format("{}:{}: {}", source, line_no, what));
    };

    std::string_view rest;
    std::string_view directive = firstWord(line, rest);
    if (directive == "user") {
      if (rest.empty()) fail("'user' needs a user name");
      current = &acl.users_[std::string(rest)];
      continue;
    }
    if (directive != "topic" && directive != "pattern") {
      fail(fmt::format("unknown directive '{}' (expected user, topic or pattern)", directive));
    }
    AclRule rule;
    std::string_view after;
    std::string_view word = firstWord(rest, after);
    static constexpr std::pair<std::string_view, AclAccess> kAccessWords[] = {
        {"read", AclAccess::kRead}, {"write", AclAccess::kWrite},
        {"readwrite", AclAccess::kReadWrite}, {"deny", AclAccess::kDeny}};
    for (const auto& [name, access] : kAccessWords) {
      if (word == name) {
        if (after.empty()) fail(fmt::format("'{} {}' needs a topic filter", directive, word));
        rule.access = access;
        rest = after;
      }
    }
    if (rest.empty()) fail(fmt::format("'{}' needs a topic filter", directive));
    rule.filter = std::string(rest);

    std::string check = rule.filter;
    if (directive == "pattern") {
      rule.uses_client_id = rule.filter.find("%c") != std::string::npos;
      rule.uses_username = rule.filter.find("%u") != std::string::npos;
      // Validate the shape the filter will have once a (guarded) value is substituted.
      check.clear();
      substitute(rule, ClientIdentity{"x", "x"}, check);
    }
    if (!isValidTopicFilter(check) || check.starts_with("$share/")) {
      fail(fmt::format("invalid topic filter '{}'", rule.filter));
    }
    (directive == "pattern" ? acl.patterns_ : *current).add(std::move(rule));
  }
  return acl;
}

Acl Acl::load(const std::filesystem::path& path) {
  core::Result<std::string> text = readWholeFile(path);
  if (!text) throw core::ConfigError("ACL file " + text.error().message());
  return parse(*text, path.string());
}

bool Acl::allowed(const ClientIdentity& client, AccessKind kind, std::string_view request) const {
  if (kind == AccessKind::kSubscribe) {
    std::string_view group;
    std::string_view filter;
    if (parseSharedSubscription(request, group, filter)) request = filter;
    if (!isValidTopicFilter(request)) return false;
  } else if (request.empty() || hasWildcard(request)) {
    return false;
  }
  // For a topic name (publish, read) "covers" is "matches"; for a filter, a deny rule refuses
  // only a subscription it covers wholly, and the topics it denies inside a wider filter are
  // withheld at delivery (kRead).

  const RuleList* own = &anonymous_;
  if (!client.username.empty()) {
    auto it = users_.find(client.username);
    own = it != users_.end() ? &it->second : nullptr;
  }
  std::string substituted;

  // 1. Deny wins.
  if (own != nullptr) {
    for (size_t i = 0; i < own->deny_count; ++i) {
      if (aclFilterCovers(own->rules[i].filter, request)) return false;
    }
  }
  for (size_t i = 0; i < patterns_.deny_count; ++i) {
    switch (substitute(patterns_.rules[i], client, substituted)) {
      case Substitution::kAbsent: break;
      case Substitution::kUnsafe: return false;  // fail closed: we cannot tell what it denies
      case Substitution::kDone:
        if (aclFilterCovers(substituted, request)) return false;
        break;
    }
  }
  // 2. A covering allow.
  if (own != nullptr) {
    for (size_t i = own->deny_count; i < own->rules.size(); ++i) {
      const AclRule& rule = own->rules[i];
      if (grants(rule.access, kind) && aclFilterCovers(rule.filter, request)) return true;
    }
  }
  for (size_t i = patterns_.deny_count; i < patterns_.rules.size(); ++i) {
    const AclRule& rule = patterns_.rules[i];
    if (grants(rule.access, kind) &&
        substitute(rule, client, substituted) == Substitution::kDone &&
        aclFilterCovers(substituted, request)) {
      return true;
    }
  }
  return false;
}

}  // namespace hearth::mqtt

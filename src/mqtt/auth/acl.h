// The ACL file: which topics a client may publish to (write) and subscribe to (read).
//
// Grammar (mosquitto-like), one directive per line, '#' comment lines and blank lines ignored:
//   user <name>                         starts the block of rules for that user name
//   topic [read|write|readwrite|deny] <filter>
//                                       a rule for the current user block; rules before the
//                                       first `user` line apply to anonymous clients
//   pattern [read|write|readwrite|deny] <filter>
//                                       a rule for every client, with %c replaced by the client
//                                       id and %u by the user name
// The access word is optional (readwrite). The filter is the rest of the line and must be a valid
// topic filter ("$share/" filters are refused). A user's blocks are merged if it has several.
//
// Which rules apply: a client with a user name gets its user block (none if absent) plus the
// patterns; an anonymous client (empty user name) gets the anonymous rules plus the patterns.
// A pattern using %u never applies to anonymous clients.
//
// Injection guard: a value substituted for %c or %u must be non-empty, have no '+', '#', '/' or
// NUL, and not start with '$'. Otherwise a client id "#" would turn "devices/%c/#" into
// "devices/#", "a/b" would reach into another client's subtree, and "$SYS" would reach system
// topics through "%c/#". An empty value (anonymous user name) means the pattern does not apply
// to that client; an unsafe value means no allow pattern using it applies, and any deny pattern
// using it refuses every request of that client (fail closed: what it was meant to deny is
// unknowable).
//
// Decision for a request (a topic name for publish and read, a filter for subscribe):
//   1. Deny wins: if any applicable `deny` rule covers the request (see 2), refuse. A subscription
//      that merely overlaps a deny rule ("#" beside "topic deny test/nosubscribe") is granted: the
//      broker asks again for each topic it delivers (AccessKind::kRead) and withholds the denied
//      ones, as mosquitto does.
//   2. Otherwise allow if some applicable rule with the needed access (write for publish, read
//      for subscribe and read) covers the request: for a topic name, the rule's filter matches it
//      (topicMatches); for a filter, every topic the requested filter can match is matched by the
//      rule. Level by level: a literal level is covered by the same literal or '+'; a requested
//      '+' only by '+'; a requested '#' only by '#'; a rule's '#' covers everything below it. So
//      a rule "home/#" allows a subscription to "home/+/temp" and "home/#", but a rule "home/+"
//      does not allow "home/#".
//   3. Otherwise refuse.
// '$'-topics follow MQTT: a rule starting with '+' or '#' neither grants nor denies them.
//
// Thread-safety: immutable after parsing; allowed() may be called from any number of threads.
// Errors: parsing throws core::ConfigError ("file:line: what"); allowed() never throws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hearth/mqtt/auth.h"
#include "mqtt/auth/password_file.h"

namespace hearth::mqtt {

enum class AclAccess : uint8_t { kRead = 1, kWrite = 2, kReadWrite = 3, kDeny = 4 };

struct AclRule {
  AclAccess access = AclAccess::kReadWrite;
  std::string filter;  // for patterns: with %c / %u still in it
  bool uses_client_id = false;
  bool uses_username = false;
};

class Acl {
 public:
  // `source` names the file in error messages.
  static Acl parse(std::string_view text, std::string_view source);
  static Acl load(const std::filesystem::path& path);

  bool allowed(const ClientIdentity& client, AccessKind kind, std::string_view request) const;

 private:
  // Each list keeps its deny rules first, so a decision reads all denies and then stops at the
  // first covering allow.
  struct RuleList {
    std::vector<AclRule> rules;
    size_t deny_count = 0;
    void add(AclRule rule);
  };

  RuleList anonymous_;
  std::unordered_map<std::string, RuleList, StringHash, std::equal_to<>> users_;
  RuleList patterns_;
};

// Exposed for tests. Both arguments must be valid filters (a topic name is a valid filter).
// Does rule `filter` match every topic that `request` can match?
bool aclFilterCovers(std::string_view filter, std::string_view request);

}  // namespace hearth::mqtt

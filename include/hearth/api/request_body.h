// Reading the JSON bodies of API requests: strict about what a route takes (the members it
// names, of the types it names, and nothing else), with a reason for a person when the body is
// not that. Pure functions over text, fuzzed (tests/fuzz/api_body); never throw.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "hearth/core/status.h"

namespace hearth::api {

// The members of a body that readStringMembers() or readMembers() let through, read without
// throwing: each accessor gives the member when it is there (the reader checked its type), and
// nothing when it is absent. Routes read bodies only through these.
class Members {
 public:
  explicit Members(boost::json::object object) : object_(std::move(object)) {}

  // The string member `name`, or `absent` when there is none.
  std::string_view string(std::string_view name, std::string_view absent = {}) const;
  std::optional<int64_t> integer(std::string_view name) const;
  std::optional<bool> boolean(std::string_view name) const;
  bool has(std::string_view name) const { return object_.contains(name); }
  size_t size() const { return object_.size(); }

 private:
  boost::json::object object_;
};

// A body that is a JSON object whose members are exactly `names`, each a string: the members,
// or why not ("password: missing, or not a string", "unknown member \"x\"").
core::Result<Members, std::string> readStringMembers(std::string_view body,
                                                     std::initializer_list<std::string_view> names);

// One member a route takes: its name, JSON type and whether it must be there.
struct MemberSpec {
  enum class Type : uint8_t { kString, kInteger, kBool };
  std::string_view name;
  Type type = Type::kString;
  bool required = true;
};

// A body that is a JSON object with no members but `specs`, each of its type, the required ones
// present: the members, or why not. Integers are int64 (a uint64 above INT64_MAX is refused).
core::Result<Members, std::string> readMembers(std::string_view body, std::initializer_list<MemberSpec> specs);

}  // namespace hearth::api

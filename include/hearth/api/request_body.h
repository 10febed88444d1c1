// Reading the JSON bodies of API requests: strict about what a route takes (the members it
// names, of the types it names, and nothing else), with a reason for a person when the body is
// not that. Pure functions over text, fuzzed (tests/fuzz/api_body); never throw.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "hearth/core/status.h"

namespace hearth::api {

// A body that is a JSON object whose members are exactly `names`, each a string: the members by
// name, or why not ("password: missing, or not a string", "unknown member \"x\"").
core::Result<std::map<std::string, std::string>, std::string> readStringMembers(
    std::string_view body, std::initializer_list<std::string_view> names);

// One member a route takes: its name, JSON type and whether it must be there.
struct MemberSpec {
  enum class Type : uint8_t { kString, kInteger, kBool };
  std::string_view name;
  Type type = Type::kString;
  bool required = true;
};

// A body that is a JSON object with no members but `specs`, each of its type, the required ones
// present: the object, or why not. Integers are int64 (a uint64 above INT64_MAX is refused).
core::Result<boost::json::object, std::string> readMembers(std::string_view body,
                                                           std::initializer_list<MemberSpec> specs);

}  // namespace hearth::api

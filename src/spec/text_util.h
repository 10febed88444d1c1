// Small text helpers for the messages the spec component writes.
#pragma once

#include <string>
#include <string_view>

namespace hearth::spec::detail {

// `s` in double quotes, as messages show names and values taken from a spec: "uint9".
inline std::string inQuotes(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out += s;
  out += '"';
  return out;
}

}  // namespace hearth::spec::detail

// A hash that lets an unordered_map keyed by std::string be searched with a string_view, without
// building a string for each lookup (the broker's hot paths look up topics and user names).
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace hearth::mqtt {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace hearth::mqtt

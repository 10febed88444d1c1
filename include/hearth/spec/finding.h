// A finding about a spec: validation, the standard catalogue check and the upgrade check all
// report in this shape, so tools print and compare them one way. Plain values; no shared state.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::spec {

// kError: the spec is wrong and devices built on it will misbehave (a value that cannot be
// checked, an argument that points nowhere). kWarning: legal but suspicious or off-convention.
enum class Severity : uint8_t { kError, kWarning };

std::string_view severityName(Severity severity);  // "error", "warning"

struct Finding {
  Severity severity = Severity::kError;
  std::string pointer;  // JSON pointer into the document the check looked at; "" = all of it
  std::string message;

  // "error /services/1/iid: duplicate service iid 2 (also /services/0)"
  std::string toString() const;

  friend bool operator==(const Finding&, const Finding&) = default;
  friend auto operator<=>(const Finding&, const Finding&) = default;
};

bool hasErrors(const std::vector<Finding>& findings);

}  // namespace hearth::spec

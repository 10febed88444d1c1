#include "hearth/spec/finding.h"

#include <algorithm>

namespace hearth::spec {

std::string_view severityName(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

std::string Finding::toString() const {
  std::string out(severityName(severity));
  out += ' ';
  out += pointer.empty() ? "(document)" : pointer;
  out += ": ";
  out += message;
  return out;
}

bool hasErrors(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::kError; });
}

}  // namespace hearth::spec

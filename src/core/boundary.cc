#include "hearth/core/boundary.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>

#include "hearth/core/secrets.h"

namespace hearth::core {

namespace {

// Process-wide, as the errors they count are: one bug is one count, whichever component it hit.
std::array<std::atomic<uint64_t>, kBoundaryCount> counts{};

}  // namespace

std::string_view boundaryName(Boundary boundary) {
  switch (boundary) {
    case Boundary::kHttp: return "http";
    case Boundary::kWebSocket: return "websocket";
    case Boundary::kMqtt: return "mqtt";
    case Boundary::kWorker: return "worker";
  }
  return "unknown";
}

std::string newErrorId() { return randomHex(8); }

std::string reportInternalError(Boundary boundary, std::string_view where, std::string_view what) noexcept {
  counts[static_cast<size_t>(boundary)].fetch_add(1, std::memory_order_relaxed);
  // Out of memory here leaves no id to give and no line to log; the count still tells.
  try {
    std::string id = newErrorId();
    spdlog::error("internal: error id={} boundary={} where={} what={}", id, boundaryName(boundary), where, what);
    return id;
  } catch (...) {
    return {};
  }
}

uint64_t internalErrors(Boundary boundary) {
  return counts[static_cast<size_t>(boundary)].load(std::memory_order_relaxed);
}

std::string internalErrorsMetricsText() {
  std::string out =
      "# HELP hearth_internal_errors_total Exceptions caught at a request boundary: bugs, each logged with its error "
      "id.\n# TYPE hearth_internal_errors_total counter\n";
  for (size_t i = 0; i < kBoundaryCount; ++i) {
    const auto boundary = static_cast<Boundary>(i);
    out += fmt::format("hearth_internal_errors_total{{boundary=\"{}\"}} {}\n", boundaryName(boundary),
                       internalErrors(boundary));
  }
  return out;
}

}  // namespace hearth::core

// The last line of defence of every request path: a bug that throws costs the one request,
// connection or job it happened in, never the server.
//
// Request paths return Status and Result and throw nothing (DEVELOPERS.md); this is for the
// mistake that slips through, ours or a library's. Each boundary runs its work through guard():
// the HTTP dispatch (answers 500 with the error id), a WebSocket's or an MQTT connection's
// handler (closes that one connection), a worker thread's loop (keepRunning: starts it again).
// An exception that escapes is logged once at error level with a fresh error id,
//   internal: error id=<16 hex digits> boundary=<http|websocket|mqtt|worker> where=<...> what=<...>
// counted in hearth_internal_errors_total{boundary="..."}, and the id is handed back for the
// client to see, so that a report can be matched with its log line (docs/operations.md).
//
// Thread-safety: everything here may be called from any thread. Never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace hearth::core {

enum class Boundary : uint8_t { kHttp, kWebSocket, kMqtt, kWorker };
inline constexpr size_t kBoundaryCount = 4;

std::string_view boundaryName(Boundary boundary);  // "http", "websocket", "mqtt", "worker"

// A fresh id for one internal error: 16 random lower-case hex digits.
std::string newErrorId();

// Records one internal error at `boundary` (`where`: the route, the client, the thread; `what`:
// the exception's message): logs it with a new id, counts it, returns the id.
std::string reportInternalError(Boundary boundary, std::string_view where, std::string_view what) noexcept;

// Runs `work`; nullopt when it returned, or the error id of the exception that escaped it.
template <class Work>
std::optional<std::string> guard(Boundary boundary, std::string_view where, Work&& work) noexcept {
  try {
    std::forward<Work>(work)();
    return std::nullopt;
  } catch (const std::exception& e) {
    return reportInternalError(boundary, where, e.what());
  } catch (...) {
    return reportInternalError(boundary, where, "an exception that is not a std::exception");
  }
}

// Runs `loop` (a worker's loop, an event loop's run()) until it returns; after each exception
// escaping it, reports it and starts it again.
template <class Loop>
void keepRunning(Boundary boundary, std::string_view where, Loop&& loop) noexcept {
  while (guard(boundary, where, loop)) {
  }
}

// Internal errors counted so far at `boundary`, since the process started.
uint64_t internalErrors(Boundary boundary);

// hearth_internal_errors_total by boundary, in the Prometheus text format.
std::string internalErrorsMetricsText();

}  // namespace hearth::core

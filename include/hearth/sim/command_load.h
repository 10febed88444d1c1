// Commands at a fixed rate through hearthd's HTTP API (POST /api/v1/devices/{did}/commands,
// docs/api.md), over a few keep-alive connections: the load behind `hearth sim --scenario
// commands` and hearth-mqtt-load's commands scenario.
//
// A command's round trip is measured from the time it was due to the answer, so a stall shows
// as latency rather than as a lower rate (no coordinated omission). A command counts as
// answered when the API says 200 and every item's code is 0; anything else counts as failed.
// Times are steady-clock nanoseconds (CLOCK_MONOTONIC), comparable across processes.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "hearth/sim/latency_histogram.h"

namespace hearth::sim {

struct CommandStats {
  uint64_t sent = 0;
  uint64_t sent_measured = 0;  // due inside the measured window
  uint64_t answered = 0;       // 200 with every item done
  uint64_t answered_measured = 0;
  uint64_t failed = 0;         // another status, an item with a non-zero code, or a broken connection
  LatencyHistogram latency;    // ns, of the measured commands that were answered
};

struct CommandLoadOptions {
  std::string host = "127.0.0.1";  // an IP address
  uint16_t http_port = 8080;
  std::string token;               // a bearer token allowed to command the devices
  double rate = 100;               // commands per second
  uint32_t connections = 32;
  std::string log_prefix = "hearth";  // starts the few failure lines written to stderr
};

// The index-th command (0, 1, ...): the did it goes to and its JSON body, e.g.
// {"method":"set_properties","params":[{"siid":2,"piid":1,"value":true}]}.
using CommandSource = std::function<std::pair<std::string, std::string>(uint64_t index)>;

// Sends the commands due in [start_ns, stop_ns); those due from warm_end_ns on are measured.
// Returns when every command sent has been answered, failed, or waited 10 s.
CommandStats runCommandLoad(const CommandLoadOptions& options, const CommandSource& source, int64_t start_ns,
                            int64_t warm_end_ns, int64_t stop_ns);

// Send times travel inside payloads, so every process must read the same clock: CLOCK_MONOTONIC.
inline int64_t steadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace hearth::sim

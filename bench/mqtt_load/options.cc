#include "options.h"

#include <algorithm>

namespace hearth::bench {

std::string_view scenarioName(Scenario s) {
  switch (s) {
    case Scenario::kFanIn: return "fan-in";
    case Scenario::kFanOut: return "fan-out";
    case Scenario::kP2p: return "p2p";
    case Scenario::kIdle: return "idle";
    case Scenario::kConnectRate: return "connect-rate";
    case Scenario::kIngest: return "ingest";
    case Scenario::kCommands: return "commands";
  }
  return "?";
}

ProcessShare processShare(const LoadOptions& o, uint32_t process_index) {
  const uint32_t k = std::max(1u, o.processes);
  const uint32_t base = o.connections / k;
  const uint32_t extra = o.connections % k;
  ProcessShare s;
  s.index = process_index;
  s.connections = base + (process_index < extra ? 1 : 0);
  s.first_global = process_index * base + std::min(process_index, extra);
  // Fan-out runs one publisher per process, so each offers an equal part of the rate; elsewhere
  // the rate follows the number of publishers.
  if (o.scenario == Scenario::kFanOut || o.connections == 0) {
    s.rate = o.rate / k;
  } else {
    s.rate = o.rate * s.connections / o.connections;
  }
  return s;
}

}  // namespace hearth::bench

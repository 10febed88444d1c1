// Load scenarios on a fleet (`hearth sim --scenario ...`), each printing a progress line while
// it runs and returning a summary table:
//
//   connect-storm  every device connects at once: time to all online, connects/s (mean and peak),
//                  time to CONNACK p50/p99, failed attempts (retried with backoff)
//   steady         every device reports a reading every `report_every_s` (FleetOptions): offered
//                  and acknowledged reports/s, report-to-PUBACK lag p50/p99, reports left waiting
//   commands       `command_rate` set_properties/s through the HTTP API to the devices in turn,
//                  answered by the simulated devices: round trip p50/p99, failures
//
// Steady and commands wait for the fleet to be online, run `warmup_s`, then measure `duration_s`.
// Nothing is asserted: figures are printed (docs/performance.md keeps them).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "hearth/sim/command_load.h"
#include "hearth/sim/fleet.h"

namespace hearth::sim {

enum class Scenario { kConnectStorm, kSteady, kCommands };

struct ScenarioOptions {
  Scenario scenario = Scenario::kConnectStorm;
  double duration_s = 20;
  double warmup_s = 3;
  double online_timeout_s = 120;  // how long to wait for the fleet to be online
  double progress_s = 1;
  double command_rate = 100;      // commands: per second
  CommandLoadOptions http;        // commands: hearthd's HTTP API and an operator token
};

struct SummaryRow {
  std::string figure;
  std::string value;
};

// Sleeps up to the given time; true when the run should stop (Ctrl-C).
using Interrupted = std::function<bool(std::chrono::milliseconds)>;

// Runs `options.scenario` on `fleet` (created from `devices` and `products`, not started yet);
// stops the fleet at the end. Progress lines go to stderr.
std::vector<SummaryRow> runScenario(Fleet& fleet, const std::vector<FleetDevice>& devices,
                                    const ProductCatalogue& products, const ScenarioOptions& options,
                                    const Interrupted& interrupted);

}  // namespace hearth::sim

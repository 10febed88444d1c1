// The fleet simulator: many virtual devices (SimulatedDevice + DeviceClient each) on a few event
// loops, one per core, each device holding only its own state. It is what `hearth sim` runs, and
// what the demo home and the load scenarios are made of.
//
// Devices are registered beforehand (`hearth device add` prints the did, secret and model this
// reads); products come from spec files. A fleet advances each device's clock every tick (times
// `speed`), reports what changed, answers the cloud's commands from the device's state, and
// reports every readable property when a device comes online, as real devices do.
//
// Threading: start(), stop() and stats() are called from one controlling thread; the devices
// live on the fleet's own threads. Errors: loading returns a Status naming the file and the
// reason; a running fleet never throws (device trouble shows in stats()).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/status.h"
#include "hearth/sim/device_client.h"
#include "hearth/sim/latency_histogram.h"
#include "hearth/sim/simulated_device.h"

namespace hearth::sim {

struct FleetDevice {
  std::string did;
  std::string secret;
  std::string model;
};

// `hearth device add --count N` output: [{"did": ..., "secret": ..., "model": ...}, ...].
core::Result<std::vector<FleetDevice>> parseFleetDevices(std::string_view json_text);

using ProductCatalogue = std::map<std::string, std::shared_ptr<const SimProduct>, std::less<>>;
// Every spec file (*.json) under `dir`, by model; of several versions of a model the newest.
// Files that are not device specs are skipped; an unreadable directory is an error.
core::Result<ProductCatalogue> loadProducts(const std::filesystem::path& dir);

struct FleetOptions {
  ClientOptions client;   // host, port, TLS, keep-alive, backoff, buffer; did and secret per device
  unsigned threads = 0;   // event loops; 0: one per core
  double speed = 1;       // device seconds per real second (an air conditioner cools `speed` times faster)
  std::chrono::milliseconds tick{1000};
  uint64_t seed = 1;      // device i's randomness is seeded from seed and i
  // Besides what its behaviour reports: one reading every this many seconds per device,
  // staggered over the fleet (the steady-reporting load); 0 for none.
  double report_every_s = 0;
};

struct FleetStats {
  size_t devices = 0;
  size_t online = 0;
  uint64_t connects = 0;
  uint64_t connect_failures = 0;
  uint64_t disconnects = 0;
  uint64_t reports = 0;
  uint64_t reports_acked = 0;
  uint64_t reports_dropped = 0;
  uint64_t reports_rejected = 0;
  uint64_t requests = 0;
  uint64_t reports_waiting = 0;
  LatencyHistogram time_to_online;  // ns from start() to each device's first CONNACK
  LatencyHistogram report_lag;      // ns from a report to its PUBACK
};

class Fleet {
 public:
  // Fails (kNotFound) when a device's model is not in `products`.
  static core::Result<std::unique_ptr<Fleet>> create(FleetOptions options, const std::vector<FleetDevice>& devices,
                                                     const ProductCatalogue& products);
  ~Fleet();
  Fleet(const Fleet&) = delete;
  Fleet& operator=(const Fleet&) = delete;

  // Connects every device (spread over the loops) and starts their clocks.
  void start();
  // Disconnects every device politely and joins the loops.
  void stop();
  FleetStats stats();
  // Empties report_lag, so that a measured window starts clean.
  void resetReportLag();
  double reportEvery() const { return options_.report_every_s; }

 private:
  class Loop;
  explicit Fleet(FleetOptions options);

  FleetOptions options_;
  std::vector<std::unique_ptr<Loop>> loops_;
};

}  // namespace hearth::sim

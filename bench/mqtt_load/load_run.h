// One process's run of a scenario: set up its clients, wait for the go signal, drive the load
// for warmup + duration, drain, and return raw counts and latency buckets.
#pragma once

#include <cstdint>

#include "hearth/sim/latency_histogram.h"
#include "options.h"

namespace hearth::bench {

struct SetupSummary {
  uint32_t clients = 0;
  uint32_t ready = 0;
  uint32_t failed = 0;
};

// The rendezvous between set-up and load: in a child it is a line to the parent and a line
// back, so that all processes start at the same instant and broker memory is read while every
// client of every process is connected.
class PhaseSync {
 public:
  virtual ~PhaseSync() = default;
  // Returns the steady-clock time (ns) at which the load starts; for the idle scenario, when
  // the clients may disconnect.
  virtual int64_t readyAndWaitGo(const SetupSummary& setup) = 0;
};

struct ProcessResult {
  uint64_t sent = 0;
  uint64_t sent_measured = 0;
  uint64_t received = 0;
  uint64_t received_in_window = 0;
  uint64_t received_measured = 0;
  uint64_t expected = 0;  // deliveries owed for the messages sent inside the window
  uint64_t puback_errors = 0;
  uint64_t window_resets = 0;
  uint64_t disconnects = 0;
  uint64_t connect_failures = 0;
  uint64_t connects = 0;
  uint64_t clients = 0;
  uint64_t ready = 0;
  sim::LatencyHistogram latency;

  void merge(const ProcessResult& o);
};

ProcessResult runLoad(const LoadOptions& opts, const ProcessShare& share, PhaseSync& sync);

}  // namespace hearth::bench

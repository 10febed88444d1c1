// The commands scenario's caller: sends set_properties commands through hearthd's HTTP API
// (POST /api/v1/devices/{did}/commands, docs/operations.md) to the devices in turn, at a fixed
// rate, over a few keep-alive connections. A command's round trip is measured from the time it
// was due to the answer, so a stall shows as latency rather than as a lower rate (no
// coordinated omission). A command counts as answered when the API says 200 and every item's
// code is 0; anything else counts as failed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "histogram.h"
#include "options.h"

namespace hearth::bench {

struct CommandStats {
  uint64_t sent = 0;
  uint64_t sent_measured = 0;  // due inside the measured window
  uint64_t answered = 0;       // 200 with every item done
  uint64_t answered_measured = 0;
  uint64_t failed = 0;         // another status, an item with a non-zero code, or a broken connection
  LatencyHistogram latency;    // ns, of the measured commands that were answered
};

class CommandDriver {
 public:
  // `dids`: the devices to command, in turn; `rate`: commands per second for this process.
  CommandDriver(const LoadOptions& o, std::vector<std::string> dids, double rate, std::string token);

  // Sends commands due in [start_ns, stop_ns) (steady clock); those due from warm_end_ns are
  // measured. Returns when every command sent has been answered, failed, or waited 10 s.
  CommandStats run(int64_t start_ns, int64_t warm_end_ns, int64_t stop_ns);

 private:
  const LoadOptions& o_;
  const std::vector<std::string> dids_;
  const double rate_;
  const std::string token_;
};

}  // namespace hearth::bench

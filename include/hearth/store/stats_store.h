// The platform's figures for its operators (docs/operations.md, "Statistics"), counted by the
// store in one pass over its tables. Counting scans: callers cache the answer
// (home::PlatformStats refreshes it at most once a minute).
//
// Ownership: implementations own their connections. Thread-safety: any thread. Errors: the
// storage engine's; never throws.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::store {

struct PlatformCounts {
  uint64_t devices = 0;         // registered
  uint64_t devices_online = 0;  // connected now, as presence last recorded
  uint64_t devices_bound = 0;   // in a home
  std::vector<std::pair<std::string, uint64_t>> devices_by_type;  // registered, by the spec's device type
  uint64_t users = 0;
  uint64_t homes = 0;
  uint64_t users_with_5_devices = 0;  // members of homes that hold five or more devices between them
  uint64_t daily_active_users = 0;    // active on `day`
  uint64_t monthly_active_users = 0;  // active on `day` or the 29 days before
  friend bool operator==(const PlatformCounts&, const PlatformCounts&) = default;
};

class StatsStore {
 public:
  virtual ~StatsStore() = default;
  // `day`: today, in days since the Unix epoch (UTC).
  virtual core::Result<PlatformCounts> platformCounts(int64_t day) = 0;
};

}  // namespace hearth::store

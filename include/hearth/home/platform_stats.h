// The figures an operator of the platform watches, as Xiaomi reports them for its own: devices
// registered and connected, devices by type, users, homes, users with five or more devices, and
// daily and monthly active users (a user is active on a day when they use the API). Served at
// /api/v1/admin/stats (admins), as Prometheus gauges on /metrics, and by `hearth stats`.
//
// Counting scans the registry, so the figures are cached for kRefresh.
//
// Ownership: borrows the store and the clock. Thread-safety: any thread. Errors: the store's.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <mutex>
#include <string>

#include "hearth/core/clock.h"
#include "hearth/core/status.h"
#include "hearth/store/stats_store.h"

namespace hearth::home {

class PlatformStats {
 public:
  static constexpr std::chrono::seconds kRefresh{10};

  PlatformStats(store::StatsStore& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  // The figures, counted at most kRefresh ago.
  core::Result<store::PlatformCounts> current();
  // Prometheus text of current(): hearth_devices, hearth_devices_online, hearth_devices_bound,
  // hearth_devices_by_type{type}, hearth_users, hearth_homes, hearth_users_with_5_devices,
  // hearth_daily_active_users, hearth_monthly_active_users; "" when the store fails.
  std::string metricsText();

  static boost::json::object toJson(const store::PlatformCounts& counts);

 private:
  store::StatsStore& store_;
  const core::Clock& clock_;
  std::mutex mu_;
  store::PlatformCounts cached_;  // guarded by mu_
  int64_t counted_ms_ = 0;        // guarded by mu_; 0 = never
};

}  // namespace hearth::home

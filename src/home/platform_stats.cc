#include "hearth/home/platform_stats.h"

#include <fmt/format.h>

namespace hearth::home {

namespace {

constexpr int64_t kDayMs = 86'400'000;

}  // namespace

core::Result<store::PlatformCounts> PlatformStats::current() {
  const int64_t now = clock_.unixMillis();
  std::lock_guard lock(mu_);
  if (counted_ms_ == 0 || now - counted_ms_ >= std::chrono::milliseconds(kRefresh).count()) {
    auto counts = store_.platformCounts(now / kDayMs);
    if (!counts) return counts.error();
    cached_ = std::move(counts).value();
    counted_ms_ = now;
  }
  return cached_;
}

std::string PlatformStats::metricsText() {
  auto counts = current();
  if (!counts) return {};
  const store::PlatformCounts& c = counts.value();
  std::string out;
  auto gauge = [&out](std::string_view name, std::string_view help, uint64_t value) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} gauge\n{0} {2}\n", name, help, value);
  };
  gauge("hearth_devices", "Devices registered.", c.devices);
  gauge("hearth_devices_online", "Devices connected, as presence last recorded.", c.devices_online);
  gauge("hearth_devices_bound", "Devices bound into a home.", c.devices_bound);
  out += "# HELP hearth_devices_by_type Devices registered, by the spec's device type.\n"
         "# TYPE hearth_devices_by_type gauge\n";
  for (const auto& [type, n] : c.devices_by_type) out += fmt::format("hearth_devices_by_type{{type=\"{}\"}} {}\n", type, n);
  gauge("hearth_users", "Accounts.", c.users);
  gauge("hearth_homes", "Homes.", c.homes);
  gauge("hearth_users_with_5_devices", "Users whose homes hold five or more devices.", c.users_with_5_devices);
  gauge("hearth_daily_active_users", "Users who used the API today (UTC).", c.daily_active_users);
  gauge("hearth_monthly_active_users", "Users who used the API in the last 30 days.", c.monthly_active_users);
  return out;
}

boost::json::object PlatformStats::toJson(const store::PlatformCounts& c) {
  boost::json::object by_type;
  for (const auto& [type, n] : c.devices_by_type) by_type[type] = n;
  return boost::json::object{{"devices", c.devices},
                             {"devices_online", c.devices_online},
                             {"devices_bound", c.devices_bound},
                             {"devices_by_type", std::move(by_type)},
                             {"users", c.users},
                             {"homes", c.homes},
                             {"users_with_5_devices", c.users_with_5_devices},
                             {"daily_active_users", c.daily_active_users},
                             {"monthly_active_users", c.monthly_active_users}};
}

}  // namespace hearth::home

#include "hearth/sim/scenario.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <optional>
#include <thread>

namespace hearth::sim {

namespace json = boost::json;

namespace {

using Ms = std::chrono::milliseconds;

Ms ms(double seconds) { return Ms(static_cast<int64_t>(seconds * 1000)); }

std::string millis(uint64_t ns) { return fmt::format("{:.2f} ms", static_cast<double>(ns) / 1e6); }

// Waits until every device is online (or the timeout, or Ctrl-C), printing progress; false when
// interrupted.
bool waitOnline(Fleet& fleet, const ScenarioOptions& o, const Interrupted& interrupted) {
  const auto deadline = std::chrono::steady_clock::now() + ms(o.online_timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    const FleetStats s = fleet.stats();
    if (s.online == s.devices) return true;
    std::fprintf(stderr, "hearth sim: waiting for the fleet: %zu/%zu online\n", s.online, s.devices);
    if (interrupted(ms(o.progress_s))) return false;
  }
  return true;
}

std::vector<SummaryRow> connectStorm(Fleet& fleet, const ScenarioOptions& o, const Interrupted& interrupted) {
  const int64_t started = steadyNowNs();
  fleet.start();
  size_t last_online = 0;
  double peak = 0;
  FleetStats s;
  while (true) {
    const bool stop = interrupted(ms(o.progress_s));
    s = fleet.stats();
    const double rate = static_cast<double>(s.online - std::min(s.online, last_online)) / o.progress_s;
    peak = std::max(peak, rate);
    last_online = s.online;
    std::fprintf(stderr, "connect-storm: %zu/%zu online, %.0f connects/s, %llu failed attempts\n", s.online,
                 s.devices, rate, static_cast<unsigned long long>(s.connect_failures));
    if (stop || s.online == s.devices || steadyNowNs() - started > static_cast<int64_t>(o.online_timeout_s * 1e9)) {
      break;
    }
  }
  const uint64_t all_ns = s.time_to_online.max();
  return {{"devices", std::to_string(s.devices)},
          {"online", std::to_string(s.online)},
          {"time until all online", millis(all_ns)},
          {"connects/s (mean)", fmt::format("{:.0f}", all_ns ? s.online * 1e9 / static_cast<double>(all_ns) : 0)},
          {"connects/s (peak, per progress interval)", fmt::format("{:.0f}", peak)},
          {"time to CONNACK p50", millis(s.time_to_online.percentile(0.5))},
          {"time to CONNACK p99", millis(s.time_to_online.percentile(0.99))},
          {"failed attempts (retried)", std::to_string(s.connect_failures)}};
}

std::vector<SummaryRow> steady(Fleet& fleet, const ScenarioOptions& o, double every_s, const Interrupted& interrupted) {
  fleet.start();
  if (!waitOnline(fleet, o, interrupted) || interrupted(ms(o.warmup_s))) return {};
  fleet.resetReportLag();
  const FleetStats before = fleet.stats();
  const int64_t t0 = steadyNowNs();
  FleetStats s = before;
  uint64_t last = before.reports_acked;
  while (steadyNowNs() - t0 < static_cast<int64_t>(o.duration_s * 1e9)) {
    if (interrupted(ms(o.progress_s))) break;
    s = fleet.stats();
    std::fprintf(stderr, "steady: %zu/%zu online, %.0f reports/s acknowledged, %llu waiting, lag p99 %s\n", s.online,
                 s.devices, static_cast<double>(s.reports_acked - last) / o.progress_s,
                 static_cast<unsigned long long>(s.reports_waiting), millis(s.report_lag.percentile(0.99)).c_str());
    last = s.reports_acked;
  }
  const double seconds = static_cast<double>(steadyNowNs() - t0) / 1e9;
  return {{"devices", std::to_string(s.devices)},
          {"report interval", fmt::format("{} s", every_s)},
          {"offered reports/s", fmt::format("{:.0f}", static_cast<double>(s.devices) / every_s)},
          {"acknowledged reports/s", fmt::format("{:.0f}", static_cast<double>(s.reports_acked - before.reports_acked) / seconds)},
          {"report → PUBACK lag p50", millis(s.report_lag.percentile(0.5))},
          {"report → PUBACK lag p99", millis(s.report_lag.percentile(0.99))},
          {"report → PUBACK lag max", millis(s.report_lag.max())},
          {"reports waiting at the end", std::to_string(s.reports_waiting)},
          {"reports dropped / rejected", fmt::format("{} / {}", s.reports_dropped, s.reports_rejected)},
          {"devices online at the end", std::to_string(s.online)}};
}

// A valid value of a writable property, varying with n: a switch toggles, a range steps through
// its values, a list cycles.
std::optional<json::value> commandValue(const spec::Property& p, uint64_t n) {
  if (p.format == spec::Format::kBool) return json::value(n % 2 == 0);
  if (p.value_list && !p.value_list->empty()) {
    const spec::Number& v = (*p.value_list)[n % p.value_list->size()].value;
    if (v.kind() == spec::Number::Kind::kDouble) return json::value(v.doubleValue());
    return json::value(v.toInt64().value_or(0));
  }
  if (!p.value_range || p.format == spec::Format::kString) return std::nullopt;
  const double min = p.value_range->min.toDouble(), max = p.value_range->max.toDouble();
  const double step = p.value_range->step.toDouble() > 0 ? p.value_range->step.toDouble() : 1;
  const auto steps = static_cast<uint64_t>((max - min) / step) + 1;
  const double x = min + static_cast<double>((n * 7919) % steps) * step;
  if (spec::isIntegerFormat(p.format)) return json::value(static_cast<int64_t>(std::llround(x)));
  return json::value(x);
}

struct CommandTarget {
  std::string did;
  uint32_t siid = 0;
  const spec::Property* property = nullptr;
};

// Each device's first writable property that takes a switch, a number or a list value.
std::vector<CommandTarget> commandTargets(const std::vector<FleetDevice>& devices, const ProductCatalogue& products) {
  std::vector<CommandTarget> out;
  for (const auto& d : devices) {
    const auto product = products.find(d.model);
    if (product == products.end()) continue;
    const spec::Property* chosen = nullptr;
    uint32_t siid = 0;
    for (const auto& service : product->second->spec().services) {
      for (const auto& p : service.properties) {
        if (chosen == nullptr && p.access.canWrite() && commandValue(p, 0)) {
          chosen = &p;
          siid = service.iid;
        }
      }
    }
    if (chosen != nullptr) out.push_back({d.did, siid, chosen});
  }
  return out;
}

std::vector<SummaryRow> commands(Fleet& fleet, const std::vector<FleetDevice>& devices,
                                 const ProductCatalogue& products, const ScenarioOptions& o,
                                 const Interrupted& interrupted) {
  const std::vector<CommandTarget> targets = commandTargets(devices, products);
  if (targets.empty()) {
    std::fprintf(stderr, "hearth sim: no device has a writable property to set\n");
    return {};
  }
  fleet.start();
  if (!waitOnline(fleet, o, interrupted)) return {};
  CommandLoadOptions http = o.http;
  http.rate = o.command_rate;
  const CommandSource source = [&](uint64_t n) {
    const CommandTarget& t = targets[n % targets.size()];
    json::object item{{"siid", t.siid}, {"piid", t.property->iid}, {"value", *commandValue(*t.property, n / targets.size())}};
    json::object body{{"method", "set_properties"}, {"params", json::array{std::move(item)}}};
    return std::make_pair(t.did, json::serialize(body));
  };
  const int64_t start = steadyNowNs() + 100'000'000;
  const int64_t warm_end = start + static_cast<int64_t>(o.warmup_s * 1e9);
  const int64_t stop = warm_end + static_cast<int64_t>(o.duration_s * 1e9);
  std::atomic<bool> done{false};
  std::thread progress([&] {
    uint64_t last = fleet.stats().requests;
    while (!done.load() && !interrupted(ms(o.progress_s))) {
      const FleetStats s = fleet.stats();
      std::fprintf(stderr, "commands: %zu/%zu online, devices answering %.0f commands/s\n", s.online, s.devices,
                   static_cast<double>(s.requests - last) / o.progress_s);
      last = s.requests;
    }
  });
  const CommandStats c = runCommandLoad(http, source, start, warm_end, stop);
  done = true;
  progress.join();
  const double seconds = o.duration_s;
  return {{"devices", std::to_string(devices.size())},
          {"commands/s offered", fmt::format("{:.0f}", o.command_rate)},
          {"commands/s answered (measured window)", fmt::format("{:.0f}", static_cast<double>(c.answered_measured) / seconds)},
          {"round trip p50", millis(c.latency.percentile(0.5))},
          {"round trip p99", millis(c.latency.percentile(0.99))},
          {"round trip max", millis(c.latency.max())},
          {"failed", fmt::format("{} of {}", c.failed, c.sent)}};
}

}  // namespace

std::vector<SummaryRow> runScenario(Fleet& fleet, const std::vector<FleetDevice>& devices,
                                    const ProductCatalogue& products, const ScenarioOptions& options,
                                    const Interrupted& interrupted) {
  std::vector<SummaryRow> rows;
  switch (options.scenario) {
    case Scenario::kConnectStorm: rows = connectStorm(fleet, options, interrupted); break;
    case Scenario::kSteady: rows = steady(fleet, options, fleet.reportEvery(), interrupted); break;
    case Scenario::kCommands: rows = commands(fleet, devices, products, options, interrupted); break;
  }
  fleet.stop();
  return rows;
}

}  // namespace hearth::sim

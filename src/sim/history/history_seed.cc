#include "hearth/sim/history_seed.h"

#include <boost/json.hpp>

#include <cmath>
#include <future>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "hearth/core/json.h"
#include "hearth/spec/model.h"

namespace hearth::sim {

namespace json = boost::json;

namespace {

constexpr int64_t kDayMs = 86'400'000;

// (siid, iid) of the first property named `name` in a service named `service`.
std::optional<std::pair<uint32_t, uint32_t>> propertyOf(const spec::Instance& spec, std::string_view service,
                                                        std::string_view name) {
  for (const auto& s : spec.services) {
    if (s.type.name() != service) continue;
    for (const auto& p : s.properties) {
      if (p.type.name() == name && p.access.canWrite()) return std::pair{s.iid, p.iid};
    }
  }
  return std::nullopt;
}

std::optional<std::pair<uint32_t, uint32_t>> actionOf(const spec::Instance& spec,
                                                      std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    for (const auto& s : spec.services) {
      for (const auto& a : s.actions) {
        if (a.type.name() == name) return std::pair{s.iid, a.iid};
      }
    }
  }
  return std::nullopt;
}

bool within(double hour, double from, double to) { return hour >= from && hour < to; }

// What the household does with one device: its switch or curtain target by the hour of the day,
// and the vacuum's daily run.
class Household {
 public:
  explicit Household(const SimProduct& product) {
    const spec::Instance& spec = product.spec();
    type_ = product.deviceType();
    if (type_ == "light") on_ = propertyOf(spec, "light", "on");
    if (type_ == "outlet" || type_ == "switch") on_ = propertyOf(spec, "switch", "on");
    if (type_ == "air-conditioner") on_ = propertyOf(spec, "air-conditioner", "on");
    if (type_ == "curtain") target_ = propertyOf(spec, "curtain", "target-position");
    if (type_ == "vacuum") start_ = actionOf(spec, {"start-sweep", "start-clean"});
  }

  void act(SimulatedDevice& device, double hour, double previous_hour, Changes& out) const {
    if (on_) {
      bool on = false;
      if (type_ == "light") on = within(hour, 6.5, 8) || within(hour, 18, 23);
      else if (type_ == "air-conditioner") on = within(hour, 13, 18);
      else on = within(hour, 7, 9) || within(hour, 18, 23);
      if (device.value(on_->first, on_->second) != json::value(on)) device.set(on_->first, on_->second, on, out);
    }
    if (target_) {
      const int64_t open = within(hour, 7.5, 21) ? 100 : 0;
      if (device.value(target_->first, target_->second) != json::value(open)) {
        device.set(target_->first, target_->second, open, out);
      }
    }
    if (start_ && previous_hour < 10 && hour >= 10) device.action(start_->first, start_->second, json::array{}, out);
  }

 private:
  std::string_view type_;
  std::optional<std::pair<uint32_t, uint32_t>> on_, target_, start_;
};

core::Status append(store::HistoryStore& history, std::vector<store::PropertySample> samples,
                    std::vector<store::EventRecord> events) {
  std::promise<core::Status> stored;
  history.append(std::move(samples), std::move(events), [&stored](core::Status s) { stored.set_value(std::move(s)); });
  return stored.get_future().get();
}

}  // namespace

core::Result<HistorySeedResult> seedHistory(store::HistoryStore& history, const std::vector<FleetDevice>& devices,
                                            const ProductCatalogue& products, const HistorySeedOptions& options) {
  HistorySeedResult result;
  for (size_t i = 0; i < devices.size(); ++i) {
    const FleetDevice& d = devices[i];
    const auto product = products.find(d.model);
    if (product == products.end()) return core::Status::notFound(d.did + ": no spec for " + d.model);
    auto shadow = history.latest(d.did);
    if (!shadow) return core::Status(shadow.error().code(), d.did + ": " + shadow.error().message());
    if (!shadow.value().empty()) {
      ++result.skipped;
      continue;
    }
    const double day_s = static_cast<double>(options.from_ms % kDayMs) / 1000;
    SimulatedDevice device(product->second, options.seed * 1'000'003 + i, day_s);
    const Household household(*product->second);
    std::vector<store::PropertySample> samples;
    std::vector<store::EventRecord> events;
    const auto keep = [&](int64_t ts, const Changes& changes) {
      for (const auto& p : changes.properties) {
        samples.push_back(store::PropertySample{d.did, p.siid, p.piid, ts, core::serializeJson(p.value)});
      }
      for (const auto& e : changes.events) {
        json::array arguments;
        for (const auto& a : e.arguments) arguments.push_back(json::object{{"piid", a.piid}, {"value", a.value}});
        events.push_back(store::EventRecord{d.did, e.siid, e.eiid, ts, core::serializeJson(arguments)});
      }
    };
    Changes first;
    device.snapshot(first);
    keep(options.from_ms, first);
    const auto step_ms = static_cast<int64_t>(options.step_s * 1000);
    double previous_hour = day_s / 3600;
    for (int64_t ts = options.from_ms + step_ms; ts < options.to_ms; ts += step_ms) {
      const double hour = static_cast<double>(ts % kDayMs) / 3'600'000;
      Changes changes;
      household.act(device, hour, previous_hour, changes);
      device.step(options.step_s, changes);
      keep(ts, changes);
      previous_hour = hour;
    }
    result.samples += samples.size();
    result.events += events.size();
    if (core::Status s = append(history, std::move(samples), std::move(events)); !s.isOk()) {
      return core::Status(s.code(), d.did + ": " + s.message());
    }
    ++result.seeded;
  }
  return result;
}

}  // namespace hearth::sim

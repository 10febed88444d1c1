#include "hearth/sim/simulated_device.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "hearth/platform/result_code.h"
#include "hearth/spec/value_check.h"

namespace hearth::sim {

namespace json = boost::json;

namespace {

constexpr double kReadingInterval = 30;     // s between reports of drifting readings
constexpr double kCurtainSpeed = 5;         // % of travel per second
constexpr double kCleaningTime = 120;       // s of cleaning before going home
constexpr double kReturningTime = 20;
constexpr double kMotionInterval = 300;     // mean s between motions
constexpr double kNoMotionAfter = 120;
constexpr double kDoorInterval = 600;       // mean s between openings

bool reportable(const spec::Property& p) { return p.access.canRead() || p.access.canNotify(); }

// The nearest valid value of `p` to x: in its list, or inside the range and on its step, in the
// format.
json::value quantise(const spec::Property& p, double x) {
  if (p.value_list && !p.value_list->empty()) {
    const spec::Number* best = &p.value_list->front().value;
    for (const auto& entry : *p.value_list) {
      if (std::abs(entry.value.toDouble() - x) < std::abs(best->toDouble() - x)) best = &entry.value;
    }
    x = best->toDouble();
  }
  if (p.value_range) {
    const double min = p.value_range->min.toDouble();
    const double max = p.value_range->max.toDouble();
    const double step = p.value_range->step.toDouble();
    x = std::clamp(x, min, max);
    if (step > 0) {
      x = min + std::round((x - min) / step) * step;
      if (x > max) x -= step;
      // Whole digits of the step, so 21.5 is written 21.5 and not 21.500000000000004.
      const double scale = std::pow(10.0, std::clamp(std::ceil(-std::log10(step)), 0.0, 6.0));
      x = std::round(x * scale) / scale;
    }
  }
  if (spec::isIntegerFormat(p.format)) {
    const auto bounds = spec::integerBounds(p.format);
    return json::value(std::clamp<int64_t>(std::llround(x), bounds.min, bounds.max));
  }
  return json::value(x);
}

json::value initialValue(const spec::Property& p, std::string_view name, uint64_t seed) {
  if (p.value_list && !p.value_list->empty()) {
    const spec::Number& first = p.value_list->front().value;
    if (first.kind() == spec::Number::Kind::kDouble) return json::value(first.doubleValue());
    return json::value(first.toInt64().value_or(0));
  }
  switch (p.format) {
    case spec::Format::kBool: return json::value(false);
    case spec::Format::kString:
      if (name == "serial-number") return json::value(std::to_string(seed % 100000000));
      if (name == "firmware-revision") return json::value("1.0.0");
      return json::value("");
    default: break;
  }
  if (!p.value_range) return quantise(p, 0);
  return quantise(p, (p.value_range->min.toDouble() + p.value_range->max.toDouble()) / 2);
}

}  // namespace

SimulatedDevice::SimulatedDevice(std::shared_ptr<const SimProduct> product, uint64_t seed, double time_of_day_s)
    : product_(std::move(product)), rng_(seed) {
  clock_.day_s = std::fmod(std::max(time_of_day_s, 0.0), 86400);
  for (const auto& slot : product_->slots_) {
    values_.push_back(initialValue(*slot.property, slot.name, seed));
    if (slot.service != "device-information" || slot.property->format != spec::Format::kString) continue;
    if (slot.name == "manufacturer") values_.back() = json::string(product_->spec_.type.vendor());
    if (auto model = spec::modelOf(product_->spec_); model && slot.name == "model") values_.back() = json::string(*model);
  }
  const SimProduct& p = *product_;
  std::uniform_real_distribution<double> unit(0, 1);
  if (p.on_ >= 0 && p.kind_ != SimProduct::Kind::kAirConditioner) values_[p.on_] = unit(rng_) < 0.5;
  battery_pct_ = 70 + 30 * unit(rng_);
  if (p.battery_ >= 0) values_[p.battery_] = quantise(*p.slots_[p.battery_].property, battery_pct_);
  base_load_w_ = 20 + 180 * unit(rng_);
  outdoor_c_ = 27 + 6 * unit(rng_);
  room_c_ = outdoor_c_ - 1;
  if (p.target_temperature_ >= 0) values_[p.target_temperature_] = quantise(*p.slots_[p.target_temperature_].property, 26);
  position_ = curtain_target_ = unit(rng_) < 0.5 ? 0 : 100;
  Changes ignored;
  if (p.current_position_ >= 0) setNumber(p.current_position_, position_, ignored);
  if (p.target_position_ >= 0) setNumber(p.target_position_, position_, ignored);
  if (p.status_ >= 0) vacuumPhase(0, ignored);
  step(0, ignored);
  stepSensor(true, ignored);
  if (p.kind_ == SimProduct::Kind::kAirConditioner) stepAirConditioner(0, ignored);
}

double SimulatedDevice::noise(double sigma) { return std::normal_distribution<double>(0, sigma)(rng_); }

bool SimulatedDevice::chance(double dt, double mean_interval_s) {
  return std::uniform_real_distribution<double>(0, 1)(rng_) < 1 - std::exp(-dt / mean_interval_s);
}

double SimulatedDevice::number(int index) const {
  if (index < 0) return 0;
  const json::value& v = values_[index];
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.is_bool() && v.get_bool() ? 1 : 0;
}

bool SimulatedDevice::flag(int index) const { return index >= 0 && values_[index].is_bool() && values_[index].get_bool(); }

void SimulatedDevice::setIndex(int index, json::value value, Changes& out) {
  if (index < 0 || values_[index] == value) return;
  values_[index] = std::move(value);
  const auto& slot = product_->slots_[index];
  if (reportable(*slot.property)) out.properties.push_back({slot.siid, slot.piid, values_[index]});
}

void SimulatedDevice::setNumber(int index, double x, Changes& out) {
  if (index >= 0) setIndex(index, quantise(*product_->slots_[index].property, x), out);
}

void SimulatedDevice::emit(std::pair<uint32_t, uint32_t> event, Changes& out) const {
  if (event.first == 0) return;
  for (const auto& service : product_->spec_.services) {
    if (service.iid != event.first) continue;
    for (const auto& e : service.events) {
      if (e.iid != event.second) continue;
      Changes::Event ev{event.first, event.second, {}};
      for (const auto& arg : e.arguments) {
        const int i = product_->index(event.first, arg.piid);
        if (i >= 0) ev.arguments.push_back({arg.piid, values_[i]});
      }
      out.events.push_back(std::move(ev));
    }
  }
}

void SimulatedDevice::step(double dt, Changes& out) {
  clock_.day_s = std::fmod(clock_.day_s + dt, 86400);
  clock_.since_report_s += dt;
  const bool report = clock_.since_report_s >= kReadingInterval;
  if (report) clock_.since_report_s = 0;
  switch (product_->kind_) {
    case SimProduct::Kind::kPlug: stepPlug(dt, report, out); break;
    case SimProduct::Kind::kAirConditioner: stepAirConditioner(dt, out); break;
    case SimProduct::Kind::kSensor: stepSensor(report, out); break;
    case SimProduct::Kind::kMotion:
      stepSensor(report, out);
      stepMotion(dt, out);
      break;
    case SimProduct::Kind::kDoor: stepDoor(dt, out); break;
    case SimProduct::Kind::kCurtain: stepCurtain(dt, out); break;
    case SimProduct::Kind::kVacuum: stepVacuum(dt, out); break;
    case SimProduct::Kind::kGeneric:
    case SimProduct::Kind::kLight: break;
  }
}

void SimulatedDevice::stepPlug(double dt, bool report, Changes& out) {
  const SimProduct& p = *product_;
  const double watts = flag(p.on_) ? std::max(0.0, base_load_w_ * (1 + noise(0.03))) : 0;
  energy_wh_ += watts * dt / 3600;
  if (report || (watts == 0) != (number(p.power_) == 0)) setNumber(p.power_, watts, out);
  if (report && p.energy_ >= 0) {
    const bool kwh = p.slots_[p.energy_].property->unit && p.slots_[p.energy_].property->unit->name == "kwh";
    setNumber(p.energy_, kwh ? energy_wh_ / 1000 : energy_wh_, out);
  }
}

void SimulatedDevice::stepAirConditioner(double dt, Changes& out) {
  const SimProduct& p = *product_;
  double toward = outdoor_c_;
  double tau = 1800;  // s: a room warms slowly with the air conditioner off
  if (flag(p.on_)) {
    toward = p.target_temperature_ >= 0 ? number(p.target_temperature_) : 26;
    double fan = 0.5;  // auto, or no fan control
    if (p.fan_level_ >= 0 && p.slots_[p.fan_level_].property->value_list) {
      const auto& list = *p.slots_[p.fan_level_].property->value_list;
      const double top = list.back().value.toDouble();
      if (top > 0 && number(p.fan_level_) > 0) fan = number(p.fan_level_) / top;
    }
    tau = 600 / (0.5 + fan);
  }
  room_c_ += (toward - room_c_) * (1 - std::exp(-dt / tau));
  setNumber(p.temperature_, room_c_, out);
}

void SimulatedDevice::stepSensor(bool report, Changes& out) {
  if (!report) return;
  const SimProduct& p = *product_;
  const double wave = std::sin(2 * std::numbers::pi * (clock_.day_s / 86400 - 0.375));  // warmest at 15:00
  setNumber(p.temperature_, 22 + 3 * wave + noise(0.1), out);
  setNumber(p.humidity_, 55 - 10 * wave + noise(0.5), out);
  const double daylight = std::max(0.0, std::sin(2 * std::numbers::pi * (clock_.day_s / 86400 - 0.25)));
  setNumber(p.illumination_, 400 * daylight + std::abs(noise(2)), out);
}

void SimulatedDevice::stepMotion(double dt, Changes& out) {
  const double before = since_motion_s_;
  since_motion_s_ += dt;
  if (chance(dt, kMotionInterval)) {
    since_motion_s_ = 0;
    emit(product_->motion_event_, out);
  } else if (before < kNoMotionAfter && since_motion_s_ >= kNoMotionAfter) {
    emit(product_->no_motion_event_, out);
  }
}

void SimulatedDevice::stepDoor(double dt, Changes& out) {
  clock_.phase_s -= dt;
  if (phase_ == 0 && chance(dt, kDoorInterval)) {
    phase_ = 1;
    clock_.phase_s = 10 + 50 * std::uniform_real_distribution<double>(0, 1)(rng_);
    emit(product_->open_event_, out);
  } else if (phase_ == 1 && clock_.phase_s <= 0) {
    phase_ = 0;
    emit(product_->close_event_, out);
  }
}

void SimulatedDevice::stepCurtain(double dt, Changes& out) {
  const SimProduct& p = *product_;
  const double target = p.target_position_ >= 0 ? number(p.target_position_) : curtain_target_;
  const double travel = kCurtainSpeed * dt;
  position_ = std::abs(target - position_) <= travel ? target : position_ + (target > position_ ? travel : -travel);
  setNumber(p.current_position_, position_, out);
}

void SimulatedDevice::vacuumPhase(int phase, Changes& out) {
  const SimProduct& p = *product_;
  phase_ = phase;
  clock_.phase_s = 0;
  int64_t status = -1;
  switch (phase) {
    case 1: status = p.listValue(p.status_, {"sweep", "clean", "working", "busy"}); break;
    case 2: status = p.listValue(p.status_, {"return", "go charg", "back"}); break;
    case 3: status = p.listValue(p.status_, {"charging"}, {"not", "go "}); break;
    default: status = p.listValue(p.status_, {"idle", "standby", "sleep", "charged"}); break;
  }
  if (status >= 0) setIndex(p.status_, json::value(status), out);
  const int64_t charging = phase == 3 ? p.listValue(p.charging_state_, {"charging"}, {"not"})
                                      : p.listValue(p.charging_state_, {"not charging", "not"});
  if (charging >= 0) setIndex(p.charging_state_, json::value(charging), out);
}

void SimulatedDevice::stepVacuum(double dt, Changes& out) {
  const SimProduct& p = *product_;
  clock_.phase_s += dt;
  if (phase_ == 1) {
    battery_pct_ = std::max(0.0, battery_pct_ - dt * 0.1);  // 12 % for a cleaning of 120 s
    setNumber(p.battery_, battery_pct_, out);
    if (clock_.phase_s >= kCleaningTime || battery_pct_ <= 15) vacuumPhase(2, out);
  } else if (phase_ == 2 && clock_.phase_s >= kReturningTime) {
    vacuumPhase(3, out);
  } else if (phase_ == 3) {
    battery_pct_ = std::min(100.0, battery_pct_ + dt * 0.5);
    setNumber(p.battery_, battery_pct_, out);
    if (battery_pct_ >= 100) vacuumPhase(0, out);
  }
}

GetResult SimulatedDevice::get(uint32_t siid, uint32_t piid) const {
  const int i = product_->index(siid, piid);
  if (i < 0) return {platform::result::kPropertyNotFound, nullptr};
  if (!product_->slots_[i].property->access.canRead()) return {platform::result::kNotReadable, nullptr};
  return {platform::result::kDone, values_[i]};
}

int32_t SimulatedDevice::set(uint32_t siid, uint32_t piid, const json::value& value, Changes& out) {
  const int i = product_->index(siid, piid);
  if (i < 0) return platform::result::kPropertyNotFound;
  const spec::Property& property = *product_->slots_[i].property;
  const spec::ValueCheck check = spec::checkValue(property, value, spec::Operation::kWrite);
  if (check.error == spec::ValueError::kNotWritable) return platform::result::kNotWritable;
  if (!check.ok()) return platform::result::kValueInvalid;
  json::value stored;
  switch (check.value.format) {
    case spec::Format::kBool: stored = check.value.boolean; break;
    case spec::Format::kFloat: stored = check.value.real; break;
    case spec::Format::kString: stored = json::string(check.value.text); break;
    default: stored = check.value.integer;
  }
  // A write-only control (motor-control, a delta) acts without a state to report.
  values_[i] = nullptr;
  setIndex(i, std::move(stored), out);
  afterSet(i, out);
  return platform::result::kDone;
}

void SimulatedDevice::afterSet(int index, Changes& out) {
  const SimProduct& p = *product_;
  const std::string_view name = p.slots_[index].name;
  if (name == "brightness-delta") {
    const int brightness = p.find("brightness", "light");
    if (brightness >= 0) setNumber(brightness, number(brightness) + number(index), out);
  } else if (index == p.on_ && p.kind_ == SimProduct::Kind::kPlug) {
    stepPlug(0, false, out);
  } else if (index == p.motor_) {
    const int64_t v = values_[index].is_int64() ? values_[index].get_int64() : -1;
    if (v == p.listValue(index, {"open"})) curtain_target_ = 100;
    else if (v == p.listValue(index, {"close"})) curtain_target_ = 0;
    else curtain_target_ = position_;  // pause / stop
    setNumber(p.target_position_, curtain_target_, out);
  } else if (index == p.target_position_) {
    curtain_target_ = number(index);
  }
}

ActionResult SimulatedDevice::action(uint32_t siid, uint32_t aiid, const json::array&, Changes& out) {
  const SimProduct& p = *product_;
  const std::pair<uint32_t, uint32_t> which{siid, aiid};
  const spec::Action* spec_action = nullptr;
  for (const auto& service : p.spec_.services) {
    if (service.iid != siid) continue;
    for (const auto& a : service.actions) {
      if (a.iid == aiid) spec_action = &a;
    }
  }
  if (spec_action == nullptr) return {platform::result::kActionNotFound, {}};
  if (p.kind_ == SimProduct::Kind::kVacuum) {
    if (which == p.start_action_) vacuumPhase(1, out);
    else if (which == p.stop_action_ && phase_ == 1) vacuumPhase(2, out);
    else if (which == p.charge_action_ && phase_ != 3) vacuumPhase(2, out);
  }
  ActionResult result;
  for (const auto& arg : spec_action->out) {
    const int i = p.index(siid, arg.piid);
    result.out.push_back(i >= 0 ? values_[i] : json::value(nullptr));
  }
  return result;
}

void SimulatedDevice::snapshot(Changes& out) const {
  for (size_t i = 0; i < values_.size(); ++i) {
    const auto& slot = product_->slots_[i];
    if (reportable(*slot.property)) out.properties.push_back({slot.siid, slot.piid, values_[i]});
  }
}

void SimulatedDevice::reading(Changes& out) const {
  for (size_t i = 0; i < values_.size(); ++i) {
    const auto& slot = product_->slots_[i];
    if (reportable(*slot.property) && slot.property->format != spec::Format::kString) {
      out.properties.push_back({slot.siid, slot.piid, values_[i]});
      return;
    }
  }
}

const json::value& SimulatedDevice::value(uint32_t siid, uint32_t piid) const {
  static const json::value kNull;
  const int i = product_->index(siid, piid);
  return i < 0 ? kNull : values_[i];
}

}  // namespace hearth::sim

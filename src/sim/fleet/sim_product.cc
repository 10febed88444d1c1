// How a product's spec maps onto the simulator's behaviours: the device type picks the
// behaviour, standard property / event / action names pick what it moves.
#include <algorithm>
#include <cctype>
#include <string>

#include "hearth/sim/simulated_device.h"

namespace hearth::sim {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::pair<uint32_t, uint32_t> findEvent(const spec::Instance& spec, std::string_view name) {
  for (const auto& service : spec.services) {
    for (const auto& event : service.events) {
      if (event.type.name() == name) return {service.iid, event.iid};
    }
  }
  return {};
}

std::pair<uint32_t, uint32_t> findAction(const spec::Instance& spec, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    for (const auto& service : spec.services) {
      for (const auto& action : service.actions) {
        if (action.type.name() == name) return {service.iid, action.iid};
      }
    }
  }
  return {};
}

}  // namespace

SimProduct::SimProduct(spec::Instance instance) : spec_(std::move(instance)) {
  for (const auto& service : spec_.services) {
    for (const auto& property : service.properties) {
      slots_.push_back(Slot{service.iid, property.iid, &property, service.type.name(), property.type.name()});
    }
  }
  const std::string_view type = deviceType();
  if (type == "light") {
    kind_ = Kind::kLight;
    on_ = find("on", "light");
  } else if (type == "outlet" || type == "switch") {
    kind_ = Kind::kPlug;
    on_ = find("on", "switch");
    // zimi.outlet.v2 reports what it draws as power-consumption.surge-power.
    power_ = find("electric-power");
    if (power_ < 0) power_ = find("surge-power");
    energy_ = find("power-consumption");
  } else if (type == "air-conditioner") {
    kind_ = Kind::kAirConditioner;
    on_ = find("on", "air-conditioner");
    target_temperature_ = find("target-temperature");
    temperature_ = find("temperature", "environment");
    fan_level_ = find("fan-level");
  } else if (type == "temperature-humidity-sensor") {
    kind_ = Kind::kSensor;
    temperature_ = find("temperature");
    humidity_ = find("relative-humidity");
  } else if (type == "motion-sensor") {
    kind_ = Kind::kMotion;
    illumination_ = find("illumination");
    motion_event_ = findEvent(spec_, "motion-detected");
    no_motion_event_ = findEvent(spec_, "no-motion");
  } else if (type == "magnet-sensor") {
    kind_ = Kind::kDoor;
    open_event_ = findEvent(spec_, "open");
    close_event_ = findEvent(spec_, "close");
  } else if (type == "curtain") {
    kind_ = Kind::kCurtain;
    current_position_ = find("current-position", "curtain");
    target_position_ = find("target-position", "curtain");
    motor_ = find("motor-control", "curtain");
  } else if (type == "vacuum") {
    kind_ = Kind::kVacuum;
    status_ = find("status", "vacuum");
    charging_state_ = find("charging-state", "battery");
    start_action_ = findAction(spec_, {"start-sweep", "start-clean"});
    stop_action_ = findAction(spec_, {"stop-sweeping", "stop-clean"});
    charge_action_ = findAction(spec_, {"start-charge"});
  }
  battery_ = find("battery-level", "battery");
}

int SimProduct::index(uint32_t siid, uint32_t piid) const {
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].siid == siid && slots_[i].piid == piid) return static_cast<int>(i);
  }
  return -1;
}

int SimProduct::find(std::string_view name, std::string_view service) const {
  int any = -1;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].name != name || slots_[i].service == "device-information") continue;
    if (service.empty() || slots_[i].service == service) return static_cast<int>(i);
    if (any < 0) any = static_cast<int>(i);
  }
  return any;
}

int64_t SimProduct::listValue(int index, std::initializer_list<std::string_view> words,
                              std::initializer_list<std::string_view> unless) const {
  if (index < 0 || !slots_[index].property->value_list) return -1;
  for (const auto& entry : *slots_[index].property->value_list) {
    const std::string text = lower(entry.description.forLocale("en-US"));
    const auto has = [&](std::string_view w) { return text.find(w) != std::string::npos; };
    if (std::any_of(unless.begin(), unless.end(), has)) continue;
    if (std::any_of(words.begin(), words.end(), has)) return entry.value.toInt64().value_or(-1);
  }
  return -1;
}

}  // namespace hearth::sim

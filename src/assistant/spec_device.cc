#include "hearth/assistant/spec_device.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

namespace hearth::assistant {

namespace {

// The assistant's name for a spec property, by its URN name; empty for "under its own name".
std::string_view assistantProperty(std::string_view name) {
  if (name == "target-position") return "position";
  return name;
}

// The assistant's name for a spec action, empty for one people do not ask for by voice.
std::string_view assistantAction(std::string_view service, std::string_view name) {
  if (service == "device-information") return {};
  if (name == "start-sweep" || name == "start-clean" || name == "start-sweep-mop") return "start";
  if (name == "stop-sweeping" || name == "stop-clean" || name == "stop-sweep") return "stop";
  if (name == "start-charge" || name == "back-charge") return "dock";
  if (name == "play") return "resume";
  if (name == "pause-sweeping") return "pause";
  return name;
}

// Sensors' finer kind, the words of questions about them ("is there any motion?").
std::string_view kindOfType(std::string_view type) {
  if (type == "motion-sensor") return "motion";
  if (type == "magnet-sensor") return "opening";
  if (type == "submersion-sensor") return "moisture";
  if (type == "gas-sensor") return "gas";
  if (type == "smoke-sensor") return "smoke";
  if (type == "temperature-humidity-sensor") return "temperature";
  return {};
}

std::string_view serviceOf(std::string_view key) { return key.substr(0, key.find('.')); }
std::string_view propertyOf(std::string_view key) {
  const size_t dot = key.find('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
}

// A service's name without the "-2" that tells siblings apart.
std::string_view baseName(std::string_view service) {
  const size_t dash = service.rfind('-');
  if (dash != std::string_view::npos && dash + 1 < service.size() &&
      std::all_of(service.begin() + dash + 1, service.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return service.substr(0, dash);
  }
  return service;
}

}  // namespace

void addSpecCapabilities(const spec::ProductView& view, Device& device) {
  device.type = std::string(view.instance().type.name());
  if (device.kind.empty()) device.kind = std::string(kindOfType(device.type));
  for (const auto& entry : view.properties()) {
    const std::string_view service = baseName(serviceOf(entry.key));
    if (service == "device-information") continue;
    const std::string name(assistantProperty(propertyOf(entry.key)));
    // One capability per name: the device's own service first ("light.on" before
    // "indicator-light.on"), else the first in the spec.
    auto same = std::find_if(device.properties.begin(), device.properties.end(),
                             [&](const Capability& c) { return c.name == name; });
    const bool main = service == device.type;
    if (same != device.properties.end() && !main) continue;
    Capability c;
    c.name = name;
    c.writable = entry.control.writable;
    if (entry.control.range) {
      c.min = entry.control.range->min.toDouble();
      c.max = entry.control.range->max.toDouble();
      c.step = entry.control.range->step.toDouble();
    }
    if (entry.property->unit) c.unit = entry.control.unit;
    for (const auto& option : entry.control.options) {
      Choice choice{option.value.toDouble(), {}};
      for (const std::string* word : {&option.label.en_us, &option.label.zh_cn}) {
        if (!word->empty() && std::find(choice.words.begin(), choice.words.end(), *word) == choice.words.end()) {
          choice.words.push_back(*word);
        }
      }
      c.choices.push_back(std::move(choice));
    }
    c.siid = entry.siid;
    c.piid = entry.piid;
    if (same != device.properties.end()) {
      *same = std::move(c);
    } else {
      device.properties.push_back(std::move(c));
    }
  }
  for (const auto& entry : view.actions()) {
    const std::string_view name = assistantAction(baseName(serviceOf(entry.key)), propertyOf(entry.key));
    if (name.empty()) continue;
    if (std::any_of(device.actions.begin(), device.actions.end(), [&](const DeviceAction& a) { return a.name == name; })) {
      continue;
    }
    device.actions.push_back({std::string(name), entry.siid, entry.aiid});
  }
}

void addShadowValue(Device& device, uint32_t siid, uint32_t piid, const boost::json::value& value) {
  auto c = std::find_if(device.properties.begin(), device.properties.end(),
                        [&](const Capability& x) { return x.siid == siid && x.piid == piid; });
  if (c == device.properties.end()) return;
  Value v;
  if (value.is_bool()) {
    v = value.get_bool();
  } else if (value.is_number()) {
    v = value.to_number<double>();
  } else if (value.is_string()) {
    v = std::string(value.get_string());
  } else {
    return;
  }
  for (auto& [name, current] : device.state) {
    if (name == c->name) {
      current = std::move(v);
      return;
    }
  }
  device.state.emplace_back(c->name, std::move(v));
}

std::optional<uint32_t> rgbOfColor(std::string_view name) {
  static constexpr std::pair<std::string_view, uint32_t> kColors[] = {
      {"red", 0xFF0000}, {"green", 0x00FF00}, {"blue", 0x0000FF}, {"yellow", 0xFFFF00},
      {"orange", 0xFFA500}, {"purple", 0x800080}, {"pink", 0xFFC0CB}, {"white", 0xFFFFFF},
      {"cyan", 0x00FFFF}, {"magenta", 0xFF00FF}};
  for (const auto& [word, rgb] : kColors) {
    if (word == name) return rgb;
  }
  return std::nullopt;
}

namespace {

const Capability* capability(const Device& d, std::string_view name) {
  for (const auto& c : d.properties) {
    if (c.name == name && c.siid != 0) return &c;
  }
  return nullptr;
}

core::Status cannot(const Device& d, std::string_view what) {
  return core::Status::failedPrecondition(fmt::format("{} has no {}", d.name, what));
}

// `v` in the capability's range, on its step; an error naming the range when outside it.
core::Result<double> inRange(const Device& d, const Capability& c, double v) {
  if (c.min && c.max && (v < *c.min || v > *c.max)) {
    return core::Status::invalidArgument(fmt::format("{} takes {} from {} to {}", d.name, c.name, *c.min, *c.max));
  }
  if (c.step && *c.step > 0) {
    const double base = c.min.value_or(0);
    v = base + std::round((v - base) / *c.step) * *c.step;
  }
  return v;
}

}  // namespace

core::Result<Operation> operationFor(const Interpretation& in, const Device& d) {
  switch (in.intent) {
    case Intent::kTurnOn:
    case Intent::kTurnOff: {
      // Opening a curtain is moving it all the way, whatever else its spec calls "on".
      const bool on = in.intent == Intent::kTurnOn;
      const Capability* position = capability(d, "position");
      if (position && position->writable && (d.type == "curtain" || d.type == "valve" || !capability(d, "on"))) {
        return Operation{PropertyWrite{position->siid, position->piid, on ? position->max.value_or(100) : position->min.value_or(0)}};
      }
      if (const Capability* c = capability(d, "on")) return Operation{PropertyWrite{c->siid, c->piid, on}};
      return cannot(d, "switch");
    }
    case Intent::kSet: {
      const Capability* c = capability(d, in.property);
      if (c == nullptr || !c->writable) return cannot(d, in.property);
      if (!in.value) return core::Status::invalidArgument("no value to set");
      if (const auto* word = std::get_if<std::string>(&*in.value)) {
        auto rgb = in.property == "color" ? rgbOfColor(*word) : std::nullopt;
        if (!rgb) return core::Status::invalidArgument(fmt::format("{} cannot be {}", in.property, *word));
        return Operation{PropertyWrite{c->siid, c->piid, static_cast<double>(*rgb)}};
      }
      if (const auto* b = std::get_if<bool>(&*in.value)) return Operation{PropertyWrite{c->siid, c->piid, *b}};
      auto v = inRange(d, *c, std::get<double>(*in.value));
      if (!v) return v.error();
      return Operation{PropertyWrite{c->siid, c->piid, *v}};
    }
    case Intent::kAdjust: {
      const Capability* c = capability(d, in.property);
      if (c == nullptr || !c->writable) return cannot(d, in.property);
      double current = c->min.value_or(0);
      for (const auto& [name, value] : d.state) {
        if (name == c->name && std::holds_alternative<double>(value)) current = std::get<double>(value);
      }
      double step = 1;
      if (in.amount) {
        step = *in.amount;
      } else if (c->min && c->max && c->name != "target-temperature") {
        step = std::max(c->step.value_or(1), std::round((*c->max - *c->min) / 10));
      }
      double target = current + in.direction * step;
      if (c->min) target = std::max(target, *c->min);
      if (c->max) target = std::min(target, *c->max);
      auto v = inRange(d, *c, target);
      if (!v) return v.error();
      return Operation{PropertyWrite{c->siid, c->piid, *v}};
    }
    case Intent::kAction:
      for (const auto& a : d.actions) {
        if (a.name == in.action && a.siid != 0) return Operation{ActionCall{a.siid, a.aiid}};
      }
      return cannot(d, in.action);
    default:
      return core::Status::failedPrecondition("nothing to send for " + std::string(intentName(in.intent)));
  }
}

}  // namespace hearth::assistant

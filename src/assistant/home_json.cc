// The HOME.json format of tests/assistant/score.py, and the capabilities a device of a known type
// has when no product spec describes it.
#include <boost/json.hpp>
#include <fmt/format.h>

#include <charconv>

#include "hearth/assistant/home_snapshot.h"
#include "hearth/core/json.h"

namespace hearth::assistant {

namespace json = boost::json;

namespace {

Capability named(std::string name) {
  Capability c;
  c.name = std::move(name);
  return c;
}

Capability percent(std::string name, double min = 0) {
  Capability c = named(std::move(name));
  c.min = min;
  c.max = 100;
  c.step = 1;
  c.unit = "percentage";
  return c;
}

Capability reading(std::string name, std::string unit = {}) {
  Capability c = named(std::move(name));
  c.writable = false;
  c.unit = std::move(unit);
  return c;
}

std::optional<double> number(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Home Assistant's sensor classes under the assistant's property names.
std::string propertyOfSensorKind(std::string_view kind) {
  if (kind == "humidity") return "relative-humidity";
  if (kind.empty()) return "value";
  return std::string(kind);
}

// A device's one-word state, as the score's homes give it, as properties.
void addState(Device& d, std::string_view state) {
  if (state.empty()) return;
  const std::string& t = d.type;
  if (t == "curtain" || t == "valve") {
    d.state.emplace_back("position", state == "closed" ? 0.0 : 100.0);
  } else if (t == "lock") {
    d.state.emplace_back("locked", state == "locked");
  } else if (t == "binary-sensor") {
    d.state.emplace_back("detected", state == "on");
  } else if (t == "sensor") {
    auto v = number(state);
    d.state.emplace_back(propertyOfSensorKind(d.kind), v ? Value(*v) : Value(std::string(state)));
  } else if (t == "air-conditioner") {
    d.state.emplace_back("on", state != "off");
    if (state != "off") d.state.emplace_back("mode", std::string(state));
  } else if (t == "speaker" || t == "vacuum") {
    d.state.emplace_back("status", std::string(state));
  } else {
    d.state.emplace_back("on", state == "on");
  }
}

core::Status wrong(std::string_view path, std::string_view what) {
  return core::Status::invalidArgument(fmt::format("HOME.json {}: {}", path, what));
}

// The string at `key` of `o`; empty when absent or null; an error for any other JSON type.
core::Result<std::string> text(const json::object& o, std::string_view key, const std::string& path, bool required) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) return wrong(path + "/" + std::string(key), "is missing");
    return std::string{};
  }
  if (!v->is_string()) return wrong(path + "/" + std::string(key), "must be a string");
  return std::string(v->get_string());
}

// The strings at `key` of `o` into `out`; absent or null is none.
core::Status strings(const json::object& o, std::string_view key, const std::string& path, std::vector<std::string>& out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return core::Status::ok();
  if (!v->is_array()) return wrong(path + "/" + std::string(key), "must be an array of strings");
  for (const auto& item : v->get_array()) {
    if (!item.is_string()) return wrong(path + "/" + std::string(key), "must be an array of strings");
    out.emplace_back(item.get_string());
  }
  return core::Status::ok();
}

core::Result<const json::array*> arrayAt(const json::object& o, std::string_view key) {
  static const json::array kEmpty;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return &kEmpty;
  if (!v->is_array()) return wrong("/" + std::string(key), "must be an array");
  return &v->get_array();
}

}  // namespace

void addTypicalCapabilities(Device& d) {
  const std::string& t = d.type;
  auto& p = d.properties;
  if (t == "light") {
    p.push_back(named("on"));
    p.push_back(percent("brightness", 1));
    Capability ct = named("color-temperature");
    ct.min = 2700;
    ct.max = 6500;
    ct.unit = "kelvin";
    p.push_back(ct);
    p.push_back(named("color"));
  } else if (t == "switch" || t == "outlet" || t == "fan" || t == "humidifier" || t == "air-purifier") {
    p.push_back(named("on"));
    if (t == "fan") {
      Capability level = named("fan-level");
      level.min = 1;
      level.max = 3;
      level.step = 1;
      p.push_back(level);
    }
  } else if (t == "curtain" || t == "valve") {
    p.push_back(percent("position"));
  } else if (t == "lock") {
    p.push_back(named("locked"));
  } else if (t == "air-conditioner" || t == "thermostat" || t == "heater") {
    p.push_back(named("on"));
    Capability target = named("target-temperature");
    target.min = 16;
    target.max = 30;
    target.step = 0.5;
    target.unit = "celsius";
    p.push_back(target);
    Capability mode = named("mode");
    mode.choices = {{0, {"cool", "制冷"}}, {1, {"heat", "制热"}}, {2, {"auto", "自动"}}, {3, {"dry", "除湿"}},
                    {4, {"sleep", "睡眠"}}};
    p.push_back(mode);
    p.push_back(reading("temperature", "celsius"));
  } else if (t == "speaker" || t == "television") {
    p.push_back(named("on"));
    p.push_back(percent("volume"));
    for (const char* a : {"pause", "resume", "next", "previous", "stop"}) d.actions.push_back({a});
  } else if (t == "vacuum") {
    for (const char* a : {"start", "pause", "resume", "stop", "dock"}) d.actions.push_back({a});
  } else if (t == "sensor") {
    p.push_back(reading(propertyOfSensorKind(d.kind)));
  } else if (t == "binary-sensor") {
    p.push_back(reading("detected"));
  }
}

core::Result<HomeSnapshot> parseHomeJson(std::string_view body) {
  auto doc = core::parseJson(body);
  if (!doc) return core::Status::invalidArgument("HOME.json is not JSON: " + doc.error().message());
  if (!doc.value().is_object()) return wrong("", "must be an object");
  const json::object& root = doc.value().get_object();
  HomeSnapshot home;
  auto language = text(root, "language", "", false);
  if (!language) return language.error();
  home.language = *language;
  auto each = [&](std::string_view key, auto&& read) -> core::Status {
    auto items = arrayAt(root, key);
    if (!items) return items.error();
    for (size_t i = 0; i < (*items)->size(); ++i) {
      const std::string path = fmt::format("/{}/{}", key, i);
      const json::value& v = (**items)[i];
      if (!v.is_object()) return wrong(path, "must be an object");
      const json::object& o = v.get_object();
      auto id = text(o, "id", path, true);
      if (!id) return id.error();
      auto name = text(o, "name", path, true);
      if (!name) return name.error();
      HEARTH_RETURN_IF_ERROR(read(o, path, std::move(*id), std::move(*name)));
    }
    return core::Status::ok();
  };
  HEARTH_RETURN_IF_ERROR(each("floors", [&](const json::object&, const std::string&, std::string id, std::string name) {
    home.floors.push_back({std::move(id), std::move(name)});
    return core::Status::ok();
  }));
  HEARTH_RETURN_IF_ERROR(each("rooms", [&](const json::object& o, const std::string& path, std::string id, std::string name) {
    auto floor = text(o, "floor", path, false);
    if (!floor) return floor.error();
    Room room{std::move(id), std::move(name), std::move(*floor), {}};
    HEARTH_RETURN_IF_ERROR(strings(o, "aliases", path, room.aliases));
    home.rooms.push_back(std::move(room));
    return core::Status::ok();
  }));
  HEARTH_RETURN_IF_ERROR(each("scenes", [&](const json::object& o, const std::string& path, std::string id, std::string name) {
    auto room = text(o, "room", path, false);
    if (!room) return room.error();
    home.scenes.push_back({std::move(id), std::move(name), std::move(*room)});
    return core::Status::ok();
  }));
  HEARTH_RETURN_IF_ERROR(each("devices", [&](const json::object& o, const std::string& path, std::string id, std::string name) {
    Device d;
    d.id = std::move(id);
    d.name = std::move(name);
    for (auto [key, field] : {std::pair{"room", &d.room}, {"type", &d.type}, {"class", &d.kind}}) {
      auto value = text(o, key, path, false);
      if (!value) return value.error();
      *field = std::move(*value);
    }
    HEARTH_RETURN_IF_ERROR(strings(o, "aliases", path, d.aliases));
    if (const json::value* online = o.if_contains("online"); online && !online->is_null()) {
      if (!online->is_bool()) return wrong(path + "/online", "must be true or false");
      d.online = online->get_bool();
    }
    addTypicalCapabilities(d);
    if (const json::value* state = o.if_contains("state"); state && !state->is_null()) {
      if (state->is_string()) {
        addState(d, state->get_string());
      } else if (state->is_number()) {
        addState(d, json::serialize(*state));
      } else {
        return wrong(path + "/state", "must be a string or a number");
      }
    }
    home.devices.push_back(std::move(d));
    return core::Status::ok();
  }));
  return home;
}

}  // namespace hearth::assistant

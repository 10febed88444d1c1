// What the assistant knows of one home when it reads a sentence: floors, rooms, devices (names,
// aliases, type, capabilities, current state) and scenes. A plain value: the caller builds it (the
// API from the live home and the product specs, `hearth assistant parse` from a HOME.json file)
// and keeps it as long as an Interpreter built from it lives.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::assistant {

// A property's current value, as the spec types it.
using Value = std::variant<bool, double, std::string>;

// One entry of a value-list property ("mode": 2 = "sleep"), with the words people use for it in
// any language ("sleep", "sleep mode", "睡眠").
struct Choice {
  double value = 0;
  std::vector<std::string> words;
};

// The assistant's names for what a device can be asked to change or tell: "on", "brightness",
// "color", "color-temperature", "target-temperature", "mode", "fan-level", "position", "volume",
// readings such as "temperature" or "relative-humidity", or the spec's own property name for
// anything else.
struct Capability {
  std::string name;
  bool writable = true;
  std::optional<double> min, max, step;
  std::string unit;              // "percentage", "celsius", ... as the spec says
  std::vector<Choice> choices;   // for value lists
  uint32_t siid = 0;             // where the product's spec has it; 0 for a typical capability
  uint32_t piid = 0;
};

// Something a device does: "start", "dock", "pause", "resume", "next", "previous", "stop", or a
// spec action's own name.
struct DeviceAction {
  std::string name;
  uint32_t siid = 0;  // where the product's spec has it; 0 for a typical action
  uint32_t aiid = 0;
};

struct Device {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string room;   // room id; empty when the device is in no room
  std::string type;   // MIoT device type: "light", "air-conditioner", "curtain", "speaker", ...
  std::string kind;   // finer kind where known: "curtain", "shade", "motion", "battery", ...
  bool online = true;
  std::vector<Capability> properties;
  std::vector<DeviceAction> actions;
  std::vector<std::pair<std::string, Value>> state;  // property name → current value
};

struct Floor {
  std::string id;
  std::string name;
};

struct Room {
  std::string id;
  std::string name;
  std::string floor;  // floor id, may be empty
  std::vector<std::string> aliases;  // other names: "lounge", or the name in another language
};

struct Scene {
  std::string id;
  std::string name;
  std::string room;  // room id for a room's own scene; empty for the whole home's
};

struct HomeSnapshot {
  std::string language;  // the home's usual language ("en", "zh-cn"); sentences may be in either
  std::vector<Floor> floors;
  std::vector<Room> rooms;
  std::vector<Device> devices;
  std::vector<Scene> scenes;
};

// Fills a device's capabilities and actions from its type and kind, for homes described without
// product specs (HOME.json files, tests): lights dim and take colours, air conditioners take a
// target temperature, speakers a volume and play controls, and so on.
void addTypicalCapabilities(Device& device);

// Reads the home format of tests/assistant/score.py: {"language", "floors": [{id, name}],
// "rooms": [{id, name, floor, aliases?}], "devices": [{id, name, room, type, class, state,
// aliases?, online?}],
// "scenes": [{id, name, room?}]}. A device's "state" is one word or number ("on", "open", "locked",
// "42"), turned into properties by its type. Unknown keys are ignored; a missing id or name, or
// a value of the wrong JSON type, is an InvalidArgument naming the path.
core::Result<HomeSnapshot> parseHomeJson(std::string_view json);

}  // namespace hearth::assistant

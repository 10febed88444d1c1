// Which devices a sentence means: named ones, or those of the kinds and places it says, or of
// the speaker's room, or those that have the property or action it asks for (docs/assistant.md).
#include <algorithm>
#include <set>

#include "decider.h"

namespace hearth::assistant {

namespace {

bool sensorType(const Device& d) { return d.type == "sensor" || d.type == "binary-sensor"; }

// Whether the kinds said are only sensors or "devices" in general, so that a state word's kind
// ("charging") is the finer one.
bool sensorKinds(const std::vector<KindFilter>& kinds) {
  return std::all_of(kinds.begin(), kinds.end(), [](const KindFilter& f) {
    return f.type.empty() || f.type == "binary-sensor";
  });
}

}  // namespace

std::vector<std::string> Decider::targets(const Interpretation& in) {
  const auto& devices = index_.home.devices;
  if (in.intent == Intent::kScene) {
    // "Party mode in the kitchen" is the kitchen's own party mode: the home's does not count.
    std::vector<std::string> out;
    for (const auto& s : r_.scenes) {
      const Scene& scene = index_.home.scenes[s.ref];
      if (!r_.rooms.empty() && std::none_of(r_.rooms.begin(), r_.rooms.end(), [&](const NameAt& room) {
            return index_.home.rooms[room.ref].id == scene.room;
          })) {
        continue;
      }
      out.push_back(scene.id);
    }
    return out;
  }
  std::vector<bool> pick(devices.size(), false);
  if (namedDevices(in, pick)) return idsOf(pick);
  if (unknownName()) return {};
  // No device named: kinds, places, the speaker's room.
  std::vector<KindFilter> kinds;
  bool kind_said = false;
  for (const auto& c : r_.cues) {
    // "light up the hall", "点亮": the verb says the kind.
    const bool verb_kind =
        (c.cue == Cue::kOn || c.cue == Cue::kOff || c.cue == Cue::kLock || c.cue == Cue::kUnlock) && !c.arg.empty();
    if (c.cue != Cue::kKind && !verb_kind) continue;
    kind_said = true;
    for (const auto& f : kindsOf(c.arg, sensor_state_)) kinds.push_back(f);
  }
  for (const auto& d : r_.devices) {  // a name used as a kind: "lights" for a device "Light"
    if (d.alsoWord) kind_said = true;
  }
  std::string_view state_kind;
  for (const auto& c : r_.cues) {
    if (c.cue == Cue::kState && question_ && !parseState(c.arg).kind.empty()) state_kind = parseState(c.arg).kind;
  }
  const bool place_said = !r_.rooms.empty() || !r_.floors.empty();
  const bool everywhere = r_.has(Cue::kEverywhere) && !place_said;
  int here = -1;
  if (!place_said && !everywhere && speaker_room_ >= 0) here = speaker_room_;
  for (size_t d = 0; d < devices.size(); ++d) {
    const Device& device = devices[d];
    bool ok = true;
    if (!state_kind.empty() && sensorKinds(kinds)) {
      // "is there any leak?", "are any batteries charging?": sensors that detect that state.
      ok = device.kind == state_kind && device.type != "sensor";
    } else if (!kinds.empty()) {
      ok = std::any_of(kinds.begin(), kinds.end(), [&](const KindFilter& f) { return matches(device, f); });
    }
    if (ok && place_said) ok = inPlace(static_cast<int>(d));
    pick[d] = ok;
  }
  const bool anything = kind_said || !state_kind.empty();
  if (!anything && !place_said) {
    // Nothing but a property or an action: the devices that have it, or the speaker's room when
    // one there has it (the command then applies to those that can); said in a room where none
    // does ("pause" in the bedroom, the speaker in the living room), the home's.
    bool here_can = false;
    for (size_t d = 0; d < devices.size() && here >= 0; ++d) {
      here_can = here_can || (index_.device_room[d] == here && implied(in, devices[d]));
    }
    if (here < 0 || !here_can) {
      here = -1;
      for (size_t d = 0; d < devices.size(); ++d) pick[d] = implied(in, devices[d]);
      if (std::none_of(pick.begin(), pick.end(), [](bool b) { return b; })) return {};
    }
  }
  if (here >= 0) {
    std::vector<bool> local = pick;
    bool any = false;
    for (size_t d = 0; d < devices.size(); ++d) {
      local[d] = local[d] && index_.device_room[d] == here;
      any = any || local[d];
    }
    if (any || r_.has(Cue::kHere)) pick = local;
  }
  if (!anything && !place_said && here < 0 && !r_.has(Cue::kEverywhere)) {
    if (in.intent == Intent::kTurnOn || in.intent == Intent::kTurnOff || in.intent == Intent::kUnknown) return {};
  }
  return idsOf(pick);
}

// "Turn on the garage light" in a home with no garage: a word the home does not know right
// before a kind word is most likely a name it does not have, so nothing is meant, not every light.
bool Decider::unknownName() const {
  static const std::set<std::string_view> kHarmless{
      "the", "a", "an", "my", "our", "your", "all", "every", "each", "any", "some", "these", "those",
      "this", "that", "both", "other", "main", "big", "small", "little", "new", "old", "single",
      "there", "it", "is", "are", "of", "in", "on", "at", "for", "with", "and", "or", "no", "not",
      "please", "just", "also", "too", "then", "now", "me", "them"};
  const auto& units = r_.text.units;
  for (const auto& c : r_.cues) {
    if (c.cue != Cue::kKind || c.unit == 0) continue;
    const Unit& before = units[c.unit - 1];
    if (r_.known[c.unit - 1] || before.cjk || before.text.size() < 3) continue;
    if (kHarmless.count(before.text) == 0) return true;
  }
  return false;
}

// Devices named in the sentence, narrowed by the kinds, states and places it also says.
bool Decider::namedDevices(const Interpretation& in, std::vector<bool>& pick) const {
  const auto& devices = index_.home.devices;
  bool any_name = false;
  for (const auto& name : r_.devices) {
    const auto& group = index_.device_groups[name.ref];
    if (name.plural && name.alsoWord) continue;
    if (name.alsoWord && !compatible(in, group)) continue;
    std::vector<int> chosen = group;
    // "客厅的空调" when the device called 空调 is in the bedroom: the living room's air
    // conditioner, the word read as a kind.
    if (name.alsoWord && (!r_.rooms.empty() || !r_.floors.empty()) &&
        std::none_of(chosen.begin(), chosen.end(), [&](int d) { return inPlace(d); })) {
      continue;
    }
    any_name = true;
    if (chosen.size() > 1) narrow(chosen);
    // "The ceiling light", with one in each room: the one where the speaker is, if any.
    if (chosen.size() > 1 && r_.rooms.empty() && r_.floors.empty() && speaker_room_ >= 0) {
      std::vector<int> here;
      for (int d : chosen) {
        if (index_.device_room[d] == speaker_room_) here.push_back(d);
      }
      if (!here.empty()) chosen = std::move(here);
    }
    for (int d : chosen) pick[d] = true;
  }
  if (!any_name) return false;
  if (!r_.rooms.empty() || !r_.floors.empty()) {
    for (size_t d = 0; d < devices.size(); ++d) pick[d] = pick[d] && inPlace(static_cast<int>(d));
  }
  return true;
}

// Whether a device named like a kind word is what the sentence means by it.
bool Decider::compatible(const Interpretation& in, const std::vector<int>& group) const {
  return std::any_of(group.begin(), group.end(), [&](int d) {
    const Device& device = index_.home.devices[d];
    if (in.intent == Intent::kQuery) return !sensorType(device) || sensor_state_;
    return !sensorType(device);
  });
}

// Several devices share the name: keep those of the kind the sentence's other words say.
void Decider::narrow(std::vector<int>& group) const {
  const auto& devices = index_.home.devices;
  auto keep = [&](auto&& fits) {
    std::vector<int> kept;
    for (int d : group) {
      if (fits(devices[d])) kept.push_back(d);
    }
    if (!kept.empty()) group = std::move(kept);
  };
  for (const auto& c : r_.cues) {
    if (c.cue == Cue::kState) {
      auto word = parseState(c.arg);
      if (!word.kind.empty()) keep([&](const Device& d) { return d.kind == word.kind; });
    }
  }
  if (question_ && (r_.has(Cue::kOpen) || r_.has(Cue::kClose) || stateAsked("closed"))) {
    keep([](const Device& d) { return d.kind != "lock"; });  // "is the pet door open?"
  }
  if (question_ && (stateAsked("locked") || stateAsked("unlocked"))) {
    keep([](const Device& d) { return d.kind == "lock" || d.type == "lock"; });
  }
  for (const auto& c : r_.cues) {
    if (c.cue == Cue::kKind) {
      auto kinds = kindsOf(c.arg, sensor_state_);
      keep([&](const Device& d) {
        return std::any_of(kinds.begin(), kinds.end(), [&](const KindFilter& f) { return matches(d, f); });
      });
    }
  }
}

bool Decider::stateAsked(std::string_view state) const {
  for (const auto& c : r_.cues) {
    if (c.cue == Cue::kState && parseState(c.arg).state == state) return true;
  }
  return false;
}

bool Decider::inPlace(int d) const {
  const int room = index_.device_room[d];
  for (const auto& r : r_.rooms) {
    if (r.ref == room) return true;
  }
  for (const auto& f : r_.floors) {
    if (room >= 0 && index_.room_floor[room] == f.ref) return true;
  }
  return false;
}

// Whether a device can do what a sentence with no kind and no place asks.
bool Decider::implied(const Interpretation& in, const Device& device) const {
  Interpretation probe = in;
  if (probe.intent == Intent::kAction) probe.action = action();
  if (probe.intent == Intent::kSet || probe.intent == Intent::kAdjust) {
    probe.property = saidProperty(true);
    if (probe.property.empty()) return false;
  }
  if (probe.intent == Intent::kQuery) {
    probe.property = queryProperty();
    if (probe.property.empty()) return false;
    if (probe.property == "temperature") {
      return device.type == "air-conditioner" || device.type == "thermostat" || device.type == "heater";
    }
  }
  return interpreter_.appliesTo(probe, device);
}

std::vector<std::string> Decider::idsOf(const std::vector<bool>& pick) const {
  std::vector<std::string> out;
  for (size_t d = 0; d < pick.size(); ++d) {
    if (pick[d]) out.push_back(index_.home.devices[d].id);
  }
  return out;
}

}  // namespace hearth::assistant

#include "hearth/assistant/interpreter.h"

#include <algorithm>
#include <set>

#include "index.h"
#include "response.h"

namespace hearth::assistant {

namespace {

// A device kind as the lexicon writes it: "type", "type/kind" or "/kind".
struct KindFilter {
  std::string_view type;
  std::string_view kind;
};

std::vector<KindFilter> parseKinds(std::string_view list) {
  std::vector<KindFilter> out;
  while (!list.empty()) {
    const size_t bar = list.find('|');
    std::string_view one = list.substr(0, bar);
    const size_t slash = one.find('/');
    out.push_back(slash == std::string_view::npos ? KindFilter{one, {}}
                                                  : KindFilter{one.substr(0, slash), one.substr(slash + 1)});
    list = bar == std::string_view::npos ? std::string_view{} : list.substr(bar + 1);
  }
  return out;
}

// A kind word's kinds: those it names, or, when the sentence asks about a sensor's state
// ("are any lights detected?"), the sensors it names.
std::vector<KindFilter> kindsOf(std::string_view arg, bool sensor_state) {
  const size_t semi = arg.find(';');
  if (semi == std::string_view::npos) return parseKinds(arg);
  return parseKinds(sensor_state ? arg.substr(semi + 1) : arg.substr(0, semi));
}

bool matches(const Device& d, const KindFilter& f) {
  if (!f.type.empty() && d.type != f.type) return false;
  // A device of no finer kind is every kind of its type: a Mi curtain is also "the blinds".
  return f.kind.empty() || d.kind.empty() || d.kind == f.kind;
}

bool sensorType(const Device& d) { return d.type == "sensor" || d.type == "binary-sensor"; }

// Whether the kinds said are only sensors or "devices" in general, so that a state word's kind
// ("charging") is the finer one.
bool sensorKinds(const std::vector<KindFilter>& kinds) {
  return std::all_of(kinds.begin(), kinds.end(), [](const KindFilter& f) {
    return f.type.empty() || f.type == "binary-sensor";
  });
}

struct StateWord {
  std::string_view kind;   // the sensor kind it implies, may be empty
  std::string_view state;  // "on", "off", "open", "closed", "locked", "unlocked", or empty
};

StateWord parseState(std::string_view arg) {
  const size_t eq = arg.find('=');
  return {arg.substr(0, eq), eq == std::string_view::npos ? std::string_view{} : arg.substr(eq + 1)};
}

// Words before the sentence's own first word that do not change what it means.
bool leadingFiller(std::string_view unit) {
  static const std::set<std::string_view> kFillers{"please", "hey", "ok", "okay", "so", "and", "um",
                                                    "uh", "well", "now", "hearth", "can", "could",
                                                    "would", "will", "you", "请", "帮我", "帮", "我"};
  return kFillers.count(unit) != 0;
}

}  // namespace

std::string_view intentName(Intent intent) {
  switch (intent) {
    case Intent::kTurnOn: return "turn_on";
    case Intent::kTurnOff: return "turn_off";
    case Intent::kSet: return "set";
    case Intent::kAdjust: return "adjust";
    case Intent::kQuery: return "query";
    case Intent::kAction: return "action";
    case Intent::kScene: return "scene";
    case Intent::kUnknown: return "unknown";
  }
  return "unknown";
}

Interpreter::Interpreter(HomeSnapshot home) : index_(std::make_unique<Index>(std::move(home))) {}
Interpreter::~Interpreter() = default;
Interpreter::Interpreter(Interpreter&&) noexcept = default;
Interpreter& Interpreter::operator=(Interpreter&&) noexcept = default;

const HomeSnapshot& Interpreter::home() const { return index_->home; }

bool Interpreter::appliesTo(const Interpretation& in, const Device& device) const {
  auto hasProperty = [&](std::string_view name) {
    return std::any_of(device.properties.begin(), device.properties.end(),
                       [&](const Capability& c) { return c.name == name; });
  };
  switch (in.intent) {
    case Intent::kTurnOn:
    case Intent::kTurnOff: return hasProperty("on") || hasProperty("position") || hasProperty("locked");
    case Intent::kSet:
    case Intent::kAdjust:
    case Intent::kQuery: return in.property.empty() || hasProperty(in.property);
    case Intent::kAction:
      return std::any_of(device.actions.begin(), device.actions.end(),
                         [&](const DeviceAction& a) { return a.name == in.action; });
    case Intent::kScene:
    case Intent::kUnknown: return false;
  }
  return false;
}

namespace {

// The decisions for one sentence, kept apart from the Index so that they read as the rules they
// are.
class Decider {
 public:
  Decider(const Interpreter& interpreter, const Interpreter::Index& index, Reading reading,
          std::string_view speaker_room)
      : interpreter_(interpreter), index_(index), r_(std::move(reading)) {
    for (size_t i = 0; i < index_.home.rooms.size(); ++i) {
      if (!speaker_room.empty() && index_.home.rooms[i].id == speaker_room) speaker_room_ = static_cast<int>(i);
    }
  }

  Interpretation decide() {
    Interpretation in;
    in.language = r_.text.chinese ? "zh" : "en";
    question_ = isQuestion();
    sensor_state_ = false;
    for (const auto& c : r_.cues) {
      if (c.cue == Cue::kState && question_) {
        auto word = parseState(c.arg);
        if (!word.kind.empty() || word.state == "on" || word.state == "off") sensor_state_ = true;
      }
    }
    in.intent = intent();
    in.targets = targets(in);
    if (in.intent == Intent::kTurnOn || in.intent == Intent::kTurnOff) lockSense(in);
    if (in.intent == Intent::kSet || in.intent == Intent::kAdjust) property(in);
    if (in.intent == Intent::kQuery) in.property = queryProperty();
    if (in.intent == Intent::kAction) in.action = action();
    in.response = respond(in, index_.home, r_, interpreter_);
    return in;
  }

 private:
  bool isQuestion() const {
    if (r_.has(Cue::kHowMany)) return true;
    const auto& units = r_.text.units;
    if (r_.text.chinese) {
      for (const auto& c : r_.cues) {
        if (c.cue == Cue::kQuestion) return true;
      }
      return false;
    }
    size_t first = 0;
    while (first < units.size() && leadingFiller(units[first].text)) ++first;
    if (first == units.size()) return false;
    if (units[first].text == "any" || units[first].text == "have" || units[first].text == "ha") return true;
    for (const auto& c : r_.cues) {
      if (c.unit == first && c.cue == Cue::kQuestion) return true;
    }
    return false;
  }

  bool hasValue() const {
    return !r_.numbers.empty() || r_.has(Cue::kColor) || r_.has(Cue::kMax) || r_.has(Cue::kMin) ||
           !r_.choices.empty();
  }

  Intent intent() const {
    if (question_) return Intent::kQuery;
    for (Cue c : {Cue::kDock, Cue::kNext, Cue::kPrevious, Cue::kPause, Cue::kResume}) {
      if (r_.has(c) && r_.scenes.empty()) return Intent::kAction;
    }
    const bool up_down = r_.has(Cue::kUp) || r_.has(Cue::kDown);
    if (hasValue() && (!up_down || r_.has(Cue::kTo))) return Intent::kSet;
    if (up_down) return Intent::kAdjust;
    if (!r_.scenes.empty() && r_.devices.empty() && !r_.has(Cue::kOff)) return Intent::kScene;
    if (r_.has(Cue::kStart) || r_.has(Cue::kStop)) return Intent::kAction;
    const CueAt* on = nullptr;
    const CueAt* off = nullptr;
    for (const auto& c : r_.cues) {
      if (!on && (c.cue == Cue::kOn || c.cue == Cue::kActivate || c.cue == Cue::kOpen || c.cue == Cue::kLock)) on = &c;
      if (!off && (c.cue == Cue::kOff || c.cue == Cue::kClose || c.cue == Cue::kUnlock)) off = &c;
    }
    if (on && (!off || on->unit < off->unit)) return Intent::kTurnOn;
    if (off) return Intent::kTurnOff;
    return Intent::kUnknown;
  }

  // Locks are "on" when locked: "open the lock" unlocks it, "关闭门锁" locks it.
  void lockSense(Interpretation& in) const {
    if (in.targets.empty()) {
      // Nothing found: only a word for locks themselves ("lock", "锁", not "door") says which
      // way round on and off are.
      if (!r_.has(Cue::kLock) && !r_.has(Cue::kUnlock) && !saysLock()) return;
    } else {
      for (const auto& id : in.targets) {
        auto d = std::find_if(index_.home.devices.begin(), index_.home.devices.end(),
                              [&](const Device& x) { return x.id == id; });
        if (d == index_.home.devices.end() || d->type != "lock") return;
      }
    }
    bool lock = in.intent == Intent::kTurnOn;
    for (const auto& c : r_.cues) {
      if (c.cue == Cue::kLock || c.cue == Cue::kClose || c.cue == Cue::kOff) { lock = true; break; }
      if (c.cue == Cue::kUnlock || c.cue == Cue::kOpen || c.cue == Cue::kOn) { lock = false; break; }
    }
    in.intent = lock ? Intent::kTurnOn : Intent::kTurnOff;
  }

  bool saysLock() const {
    return std::any_of(r_.cues.begin(), r_.cues.end(), [](const CueAt& c) { return c.cue == Cue::kKind && c.arg == "lock"; });
  }

  // --- targets --------------------------------------------------------------------------------

  std::vector<std::string> targets(const Interpretation& in) {
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
      // Nothing but a property or an action: the devices that have it, in the speaker's room
      // if there are some there.
      if (here < 0) {
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
  bool unknownName() const {
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
  bool namedDevices(const Interpretation& in, std::vector<bool>& pick) const {
    const auto& devices = index_.home.devices;
    bool any_name = false;
    for (const auto& name : r_.devices) {
      const auto& group = index_.device_groups[name.ref];
      if (name.plural && name.alsoWord) continue;
      if (name.alsoWord && !compatible(in, group)) continue;
      any_name = true;
      std::vector<int> chosen = group;
      if (chosen.size() > 1) narrow(chosen);
      for (int d : chosen) pick[d] = true;
    }
    if (!any_name) return false;
    if (!r_.rooms.empty() || !r_.floors.empty()) {
      for (size_t d = 0; d < devices.size(); ++d) pick[d] = pick[d] && inPlace(static_cast<int>(d));
    }
    return true;
  }

  // Whether a device named like a kind word is what the sentence means by it.
  bool compatible(const Interpretation& in, const std::vector<int>& group) const {
    return std::any_of(group.begin(), group.end(), [&](int d) {
      const Device& device = index_.home.devices[d];
      if (in.intent == Intent::kQuery) return !sensorType(device) || sensor_state_;
      return !sensorType(device);
    });
  }

  // Several devices share the name: keep those of the kind the sentence's other words say.
  void narrow(std::vector<int>& group) const {
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

  bool stateAsked(std::string_view state) const {
    for (const auto& c : r_.cues) {
      if (c.cue == Cue::kState && parseState(c.arg).state == state) return true;
    }
    return false;
  }

  bool inPlace(int d) const {
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
  bool implied(const Interpretation& in, const Device& device) const {
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

  std::vector<std::string> idsOf(const std::vector<bool>& pick) const {
    std::vector<std::string> out;
    for (size_t d = 0; d < pick.size(); ++d) {
      if (pick[d]) out.push_back(index_.home.devices[d].id);
    }
    return out;
  }

  // --- property, value, action ---------------------------------------------------------------

  // The property a word names; "temperature" in a command is the target temperature.
  std::string saidProperty(bool command) const {
    for (const auto& c : r_.cues) {
      if (c.cue == Cue::kProperty) {
        if (command && c.arg == "temperature") return "target-temperature";
        return std::string(c.arg);
      }
    }
    for (const auto& c : r_.cues) {
      if ((c.cue == Cue::kUp || c.cue == Cue::kDown || c.cue == Cue::kMax || c.cue == Cue::kMin) && !c.arg.empty()) {
        return std::string(c.arg);
      }
    }
    if (r_.has(Cue::kColor)) return "color";
    if (r_.has(Cue::kDegree)) return "target-temperature";
    if (!r_.choices.empty()) return index_.choices[r_.choices.front().ref].property;
    return {};
  }

  void property(Interpretation& in) const {
    in.property = saidProperty(true);
    if (in.property.empty()) {
      // A bare number or share: the first of these that a target has.
      for (std::string_view p : {"brightness", "position", "volume", "target-temperature", "fan-level"}) {
        if (targetsHave(in, p)) {
          in.property = p;
          break;
        }
      }
    }
    if (in.intent == Intent::kAdjust) {
      in.direction = r_.has(Cue::kDown) ? -1 : 1;
      if (!r_.numbers.empty()) in.amount = r_.numbers.front().value;
      return;
    }
    for (const auto& c : r_.cues) {
      if (c.cue == Cue::kColor) {
        in.value = std::string(c.arg);
        return;
      }
    }
    for (const auto& choice : r_.choices) {
      const auto& word = index_.choices[choice.ref];
      if (word.property == in.property) {
        in.value = word.value;
        return;
      }
    }
    if (!r_.numbers.empty()) {
      in.value = r_.numbers.back().value;
      return;
    }
    const Capability* range = capabilityOf(in, in.property);
    if (r_.has(Cue::kMax)) in.value = range && range->max ? *range->max : 100.0;
    if (r_.has(Cue::kMin)) in.value = range && range->min ? *range->min : 1.0;
  }

  bool targetsHave(const Interpretation& in, std::string_view property) const {
    return capabilityOf(in, property) != nullptr;
  }

  const Capability* capabilityOf(const Interpretation& in, std::string_view property) const {
    for (const auto& device : index_.home.devices) {
      if (std::find(in.targets.begin(), in.targets.end(), device.id) == in.targets.end()) continue;
      for (const auto& c : device.properties) {
        if (c.name == property) return &c;
      }
    }
    return nullptr;
  }

  std::string queryProperty() const {
    std::string p = saidProperty(false);
    return p == "color" ? std::string{} : p;
  }

  std::string action() const {
    static constexpr std::pair<Cue, std::string_view> kActions[] = {
        {Cue::kDock, "dock"}, {Cue::kNext, "next"}, {Cue::kPrevious, "previous"}, {Cue::kPause, "pause"},
        {Cue::kResume, "resume"}, {Cue::kStop, "stop"}, {Cue::kStart, "start"}};  // "stop the vacuum": not "vacuum"
    for (const auto& [cue, name] : kActions) {
      if (r_.has(cue)) return std::string(name);
    }
    return {};
  }

  const Interpreter& interpreter_;
  const Interpreter::Index& index_;
  Reading r_;
  int speaker_room_ = -1;
  bool question_ = false;
  bool sensor_state_ = false;
};

}  // namespace

Interpretation Interpreter::interpret(std::string_view text, std::string_view speaker_room) const {
  return Decider(*this, *index_, index_->read(text), speaker_room).decide();
}

}  // namespace hearth::assistant

#include "decider.h"

#include <algorithm>
#include <set>

#include "response.h"

namespace hearth::assistant {

namespace {

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

// Words before the sentence's own first word that do not change what it means.
bool leadingFiller(std::string_view unit) {
  static const std::set<std::string_view> kFillers{"please", "hey", "ok", "okay", "so", "and", "um",
                                                    "uh", "well", "now", "hearth", "can", "could",
                                                    "would", "will", "you", "请", "帮我", "帮", "我"};
  return kFillers.count(unit) != 0;
}

}  // namespace

// A kind word's kinds: those it names, or, when the sentence asks about a sensor's state
// ("are any lights detected?"), the sensors it names.
std::vector<KindFilter> kindsOf(std::string_view arg, bool sensor_state) {
  const size_t semi = arg.find(';');
  if (semi == std::string_view::npos) return parseKinds(arg);
  return parseKinds(sensor_state ? arg.substr(semi + 1) : arg.substr(0, semi));
}

bool matches(const Device& d, const KindFilter& f) {
  if (!f.type.empty() && d.type != f.type) return false;
  return f.kind.empty() || d.kind.empty() || d.kind == f.kind;
}

StateWord parseState(std::string_view arg) {
  const size_t eq = arg.find('=');
  return {arg.substr(0, eq), eq == std::string_view::npos ? std::string_view{} : arg.substr(eq + 1)};
}

Decider::Decider(const Interpreter& interpreter, const Interpreter::Index& index, Reading reading,
                 std::string_view speaker_room)
    : interpreter_(interpreter), index_(index), r_(std::move(reading)) {
  for (size_t i = 0; i < index_.home.rooms.size(); ++i) {
    if (!speaker_room.empty() && index_.home.rooms[i].id == speaker_room) speaker_room_ = static_cast<int>(i);
  }
}

Interpretation Decider::decide() {
  Interpretation in;
  in.language = r_.text.chinese ? "zh" : "en";
  // A number beyond any setting ("999…9" with 330 digits): say so, rather than act on a value
  // nobody can have meant.
  if (std::any_of(r_.numbers.begin(), r_.numbers.end(), [](const NumberAt& n) { return n.out_of_range; })) {
    in.response = r_.text.chinese ? "抱歉，这个数字超出了范围。" : "Sorry, that number is out of range.";
    return in;
  }
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

bool Decider::isQuestion() const {
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

bool Decider::hasValue() const {
  return !r_.numbers.empty() || r_.has(Cue::kColor) || r_.has(Cue::kMax) || r_.has(Cue::kMin) ||
         !r_.choices.empty();
}

Intent Decider::intent() const {
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
void Decider::lockSense(Interpretation& in) const {
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

bool Decider::saysLock() const {
  return std::any_of(r_.cues.begin(), r_.cues.end(), [](const CueAt& c) { return c.cue == Cue::kKind && c.arg == "lock"; });
}

// The property a word names; "temperature" in a command is the target temperature.
std::string Decider::saidProperty(bool command) const {
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
  if (r_.has(Cue::kDegree)) return command ? "target-temperature" : "temperature";  // "现在几度"
  if (!r_.choices.empty()) return index_.choices[r_.choices.front().ref].property;
  return {};
}

void Decider::property(Interpretation& in) const {
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

bool Decider::targetsHave(const Interpretation& in, std::string_view property) const {
  return capabilityOf(in, property) != nullptr;
}

const Capability* Decider::capabilityOf(const Interpretation& in, std::string_view property) const {
  for (const auto& device : index_.home.devices) {
    if (std::find(in.targets.begin(), in.targets.end(), device.id) == in.targets.end()) continue;
    for (const auto& c : device.properties) {
      if (c.name == property) return &c;
    }
  }
  return nullptr;
}

std::string Decider::queryProperty() const {
  std::string p = saidProperty(false);
  return p == "color" ? std::string{} : p;
}

std::string Decider::action() const {
  static constexpr std::pair<Cue, std::string_view> kActions[] = {
      {Cue::kDock, "dock"}, {Cue::kNext, "next"}, {Cue::kPrevious, "previous"}, {Cue::kPause, "pause"},
      {Cue::kResume, "resume"}, {Cue::kStop, "stop"}, {Cue::kStart, "start"}};  // "stop the vacuum": not "vacuum"
  for (const auto& [cue, name] : kActions) {
    if (r_.has(cue)) return std::string(name);
  }
  return {};
}

}  // namespace hearth::assistant

// The rules that turn one sentence's reading into an interpretation: its intent (decider.cc),
// its targets (targets.cc), its property, value and action (decider.cc). Built per sentence by
// Interpreter::interpret(); not thread-safe, not kept.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/assistant/interpreter.h"
#include "index.h"

namespace hearth::assistant {

// A device kind as the lexicon writes it: "type", "type/kind" or "/kind".
struct KindFilter {
  std::string_view type;
  std::string_view kind;
};

// A kind word's kinds: those it names, or, when the sentence asks about a sensor's state
// ("are any lights detected?"), the sensors it names.
std::vector<KindFilter> kindsOf(std::string_view arg, bool sensor_state);

// A device of no finer kind is every kind of its type: a Mi curtain is also "the blinds".
bool matches(const Device& d, const KindFilter& f);

struct StateWord {
  std::string_view kind;   // the sensor kind it implies, may be empty
  std::string_view state;  // "on", "off", "open", "closed", "locked", "unlocked", or empty
};

StateWord parseState(std::string_view arg);

class Decider {
 public:
  Decider(const Interpreter& interpreter, const Interpreter::Index& index, Reading reading,
          std::string_view speaker_room);

  Interpretation decide();

 private:
  bool isQuestion() const;
  bool hasValue() const;
  Intent intent() const;
  // Locks are "on" when locked: "open the lock" unlocks it, "关闭门锁" locks it.
  void lockSense(Interpretation& in) const;
  bool saysLock() const;
  std::vector<std::string> targets(const Interpretation& in);
  // "Turn on the garage light" in a home with no garage: a word the home does not know right
  // before a kind word is most likely a name it does not have, so nothing is meant, not every light.
  bool unknownName() const;
  // Devices named in the sentence, narrowed by the kinds, states and places it also says.
  bool namedDevices(const Interpretation& in, std::vector<bool>& pick) const;
  // Whether a device named like a kind word is what the sentence means by it.
  bool compatible(const Interpretation& in, const std::vector<int>& group) const;
  // Several devices share the name: keep those of the kind the sentence's other words say.
  void narrow(std::vector<int>& group) const;
  bool stateAsked(std::string_view state) const;
  bool inPlace(int d) const;
  // Whether a device can do what a sentence with no kind and no place asks.
  bool implied(const Interpretation& in, const Device& device) const;
  std::vector<std::string> idsOf(const std::vector<bool>& pick) const;
  // The property a word names; "temperature" in a command is the target temperature.
  std::string saidProperty(bool command) const;
  void property(Interpretation& in) const;
  bool targetsHave(const Interpretation& in, std::string_view property) const;
  const Capability* capabilityOf(const Interpretation& in, std::string_view property) const;
  std::string queryProperty() const;
  std::string action() const;

  const Interpreter& interpreter_;
  const Interpreter::Index& index_;
  Reading r_;
  int speaker_room_ = -1;
  bool question_ = false;
  bool sensor_state_ = false;
};

}  // namespace hearth::assistant

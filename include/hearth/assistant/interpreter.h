// The assistant's interpreter: a sentence in English or Chinese (Simplified or Traditional) and a
// home's snapshot in, an interpretation and a short spoken response out. No I/O, no network.
//
// Thread-safety: an Interpreter is immutable once built; interpret() may run on any number of
// threads at once. It keeps a reference to nothing: the snapshot is copied in.
// Errors: interpret() never fails and never throws on any input (arbitrary bytes included); what
// it cannot read is Intent::kUnknown with a response saying so.
#pragma once

#include <boost/json/object.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/assistant/home_snapshot.h"

namespace hearth::assistant {

enum class Intent { kTurnOn, kTurnOff, kSet, kAdjust, kQuery, kAction, kScene, kUnknown };

std::string_view intentName(Intent intent);  // "turn_on", "turn_off", "set", ...

struct Interpretation {
  Intent intent = Intent::kUnknown;
  std::string language;              // of the sentence: "en" or "zh"
  // What the sentence designates: device ids (or, for kScene, scene ids), in home order. A
  // command that names only a place designates the place's devices; the command applies to
  // those of them that can do it (see appliesTo()).
  std::vector<std::string> targets;
  std::string property;              // kSet, kAdjust, a kQuery about one reading; else empty
  std::optional<Value> value;        // kSet: the value, in the property's terms ("red", 50)
  int direction = 0;                 // kAdjust: +1 up, -1 down
  std::optional<double> amount;      // kAdjust: by how much, when said ("by 10")
  std::string action;                // kAction: "start", "dock", "pause", "resume", "next", ...
  std::string response;              // what the assistant says, in the sentence's language
};

// The interpretation as score.py and the API write it: {"intent", "targets", "property",
// "value", "direction", "amount", "action", "language", "response"}, absent values as null.
boost::json::object toJson(const Interpretation& interpretation);

class Interpreter {
 public:
  explicit Interpreter(HomeSnapshot home);
  ~Interpreter();
  Interpreter(Interpreter&&) noexcept;
  Interpreter& operator=(Interpreter&&) noexcept;

  // `speaker_room` is the id of the room the speaker is in, empty when unknown: "turn on the
  // lights" then means that room's lights.
  Interpretation interpret(std::string_view text, std::string_view speaker_room = {}) const;

  // Whether the command can act on `device` (it has the property or action asked for); the
  // executor skips the rest of the targets and says so.
  bool appliesTo(const Interpretation& interpretation, const Device& device) const;

  const HomeSnapshot& home() const;

  struct Index;  // the home's names, cut and indexed (src/assistant/index.h)

 private:
  std::unique_ptr<const Index> index_;
};

}  // namespace hearth::assistant

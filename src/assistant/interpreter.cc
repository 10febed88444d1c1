#include "hearth/assistant/interpreter.h"

#include <algorithm>

#include "decider.h"
#include "index.h"

namespace hearth::assistant {

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

Interpretation Interpreter::interpret(std::string_view text, std::string_view speaker_room) const {
  return Decider(*this, *index_, index_->read(text), speaker_room).decide();
}

}  // namespace hearth::assistant

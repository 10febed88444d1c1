// What the assistant says back, in the sentence's language: what it did ("Turned off the
// Kitchen Light and 2 more."), what it could not ("The Bedroom Lamp is offline."), or the answer
// to a question, read from the home's current state ("Yes.", "客厅的温度是18度。").
#pragma once

#include <string>

#include "hearth/assistant/interpreter.h"
#include "reading.h"

namespace hearth::assistant {

std::string respond(const Interpretation& interpretation, const HomeSnapshot& home,
                    const Reading& reading, const Interpreter& interpreter);

// A value as it is spoken: 50 → "50", 20.5 → "20.5", true → "on".
std::string spoken(const Value& value);

}  // namespace hearth::assistant

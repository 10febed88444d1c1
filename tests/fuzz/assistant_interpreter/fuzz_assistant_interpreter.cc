// libFuzzer target for the assistant's interpreter: any bytes as a sentence against a fixed home
// must give an answer (an intent, a response, targets that exist in the home) and never crash;
// input that starts with '{' is read as a HOME.json instead, and a home that parses must then
// take a few sentences the same way.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hearth/assistant/interpreter.h"

namespace {

using hearth::assistant::Interpretation;
using hearth::assistant::Interpreter;
using hearth::assistant::Intent;

constexpr std::string_view kHome = R"({"rooms": [{"id": "l", "name": "Living Room", "aliases": ["客厅"]},
  {"id": "b", "name": "Bedroom", "floor": "up"}], "floors": [{"id": "up", "name": "Upstairs"}],
  "devices": [{"id": "1", "name": "Ceiling Light", "room": "l", "type": "light", "state": "on"},
  {"id": "2", "name": "Air Conditioner", "room": "b", "type": "air-conditioner", "state": "cool", "aliases": ["空调"]},
  {"id": "3", "name": "Curtain", "room": "l", "type": "curtain", "state": "open"},
  {"id": "4", "name": "Speaker", "room": "l", "type": "speaker", "state": "idle"},
  {"id": "5", "name": "Front Door", "type": "lock", "state": "locked"},
  {"id": "6", "name": "Phone", "type": "binary-sensor", "class": "battery", "state": "off"},
  {"id": "7", "name": "Phone", "type": "binary-sensor", "class": "plug", "state": "on"}],
  "scenes": [{"id": "s", "name": "Movie Night"}]})";

void check(const Interpreter& interpreter, const Interpretation& in) {
  if (in.response.empty() || (in.language != "en" && in.language != "zh")) std::abort();
  if (in.intent == Intent::kScene) return;
  for (const auto& id : in.targets) {
    bool found = false;
    for (const auto& d : interpreter.home().devices) found = found || d.id == id;
    if (!found) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Interpreter kFixed(std::move(*hearth::assistant::parseHomeJson(kHome)));
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!input.empty() && input.front() == '{') {
    auto home = hearth::assistant::parseHomeJson(input);
    if (!home.isOk()) return 0;
    const Interpreter interpreter(std::move(*home));
    for (std::string_view text : {"turn on the lights", "把客厅的灯调到五十", "is the door locked?", "pause"}) {
      check(interpreter, interpreter.interpret(text, "l"));
    }
    return 0;
  }
  check(kFixed, kFixed.interpret(input));
  check(kFixed, kFixed.interpret(input, "l"));
  return 0;
}

// A device of a live home as the assistant sees it, from its product's MIoT spec and its shadow:
// capabilities by standard property and action names (light.brightness → "brightness",
// curtain.target-position → "position", play-control.next → "next", vacuum.start-sweep →
// "start", ...), value lists as words in both languages ("睡眠" / "Sleep"), every other
// property under its own name, and the current values. Each capability keeps its (siid, piid)
// and each action its (siid, aiid), so what the assistant decides can be sent to the device.
//
// Pure functions; the view must outlive nothing (values are copied).
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>

#include <variant>

#include "hearth/assistant/home_snapshot.h"
#include "hearth/assistant/interpreter.h"
#include "hearth/core/status.h"
#include "hearth/spec/product_view.h"

namespace hearth::assistant {

// Sets device.type (the spec's device type), device.kind (for sensors), device.properties and
// device.actions from `view`.
void addSpecCapabilities(const spec::ProductView& view, Device& device);

// Records one shadow value in device.state when a capability lives at (siid, piid).
void addShadowValue(Device& device, uint32_t siid, uint32_t piid, const boost::json::value& value);

// What a command means for one of its targets, in the spec's terms: a property to write or an
// action to call (no arguments).
struct PropertyWrite {
  uint32_t siid = 0;
  uint32_t piid = 0;
  Value value;
};
struct ActionCall {
  uint32_t siid = 0;
  uint32_t aiid = 0;
};
using Operation = std::variant<PropertyWrite, ActionCall>;

// The operation `interpretation` asks of `device`: turn_on/turn_off write "on" (or open and
// close a curtain), set writes the value (colour words as RGB, in range, on the step), adjust
// moves the current value by the amount said or a tenth of the range, action calls the action.
// kFailedPrecondition when the device cannot do it (no such capability, or only a typical one
// with no place in a spec), kInvalidArgument for a value outside the property's range.
core::Result<Operation> operationFor(const Interpretation& interpretation, const Device& device);

// RGB of a colour word the interpreter gives ("red" → 0xFF0000); nullopt for another word.
std::optional<uint32_t> rgbOfColor(std::string_view name);

}  // namespace hearth::assistant

// Instance validation: what parses but is wrong or suspicious (docs/spec.md lists every rule).
//
// Errors: duplicate iids at one level; action in/out or event arguments that name no property of
// their service; value-range that is inverted, has a step <= 0, or does not fit the format;
// value-list on a string or bool format, or with values that do not fit the format or repeat;
// empty access; an element whose URN kind does not match its place; a device type without
// vendor-product and version.
// Warnings: no device-information service, or not at iid 1; a unit other than "none" on a
// non-numeric format, or an unknown unit; both value-range and value-list; empty value-list;
// members the model does not know; a namespace foreign to MIoT-Spec.
//
// An event without `arguments` has none and gets no finding: spec-v2 §2.6 marks the member
// optional, and 113 of the corpus's 126 events omit it.
//
// Thread-safety: a pure function. Never throws except std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hearth/spec/finding.h"
#include "hearth/spec/model.h"

namespace hearth::spec {

// Findings in document order; pointers point into the instance's JSON form.
std::vector<Finding> validate(const Instance& instance);

// Whether `value` is a legal value of `format` (a whole number within uint8's range for uint8,
// any number for float); the reason when it is not. Strings and bools hold no numbers.
std::optional<std::string> numberFitsFormat(const Number& value, Format format);

}  // namespace hearth::spec

// Value checking: is this JSON value a legal value of this property, for this operation?
//
// This runs for every property a device reports and every value a command sets, so a
// PropertyChecker is compiled once per property (ProductView holds one per property) and check()
// does no allocation and throws nothing. On rejection, message() builds the sentence for a person
// (it allocates; call it only on the reject path).
//
// Coercion is allowed only where no information changes (docs/spec.md, "Value checking"):
//   - float accepts any JSON number: 24 → 24.0.
//   - integer formats accept integers and whole fractions: 24.0 → 24; 24.5 is kWrongType.
//   - bool accepts only true/false: 1, "true" and "on" are kWrongType.
//   - string accepts only strings: 5 is kWrongType.
// Fractional ranges and steps allow a millionth of a step: v is on step when
// |k - round(k)| <= 1e-6 for k = (v - min) / step, so 0.3 passes min 0, step 0.1
// (k = 2.9999999999999996 in binary floating point), and the bounds stretch by 1e-6 · step.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/spec/model.h"

namespace hearth::spec {

enum class ValueError : uint8_t {
  kOk = 0,
  kWrongType,       // not a value of the property's format (1 for a bool, 24.5 for uint8)
  kOutOfRange,      // outside value-range, or outside the format (300 for uint8)
  kOffStep,         // inside the range but not min + k·step
  kNotInList,       // not one of value-list's values
  kStringTooLong,   // longer than CheckOptions::max_string_bytes
  kNotWritable,     // a write to a property without `write`
  kNotReadable,     // a report of a property with neither `read` nor `notify`
  kArgumentCount,   // an action got more or fewer arguments than its spec allows
  kUndefined,       // the spec's argument names a property the service does not have
};

// "wrong-type", "out-of-range", ...: stable names for logs, metrics and API error bodies.
std::string_view valueErrorName(ValueError error);

// The MIoT control API's error code for `error` (control-api §4, the "zzz" part of -70xxxyzzz):
// 13 not readable, 23 not writable, 43 bad value, 25 wrong argument count, 35 bad argument.
// 0 for kOk.
int miotErrorCode(ValueError error, bool action_argument);

enum class Operation : uint8_t {
  kReport,    // a device reports the value: needs read or notify
  kWrite,     // a command sets the value: needs write
  kArgument,  // an action's in/out argument: no access check (the action defines the flow)
};

struct CheckOptions {
  // Bounds what one string property can make the platform store or forward. Well above
  // device-information strings and typical settings blobs; MIoT itself sets no limit.
  size_t max_string_bytes = 4096;
};

// An accepted value, coerced to the property's format. `text` views the checked json::value's
// string: valid while that value lives.
struct CheckedValue {
  Format format = Format::kBool;
  bool boolean = false;  // kBool
  int64_t integer = 0;   // integer formats
  double real = 0;       // kFloat
  std::string_view text;  // kString
};

struct ValueCheck {
  ValueError error = ValueError::kOk;
  CheckedValue value;  // meaningful when ok()
  bool ok() const { return error == ValueError::kOk; }
};

// A property's constraints, precompiled. Copyable value; const methods are safe to call from
// many threads at once.
class PropertyChecker {
 public:
  PropertyChecker() = default;
  explicit PropertyChecker(const Property& property, const CheckOptions& options = {});

  ValueCheck check(const boost::json::value& value, Operation operation) const noexcept;

  // Why check(value, operation) rejected `value`, for a person: e.g.
  // "out of range: 300 is outside 0..255 (uint8)".
  std::string message(const boost::json::value& value, ValueError error) const;

  Format format() const { return format_; }
  Access access() const { return access_; }

 private:
  ValueError checkInteger(int64_t v) const noexcept;
  ValueError checkReal(double v) const noexcept;

  Format format_ = Format::kBool;
  Access access_;
  bool has_range_ = false;
  bool integer_step_ = false;  // range min/step are whole: exact integer arithmetic applies
  int64_t imin_ = 0;           // integer formats: the range intersected with the format's bounds
  int64_t imax_ = 0;
  int64_t ibase_ = 0;  // the range's own min, where steps count from
  int64_t istep_ = 1;
  double dmin_ = 0;  // the range as doubles (float, and integer ranges with fractional parts)
  double dmax_ = 0;
  double dstep_ = 0;
  std::vector<int64_t> int_list_;  // sorted value-list of an integer format
  std::vector<double> real_list_;  // sorted value-list of a float property
  bool has_list_ = false;
  size_t max_string_bytes_ = 0;
};

// One-off check without keeping a checker (compiles one: allocates for value-lists).
ValueCheck checkValue(const Property& property, const boost::json::value& value, Operation operation,
                      const CheckOptions& options = {});

struct ArgumentsCheck {
  ValueError error = ValueError::kOk;
  size_t index = 0;  // the offending value's position in the array (kArgumentCount: the count)
  bool ok() const { return error == ValueError::kOk; }
};

// An action's in or out argument list, precompiled against its service's properties. Values are
// positional (control-api §1.5: "in": [v1, v2]). An argument with repeat [min, max] takes min to
// max consecutive values; extra values go to the earliest arguments that can take more.
// Copyable value holding its own checkers (no reference to the Service); const methods are safe
// from many threads; check() does not allocate or throw.
class ArgumentsChecker {
 public:
  ArgumentsChecker() = default;
  ArgumentsChecker(const Service& service, const std::vector<Argument>& arguments,
                   const CheckOptions& options = {});

  ArgumentsCheck check(const boost::json::array& values) const noexcept;
  std::string message(const boost::json::array& values, const ArgumentsCheck& result) const;

 private:
  struct Slot {
    PropertyChecker checker;
    bool defined = false;  // false when the spec's piid names no property of the service
    uint32_t piid = 0;
    uint32_t min = 1;
    uint32_t max = 1;
  };
  // Calls visit(slot, value_index) for each of `count` values (count within bounds) until it
  // returns false.
  template <class Visit>
  void assign(size_t count, Visit&& visit) const;

  std::vector<Slot> slots_;
  size_t min_count_ = 0;
  size_t max_count_ = 0;
};

}  // namespace hearth::spec

// The MIoT-Spec-V2 device model as plain value types: an Instance (one product version) holds
// Services, which hold Properties, Actions and Events (spec-v2 §3; docs/spec.md).
//
// These types hold what a spec file says, nothing derived: parsing (json.h) fills them in,
// validation (validate.h) judges them, ProductView (product_view.h) derives keys, names, control
// hints and value checkers from them. They are copyable values, safe to read from many threads,
// and compare equal exactly when parse → serialize → parse would give the same model.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hearth/core/status.h"
#include "hearth/spec/urn.h"

namespace hearth::spec {

// A JSON number as the spec wrote it: an integer stays an integer and a fraction a double, so
// serialising writes back the same kind (`16` and `16.0` are different texts of one value).
class Number {
 public:
  enum class Kind : uint8_t { kInt64, kUint64, kDouble };

  constexpr Number() = default;
  static constexpr Number ofInt(int64_t v) { return Number(Kind::kInt64, v, 0, 0); }
  static constexpr Number ofUint(uint64_t v) { return Number(Kind::kUint64, 0, v, 0); }
  static constexpr Number ofDouble(double v) { return Number(Kind::kDouble, 0, 0, v); }

  Kind kind() const { return kind_; }
  int64_t int64Value() const { return i_; }
  uint64_t uint64Value() const { return u_; }
  double doubleValue() const { return d_; }

  double toDouble() const;
  // The value as int64 when it is a whole number in int64's range (a double like 16.0 counts).
  std::optional<int64_t> toInt64() const;
  // Same number whatever its kind: 16 equals 16.0 here, though not under operator==.
  bool numericallyEquals(const Number& other) const;
  // Shortest text that reads back as the same number ("0.5", "16", "1e+20").
  std::string toString() const;

  friend bool operator==(const Number& a, const Number& b) {
    return a.kind_ == b.kind_ && a.i_ == b.i_ && a.u_ == b.u_ && a.d_ == b.d_;
  }

 private:
  constexpr Number(Kind k, int64_t i, uint64_t u, double d) : kind_(k), i_(i), u_(u), d_(d) {}
  Kind kind_ = Kind::kInt64;
  int64_t i_ = 0;
  uint64_t u_ = 0;
  double d_ = 0;
};

// spec-v2 §2.7 data formats. The corpus and the spec document use no others (no hex, no tlv8).
enum class Format : uint8_t {
  kBool,
  kUint8,
  kUint16,
  kUint32,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFloat,
  kString,
};

std::string_view formatName(Format format);
std::optional<Format> parseFormat(std::string_view name);
bool isIntegerFormat(Format format);
bool isNumericFormat(Format format);  // integer formats and float

struct IntegerBounds {
  int64_t min;
  int64_t max;
};
// The value range of an integer format (uint8 → 0..255). Only for isIntegerFormat().
IntegerBounds integerBounds(Format format);

// A subset of {read, write, notify}; the JSON array's order is not kept (serialised as
// read, write, notify).
class Access {
 public:
  static constexpr uint8_t kRead = 1;
  static constexpr uint8_t kWrite = 2;
  static constexpr uint8_t kNotify = 4;

  constexpr Access() = default;
  constexpr explicit Access(uint8_t bits) : bits_(bits) {}

  uint8_t bits() const { return bits_; }
  bool empty() const { return bits_ == 0; }
  bool canRead() const { return (bits_ & kRead) != 0; }
  bool canWrite() const { return (bits_ & kWrite) != 0; }
  bool canNotify() const { return (bits_ & kNotify) != 0; }
  bool contains(Access other) const { return (bits_ & other.bits_) == other.bits_; }
  // "read, write, notify"; "none" when empty.
  std::string toString() const;

  friend bool operator==(Access a, Access b) = default;

 private:
  uint8_t bits_ = 0;
};

// A unit name as written ("celsius", "percentage", ...). Unknown names are kept: the spec's list
// is not closed and makers use others.
struct Unit {
  std::string name;

  bool isKnown() const;
  // What a person reads next to a value: "°C", "%", "K"; empty for "none" and unknown units.
  std::string_view symbol() const;

  friend bool operator==(const Unit&, const Unit&) = default;
};

struct ValueRange {
  Number min;
  Number max;
  Number step;
  friend bool operator==(const ValueRange&, const ValueRange&) = default;
};

// A string, or a map of locale to string ({"zh-CN": "...", "en-US": "..."}) in locale order as
// written. `locales` non-empty means the map form.
struct Description {
  std::string text;
  std::vector<std::pair<std::string, std::string>> locales;

  bool isLocalized() const { return !locales.empty(); }
  // The text for `locale` when the map has it, else en-US, else the plain text, else the map's
  // first entry.
  std::string_view forLocale(std::string_view locale) const;

  friend bool operator==(const Description&, const Description&) = default;
};

struct ValueListEntry {
  Number value;
  Description description;
  friend bool operator==(const ValueListEntry&, const ValueListEntry&) = default;
};
using ValueList = std::vector<ValueListEntry>;

// How often an argument may repeat ({"piid": 5, "repeat": [1, 1]} in xiot-spec files).
struct Repeat {
  uint32_t min = 1;
  uint32_t max = 1;
  friend bool operator==(const Repeat&, const Repeat&) = default;
};

// An action or event argument: a property of the same service, by iid. Written as a bare iid
// or, with `repeat`, as an object.
struct Argument {
  uint32_t piid = 0;
  std::optional<Repeat> repeat;
  friend bool operator==(const Argument&, const Argument&) = default;
};

// `extensions` on the element types below keeps members this model does not know (newer
// miot-spec.org files add some), so they survive a round trip; validation warns about them.
struct Property {
  uint32_t iid = 0;
  Urn type;
  Description description;
  Format format = Format::kBool;
  Access access;
  std::optional<Unit> unit;
  std::optional<ValueRange> value_range;
  std::optional<ValueList> value_list;
  boost::json::object extensions;
  friend bool operator==(const Property&, const Property&) = default;
};

struct Action {
  uint32_t iid = 0;
  Urn type;
  Description description;
  std::vector<Argument> in;
  std::vector<Argument> out;
  boost::json::object extensions;
  friend bool operator==(const Action&, const Action&) = default;
};

// An event without `arguments` has none: the member is optional in spec-v2 §2.6.
struct Event {
  uint32_t iid = 0;
  Urn type;
  Description description;
  std::vector<Argument> arguments;
  boost::json::object extensions;
  friend bool operator==(const Event&, const Event&) = default;
};

struct Service {
  uint32_t iid = 0;
  Urn type;
  Description description;
  std::vector<Property> properties;
  std::vector<Action> actions;
  std::vector<Event> events;
  boost::json::object extensions;
  friend bool operator==(const Service&, const Service&) = default;
};

struct Instance {
  Urn type;
  Description description;
  std::vector<Service> services;
  boost::json::object extensions;
  friend bool operator==(const Instance&, const Instance&) = default;
};

// A product's model id, "<vendor>.<device type>.<product>" from its device URN
// (urn:miot-spec-v2:device:light:0000A001:yeelink-color2:1 → "yeelink.light.color2"): how the
// registry, `hearth device add` and the simulator name products. kInvalidArgument when the type
// is not a device URN or names no vendor and product.
core::Result<std::string> modelOf(const Instance& instance);

}  // namespace hearth::spec

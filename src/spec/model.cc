#include "hearth/spec/model.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace hearth::spec {
namespace {

struct FormatInfo {
  Format format;
  std::string_view name;
  int64_t min;
  int64_t max;
};

constexpr std::array<FormatInfo, 10> kFormats = {{
    {Format::kBool, "bool", 0, 0},
    {Format::kUint8, "uint8", 0, 255},
    {Format::kUint16, "uint16", 0, 65535},
    {Format::kUint32, "uint32", 0, 4294967295},
    {Format::kInt8, "int8", -128, 127},
    {Format::kInt16, "int16", -32768, 32767},
    {Format::kInt32, "int32", -2147483648LL, 2147483647},
    {Format::kInt64, "int64", std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()},
    {Format::kFloat, "float", 0, 0},
    {Format::kString, "string", 0, 0},
}};

struct UnitInfo {
  std::string_view name;
  std::string_view symbol;
};

// spec-v2 §2.7's list, plus the units the corpus uses beyond it (watt, rgb, none).
constexpr std::array<UnitInfo, 12> kUnits = {{
    {"percentage", "%"},
    {"celsius", "°C"},
    {"seconds", "s"},
    {"minutes", "min"},
    {"hours", "h"},
    {"days", "d"},
    {"kelvin", "K"},
    {"pascal", "Pa"},
    {"arcdegrees", "°"},
    {"watt", "W"},
    {"rgb", ""},
    {"none", ""},
}};

const UnitInfo* findUnit(std::string_view name) {
  for (const auto& u : kUnits) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

// 2^63 as a double: the first value past int64's range.
constexpr double kTwoTo63 = 9223372036854775808.0;

}  // namespace

double Number::toDouble() const {
  switch (kind_) {
    case Kind::kInt64: return static_cast<double>(i_);
    case Kind::kUint64: return static_cast<double>(u_);
    case Kind::kDouble: return d_;
  }
  return d_;
}

std::optional<int64_t> Number::toInt64() const {
  switch (kind_) {
    case Kind::kInt64: return i_;
    case Kind::kUint64:
      if (u_ > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
      return static_cast<int64_t>(u_);
    case Kind::kDouble:
      if (!(d_ >= -kTwoTo63 && d_ < kTwoTo63) || std::trunc(d_) != d_) return std::nullopt;
      return static_cast<int64_t>(d_);
  }
  return std::nullopt;
}

bool Number::numericallyEquals(const Number& other) const {
  if (kind_ == Kind::kUint64 && other.kind_ == Kind::kUint64) return u_ == other.u_;
  auto a = toInt64();
  auto b = other.toInt64();
  if (a && b) return *a == *b;
  if (kind_ != Kind::kDouble && other.kind_ != Kind::kDouble) return false;  // int vs big uint
  return toDouble() == other.toDouble();
}

std::string Number::toString() const {
  switch (kind_) {
    case Kind::kInt64: return std::to_string(i_);
    case Kind::kUint64: return std::to_string(u_);
    case Kind::kDouble: break;
  }
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d_);
  if (ec != std::errc()) return "?";
  return std::string(buf.data(), end);
}

std::string_view formatName(Format format) {
  return kFormats[static_cast<size_t>(format)].name;
}

std::optional<Format> parseFormat(std::string_view name) {
  for (const auto& f : kFormats) {
    if (f.name == name) return f.format;
  }
  return std::nullopt;
}

bool isIntegerFormat(Format format) {
  return format != Format::kBool && format != Format::kFloat && format != Format::kString;
}

bool isNumericFormat(Format format) { return isIntegerFormat(format) || format == Format::kFloat; }

IntegerBounds integerBounds(Format format) {
  const auto& f = kFormats[static_cast<size_t>(format)];
  return {f.min, f.max};
}

std::string Access::toString() const {
  if (empty()) return "none";
  std::string out;
  auto add = [&](bool has, std::string_view name) {
    if (!has) return;
    if (!out.empty()) out += ", ";
    out += name;
  };
  add(canRead(), "read");
  add(canWrite(), "write");
  add(canNotify(), "notify");
  return out;
}

bool Unit::isKnown() const { return findUnit(name) != nullptr; }

std::string_view Unit::symbol() const {
  const UnitInfo* u = findUnit(name);
  return u == nullptr ? std::string_view() : u->symbol;
}

std::string_view Description::forLocale(std::string_view locale) const {
  if (locales.empty()) return text;
  for (const auto& [l, t] : locales) {
    if (l == locale) return t;
  }
  for (const auto& [l, t] : locales) {
    if (l == "en-US") return t;
  }
  return text.empty() ? std::string_view(locales.front().second) : std::string_view(text);
}

core::Result<std::string> modelOf(const Instance& instance) {
  const Urn& urn = instance.type;
  if (urn.kind() != UrnKind::kDevice) {
    return core::Status::invalidArgument("the instance's type is not a device URN: " + urn.text());
  }
  if (!urn.hasVendorProduct() || urn.vendor().empty() || urn.product().empty()) {
    return core::Status::invalidArgument("the device URN names no vendor and product: " + urn.text());
  }
  return std::string(urn.vendor()) + "." + std::string(urn.name()) + "." + std::string(urn.product());
}

}  // namespace hearth::spec

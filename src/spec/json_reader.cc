#include "json_reader.h"

#include <algorithm>
#include <limits>

#include "text_util.h"

namespace hearth::spec::detail {
namespace json = boost::json;

std::string_view jsonKindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a bool";
    case json::kind::int64:
    case json::kind::uint64: return "an integer";
    case json::kind::double_: return "a fraction";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "something else";
}

namespace {

constexpr std::array<std::string_view, 3> kAccessNames = {"read", "write", "notify"};
constexpr std::array<uint8_t, 3> kAccessBits = {Access::kRead, Access::kWrite, Access::kNotify};

}  // namespace

void appendPointerToken(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

void appendPointerIndex(std::string& pointer, size_t index) {
  pointer += '/';
  pointer += std::to_string(index);
}

JsonReader::Scope::Scope(JsonReader& reader, std::string_view member)
    : reader_(reader), length_(reader.pointer_.size()) {
  appendPointerToken(reader_.pointer_, member);
}

JsonReader::Scope::Scope(JsonReader& reader, size_t index)
    : reader_(reader), length_(reader.pointer_.size()) {
  appendPointerIndex(reader_.pointer_, index);
}

bool JsonReader::fail(std::string reason) {
  if (!error_) error_ = ParseError{pointer_, std::move(reason)};
  return false;
}

bool JsonReader::typeError(std::string_view expected, const json::value& got) {
  std::string reason = "expected ";
  reason += expected;
  reason += ", got ";
  reason += jsonKindName(got);
  return fail(std::move(reason));
}

const json::object* JsonReader::asObject(const json::value& value) {
  const json::object* o = value.if_object();
  if (o == nullptr) typeError("an object", value);
  return o;
}

const json::array* JsonReader::asArray(const json::value& value) {
  const json::array* a = value.if_array();
  if (a == nullptr) typeError("an array", value);
  return a;
}

bool JsonReader::readString(const json::value& value, std::string& out) {
  const json::string* s = value.if_string();
  if (s == nullptr) return typeError("a string", value);
  out.assign(s->data(), s->size());
  return true;
}

bool JsonReader::readUint32(const json::value& value, uint32_t& out) {
  constexpr uint32_t kMax = std::numeric_limits<uint32_t>::max();
  if (const int64_t* i = value.if_int64()) {
    if (*i < 0 || *i > static_cast<int64_t>(kMax)) {
      return fail("expected an integer in 0..4294967295, got " + std::to_string(*i));
    }
    out = static_cast<uint32_t>(*i);
    return true;
  }
  if (const uint64_t* u = value.if_uint64()) {
    if (*u > kMax) return fail("expected an integer in 0..4294967295, got " + std::to_string(*u));
    out = static_cast<uint32_t>(*u);
    return true;
  }
  return typeError("an integer in 0..4294967295", value);
}

bool JsonReader::readNumber(const json::value& value, Number& out) {
  if (const int64_t* i = value.if_int64()) {
    out = Number::ofInt(*i);
  } else if (const uint64_t* u = value.if_uint64()) {
    // Text parsing yields uint64 only above int64's range; a built value may hold small ones.
    out = *u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
              ? Number::ofInt(static_cast<int64_t>(*u))
              : Number::ofUint(*u);
  } else if (const double* d = value.if_double()) {
    out = Number::ofDouble(*d);
  } else {
    return typeError("a number", value);
  }
  return true;
}

bool JsonReader::readUrn(const json::value& value, Urn& out) {
  std::string text;
  if (!readString(value, text)) return false;
  auto urn = Urn::parse(text);
  if (!urn) return fail(urn.error().message());
  out = std::move(urn).value();
  return true;
}

bool JsonReader::readDescription(const json::value& value, Description& out) {
  out = Description{};
  if (value.is_string()) return readString(value, out.text);
  const json::object* map = value.if_object();
  if (map == nullptr) return typeError("a string or a map of locale to string", value);
  for (const auto& entry : *map) {
    Scope scope(*this, entry.key());
    std::string text;
    if (!readString(entry.value(), text)) return false;
    out.locales.emplace_back(std::string(entry.key()), std::move(text));
  }
  return true;
}

bool JsonReader::readAccess(const json::value& value, Access& out) {
  uint8_t bits = 0;
  bool ok = eachElement(value, [&](const json::value& element) {
    std::string name;
    if (!readString(element, name)) return false;
    auto it = std::find(kAccessNames.begin(), kAccessNames.end(), name);
    if (it == kAccessNames.end()) return fail("unknown access " + inQuotes(name));
    const uint8_t bit = kAccessBits[static_cast<size_t>(it - kAccessNames.begin())];
    if ((bits & bit) != 0) return fail("duplicate access " + inQuotes(name));
    bits |= bit;
    return true;
  });
  out = Access(bits);
  return ok;
}

bool JsonReader::readValueRange(const json::value& value, ValueRange& out) {
  const json::array* a = asArray(value);
  if (a == nullptr) return false;
  if (a->size() != 3) {
    return fail("value-range must be [min, max, step], got " + std::to_string(a->size()) +
                " elements");
  }
  Number* parts[] = {&out.min, &out.max, &out.step};
  for (size_t i = 0; i < 3; ++i) {
    Scope scope(*this, i);
    if (!readNumber((*a)[i], *parts[i])) return false;
  }
  return true;
}

bool JsonReader::readValueList(const json::value& value, ValueList& out) {
  out.clear();
  return eachElement(value, [&](const json::value& element) {
    const json::object* o = asObject(element);
    if (o == nullptr) return false;
    for (const auto& m : *o) {
      if (m.key() != "value" && m.key() != "description") {
        return fail("unknown member " + inQuotes(m.key()) + " in a value-list entry");
      }
    }
    ValueListEntry entry;
    if (!member(*o, "value", true, [&](const json::value& v) { return readNumber(v, entry.value); }) ||
        !member(*o, "description", true,
                [&](const json::value& v) { return readDescription(v, entry.description); })) {
      return false;
    }
    out.push_back(std::move(entry));
    return true;
  });
}

bool JsonReader::readRepeat(const json::value& value, Repeat& out) {
  const json::array* a = asArray(value);
  if (a == nullptr) return false;
  if (a->size() != 2) {
    return fail("repeat must be [min, max], got " + std::to_string(a->size()) + " elements");
  }
  uint32_t* parts[] = {&out.min, &out.max};
  for (size_t i = 0; i < 2; ++i) {
    Scope scope(*this, i);
    if (!readUint32((*a)[i], *parts[i])) return false;
  }
  return true;
}

bool JsonReader::readArguments(const json::value& value, std::vector<Argument>& out) {
  out.clear();
  return eachElement(value, [&](const json::value& element) {
    Argument argument;
    if (element.is_int64() || element.is_uint64()) {
      if (!readUint32(element, argument.piid)) return false;
    } else {
      const json::object* o = element.if_object();
      if (o == nullptr) return typeError("a property iid or {\"piid\", \"repeat\"}", element);
      for (const auto& m : *o) {
        if (m.key() != "piid" && m.key() != "repeat") {
          return fail("unknown member " + inQuotes(m.key()) + " in an argument");
        }
      }
      if (!member(*o, "piid", true, [&](const json::value& v) { return readUint32(v, argument.piid); }) ||
          !member(*o, "repeat", false, [&](const json::value& v) {
            return readRepeat(v, argument.repeat.emplace());
          })) {
        return false;
      }
    }
    out.push_back(argument);
    return true;
  });
}

bool JsonReader::readPropertyFields(const json::object& o, Property& out) {
  return member(o, "type", true, [&](const json::value& v) { return readUrn(v, out.type); }) &&
         member(o, "description", true,
                [&](const json::value& v) { return readDescription(v, out.description); }) &&
         member(o, "format", true,
                [&](const json::value& v) {
                  std::string name;
                  if (!readString(v, name)) return false;
                  auto format = parseFormat(name);
                  if (!format) return fail("unknown format " + inQuotes(name));
                  out.format = *format;
                  return true;
                }) &&
         member(o, "access", true, [&](const json::value& v) { return readAccess(v, out.access); }) &&
         member(o, "unit", false,
                [&](const json::value& v) { return readString(v, out.unit.emplace().name); }) &&
         member(o, "value-range", false,
                [&](const json::value& v) { return readValueRange(v, out.value_range.emplace()); }) &&
         member(o, "value-list", false,
                [&](const json::value& v) { return readValueList(v, out.value_list.emplace()); });
}

void JsonReader::keepExtensions(const json::object& object, std::span<const std::string_view> known,
                                json::object& out) {
  for (const auto& m : object) {
    if (std::find(known.begin(), known.end(), m.key()) == known.end()) out[m.key()] = m.value();
  }
}

}  // namespace hearth::spec::detail

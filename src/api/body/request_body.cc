#include "hearth/api/request_body.h"

#include <fmt/format.h>

#include <algorithm>

#include "hearth/core/json.h"

namespace hearth::api {

namespace json = boost::json;

std::string_view Members::string(std::string_view name, std::string_view absent) const {
  const json::value* v = object_.if_contains(name);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : absent;
}

std::optional<int64_t> Members::integer(std::string_view name) const {
  const json::value* v = object_.if_contains(name);
  return v != nullptr && v->is_int64() ? std::optional<int64_t>(v->get_int64()) : std::nullopt;
}

std::optional<bool> Members::boolean(std::string_view name) const {
  const json::value* v = object_.if_contains(name);
  return v != nullptr && v->is_bool() ? std::optional<bool>(v->get_bool()) : std::nullopt;
}

core::Result<Members, std::string> readStringMembers(std::string_view body,
                                                     std::initializer_list<std::string_view> names) {
  auto parsed = core::parseJson(body);
  if (!parsed) return std::string("body: not JSON");
  const json::value doc = std::move(parsed).value();
  const json::object* object = doc.if_object();
  if (object == nullptr) return std::string("body: not an object");
  for (const auto& member : *object) {
    if (std::find(names.begin(), names.end(), std::string_view(member.key())) == names.end()) {
      return fmt::format("unknown member \"{}\"", std::string_view(member.key()));
    }
  }
  for (std::string_view name : names) {
    const json::value* v = object->if_contains(name);
    if (v == nullptr || !v->is_string()) return fmt::format("{}: missing, or not a string", name);
  }
  return Members(*object);
}

core::Result<Members, std::string> readMembers(std::string_view body, std::initializer_list<MemberSpec> specs) {
  auto parsed = core::parseJson(body);
  if (!parsed) return std::string("body: not JSON");
  json::value doc = std::move(parsed).value();
  json::object* object = doc.if_object();
  if (object == nullptr) return std::string("body: not an object");
  for (const auto& member : *object) {
    const auto known = std::find_if(specs.begin(), specs.end(),
                                    [&](const MemberSpec& s) { return s.name == std::string_view(member.key()); });
    if (known == specs.end()) return fmt::format("unknown member \"{}\"", std::string_view(member.key()));
    bool ok = false;
    std::string_view expected;
    switch (known->type) {
      case MemberSpec::Type::kString: ok = member.value().is_string(); expected = "a string"; break;
      case MemberSpec::Type::kInteger: ok = member.value().is_int64(); expected = "an integer"; break;
      case MemberSpec::Type::kBool: ok = member.value().is_bool(); expected = "true or false"; break;
    }
    if (!ok) return fmt::format("{}: not {}", known->name, expected);
  }
  for (const MemberSpec& s : specs) {
    if (s.required && !object->contains(s.name)) return fmt::format("{}: missing", s.name);
  }
  return Members(std::move(*object));
}

}  // namespace hearth::api

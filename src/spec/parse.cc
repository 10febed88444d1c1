// JSON → Instance. Structure only; see json.h for what is left to validate().
#include <new>

#include "hearth/core/json.h"
#include "hearth/spec/json.h"
#include "json_reader.h"

namespace hearth::spec {
namespace json = boost::json;
namespace {

using detail::JsonReader;

bool readProperty(JsonReader& r, const json::value& value, Property& out) {
  const json::object* o = r.asObject(value);
  if (o == nullptr) return false;
  if (!r.member(*o, "iid", true, [&](const json::value& v) { return r.readUint32(v, out.iid); }) ||
      !r.readPropertyFields(*o, out)) {
    return false;
  }
  JsonReader::keepExtensions(*o, detail::kPropertyMembers, out.extensions);
  return true;
}

bool readAction(JsonReader& r, const json::value& value, Action& out) {
  const json::object* o = r.asObject(value);
  if (o == nullptr) return false;
  if (!r.member(*o, "iid", true, [&](const json::value& v) { return r.readUint32(v, out.iid); }) ||
      !r.member(*o, "type", true, [&](const json::value& v) { return r.readUrn(v, out.type); }) ||
      !r.member(*o, "description", true,
                [&](const json::value& v) { return r.readDescription(v, out.description); }) ||
      !r.member(*o, "in", false, [&](const json::value& v) { return r.readArguments(v, out.in); }) ||
      !r.member(*o, "out", false, [&](const json::value& v) { return r.readArguments(v, out.out); })) {
    return false;
  }
  JsonReader::keepExtensions(*o, detail::kActionMembers, out.extensions);
  return true;
}

bool readEvent(JsonReader& r, const json::value& value, Event& out) {
  const json::object* o = r.asObject(value);
  if (o == nullptr) return false;
  if (!r.member(*o, "iid", true, [&](const json::value& v) { return r.readUint32(v, out.iid); }) ||
      !r.member(*o, "type", true, [&](const json::value& v) { return r.readUrn(v, out.type); }) ||
      !r.member(*o, "description", true,
                [&](const json::value& v) { return r.readDescription(v, out.description); }) ||
      !r.member(*o, "arguments", false,
                [&](const json::value& v) { return r.readArguments(v, out.arguments); })) {
    return false;
  }
  JsonReader::keepExtensions(*o, detail::kEventMembers, out.extensions);
  return true;
}

// Reads an optional array member element by element with `read`.
template <class T, class Read>
bool readList(JsonReader& r, const json::object& o, std::string_view key, std::vector<T>& out,
              Read read) {
  return r.member(o, key, false, [&](const json::value& v) {
    return r.eachElement(v, [&](const json::value& element) {
      return read(r, element, out.emplace_back());
    });
  });
}

bool readService(JsonReader& r, const json::value& value, Service& out) {
  const json::object* o = r.asObject(value);
  if (o == nullptr) return false;
  if (!r.member(*o, "iid", true, [&](const json::value& v) { return r.readUint32(v, out.iid); }) ||
      !r.member(*o, "type", true, [&](const json::value& v) { return r.readUrn(v, out.type); }) ||
      !r.member(*o, "description", true,
                [&](const json::value& v) { return r.readDescription(v, out.description); }) ||
      !readList(r, *o, "properties", out.properties, readProperty) ||
      !readList(r, *o, "actions", out.actions, readAction) ||
      !readList(r, *o, "events", out.events, readEvent)) {
    return false;
  }
  JsonReader::keepExtensions(*o, detail::kServiceMembers, out.extensions);
  return true;
}

}  // namespace

core::Result<Instance, ParseError> parseInstance(const json::value& value) {
  try {
    JsonReader r;
    Instance instance;
    const json::object* o = r.asObject(value);
    bool ok = o != nullptr &&
              r.member(*o, "type", true, [&](const json::value& v) { return r.readUrn(v, instance.type); }) &&
              r.member(*o, "description", true,
                       [&](const json::value& v) { return r.readDescription(v, instance.description); }) &&
              r.member(*o, "services", true, [&](const json::value& v) {
                return r.eachElement(v, [&](const json::value& element) {
                  return readService(r, element, instance.services.emplace_back());
                });
              });
    if (!ok) return r.takeError();
    JsonReader::keepExtensions(*o, detail::kInstanceMembers, instance.extensions);
    return instance;
  } catch (const std::bad_alloc&) {
    return ParseError{"", "out of memory while reading the instance"};
  }
}

core::Result<Instance, ParseError> parseInstance(std::string_view text) {
  auto json = core::parseJson(text);
  if (!json) return ParseError{"", json.error().message()};
  return parseInstance(json.value());
}

core::Result<Instance> loadInstanceFile(const std::filesystem::path& path) {
  auto text = detail::readTextFile(path);
  if (!text) return std::move(text).error();
  auto instance = parseInstance(text.value());
  if (!instance) return instance.error().toStatus();
  return std::move(instance).value();
}

}  // namespace hearth::spec

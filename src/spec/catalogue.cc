#include "hearth/spec/catalogue.h"

#include <algorithm>

#include "hearth/core/json.h"
#include "json_reader.h"
#include "text_util.h"

namespace hearth::spec {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace {

using detail::JsonReader;

bool readUrnList(JsonReader& r, const json::object& o, std::string_view key, std::vector<Urn>& out) {
  return r.member(o, key, false, [&](const json::value& v) {
    return r.eachElement(v, [&](const json::value& e) { return r.readUrn(e, out.emplace_back()); });
  });
}

bool readHeader(JsonReader& r, const json::object& o, Urn& type, Description& description) {
  return r.member(o, "type", true, [&](const json::value& v) { return r.readUrn(v, type); }) &&
         r.member(o, "description", true,
                  [&](const json::value& v) { return r.readDescription(v, description); });
}

bool readArgumentDefinitions(JsonReader& r, const json::object& o, std::string_view key,
                             std::vector<ArgumentDefinition>& out) {
  return r.member(o, key, false, [&](const json::value& v) {
    return r.eachElement(v, [&](const json::value& e) {
      const json::object* arg = r.asObject(e);
      if (arg == nullptr) return false;
      ArgumentDefinition& d = out.emplace_back();
      return r.member(*arg, "property", true, [&](const json::value& p) { return r.readUrn(p, d.property); }) &&
             r.member(*arg, "repeat", false,
                      [&](const json::value& p) { return r.readRepeat(p, d.repeat.emplace()); });
    });
  });
}

bool readDevice(JsonReader& r, const json::object& o, DeviceDefinition& d) {
  return readHeader(r, o, d.type, d.description) &&
         readUrnList(r, o, "required-services", d.required_services) &&
         readUrnList(r, o, "optional-services", d.optional_services);
}

bool readService(JsonReader& r, const json::object& o, ServiceDefinition& d) {
  return readHeader(r, o, d.type, d.description) &&
         readUrnList(r, o, "required-properties", d.required_properties) &&
         readUrnList(r, o, "optional-properties", d.optional_properties) &&
         readUrnList(r, o, "required-actions", d.required_actions) &&
         readUrnList(r, o, "optional-actions", d.optional_actions) &&
         readUrnList(r, o, "required-events", d.required_events) &&
         readUrnList(r, o, "optional-events", d.optional_events);
}

bool readAction(JsonReader& r, const json::object& o, ActionDefinition& d) {
  return readHeader(r, o, d.type, d.description) && readArgumentDefinitions(r, o, "in", d.in) &&
         readArgumentDefinitions(r, o, "out", d.out);
}

bool readEvent(JsonReader& r, const json::object& o, EventDefinition& d) {
  return readHeader(r, o, d.type, d.description) &&
         readArgumentDefinitions(r, o, "arguments", d.arguments);
}

bool readProperty(JsonReader& r, const json::object& o, Property& d) { return r.readPropertyFields(o, d); }

// Reads every *.json of dir/sub, in name order, with read(reader, object, definition).
template <class T, class Read>
core::Status loadFolder(const fs::path& dir, std::string_view sub, std::vector<T>& out, Read read) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir / sub, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json") files.push_back(it->path());
  }
  if (ec) return core::Status::ioError("cannot list " + (dir / sub).string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    auto text = detail::readTextFile(file);
    if (!text) return text.error();
    auto value = core::parseJson(text.value());
    if (!value) return core::Status::invalidArgument(file.string() + ": " + value.error().message());
    JsonReader r;
    const json::object* o = r.asObject(value.value());
    if (o == nullptr || !read(r, *o, out.emplace_back())) {
      return core::Status::invalidArgument(file.string() + ": " + r.takeError().toString());
    }
  }
  return core::Status::ok();
}

template <class T>
const T* findByType(const std::vector<T>& definitions, const Urn& type) {
  auto it = std::find_if(definitions.begin(), definitions.end(),
                         [&](const T& d) { return d.type.sameDefinition(type); });
  return it == definitions.end() ? nullptr : &*it;
}

bool inMiotLibrary(const Urn& type) {
  return type.namespaceClass() == UrnNamespaceClass::kMiot ||
         type.namespaceClass() == UrnNamespaceClass::kXiot;
}

// "device-information (urn:xiot-spec:service:device-information:00007801)"
std::string describe(const Urn& type) { return std::string(type.name()) + " (" + type.text() + ")"; }

template <class T>
void requireAll(const std::vector<Urn>& required, const std::vector<T>& present, std::string_view what,
                const std::string& pointer, std::string_view owner, std::vector<Finding>& out) {
  for (const Urn& r : required) {
    const bool found = std::any_of(present.begin(), present.end(),
                                   [&](const T& item) { return item.type.sameDefinition(r); });
    if (!found) {
      out.push_back({Severity::kError, pointer,
                     "missing required " + std::string(what) + " " + describe(r) + std::string(owner)});
    }
  }
}

}  // namespace

core::Result<Catalogue> Catalogue::load(const fs::path& dir) {
  Catalogue c;
  HEARTH_RETURN_IF_ERROR(loadFolder(dir, "devices", c.devices_, readDevice));
  HEARTH_RETURN_IF_ERROR(loadFolder(dir, "services", c.services_, readService));
  HEARTH_RETURN_IF_ERROR(loadFolder(dir, "properties", c.properties_, readProperty));
  HEARTH_RETURN_IF_ERROR(loadFolder(dir, "actions", c.actions_, readAction));
  HEARTH_RETURN_IF_ERROR(loadFolder(dir, "events", c.events_, readEvent));
  return c;
}

const DeviceDefinition* Catalogue::findDevice(const Urn& type) const { return findByType(devices_, type); }

const ServiceDefinition* Catalogue::findService(const Urn& type) const {
  return findByType(services_, type);
}

const Property* Catalogue::findProperty(const Urn& type) const { return findByType(properties_, type); }

std::vector<Finding> Catalogue::check(const Instance& instance) const {
  std::vector<Finding> out;
  if (!inMiotLibrary(instance.type)) return out;
  if (const DeviceDefinition* device = findDevice(instance.type)) {
    requireAll(device->required_services, instance.services, "service", "/services", "", out);
  } else {
    out.push_back({Severity::kWarning, "/type",
                   "device type " + detail::inQuotes(instance.type.name()) +
                       " is not in the standard catalogue"});
  }
  for (size_t s = 0; s < instance.services.size(); ++s) {
    const Service& service = instance.services[s];
    const std::string pointer = "/services/" + std::to_string(s);
    const ServiceDefinition* definition = findService(service.type);
    if (definition != nullptr) {
      const std::string owner = " of service " + std::string(service.type.name());
      requireAll(definition->required_properties, service.properties, "property",
                 pointer + "/properties", owner, out);
      requireAll(definition->required_actions, service.actions, "action", pointer + "/actions", owner, out);
      requireAll(definition->required_events, service.events, "event", pointer + "/events", owner, out);
    }
    for (size_t p = 0; p < service.properties.size(); ++p) {
      const Property& property = service.properties[p];
      const Property* standard = findProperty(property.type);
      if (standard == nullptr || standard->format == property.format) continue;
      out.push_back({Severity::kWarning, pointer + "/properties/" + std::to_string(p) + "/format",
                     "format " + std::string(formatName(property.format)) + " differs from " +
                         std::string(formatName(standard->format)) + " of the standard property " +
                         std::string(property.type.name())});
    }
  }
  return out;
}

}  // namespace hearth::spec

// The standard library of MIoT-Spec definitions (spec-v2 §2): device types with required and
// optional services, services with required and optional properties/actions/events, and the
// standard properties, actions and events themselves. Loaded from a directory laid out like
// xiot/definition: devices/, services/, properties/, actions/, events/, one JSON file each.
//
// check() holds an instance to its device type (docs/spec.md, "Standard catalogue"):
//   error    a required service of the device type is missing
//   error    a required property, action or event of a standard service is missing
//   warning  a standard property's format differs from the definition (spec-v2 §3.2.5 allows
//            the change but advises against it: generic controls and automations expect it)
//   warning  the device type is not in the catalogue
// Definitions match by kind, name and id; miot-spec-v2 and xiot-spec share one library, so
// either namespace matches the other. Vendor and foreign namespaces are not checked.
//
// Ownership and thread-safety: a Catalogue is an immutable value after loading; const methods
// are safe from any number of threads. Errors are returned, never thrown.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "hearth/core/status.h"
#include "hearth/spec/finding.h"
#include "hearth/spec/model.h"

namespace hearth::spec {

struct DeviceDefinition {
  Urn type;
  Description description;
  std::vector<Urn> required_services;
  std::vector<Urn> optional_services;
};

struct ServiceDefinition {
  Urn type;
  Description description;
  std::vector<Urn> required_properties;
  std::vector<Urn> optional_properties;
  std::vector<Urn> required_actions;
  std::vector<Urn> optional_actions;
  std::vector<Urn> required_events;
  std::vector<Urn> optional_events;
};

// An argument of a standard action or event: a standard property by type.
struct ArgumentDefinition {
  Urn property;
  std::optional<Repeat> repeat;
};

struct ActionDefinition {
  Urn type;
  Description description;
  std::vector<ArgumentDefinition> in;
  std::vector<ArgumentDefinition> out;
};

struct EventDefinition {
  Urn type;
  Description description;
  std::vector<ArgumentDefinition> arguments;
};

class Catalogue {
 public:
  // Loads every *.json under dir/{devices,services,properties,actions,events}. A file that does
  // not parse fails the whole load: kInvalidArgument naming the file and the JSON pointer;
  // kIoError when a folder or file cannot be read.
  static core::Result<Catalogue> load(const std::filesystem::path& dir);

  const std::vector<DeviceDefinition>& devices() const { return devices_; }
  const std::vector<ServiceDefinition>& services() const { return services_; }
  // Standard properties as Property values; their iid is 0 (definitions have none).
  const std::vector<Property>& properties() const { return properties_; }
  const std::vector<ActionDefinition>& actions() const { return actions_; }
  const std::vector<EventDefinition>& events() const { return events_; }

  // nullptr when the catalogue has no definition for `type` (see sameDefinition).
  const DeviceDefinition* findDevice(const Urn& type) const;
  const ServiceDefinition* findService(const Urn& type) const;
  const Property* findProperty(const Urn& type) const;

  // Findings with pointers into the instance's JSON form, in document order.
  std::vector<Finding> check(const Instance& instance) const;

 private:
  std::vector<DeviceDefinition> devices_;
  std::vector<ServiceDefinition> services_;
  std::vector<Property> properties_;
  std::vector<ActionDefinition> actions_;
  std::vector<EventDefinition> events_;
};

}  // namespace hearth::spec

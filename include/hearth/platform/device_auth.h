// MQTT authentication and authorization of devices, in front of whatever admits everyone else
// (FileAuth: the password file's users, and anonymous clients if auth.allow_anonymous).
//
// A CONNECT whose client id is a registered did is a device's: its user name must be the did and
// its password the device secret (platform::DeviceRegistry), or it is refused with Bad User Name
// or Password; it is never handed to the other authenticator, so nobody can connect as a device
// without its secret. Any other client goes to `others`.
//
// An admitted device's principal (AuthDecision::username, which the broker hands back to the
// Authorizer) is "device:<did>", in the "type:name" style of Kafka's principals. A device may
// publish only to `device/<did>/up` and subscribe only to `device/<did>/down` (docs/protocol.md);
// the broker refuses anything else with Not Authorized and counts it. Principals of `others` must
// not use that prefix: such a login is refused, so no user can pass for a device. Nor may they
// publish under `device/`: only a device (to its own up topic) and the platform itself do. Every
// topic the platform publishes is under `device/` (reports, state, commands): a client without
// verified credentials (an empty principal: anonymous, or a user name no password file verified)
// may neither subscribe to a filter under it nor read a message there, whatever `others` says; a
// wider filter such as "#" is granted and what it matches under `device/` withheld at delivery.
// What else they may do is for `others` to decide.
//
// Ownership: borrows everything it is given, which must outlive it. Thread-safety: any thread;
// called from every event loop. authenticate() reads the registry on the calling loop: one SQLite
// point lookup by primary key, a few microseconds once the page is cached.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "hearth/mqtt/auth.h"
#include "hearth/platform/device_registry.h"

namespace hearth::platform {

class DeviceAuth final : public mqtt::Authenticator, public mqtt::Authorizer {
 public:
  static constexpr std::string_view kPrincipalPrefix = "device:";
  // The first level of every topic of the platform's (docs/protocol.md).
  static constexpr std::string_view kPlatformPrefix = "device/";

  DeviceAuth(DeviceRegistry& devices, mqtt::Authenticator& others, mqtt::Authorizer& others_authorizer)
      : devices_(devices), others_(others), others_authorizer_(others_authorizer) {}

  void authenticate(const mqtt::ConnectCredentials& credentials,
                    std::function<void(mqtt::AuthDecision)> done) override;
  bool allowed(const mqtt::ClientIdentity& client, mqtt::AccessKind kind, std::string_view topic) override;

  // The did of a device principal ("device:<did>"); nullopt for any other client.
  static std::optional<std::string_view> deviceOf(const mqtt::ClientIdentity& client);

  // The topics of one device.
  static std::string upTopic(std::string_view did);
  static std::string downTopic(std::string_view did);

 private:
  DeviceRegistry& devices_;
  mqtt::Authenticator& others_;
  mqtt::Authorizer& others_authorizer_;
};

}  // namespace hearth::platform

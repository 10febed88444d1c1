// MQTT for people's apps, as Xiaomi's cloud push: an app connects with its access token as the
// password ("hat_…"; any client id and user name) and subscribes to the announcements of the
// devices its user may see (docs/protocol.md): `device/<did>/state`, and filters under
// `device/<did>/up/` such as `device/<did>/up/properties_changed/+/+` or `device/<did>/up/+/#`.
// The did must be written out (no wildcard in its place) and the device visible to the user
// (home/access.h, asked at SUBSCRIBE); `device/<did>/up` itself (the device's raw messages) and a
// `#` right after `up/` (which would match it) are refused, and an app publishes nothing.
//
// An app's principal is "app:<user id>". A CONNECT whose password is not an access token goes to
// `others`, whose principals must not use that prefix (such a login is refused).
//
// Ownership: borrows everything, which must outlive it. Thread-safety: any thread; called from
// every event loop. Both calls read the registry on the calling loop (point lookups by key).
// Access is decided when the app subscribes; what an app already subscribed keeps arriving until
// it disconnects (not yet re-checked while connected).
#pragma once

#include <optional>
#include <string_view>

#include "hearth/home/accounts.h"
#include "hearth/home/devices.h"
#include "hearth/mqtt/auth.h"

namespace hearth::api {

class AppMqttAuth final : public mqtt::Authenticator, public mqtt::Authorizer {
 public:
  static constexpr std::string_view kPrincipalPrefix = "app:";

  AppMqttAuth(home::Accounts& accounts, home::Devices& devices, mqtt::Authenticator& others,
              mqtt::Authorizer& others_authorizer)
      : accounts_(accounts), devices_(devices), others_(others), others_authorizer_(others_authorizer) {}

  void authenticate(const mqtt::ConnectCredentials& credentials,
                    std::function<void(mqtt::AuthDecision)> done) override;
  bool allowed(const mqtt::ClientIdentity& client, mqtt::AccessKind kind, std::string_view topic) override;

  // The did of a filter an app may ask for ("device/<did>/state" or under "device/<did>/up/"),
  // nullopt for any other filter.
  static std::optional<std::string_view> deviceOfAppFilter(std::string_view filter);

 private:
  home::Accounts& accounts_;
  home::Devices& devices_;
  mqtt::Authenticator& others_;
  mqtt::Authorizer& others_authorizer_;
};

}  // namespace hearth::api

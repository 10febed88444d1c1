// MQTT for people's apps, as Xiaomi's cloud push: an app connects with its access token as the
// password ("hat_…"; any client id and user name) and subscribes to the announcements of the
// devices its user may see (docs/protocol.md): `device/<did>/state`, and filters under
// `device/<did>/up/` such as `device/<did>/up/properties_changed/+/+` or `device/<did>/up/+/#`.
// The did must be written out (no wildcard in its place) and the device visible to the user
// (home/access.h); `device/<did>/up` itself (the device's raw messages) and a `#` right after
// `up/` (which would match it) are refused, and an app publishes nothing.
//
// Access is asked at SUBSCRIBE and again for each topic delivered (AccessKind::kRead, which the
// broker caches and decides again when home announces an access change for the user, see
// apps/hearthd, or after mqtt's read_access_ttl): once the app's session ends (logout, a password
// change, its refresh token expiring) or the device leaves what its user may see (a share ends,
// the user leaves the home, the device is unbound), what it subscribed delivers nothing more.
// The session outlives the access token, which the app refreshes: a connection is not ended when
// the token it connected with expires.
//
// An app's principal is "app:<user id>:<session id>"; the broker's accessChanged(principalOf(id))
// reaches every session of the user. A CONNECT whose password is not an access token goes to
// `others`, whose principals must not use the "app:" prefix (such a login is refused).
//
// Ownership: borrows everything, which must outlive it. Thread-safety: any thread; called from
// every event loop (and, at delivery, from whatever thread publishes). Both calls read the
// registry on the calling thread (point lookups by key).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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

  // "app:<user id>": the principal prefix of every session of the user.
  static std::string principalOf(int64_t user_id);

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

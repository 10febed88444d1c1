#include "hearth/api/app_mqtt_auth.h"

#include <charconv>
#include <string>

namespace hearth::api {

using mqtt::AuthDecision;
using mqtt::ReasonCode;

namespace {

constexpr std::string_view kAccessTokenPrefix = "hat_";

}  // namespace

void AppMqttAuth::authenticate(const mqtt::ConnectCredentials& credentials, std::function<void(AuthDecision)> done) {
  const std::string_view password = credentials.password.value_or("");
  if (!password.starts_with(kAccessTokenPrefix)) {
    others_.authenticate(credentials, [done = std::move(done)](AuthDecision decision) {
      if (decision.reason == ReasonCode::kSuccess && decision.username.starts_with(kPrincipalPrefix)) {
        decision = AuthDecision{ReasonCode::kNotAuthorized, "user names starting with \"app:\" are reserved", {}};
      }
      done(std::move(decision));
    });
    return;
  }
  auto session = accounts_.authenticateSession(password);
  if (session) {
    return done(AuthDecision{ReasonCode::kSuccess, {}, principalOf(session.value().user_id) + ":" + session.value().id});
  }
  if (session.error().code() == core::StatusCode::kUnauthenticated) {
    return done(AuthDecision{ReasonCode::kBadUserNameOrPassword, "access token not valid", {}});
  }
  done(AuthDecision{ReasonCode::kServerUnavailable, "accounts unavailable", {}});
}

std::optional<std::string_view> AppMqttAuth::deviceOfAppFilter(std::string_view filter) {
  constexpr std::string_view kDevice = "device/";
  if (!filter.starts_with(kDevice)) return std::nullopt;
  filter.remove_prefix(kDevice.size());
  const size_t slash = filter.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  const std::string_view did = filter.substr(0, slash);
  if (did.find_first_of("+#") != std::string_view::npos) return std::nullopt;
  const std::string_view rest = filter.substr(slash + 1);
  if (rest == "state") return did;
  constexpr std::string_view kUp = "up/";
  if (!rest.starts_with(kUp) || rest.size() == kUp.size() || rest.substr(kUp.size()).starts_with("#")) {
    return std::nullopt;
  }
  return did;
}

std::string AppMqttAuth::principalOf(int64_t user_id) { return std::string(kPrincipalPrefix) + std::to_string(user_id); }

bool AppMqttAuth::allowed(const mqtt::ClientIdentity& client, mqtt::AccessKind kind, std::string_view topic) {
  if (!client.username.starts_with(kPrincipalPrefix)) return others_authorizer_.allowed(client, kind, topic);
  if (kind == mqtt::AccessKind::kPublish) return false;
  // A filter at SUBSCRIBE, a topic name at delivery: both name the device.
  const auto did = deviceOfAppFilter(topic);
  if (!did) return false;
  // "app:<user id>:<session id>", as authenticate() made it.
  const std::string_view rest = client.username.substr(kPrincipalPrefix.size());
  const size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return false;
  int64_t user_id = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + colon, user_id);
  if (ec != std::errc() || end != rest.data() + colon) return false;
  if (!accounts_.sessionLive(user_id, rest.substr(colon + 1)).isOk()) return false;
  return devices_.authorize(user_id, *did, home::HomeAction::kView).isOk();
}

}  // namespace hearth::api

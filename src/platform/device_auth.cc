#include "hearth/platform/device_auth.h"

#include <string>

#include "hearth/mqtt/topic.h"

namespace hearth::platform {

using mqtt::AuthDecision;
using mqtt::ReasonCode;

std::optional<std::string_view> DeviceAuth::deviceOf(const mqtt::ClientIdentity& client) {
  if (!client.username.starts_with(kPrincipalPrefix)) return std::nullopt;
  return client.username.substr(kPrincipalPrefix.size());
}

std::string DeviceAuth::upTopic(std::string_view did) { return "device/" + std::string(did) + "/up"; }
std::string DeviceAuth::downTopic(std::string_view did) { return "device/" + std::string(did) + "/down"; }

void DeviceAuth::authenticate(const mqtt::ConnectCredentials& credentials, std::function<void(AuthDecision)> done) {
  const std::string_view did = credentials.client_id;
  core::Status status = devices_.verify(did, credentials.password.value_or(""));
  if (status.code() == core::StatusCode::kNotFound) {
    others_.authenticate(credentials, [done = std::move(done)](AuthDecision decision) {
      if (decision.reason == ReasonCode::kSuccess && decision.username.starts_with(kPrincipalPrefix)) {
        decision = AuthDecision{ReasonCode::kNotAuthorized, "user names starting with \"device:\" are reserved", {}};
      }
      done(std::move(decision));
    });
    return;
  }
  if (status.isOk() && credentials.username == did) {
    done(AuthDecision{ReasonCode::kSuccess, {}, std::string(kPrincipalPrefix) + std::string(did)});
    return;
  }
  if (status.isOk() || status.code() == core::StatusCode::kUnauthenticated) {
    // One answer for a wrong user name and a wrong secret: a prober learns nothing from it.
    done(AuthDecision{ReasonCode::kBadUserNameOrPassword, "bad device credentials", {}});
    return;
  }
  done(AuthDecision{ReasonCode::kServerUnavailable, "device registry unavailable", {}});
}

bool DeviceAuth::allowed(const mqtt::ClientIdentity& client, mqtt::AccessKind kind, std::string_view topic) {
  const auto did = deviceOf(client);
  if (!did) {
    std::string_view group;
    std::string_view filter = topic;
    if (kind == mqtt::AccessKind::kSubscribe) mqtt::parseSharedSubscription(topic, group, filter);
    if (filter.starts_with(kPlatformPrefix)) {
      // Nobody speaks for a device: what arrives under device/ comes from that device or from the
      // platform itself, whatever the other rules would allow.
      if (kind == mqtt::AccessKind::kPublish) return false;
      // And nobody unknown listens: a client without verified credentials reads none of it. A
      // wider filter ("#", "+/+/state") is granted, and what it matches under device/ withheld.
      if (client.username.empty()) return false;
    }
    return others_authorizer_.allowed(client, kind, topic);
  }
  const std::string own = kind == mqtt::AccessKind::kPublish ? upTopic(*did) : downTopic(*did);
  return topic == own;
}

}  // namespace hearth::platform

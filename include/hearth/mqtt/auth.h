// Authentication and authorization seams of the broker.
//
// The broker knows nothing about users or devices: it asks an Authenticator whether a CONNECT may
// proceed and an Authorizer whether a client may publish to or subscribe to a topic. Hearth ships
// a file-based implementation (users with argon2id hashes, ACL patterns); the platform plugs in
// device credentials through the same interfaces.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "hearth/mqtt/reason_code.h"

namespace hearth::mqtt {

// What a client presented on CONNECT. Views are valid only during the call.
struct ConnectCredentials {
  std::string_view client_id;
  std::optional<std::string_view> username;
  std::optional<std::string_view> password;
  std::string_view remote_address;  // "127.0.0.1:53422"
  bool tls = false;
  // The verified TLS client certificate's subject CN (its whole RFC 2253 subject if it has no CN);
  // empty without a client certificate. Lets device authenticators key on the certificate.
  std::string_view tls_client_subject;
};

struct AuthDecision {
  ReasonCode reason = ReasonCode::kSuccess;  // kSuccess, kBadUserNameOrPassword, kNotAuthorized...
  std::string reason_string;                 // shown to MQTT 5.0 clients on failure
  std::string username;                      // the identity the Authorizer will see
};

// Thread-safety: called concurrently from every event loop. Ownership: the broker does not own
// the implementation, which must outlive it.
//
// `authenticate` may finish synchronously or later (password hashing is slow and must not block
// an event loop): it calls `done` exactly once, from any thread.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual void authenticate(const ConnectCredentials& credentials,
                            std::function<void(AuthDecision)> done) = 0;
};

// kPublish: a PUBLISH to a topic name. kSubscribe: a topic filter in SUBSCRIBE. kRead: receiving
// a message published to a topic name, asked when the message is delivered to a subscriber (the
// broker caches the answer per session and topic, see Broker::accessChanged). A subscription is
// granted for the filter as a whole; kRead decides per delivered topic, so a wildcard filter that
// overlaps forbidden topics can be granted and still never deliver them (as mosquitto does).
enum class AccessKind { kPublish, kSubscribe, kRead };

// Identity of an authenticated client, as the Authorizer sees it.
struct ClientIdentity {
  std::string_view client_id;
  std::string_view username;
};

// Thread-safety: called concurrently from every event loop, once per PUBLISH, per topic filter in
// SUBSCRIBE and per (session, topic) delivered until the broker's cached answer is invalidated, so
// it must be fast and must not block. Ownership as for Authenticator.
class Authorizer {
 public:
  virtual ~Authorizer() = default;
  virtual bool allowed(const ClientIdentity& client, AccessKind kind, std::string_view topic) = 0;
};

// Allows everything: the broker's default when no authentication is configured.
class AllowAll final : public Authenticator, public Authorizer {
 public:
  void authenticate(const ConnectCredentials& credentials,
                    std::function<void(AuthDecision)> done) override {
    done(AuthDecision{ReasonCode::kSuccess, {}, std::string(credentials.username.value_or(""))});
  }
  bool allowed(const ClientIdentity&, AccessKind, std::string_view) override { return true; }
};

}  // namespace hearth::mqtt

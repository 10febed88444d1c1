// A published application message, shared by every subscriber it is delivered to.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "hearth/core/clock.h"
#include "hearth/mqtt/packet.h"

namespace hearth::mqtt {

// Immutable once routed: many sessions on many loops hold it at once.
struct Message {
  std::string topic;
  std::string payload;
  QoS qos = QoS::k0;
  bool retain = false;
  // The properties forwarded to subscribers unchanged (payload format, content type, response
  // topic, correlation data, user properties). Expiry is kept as a deadline instead, because the
  // interval sent on must be what is left of it.
  Properties properties;
  std::optional<core::Clock::TimePoint> expires_at;
  std::string publisher;  // client id, for the No Local option

  bool expired(core::Clock::TimePoint now) const { return expires_at && now >= *expires_at; }

  // The stored form (Persistence::encodeMessage), made once however many persistent sessions
  // the message is queued for.
  mutable std::once_flag stored_once;
  mutable std::string stored;
};

using MessagePtr = std::shared_ptr<const Message>;

// The memory a message holds, approximately: what queue limits in bytes count.
size_t messageBytes(const Message& m);

// Builds the shared message from a PUBLISH whose topic alias is already resolved.
MessagePtr makeMessage(Publish&& publish, std::string publisher, core::Clock::TimePoint now);

}  // namespace hearth::mqtt

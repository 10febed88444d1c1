// Lets what sits on top of the broker take part in accepting a client's PUBLISH: the platform
// sees a device's report before it is routed, and the report's acknowledgement waits until the
// platform has stored what it carries (MQTT's PUBACK then means "durably accepted").
#pragma once

#include <functional>

#include "hearth/mqtt/auth.h"
#include "hearth/mqtt/packet.h"

namespace hearth::mqtt {

// Thread-safety: called from every event loop, on the loop of the publishing client's
// connection; must not block. Ownership: the broker does not own it; it must outlive the broker.
class PublishInterceptor {
 public:
  virtual ~PublishInterceptor() = default;

  // Whether onPublish wants this client's messages. Asked for every authorized PUBLISH, so it
  // must be cheap (a prefix test of the principal, say).
  virtual bool claims(const ClientIdentity& client) const = 0;

  // A claimed client's PUBLISH, authorized and about to be routed. `release` must be called
  // exactly once, from any thread, when the PUBACK/PUBREC may go (at once is fine); acknowledgements
  // still leave in PUBLISH order. release(false) says the platform could not take the message
  // (its store failed): an MQTT 5.0 client gets reason code 0x80 (Unspecified error), an MQTT
  // 3.1.1 client, which has no way to hear a refusal, is disconnected without the acknowledgement
  // so that it sends the message again. For QoS 0 there is nothing to hold, and calling it is
  // harmless. If the connection is gone by then, nothing is sent and the client will send the
  // message again, as MQTT intends.
  using Release = std::function<void(bool taken)>;
  virtual void onPublish(const ClientIdentity& client, const Publish& publish, Release release) = 0;
};

}  // namespace hearth::mqtt

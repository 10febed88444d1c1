// Lifecycle events of admitted clients, for what sits on top of the broker (device online and
// offline state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/mqtt/auth.h"

namespace hearth::mqtt {

// Why an admitted client's connection ended.
enum class ClientEnd : uint8_t {
  kDisconnected,      // the client sent DISCONNECT
  kConnectionLost,    // the network connection closed or failed without a DISCONNECT
  kKeepAliveTimeout,  // nothing received for 1.5 keep-alive periods
  kTakenOver,         // a new connection with the same client id replaced this one
  kProtocolError,     // the server closed it for a malformed or forbidden packet
  kServerShutdown,
};

std::string_view clientEndName(ClientEnd end);  // "disconnected", "connection-lost", ...

// Thread-safety: called from every event loop, on the loop of the client's connection, so
// calls for one connection are ordered; calls for one client id across a takeover are not (the
// new connection's onClientConnected may come before the old one's kTakenOver end). Must not
// block. Ownership: the broker does not own the observer, which must outlive it.
class ClientObserver {
 public:
  virtual ~ClientObserver() = default;
  // A CONNECT was accepted; its CONNACK is on its way.
  virtual void onClientConnected(const ClientIdentity& client) = 0;
  // A subscription of the client is in place: one it just made with SUBSCRIBE (called after
  // the subscription is in the index, before its SUBACK), or one of the session it resumed at
  // CONNECT (called after onClientConnected). A message published from another thread after
  // this call reaches it.
  virtual void onClientSubscribed(const ClientIdentity& client, std::string_view filter) = 0;
  // The connection of an accepted client ended; any will it had is being published.
  virtual void onClientDisconnected(const ClientIdentity& client, ClientEnd end) = 0;
};

}  // namespace hearth::mqtt

#include "hearth/mqtt/observer.h"

namespace hearth::mqtt {

std::string_view clientEndName(ClientEnd end) {
  switch (end) {
    case ClientEnd::kDisconnected: return "disconnected";
    case ClientEnd::kConnectionLost: return "connection-lost";
    case ClientEnd::kKeepAliveTimeout: return "keep-alive-timeout";
    case ClientEnd::kTakenOver: return "taken-over";
    case ClientEnd::kProtocolError: return "protocol-error";
    case ClientEnd::kServerShutdown: return "server-shutdown";
  }
  return "unknown";
}

}  // namespace hearth::mqtt

// The TLS transport of a Connection (MQTT over TLS 1.2+, port 8883).
//
// Ownership: like TcpConnection, kept alive by the shared_ptrs its pending handlers hold; the loop
// keeps only a raw pointer while it is open. Thread-safety: everything runs on the connection's
// loop. Errors: nothing throws; a failed handshake, read or write ends in onTransportClosed().
//
// Timeouts: the connection is opened (registered for the loop's tick) before the handshake, and it
// stays in "awaiting CONNECT" until one arrives, so the connect timeout also ends a handshake that
// stalls. Closing (drain output, close_notify, wait for the peer's) is bounded by kCloseTimeout.
//
// Memory: unlike TCP, TLS cannot wait for readiness and then read into the loop's shared scratch
// buffer: records already decrypted inside the TLS layer never wake a readiness wait, and Asio may
// decrypt into the caller's buffer before the completion handler runs. So each connection keeps a
// small read buffer of its own (kReadBufferSize) for its lifetime.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "hearth/core/status.h"
#include "mqtt/connection.h"

namespace hearth::mqtt {

struct BrokerOptions;

// Builds the server context from mqtt.tls_cert / tls_key / tls_ca: TLS 1.2 or later, client
// certificates requested (and verified) when a CA is configured, required when
// tls_require_client_cert is set. Errors name the file and the reason (for Broker::start()).
core::Result<std::shared_ptr<boost::asio::ssl::context>> makeTlsContext(const BrokerOptions& options);

class TlsConnection final : public Connection {
 public:
  // `context` must outlive the constructor only (the TLS session holds its own reference).
  TlsConnection(BrokerCore& core, EventLoop& loop, boost::asio::ip::tcp::socket socket,
                boost::asio::ssl::context& context, std::string remote_address);

 protected:
  void transportFlush() override;
  void transportClose() override;
  void transportRead() override;

 private:
  static constexpr size_t kReadBufferSize = 4096;
  static constexpr std::chrono::seconds kCloseTimeout{2};

  void startHandshake();
  // Writes out_ whether or not a close was requested (transportFlush() refuses once closing).
  void startWrite();
  void startShutdown();
  void finishClose();

  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_;
  std::unique_ptr<char[]> read_buffer_;  // allocated once the handshake succeeds
  std::string writing_;
  std::unique_ptr<boost::asio::steady_timer> close_timer_;  // only while closing
  bool handshake_started_ = false;
  bool handshake_done_ = false;
  bool read_pending_ = false;
  bool write_pending_ = false;
  bool close_requested_ = false;
  bool closed_ = false;
};

}  // namespace hearth::mqtt

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
// Memory: an IoT broker holds very many idle TLS connections, so OpenSSL is driven directly on the
// non-blocking socket instead of through asio::ssl::stream, whose four ~17 KiB buffers live as
// long as the connection. OpenSSL reads and writes the socket itself (a small BIO that adds
// MSG_NOSIGNAL), SSL_MODE_RELEASE_BUFFERS frees its record buffers whenever they are empty, and
// decrypted input goes straight into the loop's shared scratch buffer. An idle connection holds
// the SSL object and its session, a few KiB. Records OpenSSL already holds never make the socket
// readable, so reading resumes by trying to read (posted) rather than by waiting for readiness.
//
// Handlers never run inside the Connection's calls into the transport (which may hold the session
// lock): SSL_write is attempted at once, but its completion (onWriteDone, or a close on failure)
// is posted, as it is for an asio async_write.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <openssl/ssl.h>

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
  // `context` must outlive the constructor only (the SSL object holds its own reference).
  TlsConnection(BrokerCore& core, EventLoop& loop, boost::asio::ip::tcp::socket socket,
                boost::asio::ssl::context& context);

 protected:
  void transportFlush() override;
  void transportClose() override;
  void transportRead() override;
  std::string remoteAddress() override { return peerAddress(socket_.native_handle()); }
  bool secure() const override { return true; }
  std::string tlsClientSubject() const override;

 private:
  using Step = void (TlsConnection::*)();
  enum class WriteResult { kWritten, kBlocked, kFailed };

  static constexpr std::chrono::seconds kCloseTimeout{2};
  // Scratch-buffer fills per wake-up, so one busy client cannot starve the rest of the loop.
  static constexpr int kReadRounds = 4;

  // If `ssl_error` is WANT_READ/WANT_WRITE, runs `step` again once the socket is ready (closing
  // on a socket error) and returns true; false for any other error.
  bool retryOn(int ssl_error, Step step);
  // Runs `step` from the loop, outside whatever called the transport.
  void post(Step step);

  void handshakeStep();
  void readStep();
  void readAvailable();
  // Writes the pending output whether or not a close was requested (transportFlush() refuses once closing).
  void startWrite();
  void writeStep();
  // SSL_write of writing() from written_ on; on kBlocked a wait that resumes it is armed.
  WriteResult writeSome();
  void writeDone();
  void startShutdown();
  void shutdownStep();
  void finishClose();

  struct SslFree {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
  };

  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<SSL, SslFree> ssl_;
  // SSL_write must be retried with the same bytes, so writing() stays untouched until all of it
  // is written; written_ counts what is.
  size_t written_ = 0;
  std::unique_ptr<boost::asio::steady_timer> close_timer_;  // only while closing
  bool handshake_started_ = false;
  bool handshake_done_ = false;
  bool read_pending_ = false;
  bool shutdown_started_ = false;
  bool close_notify_sent_ = false;
  bool closed_ = false;
};

}  // namespace hearth::mqtt

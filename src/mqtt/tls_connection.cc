#include "mqtt/tls_connection.h"

#include <boost/asio/write.hpp>
#include <fmt/format.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "hearth/mqtt/broker.h"
#include "mqtt/event_loop.h"

namespace hearth::mqtt {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

core::Result<std::shared_ptr<ssl::context>> makeTlsContext(const BrokerOptions& options) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  boost::system::error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                       ec);
  if (ec || SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return core::Status::internal("mqtt-tls: cannot restrict the context to TLS 1.2 or later");
  }
  // OpenSSL frees its record buffers while a connection is idle, which most MQTT connections are.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  context->use_certificate_chain_file(options.tls_cert, ec);
  if (ec) {
    return core::Status::invalidArgument(
        fmt::format("mqtt-tls: cannot load certificate chain '{}' (mqtt.tls_cert): {}", options.tls_cert,
                    ec.message()));
  }
  context->use_private_key_file(options.tls_key, ssl::context::pem, ec);
  if (ec) {
    return core::Status::invalidArgument(
        fmt::format("mqtt-tls: cannot load private key '{}' (mqtt.tls_key): {}", options.tls_key, ec.message()));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return core::Status::invalidArgument(fmt::format("mqtt-tls: private key '{}' does not match certificate '{}'",
                                                     options.tls_key, options.tls_cert));
  }
  if (options.tls_ca.empty()) {
    if (options.tls_require_client_cert) {
      return core::Status::invalidArgument("mqtt-tls: mqtt.tls_require_client_cert needs mqtt.tls_ca");
    }
    return context;
  }
  context->load_verify_file(options.tls_ca, ec);
  if (ec) {
    return core::Status::invalidArgument(
        fmt::format("mqtt-tls: cannot load CA file '{}' (mqtt.tls_ca): {}", options.tls_ca, ec.message()));
  }
  // Tells clients which CAs are accepted, so one holding several certificates picks the right one.
  if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.tls_ca.c_str())) {
    SSL_CTX_set_client_CA_list(native, names);
  }
  // Session resumption fails with verification on unless the context names its sessions.
  static constexpr unsigned char kSessionContext[] = "hearth-mqtt";
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof(kSessionContext) - 1);
  ssl::verify_mode mode = ssl::verify_peer;
  if (options.tls_require_client_cert) mode |= ssl::verify_fail_if_no_peer_cert;
  context->set_verify_mode(mode, ec);
  if (ec) return core::Status::internal(fmt::format("mqtt-tls: cannot set verify mode: {}", ec.message()));
  return context;
}

TlsConnection::TlsConnection(BrokerCore& core, EventLoop& loop, asio::ip::tcp::socket socket,
                             ssl::context& context, std::string remote_address)
    : Connection(core, loop, std::move(remote_address), true), stream_(std::move(socket), context) {
  boost::system::error_code ec;
  stream_.next_layer().set_option(asio::ip::tcp::no_delay(true), ec);
}

void TlsConnection::transportRead() {
  if (read_pending_ || close_requested_ || closed_) return;
  if (!handshake_done_) {
    startHandshake();
    return;
  }
  read_pending_ = true;
  stream_.async_read_some(asio::buffer(read_buffer_.get(), kReadBufferSize),
                          [self = shared_from_this(), this](const boost::system::error_code& ec, size_t n) {
                            read_pending_ = false;
                            // Also the peer's close_notify answering ours while closing.
                            if (ec) {
                              finishClose();
                              return;
                            }
                            if (close_requested_ || closed_) return;
                            onBytes(std::string_view(read_buffer_.get(), n));
                            if (wantsInput()) transportRead();
                          });
}

void TlsConnection::startHandshake() {
  if (handshake_started_) return;
  handshake_started_ = true;
  auto on_handshake = [self = shared_from_this(), this](const boost::system::error_code& ec) {
    if (closed_) return;
    if (ec) {
      boost::system::error_code ignored;
      auto endpoint = stream_.next_layer().remote_endpoint(ignored);
      spdlog::info("mqtt: TLS handshake failed remote={}:{}: {}", endpoint.address().to_string(), endpoint.port(),
                   ec.message());
      finishClose();
      return;
    }
    handshake_done_ = true;
    read_buffer_ = std::make_unique_for_overwrite<char[]>(kReadBufferSize);
    transportRead();
  };
  stream_.async_handshake(ssl::stream_base::server, std::move(on_handshake));
}

void TlsConnection::transportFlush() {
  // Once closing, only the write in progress continues: its handler sends the rest of out_.
  if (close_requested_ || !handshake_done_) return;
  startWrite();
}

void TlsConnection::startWrite() {
  if (write_pending_ || out_.empty() || closed_) return;
  write_pending_ = true;
  writing_.swap(out_);
  asio::async_write(stream_, asio::buffer(writing_),
                    [self = shared_from_this(), this](const boost::system::error_code& ec, size_t) {
                      write_pending_ = false;
                      if (ec) {
                        finishClose();
                        return;
                      }
                      writing_.clear();
                      if (!close_requested_) onWriteDone();
                      if (!out_.empty()) {
                        startWrite();
                        return;
                      }
                      // Nothing more to send: an idle connection keeps no write buffer.
                      std::string().swap(writing_);
                      std::string().swap(out_);
                      if (close_requested_) startShutdown();
                    });
}

void TlsConnection::transportClose() {
  if (close_requested_ || closed_) return;
  close_requested_ = true;
  // Before the handshake there is no TLS session to shut down (and a stalled peer to drop).
  if (!handshake_done_) {
    finishClose();
    return;
  }
  close_timer_ = std::make_unique<asio::steady_timer>(stream_.get_executor(), kCloseTimeout);
  close_timer_->async_wait([self = shared_from_this(), this](const boost::system::error_code& ec) {
    if (!ec) finishClose();
  });
  if (!write_pending_) startShutdown();
}

void TlsConnection::startShutdown() {
  if (closed_) return;
  // Sends close_notify and waits for the peer's; a peer that never answers meets close_timer_.
  stream_.async_shutdown([self = shared_from_this(), this](const boost::system::error_code&) { finishClose(); });
}

void TlsConnection::finishClose() {
  if (closed_) return;
  closed_ = true;
  if (close_timer_) close_timer_->cancel();
  boost::system::error_code ec;
  stream_.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  stream_.next_layer().close(ec);
  onTransportClosed();
}

}  // namespace hearth::mqtt

#include "mqtt/tls_connection.h"

#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>

#include "hearth/core/tls_context.h"
#include "hearth/mqtt/broker.h"
#include "mqtt/event_loop.h"

namespace hearth::mqtt {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

namespace {

// A socket BIO of our own rather than SSL_set_fd: OpenSSL's socket BIO writes with write(2),
// which raises SIGPIPE once the peer has reset the connection, and hearthd does not ignore it.
// The BIO's data is the descriptor; finishClose() sets it to -1 so that OpenSSL can never reach
// a descriptor number that a later accept reused.
int bioFd(BIO* bio) { return static_cast<int>(reinterpret_cast<intptr_t>(BIO_get_data(bio))); }

bool retryable(ssize_t n) { return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR); }

int bioWrite(BIO* bio, const char* data, int size) {
  BIO_clear_retry_flags(bio);
  const ssize_t n = ::send(bioFd(bio), data, static_cast<size_t>(size), MSG_NOSIGNAL);
  if (retryable(n)) BIO_set_retry_write(bio);
  return static_cast<int>(n);
}

int bioRead(BIO* bio, char* data, int size) {
  BIO_clear_retry_flags(bio);
  const ssize_t n = ::recv(bioFd(bio), data, static_cast<size_t>(size), 0);
  if (retryable(n)) BIO_set_retry_read(bio);
  return static_cast<int>(n);
}

long bioCtrl(BIO*, int command, long, void*) { return command == BIO_CTRL_FLUSH ? 1 : 0; }

BIO_METHOD* socketBioMethod() {
  // Created once and kept for the life of the process, like OpenSSL's own methods.
  static BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "hearth-socket");
    if (m != nullptr) {
      BIO_meth_set_write(m, bioWrite);
      BIO_meth_set_read(m, bioRead);
      BIO_meth_set_ctrl(m, bioCtrl);
    }
    return m;
  }();
  return method;
}

// The subject's first CN, or the whole subject (RFC 2253, UTF-8) when it has none.
std::string certificateSubject(X509* cert) {
  X509_NAME* name = X509_get_subject_name(cert);
  if (name == nullptr) return {};
  if (int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1); index >= 0) {
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
    if (n >= 0) {
      std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(n));
      OPENSSL_free(utf8);
      return out;
    }
  }
  std::string out;
  if (BIO* bio = BIO_new(BIO_s_mem())) {
    if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
      char* data = nullptr;
      long n = BIO_get_mem_data(bio, &data);
      if (n > 0) out.assign(data, static_cast<size_t>(n));
    }
    BIO_free(bio);
  }
  return out;
}

// Why an SSL call failed, for the log; empties this thread's error queue.
std::string tlsError() {
  unsigned long last = 0;
  while (unsigned long e = ERR_get_error()) last = e;
  char text[256] = "connection closed";
  if (last != 0) ERR_error_string_n(last, text, sizeof(text));
  return text;
}

}  // namespace

core::Result<std::shared_ptr<ssl::context>> makeTlsContext(const BrokerOptions& options) {
  return core::makeServerTlsContext(
      core::TlsServerFiles{options.tls_cert, options.tls_key, options.tls_ca, options.tls_require_client_cert},
      "mqtt-tls");
}

TlsConnection::TlsConnection(BrokerCore& core, EventLoop& loop, asio::ip::tcp::socket socket,
                             ssl::context& context)
    : Connection(core, loop), socket_(std::move(socket)) {
  boost::system::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  socket_.non_blocking(true, ec);
  // A failure here (out of memory) leaves ssl_ empty; the handshake then fails and closes.
  ssl_.reset(SSL_new(context.native_handle()));
  BIO* bio = socketBioMethod() != nullptr ? BIO_new(socketBioMethod()) : nullptr;
  if (!ssl_ || bio == nullptr) {
    BIO_free(bio);
    ssl_.reset();
    return;
  }
  BIO_set_data(bio, reinterpret_cast<void*>(static_cast<intptr_t>(socket_.native_handle())));
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl_.get(), bio, bio);
  // Partial writes: SSL_write returns per record, so a large write cannot stall on one call.
  // Auto retry: WANT_READ then always means the socket itself had nothing, which the reactor's
  // edge-triggered readiness wait relies on.
  SSL_set_mode(ssl_.get(), SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                               SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_AUTO_RETRY);
  SSL_set_accept_state(ssl_.get());
}

bool TlsConnection::retryOn(int ssl_error, Step step) {
  if (ssl_error != SSL_ERROR_WANT_READ && ssl_error != SSL_ERROR_WANT_WRITE) return false;
  const auto type = ssl_error == SSL_ERROR_WANT_WRITE ? asio::socket_base::wait_write : asio::socket_base::wait_read;
  socket_.async_wait(type, [self = shared_from_this(), this, step](const boost::system::error_code& ec) {
    if (closed_) return;
    if (ec) {
      finishClose();
      return;
    }
    (this->*step)();
  });
  return true;
}

void TlsConnection::post(Step step) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), this, step] {
    if (!closed_) (this->*step)();
  });
}

void TlsConnection::transportRead() {
  if (read_pending_ || close_requested_ || closed_) return;
  if (!handshake_done_) {
    if (handshake_started_) return;
    handshake_started_ = true;
    post(&TlsConnection::handshakeStep);  // the ClientHello may be here already
    return;
  }
  // Reading stopped (input paused, or CONNECT being authenticated) possibly with input still in
  // OpenSSL or the socket, neither of which would wake a readiness wait: try reading first.
  read_pending_ = true;
  post(&TlsConnection::readStep);
}

void TlsConnection::handshakeStep() {
  if (close_requested_) return;
  int result = -1;
  if (ssl_) {
    ERR_clear_error();
    result = SSL_accept(ssl_.get());
  }
  if (result != 1) {
    if (ssl_ && retryOn(SSL_get_error(ssl_.get(), result), &TlsConnection::handshakeStep)) return;
    spdlog::info("mqtt: TLS handshake failed remote={}: {}", remoteAddress(),
                 ssl_ ? tlsError() : "cannot allocate the TLS session");
    finishClose();
    return;
  }
  handshake_done_ = true;
  readAvailable();  // the CONNECT may have arrived with the handshake's last flight
}

std::string TlsConnection::tlsClientSubject() const {
  // The handshake succeeds with a client certificate only if it verified against mqtt.tls_ca.
  if (!handshake_done_) return {};
  X509* cert = SSL_get0_peer_certificate(ssl_.get());
  if (cert == nullptr || SSL_get_verify_result(ssl_.get()) != X509_V_OK) return {};
  return certificateSubject(cert);
}

void TlsConnection::readStep() {
  read_pending_ = false;
  readAvailable();
}

void TlsConnection::readAvailable() {
  std::string& scratch = loop_.scratch();
  for (int round = 0; round < kReadRounds; ++round) {
    if (close_requested_ || closed_ || !wantsInput()) return;  // transportRead() resumes
    // SSL_read returns at most one record (16 KiB); fill the scratch buffer before parsing.
    size_t n = 0;
    int error = SSL_ERROR_NONE;
    while (n < scratch.size()) {
      ERR_clear_error();
      const int got = SSL_read(ssl_.get(), scratch.data() + n, static_cast<int>(scratch.size() - n));
      if (got <= 0) {
        error = SSL_get_error(ssl_.get(), got);
        break;
      }
      n += static_cast<size_t>(got);
    }
    if (n > 0) onBytes(std::string_view(scratch.data(), n));
    if (closed_ || error == SSL_ERROR_NONE) continue;
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
      if (!close_requested_ && wantsInput()) read_pending_ = retryOn(error, &TlsConnection::readStep);
      return;  // otherwise transportRead() resumes
    }
    // The peer's close_notify, end of stream or a TLS error (after which OpenSSL forbids a
    // close_notify of ours): nothing more can arrive, so pending output is not waited for.
    if (error != SSL_ERROR_ZERO_RETURN) spdlog::debug("mqtt: TLS read ended: {}", tlsError());
    finishClose();
    return;
  }
  if (close_requested_ || closed_ || !wantsInput()) return;
  // More input than one turn's share: continue after the other connections on this loop.
  read_pending_ = true;
  post(&TlsConnection::readStep);
}

void TlsConnection::transportFlush() {
  // Once closing, only the write in progress continues: its completion sends the rest of the output.
  if (close_requested_ || !handshake_done_) return;
  startWrite();
}

void TlsConnection::startWrite() {
  if (closed_ || !beginWrite()) return;
  written_ = 0;
  // The caller may hold the session lock, so the completion (or the close) runs later.
  const WriteResult result = writeSome();
  if (result == WriteResult::kWritten) post(&TlsConnection::writeDone);
  if (result == WriteResult::kFailed) post(&TlsConnection::finishClose);
}

void TlsConnection::writeStep() {
  const WriteResult result = writeSome();
  if (result == WriteResult::kWritten) writeDone();
  if (result == WriteResult::kFailed) finishClose();
}

TlsConnection::WriteResult TlsConnection::writeSome() {
  const std::string& data = writing();
  while (written_ < data.size()) {
    const size_t size = std::min<size_t>(data.size() - written_, INT_MAX);
    ERR_clear_error();
    const int n = SSL_write(ssl_.get(), data.data() + written_, static_cast<int>(size));
    if (n > 0) {
      written_ += static_cast<size_t>(n);
      continue;
    }
    // Retried later with the same bytes from writing(), as OpenSSL requires.
    if (retryOn(SSL_get_error(ssl_.get(), n), &TlsConnection::writeStep)) return WriteResult::kBlocked;
    ERR_clear_error();
    return WriteResult::kFailed;
  }
  return WriteResult::kWritten;
}

void TlsConnection::writeDone() {
  written_ = 0;
  const AfterWrite next = writeCompleted();
  if (closed_) return;  // onWriteDone() may have closed the connection
  switch (next) {
    case AfterWrite::kWriteMore: startWrite(); break;
    case AfterWrite::kFinishClose: startShutdown(); break;
    case AfterWrite::kNothing: break;
  }
}

void TlsConnection::transportClose() {
  if (close_requested_ || closed_) return;
  close_requested_ = true;
  // Before the handshake there is no TLS session to shut down (and a stalled peer to drop).
  if (!handshake_done_) {
    finishClose();
    return;
  }
  close_timer_ = std::make_unique<asio::steady_timer>(socket_.get_executor(), kCloseTimeout);
  close_timer_->async_wait([self = shared_from_this(), this](const boost::system::error_code& ec) {
    if (!ec) finishClose();
  });
  if (!write_pending_) startShutdown();
}

void TlsConnection::startShutdown() {
  if (shutdown_started_ || closed_) return;
  shutdown_started_ = true;
  // Posted: shutdownStep() reads into the scratch buffer, which the caller may still be parsing.
  post(&TlsConnection::shutdownStep);
}

void TlsConnection::shutdownStep() {
  if (!close_notify_sent_) {
    ERR_clear_error();
    const int result = SSL_shutdown(ssl_.get());
    if (result < 0 && retryOn(SSL_get_error(ssl_.get(), result), &TlsConnection::shutdownStep)) return;
    ERR_clear_error();
    if (result != 0) {  // 1: the peer's close_notify came first
      finishClose();
      return;
    }
    close_notify_sent_ = true;
  }
  // Wait for the peer's close_notify, discarding whatever it still sends; close_timer_ bounds this.
  std::string& scratch = loop_.scratch();
  for (int round = 0; round < kReadRounds * 4; ++round) {
    ERR_clear_error();
    const int n = SSL_read(ssl_.get(), scratch.data(), static_cast<int>(scratch.size()));
    if (n > 0) continue;
    if (retryOn(SSL_get_error(ssl_.get(), n), &TlsConnection::shutdownStep)) return;
    ERR_clear_error();
    break;
  }
  finishClose();
}

void TlsConnection::finishClose() {
  if (closed_) return;
  closed_ = true;
  if (close_timer_) close_timer_->cancel();
  if (ssl_) BIO_set_data(SSL_get_rbio(ssl_.get()), reinterpret_cast<void*>(intptr_t{-1}));
  boost::system::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  onTransportClosed();
}

}  // namespace hearth::mqtt

#include "hearth/core/tls_context.h"

#include <fmt/format.h>
#include <openssl/ssl.h>

namespace hearth::core {

namespace ssl = boost::asio::ssl;

Result<std::shared_ptr<ssl::context>> makeServerTlsContext(const TlsServerFiles& files, std::string_view label) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  boost::system::error_code ec;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                       ec);
  if (ec || SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return Status::internal(fmt::format("{}: cannot restrict the context to TLS 1.2 or later", label));
  }
  // OpenSSL frees its record buffers while a connection is idle, which most connections are.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  // Renegotiation only costs a server: CPU for the peer to burn, and a read that needs to write.
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  context->use_certificate_chain_file(files.cert, ec);
  if (ec) {
    return Status::invalidArgument(
        fmt::format("{}: cannot load certificate chain '{}' (mqtt.tls_cert): {}", label, files.cert, ec.message()));
  }
  context->use_private_key_file(files.key, ssl::context::pem, ec);
  if (ec) {
    return Status::invalidArgument(
        fmt::format("{}: cannot load private key '{}' (mqtt.tls_key): {}", label, files.key, ec.message()));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return Status::invalidArgument(
        fmt::format("{}: private key '{}' does not match certificate '{}'", label, files.key, files.cert));
  }
  if (files.ca.empty()) {
    if (files.require_client_cert) {
      return Status::invalidArgument(fmt::format("{}: mqtt.tls_require_client_cert needs mqtt.tls_ca", label));
    }
    return context;
  }
  context->load_verify_file(files.ca, ec);
  if (ec) {
    return Status::invalidArgument(
        fmt::format("{}: cannot load CA file '{}' (mqtt.tls_ca): {}", label, files.ca, ec.message()));
  }
  // Tells clients which CAs are accepted, so one holding several certificates picks the right one.
  if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.ca.c_str())) {
    SSL_CTX_set_client_CA_list(native, names);
  }
  // Session resumption fails with verification on unless the context names its sessions.
  static constexpr unsigned char kSessionContext[] = "hearth";
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof(kSessionContext) - 1);
  ssl::verify_mode mode = ssl::verify_peer;
  if (files.require_client_cert) mode |= ssl::verify_fail_if_no_peer_cert;
  context->set_verify_mode(mode, ec);
  if (ec) return Status::internal(fmt::format("{}: cannot set verify mode: {}", label, ec.message()));
  return context;
}

}  // namespace hearth::core

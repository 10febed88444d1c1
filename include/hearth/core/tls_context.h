// The server side of TLS, one configuration for every listener: the MQTT listener and HTTPS
// take the same certificate and key (mqtt.tls_cert, mqtt.tls_key), TLS 1.2 or later, no
// renegotiation. Client certificates are the MQTT listener's business (devices); HTTPS asks for
// none.
//
// Start-up only. Errors: kInvalidArgument naming the file and the reason; never throws.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "hearth/core/status.h"

namespace hearth::core {

struct TlsServerFiles {
  std::string cert;                  // PEM certificate chain (mqtt.tls_cert)
  std::string key;                   // PEM private key (mqtt.tls_key)
  std::string ca;                    // PEM CAs whose client certificates are verified; "" asks for none
  bool require_client_cert = false;  // needs `ca`
};

// `label` starts the error messages ("mqtt-tls", "https").
Result<std::shared_ptr<boost::asio::ssl::context>> makeServerTlsContext(const TlsServerFiles& files,
                                                                       std::string_view label);

}  // namespace hearth::core

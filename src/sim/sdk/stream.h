// The byte stream under a DeviceClient: plain TCP or TLS over TCP, behind one small interface so
// the MQTT logic is written once.
//
// Shared by one DeviceClient connection attempt and the handlers of its operations in progress
// (which keep it alive), used on its io_context's thread. Handlers are
// called once per operation, with operation_aborted after close().
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace hearth::sim {

class Stream {
 public:
  using ConnectHandler = std::function<void(const boost::system::error_code&)>;
  using IoHandler = std::function<void(const boost::system::error_code&, size_t)>;

  virtual ~Stream() = default;
  // Connects to the first endpoint that answers (and completes the TLS handshake for TLS).
  virtual void connect(const boost::asio::ip::tcp::resolver::results_type& endpoints, ConnectHandler handler) = 0;
  virtual void readSome(char* data, size_t size, IoHandler handler) = 0;
  // Writes all of [data, data + size); the bytes must stay valid until the handler runs.
  virtual void write(const char* data, size_t size, IoHandler handler) = 0;
  virtual void close() = 0;
};

// `tls` null: plain TCP. `server_name`: for SNI and certificate host name verification.
std::shared_ptr<Stream> makeStream(boost::asio::io_context& io, const std::shared_ptr<boost::asio::ssl::context>& tls,
                                   const std::string& server_name);

}  // namespace hearth::sim

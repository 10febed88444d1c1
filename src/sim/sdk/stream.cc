#include "sim/sdk/stream.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>

#include <utility>

namespace hearth::sim {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

void tuneSocket(tcp::socket& socket) {
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
}

class TcpStream final : public Stream {
 public:
  explicit TcpStream(asio::io_context& io) : socket_(io) {}

  void connect(const tcp::resolver::results_type& endpoints, ConnectHandler handler) override {
    asio::async_connect(socket_, endpoints,
                        [this, handler = std::move(handler)](const boost::system::error_code& ec, const tcp::endpoint&) {
                          if (!ec) tuneSocket(socket_);
                          handler(ec);
                        });
  }
  void readSome(char* data, size_t size, IoHandler handler) override {
    socket_.async_read_some(asio::buffer(data, size), std::move(handler));
  }
  void write(const char* data, size_t size, IoHandler handler) override {
    asio::async_write(socket_, asio::buffer(data, size), std::move(handler));
  }
  void close() override {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  tcp::socket socket_;
};

class TlsStream final : public Stream {
 public:
  TlsStream(asio::io_context& io, asio::ssl::context& context, const std::string& server_name)
      : stream_(io, context) {
    // SNI, and the name the server's certificate must carry when the context verifies peers.
    ::SSL_set_tlsext_host_name(stream_.native_handle(), server_name.c_str());
    stream_.set_verify_callback(asio::ssl::host_name_verification(server_name));
  }

  void connect(const tcp::resolver::results_type& endpoints, ConnectHandler handler) override {
    asio::async_connect(stream_.lowest_layer(), endpoints,
                        [this, handler = std::move(handler)](const boost::system::error_code& ec, const tcp::endpoint&) {
                          if (ec) {
                            handler(ec);
                            return;
                          }
                          tuneSocket(stream_.next_layer());
                          stream_.async_handshake(asio::ssl::stream_base::client, std::move(handler));
                        });
  }
  void readSome(char* data, size_t size, IoHandler handler) override {
    stream_.async_read_some(asio::buffer(data, size), std::move(handler));
  }
  void write(const char* data, size_t size, IoHandler handler) override {
    asio::async_write(stream_, asio::buffer(data, size), std::move(handler));
  }
  void close() override {
    // No close_notify: the connection is being dropped (a DISCONNECT was sent first when polite).
    boost::system::error_code ignored;
    stream_.lowest_layer().close(ignored);
  }

 private:
  asio::ssl::stream<tcp::socket> stream_;
};

}  // namespace

std::shared_ptr<Stream> makeStream(asio::io_context& io, const std::shared_ptr<asio::ssl::context>& tls,
                                   const std::string& server_name) {
  if (tls) return std::make_shared<TlsStream>(io, *tls, server_name);
  return std::make_shared<TcpStream>(io);
}

}  // namespace hearth::sim

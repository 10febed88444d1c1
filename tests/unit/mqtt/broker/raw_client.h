// A blocking MQTT client for broker tests, speaking through the codec on a plain socket.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <optional>
#include <string>
#include <utility>

#include "hearth/mqtt/codec.h"

namespace hearth::mqtt {

// Sends CONNECT (client id "raw" unless told) on construction; read the CONNACK with next().
class RawClient {
 public:
  RawClient(uint16_t port, ProtocolVersion version, std::string client_id = "raw")
      : RawClient(port, defaultConnect(version, std::move(client_id))) {}
  // Sends `connect` instead (a user name, a will).
  RawClient(uint16_t port, const Connect& connect) : socket_(io_), version_(connect.version) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    send(connect);
  }
  // The socket, for tests that misbehave on purpose.
  boost::asio::ip::tcp::socket& socket() { return socket_; }

  void send(const Packet& packet) {
    std::string out;
    encode(packet, version_, out);
    boost::asio::write(socket_, boost::asio::buffer(out));
  }
  // The next packet, or nullopt when the server closed the connection.
  std::optional<Packet> next() {
    for (;;) {
      auto frame = peekFrame(buffer_, 1 << 20);
      if (frame && frame.value().status == FrameStatus::kComplete) {
        const size_t size = frame.value().frame.size();
        auto packet = decode(std::string_view(buffer_).substr(0, size), version_);
        buffer_.erase(0, size);
        if (!packet) return std::nullopt;
        return std::move(packet).value();
      }
      char chunk[4096];
      boost::system::error_code ec;
      const size_t n = socket_.read_some(boost::asio::buffer(chunk), ec);
      if (ec) return std::nullopt;
      buffer_.append(chunk, n);
    }
  }

 private:
  static Connect defaultConnect(ProtocolVersion version, std::string client_id) {
    Connect c;
    c.version = version;
    c.client_id = std::move(client_id);
    return c;
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  ProtocolVersion version_;
  std::string buffer_;
};

}  // namespace hearth::mqtt

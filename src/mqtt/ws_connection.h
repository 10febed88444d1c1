// The WebSocket transport of a Connection: MQTT over WebSocket (MQTT 5.0 section 6, RFC 6455).
//
// The HTTP upgrade is accepted only at kPath ("/mqtt"; any other path gets 404, a request that is
// not an upgrade 426, then the connection closes) and negotiates the subprotocol "mqtt" (or the
// older "mqttv3.1"). Data must arrive in binary messages; a text frame closes the connection with
// 1003. Frames are a byte stream to the Connection: a packet may span frames and a frame may carry
// several packets. Each write sends all pending output as one binary message.
//
// Ownership: like TcpConnection, kept alive by the shared_ptrs its pending handlers hold; the loop
// keeps only a raw pointer while it is open. Thread-safety: everything runs on the connection's
// loop. Errors: nothing throws; every failure ends in onTransportClosed().
//
// Timeouts: the connection is opened (and so ticked) before the upgrade request is read and stays
// in "awaiting CONNECT", so the connect timeout bounds a slow or missing upgrade request. Closing
// (drain output, close handshake, TCP teardown) is bounded by kCloseTimeout.
//
// Memory: Beast may copy frame data into the caller's buffer before the completion handler runs,
// so reads cannot share the loop's scratch buffer; each connection keeps kReadBufferSize of its own.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "mqtt/connection.h"

namespace hearth::mqtt {

class WsConnection final : public Connection {
 public:
  static constexpr std::string_view kPath = "/mqtt";

  WsConnection(BrokerCore& core, EventLoop& loop, boost::asio::ip::tcp::socket socket);
  ~WsConnection() override;

 protected:
  void transportFlush() override;
  void transportClose() override;
  void transportRead() override;
  std::string remoteAddress() override { return peerAddress(ws_.next_layer().native_handle()); }

 private:
  static constexpr size_t kReadBufferSize = 4096;
  static constexpr size_t kMaxUpgradeRequest = 8192;
  static constexpr std::chrono::seconds kCloseTimeout{2};

  struct Upgrade;  // the HTTP request being read; freed once the upgrade is done

  void readUpgradeRequest();
  void onUpgradeRequest(const boost::system::error_code& ec);
  // Answers the upgrade request with `status` and closes.
  void refuseUpgrade(unsigned status, std::string_view why);
  // Writes the pending output whether or not a close was requested (transportFlush() refuses once closing).
  void startWrite();
  void armCloseTimer();
  void startClose();
  void finishClose();

  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  std::unique_ptr<Upgrade> upgrade_;
  std::unique_ptr<char[]> read_buffer_;  // allocated once upgraded
  std::unique_ptr<boost::asio::steady_timer> close_timer_;  // only while closing
  boost::beast::websocket::close_code close_code_ = boost::beast::websocket::close_code::normal;
  bool upgrade_started_ = false;
  bool upgraded_ = false;
  bool read_pending_ = false;
  bool closed_ = false;
};

}  // namespace hearth::mqtt

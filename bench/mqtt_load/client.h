// A minimal non-blocking MQTT client connection for load generation, on one Worker's io_context.
//
// Reads wait for readiness and then read synchronously into the worker's shared buffer (so an
// idle connection holds no read buffer); writes go out with a non-blocking write and wait for
// writability only when the socket buffer is full. Packets are encoded and decoded by Hearth's
// codec. Callbacks run on the worker thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "hearth/mqtt/codec.h"
#include "hearth/mqtt/packet.h"

namespace hearth::bench {

class MqttClient;
class Worker;

class ClientHandler {
 public:
  virtual ~ClientHandler() = default;
  virtual void onConnAck(MqttClient& client, const mqtt::ConnAck& ack) = 0;
  virtual void onPacket(MqttClient& client, mqtt::Packet&& packet) = 0;
  // The connection ended without close() having been called: refused, reset, or closed by the
  // broker. `before_connack` says whether it had ever been accepted.
  virtual void onLost(MqttClient& client, std::string_view why, bool before_connack) = 0;
};

class MqttClient {
 public:
  MqttClient(Worker& worker, ClientHandler& handler, boost::asio::ip::tcp::endpoint broker,
             boost::asio::ip::address source, mqtt::Connect connect);
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  // Opens a new TCP connection and sends CONNECT. May be called again after close().
  void start(bool paced = false);
  // Appends a packet to the output; flush() writes it.
  void send(const mqtt::Packet& packet) { mqtt::encode(packet, version_, out_); }
  void flush();
  void close();
  // Sends DISCONNECT (best effort) and closes.
  void disconnect();

  bool connected() const { return state_ == State::kConnected; }
  Worker& worker() { return worker_; }
  mqtt::ProtocolVersion version() const { return version_; }
  uint16_t serverReceiveMaximum() const { return server_receive_maximum_; }
  int64_t startedAtNs() const { return started_at_ns_; }

 private:
  enum class State { kIdle, kConnecting, kAwaitConnAck, kConnected, kClosed };

  void onTcpConnected(const boost::system::error_code& ec);
  void waitReadable();
  void onReadable();
  // Returns the number of bytes of `data` consumed (whole packets only).
  size_t handleBytes(std::string_view data);
  void waitWritable();
  void lost(std::string_view why);
  void pacedDone();

  Worker& worker_;
  ClientHandler& handler_;
  const boost::asio::ip::tcp::endpoint broker_;
  const boost::asio::ip::address source_;
  const mqtt::Connect connect_;
  const mqtt::ProtocolVersion version_;
  boost::asio::ip::tcp::socket socket_;
  State state_ = State::kIdle;
  uint64_t generation_ = 0;  // handlers of an earlier connection see a different value
  bool waiting_write_ = false;
  bool paced_ = false;
  uint16_t server_receive_maximum_ = 65535;
  int64_t started_at_ns_ = 0;
  std::string in_;   // a partial packet left over from the last read
  std::string out_;  // encoded, not yet written
  size_t out_pos_ = 0;
};

}  // namespace hearth::bench

// What each simulated client does: publish under a window, subscribe and measure, sit idle, or
// connect over and over (a registered device reporting to the cloud: device_reporter.h). Each
// role owns its MqttClient and runs on that client's worker thread.
#pragma once

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "client.h"
#include "options.h"
#include "worker.h"

namespace hearth::bench {

// How far a subscriber has got through one publisher's sequence numbers. Publishers read these
// to bound the messages they have in flight end to end, so the broker's queues stay bounded.
struct alignas(64) FlowSlot {
  std::atomic<uint64_t> highest_seq{0};
};

// State every role reads. The times are steady-clock ns, INT64_MAX until the run starts.
struct RunContext {
  explicit RunContext(const LoadOptions& o) : opts(o) {}
  const LoadOptions& opts;
  mqtt::QoS qos = mqtt::QoS::k0;
  std::vector<FlowSlot> slots;
  std::atomic<int64_t> start_ns{INT64_MAX};
  std::atomic<int64_t> warm_end_ns{INT64_MAX};
  std::atomic<int64_t> stop_ns{INT64_MAX};
  std::atomic<uint32_t> settled{0};  // clients ready or failed during setup
  std::atomic<uint32_t> ready{0};
  // Set when flooding: a subscriber that got publisher p's message asks p's worker to refill the
  // windows now rather than at its next tick (a tick per window turn would cap the rate).
  std::function<void(uint32_t publisher)> kick;

  bool measured(int64_t t) const {
    return t >= warm_end_ns.load(std::memory_order_relaxed) && t < stop_ns.load(std::memory_order_relaxed);
  }
};

// Unexpected disconnects are counted; the first few are also explained on stderr, not all 15,000.
void logLost(std::string_view what, std::string_view why);

// Connection parameters shared by the role constructors.
struct ClientSpec {
  boost::asio::ip::tcp::endpoint broker;
  boost::asio::ip::address source;
  mqtt::Connect connect;
};

// A client that publishes under a window; the load run tops it up on its ticks (and the rate's
// token bucket) without knowing what it publishes.
class Sender : public ClientHandler {
 public:
  virtual MqttClient& client() = 0;
  // Sends up to `budget` messages the windows allow; returns how many it sent. Does not flush.
  virtual size_t pump(int64_t now, size_t budget) = 0;
};

class Publisher final : public Sender {
 public:
  // Reads flow slots [slot_begin, slot_end): one per subscriber that receives its messages.
  Publisher(RunContext& ctx, Worker& worker, ClientSpec spec, uint32_t index, std::string topic,
            size_t slot_begin, size_t slot_end);

  MqttClient& client() override { return client_; }
  size_t pump(int64_t now, size_t budget) override;

  void onConnAck(MqttClient& c, const mqtt::ConnAck& ack) override;
  void onPacket(MqttClient& c, mqtt::Packet&& packet) override;
  void onLost(MqttClient& c, std::string_view why, bool before_connack) override;

 private:
  RunContext& ctx_;
  Worker& worker_;
  MqttClient client_;
  const uint32_t index_;
  const size_t slot_begin_;
  const size_t slot_end_;
  mqtt::Packet packet_;  // the PUBLISH, reused: only the payload header and packet id change
  uint64_t next_seq_ = 1;
  uint64_t unacked_ = 0;      // QoS 1: PUBACKs outstanding
  uint32_t ack_window_ = 0;   // QoS 1: min(window, server Receive Maximum)
  uint64_t floor_ = 0;        // sequence numbers at or below this count as received
  uint64_t last_min_ = 0;
  int64_t last_progress_ns_ = 0;
  uint16_t packet_id_ = 0;
};

class Subscriber final : public ClientHandler {
 public:
  // A delivery from publisher p updates slot (own_slot >= 0 ? own_slot : p).
  Subscriber(RunContext& ctx, Worker& worker, ClientSpec spec, std::string filter, int64_t own_slot);

  MqttClient& client() { return client_; }
  void onConnAck(MqttClient& c, const mqtt::ConnAck& ack) override;
  void onPacket(MqttClient& c, mqtt::Packet&& packet) override;
  void onLost(MqttClient& c, std::string_view why, bool before_connack) override;

 private:
  void onPublish(const mqtt::Publish& p);

  RunContext& ctx_;
  Worker& worker_;
  MqttClient client_;
  const std::string filter_;
  const int64_t own_slot_;
  bool subscribed_ = false;
};

// Connects, then only answers keep-alive: the idle-memory scenario.
class IdleClient final : public ClientHandler {
 public:
  IdleClient(RunContext& ctx, Worker& worker, ClientSpec spec);

  MqttClient& client() { return client_; }
  void onConnAck(MqttClient& c, const mqtt::ConnAck& ack) override;
  void onPacket(MqttClient&, mqtt::Packet&&) override {}
  void onLost(MqttClient& c, std::string_view why, bool before_connack) override;

 private:
  RunContext& ctx_;
  Worker& worker_;
  MqttClient client_;
};

// Connect, CONNACK, DISCONNECT, again, until the run stops: the connect-rate scenario.
class Connector final : public ClientHandler {
 public:
  Connector(RunContext& ctx, Worker& worker, ClientSpec spec);

  MqttClient& client() { return client_; }
  void begin() { client_.start(); }
  void cancel() { timer_.cancel(); }
  void onConnAck(MqttClient& c, const mqtt::ConnAck& ack) override;
  void onPacket(MqttClient&, mqtt::Packet&&) override {}
  void onLost(MqttClient& c, std::string_view why, bool before_connack) override;

 private:
  void again();

  RunContext& ctx_;
  Worker& worker_;
  MqttClient client_;
  boost::asio::steady_timer timer_;
};

}  // namespace hearth::bench

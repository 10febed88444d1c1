// The device SDK: what a maker links into a device (or a simulator into each virtual device) to
// speak Hearth's device protocol (docs/protocol.md, "Device protocol") over MQTT.
//
//   boost::asio::io_context io;
//   hearth::sim::DeviceClient plug(io, {.host = "hearth.local", .did = did, .secret = secret});
//   plug.onSet(2, 1, [&](const boost::json::value& v) { relay.set(v.as_bool()); return 0; });
//   plug.onGet(2, 1, [&] { return hearth::sim::GetResult{0, relay.on()}; });
//   plug.start();
//   plug.reportProperty(2, 1, true);
//   io.run();
//
// What it does for the device:
//   - connects with the device's credentials over TCP or TLS (MQTT 3.1.1, client id = user name
//     = did, password = secret), subscribes to device/<did>/down and keeps the connection alive;
//   - reports properties and events on device/<did>/up at QoS 1; reports made while offline wait
//     in a bounded queue (oldest dropped first, counted) and go out, in order, once connected;
//   - answers get_properties, set_properties and action requests with the handlers registered per
//     (siid, piid) and (siid, aiid); a request for one with no handler is answered "not found"; a
//     request delivered again with an id it answered lately gets the same answer, and the
//     handlers are not called again (RecentReplies);
//   - reconnects after any loss with exponential backoff and jitter (reconnectDelay below), so a
//     fleet that lost its server does not come back as one thundering herd.
//
// It depends only on the protocol's headers (the MQTT codec and the device message codec), not on
// the server.
//
// Threading: a DeviceClient lives on one io_context and is not thread-safe. Call its methods on
// the thread that runs the io_context (post to it from elsewhere); handlers and callbacks run
// there too. Many clients may share one io_context (a fleet runs one per core).
// Ownership: the io_context must outlive the client; destroying the client stops it.
// Errors: nothing throws; network trouble shows in state(), the connection callback and stats().
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::sim {

struct ClientOptions {
  std::string host = "127.0.0.1";  // name or address of the MQTT gateway
  uint16_t port = 1883;
  std::string did;                 // from `hearth device add`
  std::string secret;
  // TLS when set (the caller's context, with its CA and verification mode); plain TCP when null.
  std::shared_ptr<boost::asio::ssl::context> tls;
  uint16_t keep_alive_s = 60;
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{60'000};
  size_t report_buffer = 1000;   // reports kept while offline
  uint16_t max_in_flight = 32;   // QoS 1 reports sent and not yet acknowledged
};

// Answers to the cloud's requests; `code` is a MIoT result code (0 = done; see
// docs/protocol.md, "Result codes").
struct GetResult {
  int32_t code = 0;
  boost::json::value value;
};
struct ActionResult {
  int32_t code = 0;
  boost::json::array out;
};
using GetHandler = std::function<GetResult()>;
using SetHandler = std::function<int32_t(const boost::json::value& value)>;
using ActionHandler = std::function<ActionResult(const boost::json::array& in)>;

struct PropertyValue {
  uint32_t siid = 0;
  uint32_t piid = 0;
  boost::json::value value;
};
struct EventArg {
  uint32_t piid = 0;
  boost::json::value value;
};

enum class ConnectionState { kStopped, kConnecting, kOnline, kWaiting };
std::string_view connectionStateName(ConnectionState state);

struct ClientStats {
  uint64_t connects = 0;          // CONNACKs accepted
  uint64_t connect_failures = 0;  // attempts that ended before being online
  uint64_t disconnects = 0;       // connections lost after being online
  uint64_t reports = 0;           // reports made by the device
  uint64_t reports_sent = 0;      // PUBLISHes written (a resend counts again)
  uint64_t reports_acked = 0;
  uint64_t reports_dropped = 0;   // dropped from a full buffer while offline
  uint64_t reports_rejected = 0;  // the cloud answered a report with an error
  uint64_t requests = 0;          // get/set/action requests answered
  uint64_t repeats = 0;           // requests delivered again (same id): answered as before, not acted on
  size_t reports_waiting = 0;     // in the buffer now, in flight included
};

// The delay before reconnect attempt `attempt` (0 for the first after a loss): the exponential
// step min(max, initial · 2^attempt), of which a random half is waited ("equal jitter"), so
// clients that lost the server at the same moment spread their returns and still back off.
std::chrono::milliseconds reconnectDelay(uint32_t attempt, std::chrono::milliseconds initial,
                                         std::chrono::milliseconds max, std::mt19937_64& rng);

class DeviceClient {
 public:
  DeviceClient(boost::asio::io_context& io, ClientOptions options);
  ~DeviceClient();
  DeviceClient(const DeviceClient&) = delete;
  DeviceClient& operator=(const DeviceClient&) = delete;

  // Handlers: register before start(); a later registration replaces an earlier one.
  void onGet(uint32_t siid, uint32_t piid, GetHandler handler);
  void onSet(uint32_t siid, uint32_t piid, SetHandler handler);
  void onAction(uint32_t siid, uint32_t aiid, ActionHandler handler);
  // Told of every change of state, with a reason for a loss ("connection refused", "CONNACK: Bad
  // User Name or Password", "closed by server", "keep-alive timeout").
  void onConnectionChange(std::function<void(ConnectionState, std::string_view reason)> callback);
  // Told of each report the gateway acknowledged, with the time from the report call to the
  // PUBACK (buffering while offline included): a fleet's reporting lag.
  void onReportAcknowledged(std::function<void(std::chrono::nanoseconds lag)> callback);

  // Starts connecting; reconnects until stop().
  void start();
  // Sends DISCONNECT when online, closes, and stops reconnecting. Reports still waiting stay
  // queued for a later start().
  void stop();

  // Reports (queued when offline). Values are not checked here: the cloud checks them against the
  // product's spec and answers a rejection, counted in reports_rejected.
  void reportProperty(uint32_t siid, uint32_t piid, boost::json::value value);
  void reportProperties(const std::vector<PropertyValue>& items);  // one message
  void reportEvent(uint32_t siid, uint32_t eiid, std::vector<EventArg> arguments = {});

  ConnectionState state() const;
  ClientStats stats() const;
  const std::string& did() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with the handlers of operations in progress
};

}  // namespace hearth::sim

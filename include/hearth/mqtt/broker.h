// The MQTT broker: listeners, event loops, sessions and routing, as one object hearthd embeds.
//
// Lifecycle: construct with options, start() (binds every listener, starts the loops), stop()
// (sends DISCONNECT "Server shutting down" to MQTT 5.0 clients, closes everything, joins the
// loops). start() and stop() are called from one thread; everything else is internal to the loops.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/clock.h"
#include "hearth/core/config.h"
#include "hearth/core/status.h"
#include "hearth/mqtt/auth.h"
#include "hearth/mqtt/interceptor.h"
#include "hearth/mqtt/observer.h"
#include "hearth/mqtt/packet.h"
#include "hearth/mqtt/state_store.h"

namespace hearth::mqtt {

struct BrokerOptions {
  size_t threads = 1;                  // event loops
  std::string bind_address = "0.0.0.0";
  int tcp_port = 1883;                 // 0 picks a free port; -1 disables the listener
  int tls_port = 8883;                 // MQTT over TLS; -1 disables; skipped without tls_cert/tls_key
  std::string tls_cert;                // PEM certificate chain of the server
  std::string tls_key;                 // PEM private key of tls_cert
  std::string tls_ca;                  // PEM CAs for client certificates; empty = none requested
  bool tls_require_client_cert = false;  // refuse TLS clients without a certificate (needs tls_ca)
  int ws_port = 8083;                  // MQTT over WebSocket at /mqtt; -1 disables
  uint32_t max_packet_size = 1 << 20;  // largest packet accepted from a client, bytes
  uint16_t receive_maximum = 100;      // QoS 1/2 publishes a client may have unacknowledged
  uint16_t max_inflight = 100;         // our window towards MQTT 3.1.1 clients
  uint16_t topic_alias_maximum = 64;   // topic aliases a client may use towards us
  uint16_t max_keep_alive = 0;         // 0 = accept any; else the server caps keep-alive
  uint32_t max_session_expiry = 0xFFFFFFFF;  // seconds; caps what clients ask for
  uint32_t v311_session_expiry = 0xFFFFFFFF;  // for 3.1.1 clients with clean session = 0
  // Per session, waiting to be sent; what would exceed either is dropped for that session only.
  size_t max_queued_messages = 1000;
  size_t max_queued_bytes = 16 << 20;
  bool retain_available = true;
  uint8_t maximum_qos = 2;
  std::chrono::seconds connect_timeout{10};
  // Persistent sessions and retained messages are kept in `state_dir` (RocksDB) unless it is
  // empty; `durability` says when a QoS 1/2 message stored for a subscriber is acknowledged.
  std::string state_dir;
  Durability durability = Durability::kCommit;
  const core::Clock* clock = &core::SystemClock::instance();
  Authenticator* authenticator = nullptr;  // not owned; null = allow every client
  Authorizer* authorizer = nullptr;        // not owned; null = allow every topic
  // Read access is decided per delivered topic and session and cached (see accessChanged):
  // a decision is made again after this long, and a session remembers this many topics.
  std::chrono::milliseconds read_access_ttl{10'000};
  size_t read_cache_capacity = 256;
  std::vector<ClientObserver*> observers;  // not owned; told in this order
  PublishInterceptor* interceptor = nullptr;  // not owned; null = the broker acknowledges alone
};

// The [mqtt] options of hearthd's configuration, and how they map onto BrokerOptions.
// `data_dir` is the server's data directory; broker state goes to `<data_dir>/mqtt`.
// Throws core::ConfigError for an invalid combination (start-up only).
std::vector<core::OptionSpec> brokerOptionSpecs();
BrokerOptions brokerOptionsFromConfig(const core::Config& config, const std::string& data_dir);

// A client that lost messages because its queue was full (Broker::droppedByClient).
struct ClientDrops {
  std::string client_id;
  uint64_t queue_full = 0;        // messages dropped for it since hearthd started
  int64_t last_drop_unix_ms = 0;  // when the last one was
};

struct ListenerInfo {
  std::string name;  // "mqtt-tcp", "mqtt-tls" or "mqtt-ws"
  std::string address;
  uint16_t port = 0;  // the bound port, also when 0 was asked for
};

class Broker {
 public:
  explicit Broker(BrokerOptions options);
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  core::Status start();
  void stop();

  std::vector<ListenerInfo> listeners() const;

  // Publishes a message of the server's own (the platform's notifications): routed and retained
  // like a client's, without authorization. Any thread, between start() and stop().
  void publish(Publish message);
  // The Authorizer's answers for `principal` may have changed (an app's session ended, a person
  // lost or gained a device): every session whose user name is `principal`, or begins with it
  // followed by ':' ("app:42" reaches "app:42:9f3c…"), decides read access again at its next
  // delivery, so a subscription whose access ended delivers nothing more. Cheap (one atomic
  // increment); any thread, at any time.
  void accessChanged(std::string_view principal);
  // The same for every session (the Authorizer's rules changed as a whole).
  void accessChangedForAll();
  // Counters and gauges in Prometheus text format, with the kMetricsClients clients that
  // dropped most as hearth_mqtt_client_dropped_total{client_id=…}.
  std::string metricsText() const;
  // The `limit` clients that lost most messages to a full queue, most first. Any thread.
  std::vector<ClientDrops> droppedByClient(size_t limit) const;
  static constexpr size_t kMetricsClients = 20;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::mqtt

#include "hearth/mqtt/broker.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <functional>
#include <future>
#include <thread>

#include "mqtt/broker_core.h"
#include "mqtt/listener.h"
#include "mqtt/tcp_connection.h"
#include "mqtt/tls_connection.h"
#include "mqtt/ws_connection.h"

namespace hearth::mqtt {

namespace asio = boost::asio;

std::vector<core::OptionSpec> brokerOptionSpecs() {
  using core::OptionKind;
  return {
      {"mqtt.bind", OptionKind::kString, "0.0.0.0", "Address the MQTT listeners bind to."},
      {"mqtt.tcp_port", OptionKind::kInt, "1883", "MQTT over TCP. 0 picks a free port; -1 disables.", -1, 65535},
      {"mqtt.tls_port", OptionKind::kInt, "8883",
       "MQTT over TLS 1.2+. 0 picks a free port; -1 disables. Not started (a log line says so) "
       "unless mqtt.tls_cert and mqtt.tls_key are set.",
       -1, 65535},
      {"mqtt.tls_cert", OptionKind::kString, "", "PEM file with the server certificate chain for the TLS listener."},
      {"mqtt.tls_key", OptionKind::kString, "", "PEM file with the private key of mqtt.tls_cert."},
      {"mqtt.tls_ca", OptionKind::kString, "",
       "PEM file of CAs for client certificates. When set, TLS clients are asked for a certificate, "
       "which must verify."},
      {"mqtt.tls_require_client_cert", OptionKind::kBool, "false",
       "Refuse TLS clients that present no certificate (needs mqtt.tls_ca)."},
      {"mqtt.ws_port", OptionKind::kInt, "8083",
       "MQTT over WebSocket (path /mqtt, subprotocol mqtt). 0 picks a free port; -1 disables.", -1, 65535},
      {"mqtt.max_packet_size", OptionKind::kInt, "1048576",
       "Largest packet accepted from a client, in bytes; larger ones end the connection with 0x95 Packet Too Large.",
       64, 268435455},
      {"mqtt.receive_maximum", OptionKind::kInt, "100",
       "QoS 1/2 messages an MQTT 5.0 client may have unacknowledged towards the broker.", 1, 65535},
      {"mqtt.max_inflight", OptionKind::kInt, "100",
       "QoS 1/2 messages the broker sends an MQTT 3.1.1 client before waiting for acknowledgements.", 1, 65535},
      {"mqtt.topic_alias_maximum", OptionKind::kInt, "64", "Topic aliases a client may use towards the broker; 0 disables.", 0, 65535},
      {"mqtt.max_keep_alive", OptionKind::kInt, "0",
       "Upper bound on keep-alive in seconds, announced as Server Keep Alive; 0 accepts what clients ask.", 0, 65535},
      {"mqtt.max_session_expiry", OptionKind::kInt, "4294967295",
       "Upper bound on the session expiry interval clients ask for, in seconds.", 0, 4294967295},
      {"mqtt.v311_session_expiry", OptionKind::kInt, "4294967295",
       "Expiry, in seconds, of sessions of MQTT 3.1.1 clients with clean session = 0 (they cannot ask).", 0, 4294967295},
      {"mqtt.max_queued_messages", OptionKind::kInt, "1000",
       "Messages queued per session. Beyond it the session's further messages are dropped for it alone "
       "(publishers are acknowledged as usual), counted in hearth_mqtt_dropped_total{reason=\"queue_full\"} "
       "and per client.",
       1, 10000000},
      {"mqtt.max_queued_bytes", OptionKind::kInt, "16777216",
       "Bytes of message queued per session, the same way: what would exceed it is dropped for that "
       "session only.",
       1024, 1099511627776},
      {"mqtt.retain_available", OptionKind::kBool, "true", "Whether retained messages are supported."},
      {"mqtt.maximum_qos", OptionKind::kInt, "2", "Highest QoS the broker accepts and grants.", 0, 2},
      {"mqtt.connect_timeout", OptionKind::kInt, "10", "Seconds a new connection has to send CONNECT.", 1, 3600},
      {"mqtt.durability", OptionKind::kString, "commit",
       "Persistence of sessions and retained messages: `none` (memory only), `async` (written in the "
       "background; a crash can lose the last few milliseconds), `commit` (QoS 1/2 acknowledged once in "
       "the write-ahead log: survives a crash of hearthd), `fsync` (acknowledged once on the device: "
       "survives power loss)."},
  };
}

BrokerOptions brokerOptionsFromConfig(const core::Config& c, const std::string& data_dir) {
  BrokerOptions o;
  const std::string& durability = c.getString("mqtt.durability");
  if (durability == "async") {
    o.durability = Durability::kAsync;
  } else if (durability == "commit") {
    o.durability = Durability::kCommit;
  } else if (durability == "fsync") {
    o.durability = Durability::kFsync;
  } else if (durability != "none") {
    throw core::ConfigError("mqtt.durability must be none, async, commit or fsync, not '" + durability + "'");
  }
  if (durability != "none") o.state_dir = data_dir + "/mqtt";
  o.bind_address = c.getString("mqtt.bind");
  o.tcp_port = static_cast<int>(c.getInt("mqtt.tcp_port"));
  o.tls_port = static_cast<int>(c.getInt("mqtt.tls_port"));
  o.tls_cert = c.getString("mqtt.tls_cert");
  o.tls_key = c.getString("mqtt.tls_key");
  o.tls_ca = c.getString("mqtt.tls_ca");
  o.tls_require_client_cert = c.getBool("mqtt.tls_require_client_cert");
  o.ws_port = static_cast<int>(c.getInt("mqtt.ws_port"));
  o.max_packet_size = static_cast<uint32_t>(c.getInt("mqtt.max_packet_size"));
  o.receive_maximum = static_cast<uint16_t>(c.getInt("mqtt.receive_maximum"));
  o.max_inflight = static_cast<uint16_t>(c.getInt("mqtt.max_inflight"));
  o.topic_alias_maximum = static_cast<uint16_t>(c.getInt("mqtt.topic_alias_maximum"));
  o.max_keep_alive = static_cast<uint16_t>(c.getInt("mqtt.max_keep_alive"));
  o.max_session_expiry = static_cast<uint32_t>(c.getInt("mqtt.max_session_expiry"));
  o.v311_session_expiry = static_cast<uint32_t>(c.getInt("mqtt.v311_session_expiry"));
  o.max_queued_messages = static_cast<size_t>(c.getInt("mqtt.max_queued_messages"));
  o.max_queued_bytes = static_cast<size_t>(c.getInt("mqtt.max_queued_bytes"));
  o.retain_available = c.getBool("mqtt.retain_available");
  o.maximum_qos = static_cast<uint8_t>(c.getInt("mqtt.maximum_qos"));
  o.connect_timeout = std::chrono::seconds(c.getInt("mqtt.connect_timeout"));
  return o;
}

struct Broker::Impl {
  explicit Impl(BrokerOptions options) : core(std::move(options)) {}

  void tick(EventLoop& loop) {
    const auto now = core.clock().now();
    std::vector<Connection*> connections(loop.connections().begin(), loop.connections().end());
    for (Connection* c : connections) {
      if (loop.connections().count(c) != 0) c->tick(now);
    }
    if (loop.index() == 0) {
      std::vector<PendingWill> due;
      core.sessions.sweep(now, due);
      core.publishWills(due);
    }
  }

  BrokerCore core;
  std::vector<std::unique_ptr<Listener>> listeners;
  bool running = false;
};

Broker::Broker(BrokerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  size_t threads = std::max<size_t>(1, impl_->core.options().threads);
  for (size_t i = 0; i < threads; ++i) {
    impl_->core.loops.push_back(std::make_unique<EventLoop>(i));
    EventLoop& loop = *impl_->core.loops.back();
    impl_->core.metrics.registerBlock(&loop.metrics());
    loop.setTick([impl = impl_.get(), &loop] { impl->tick(loop); });
  }
}

Broker::~Broker() { stop(); }

namespace {

// Makes a transport's connection from an accepted socket.
using MakeConnection = std::function<std::shared_ptr<Connection>(BrokerCore&, EventLoop&, asio::ip::tcp::socket)>;

// Binds a listener `name` on `port` (-1: none) whose accepted sockets become `make` connections.
core::Status addListener(BrokerCore& core, std::vector<std::unique_ptr<Listener>>& listeners, std::string name,
                         int port, MakeConnection make) {
  if (port < 0) return core::Status::ok();
  auto listener = std::make_unique<Listener>(
      core, std::move(name), [&core, make = std::move(make)](EventLoop& loop, asio::ip::tcp::socket socket) {
        make(core, loop, std::move(socket))->open();
      });
  HEARTH_RETURN_IF_ERROR(listener->listen(core.options().bind_address, static_cast<uint16_t>(port)));
  listeners.push_back(std::move(listener));
  return core::Status::ok();
}

// The MakeConnection of a transport that needs nothing beyond the socket.
template <class T>
std::shared_ptr<Connection> makeConnection(BrokerCore& core, EventLoop& loop, asio::ip::tcp::socket socket) {
  return std::make_shared<T>(core, loop, std::move(socket));
}

}  // namespace

core::Status Broker::start() {
  Impl& impl = *impl_;
  const BrokerOptions& opts = impl.core.options();
  // State first: restored sessions must be in place before any client can connect.
  HEARTH_RETURN_IF_ERROR(impl.core.openPersistence());
  auto& listeners = impl.listeners;
  HEARTH_RETURN_IF_ERROR(addListener(impl.core, listeners, "mqtt-tcp", opts.tcp_port, makeConnection<TcpConnection>));
  int tls_port = opts.tls_port;
  if (tls_port >= 0 && (opts.tls_cert.empty() || opts.tls_key.empty())) {
    spdlog::info("mqtt: TLS listener not started: set mqtt.tls_cert and mqtt.tls_key to enable it");
    tls_port = -1;
  }
  if (tls_port >= 0) {
    auto context = makeTlsContext(opts);
    if (!context) return context.error();
    // The listener's accept callback owns the context; each TLS session holds its own reference.
    HEARTH_RETURN_IF_ERROR(addListener(
        impl.core, listeners, "mqtt-tls", tls_port,
        [context = std::move(context).value()](BrokerCore& core, EventLoop& loop, asio::ip::tcp::socket s) {
          return std::make_shared<TlsConnection>(core, loop, std::move(s), *context);
        }));
  }
  HEARTH_RETURN_IF_ERROR(addListener(impl.core, listeners, "mqtt-ws", opts.ws_port, makeConnection<WsConnection>));
  for (auto& l : impl.listeners) {
    l->start();
    spdlog::info("mqtt: listening name={} address={} port={}", l->name(), l->address(), l->port());
  }
  for (auto& loop : impl.core.loops) loop->start();
  impl.running = true;
  return core::Status::ok();
}

void Broker::stop() {
  Impl& impl = *impl_;
  if (!impl.running) return;
  impl.running = false;
  std::vector<std::future<void>> done;
  for (auto& l : impl.listeners) {
    std::promise<void> p;
    done.push_back(p.get_future());
    asio::post(impl.core.loops.front()->io(), [&l, p = std::move(p)]() mutable {
      l->stop();
      p.set_value();
    });
  }
  for (auto& loop : impl.core.loops) {
    std::promise<void> p;
    done.push_back(p.get_future());
    asio::post(loop->io(), [&loop, p = std::move(p)]() mutable {
      std::vector<Connection*> connections(loop->connections().begin(), loop->connections().end());
      for (Connection* c : connections) {
        if (loop->connections().count(c) != 0) c->shutdown();
      }
      p.set_value();
    });
  }
  for (auto& f : done) f.wait();
  // Give the DISCONNECTs a moment to reach the clients.
  for (int i = 0; i < 50 && impl.core.open_connections.load() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& loop : impl.core.loops) loop->stop();
  impl.core.closePersistence();
}

void Broker::publish(Publish message) { impl_->core.publish(std::move(message), std::string()); }

void Broker::accessChanged(std::string_view principal) { impl_->core.read_access.accessChanged(principal); }

void Broker::accessChangedForAll() { impl_->core.read_access.accessChangedForAll(); }

std::vector<ListenerInfo> Broker::listeners() const {
  std::vector<ListenerInfo> out;
  for (const auto& l : impl_->listeners) out.push_back(ListenerInfo{l->name(), l->address(), l->port()});
  return out;
}

std::string Broker::metricsText() const {
  Metrics::Gauges g;
  g.connections = impl_->core.open_connections.load(std::memory_order_relaxed);
  g.sessions = impl_->core.sessions.size();
  g.subscriptions = impl_->core.index.size();
  g.retained = impl_->core.retained.size();
  return impl_->core.metrics.prometheusText(g, droppedByClient(kMetricsClients));
}

std::vector<ClientDrops> Broker::droppedByClient(size_t limit) const {
  return impl_->core.slow_subscribers.worst(limit);
}

}  // namespace hearth::mqtt

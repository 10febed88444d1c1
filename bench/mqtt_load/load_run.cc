#include "load_run.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <memory>
#include <thread>

#include "hearth/sim/command_load.h"
#include "device_reporter.h"
#include "device_responder.h"
#include "roles.h"

namespace hearth::bench {

namespace asio = boost::asio;

void ProcessResult::merge(const ProcessResult& o) {
  sent += o.sent;
  sent_measured += o.sent_measured;
  received += o.received;
  received_in_window += o.received_in_window;
  received_measured += o.received_measured;
  expected += o.expected;
  puback_errors += o.puback_errors;
  window_resets += o.window_resets;
  disconnects += o.disconnects;
  connect_failures += o.connect_failures;
  connects += o.connects;
  clients += o.clients;
  ready += o.ready;
  latency.merge(o.latency);
}

namespace {

// Publishers are topped up this often; short enough that a full window waits little after the
// subscriber (maybe on another thread) has caught up.
constexpr auto kPublishTick = std::chrono::microseconds(500);
constexpr auto kIdleTick = std::chrono::seconds(1);
constexpr int64_t kNsPerS = 1'000'000'000;
// Drain: stop waiting for the last deliveries when nothing arrived for this long, or at most this.
constexpr int64_t kDrainQuietNs = 1'000'000'000;
constexpr int64_t kDrainMaxNs = 5 * kNsPerS;

void sleepUntilNs(int64_t t) {
  const int64_t now = sim::steadyNowNs();
  if (t > now) std::this_thread::sleep_for(std::chrono::nanoseconds(t - now));
}

struct WorkerState {
  std::unique_ptr<Worker> worker;
  std::unique_ptr<asio::steady_timer> timer;  // after worker: destroyed first
  std::vector<Sender*> publishers;  // publishers and device reporters
  std::vector<MqttClient*> clients;
  std::vector<Connector*> connectors;
  std::unique_ptr<std::atomic<bool>> kick_pending = std::make_unique<std::atomic<bool>>(false);
  double rate = 0;
  double tokens = 0;
  size_t cursor = 0;
  int64_t last_tick_ns = 0;
  int64_t last_ping_ns = 0;
};

class LoadRun {
 public:
  LoadRun(const LoadOptions& o, const ProcessShare& share) : o_(o), share_(share), ctx_(o) {
    ctx_.qos = static_cast<mqtt::QoS>(o.qos);
    broker_ = asio::ip::tcp::endpoint(asio::ip::make_address(o.host), o.port);
    for (uint32_t i = 0; i < std::max(1u, o.threads); ++i) {
      WorkerState w;
      w.worker = std::make_unique<Worker>(i, std::max(1u, o.connect_window / std::max(1u, o.threads)));
      w.timer = std::make_unique<asio::steady_timer>(w.worker->io());
      workers_.push_back(std::move(w));
    }
    build();
    if (o.rate <= 0 && !publishers_.empty()) ctx_.kick = [this](uint32_t p) { kick(p); };
  }

  ProcessResult run(PhaseSync& sync);

 private:
  ClientSpec spec(char role, uint32_t i);
  WorkerState& nextWorker() { return workers_[next_worker_++ % workers_.size()]; }
  void addPublisher(uint32_t i, const std::string& topic, size_t slot_begin, size_t slot_end);
  void addSubscriber(const std::string& filter, int64_t own_slot);
  // ingest, commands: this process's share of the registered devices.
  std::vector<DeviceCredential> ownDevices();
  void addDevices();
  void addResponders();
  void build();
  // commands: drives the HTTP API from this thread for the run's duration.
  void driveCommands();
  void scheduleTick(WorkerState& w);
  void tick(WorkerState& w);
  void kick(uint32_t publisher);
  void pumpAll(WorkerState& w, int64_t now);
  SetupSummary waitForSetup();
  void drain();
  void finish();
  ProcessResult collect();

  const LoadOptions& o_;
  const ProcessShare share_;
  RunContext ctx_;
  asio::ip::tcp::endpoint broker_;
  std::vector<WorkerState> workers_;  // before the roles: their sockets need the io_contexts
  std::vector<std::unique_ptr<Publisher>> publishers_;
  std::vector<std::unique_ptr<Subscriber>> subscribers_;
  std::vector<std::unique_ptr<IdleClient>> idle_;
  std::vector<std::unique_ptr<Connector>> connectors_;
  std::vector<std::unique_ptr<DeviceReporter>> devices_;
  std::vector<std::unique_ptr<DeviceResponder>> responders_;
  std::vector<std::string> responder_dids_;
  sim::CommandStats commands_;
  uint32_t next_worker_ = 0;
  uint32_t next_global_ = 0;
  uint32_t setup_clients_ = 0;  // clients that must be ready before the load starts
  uint64_t fanout_ = 1;         // deliveries owed per message sent
  std::vector<uint32_t> publisher_worker_;  // publisher number -> index in workers_
};

ClientSpec LoadRun::spec(char role, uint32_t i) {
  ClientSpec s;
  s.broker = broker_;
  const uint32_t global = share_.first_global + next_global_++;
  // Several loopback source addresses, because one address has only ~28k ephemeral ports.
  if (o_.source_addresses > 1) {
    s.source = asio::ip::address_v4(0x7F000001u + global % o_.source_addresses);
  } else {
    s.source = broker_.address().is_v4() ? asio::ip::address(asio::ip::address_v4::any())
                                         : asio::ip::address(asio::ip::address_v6::any());
  }
  s.connect.version = static_cast<mqtt::ProtocolVersion>(o_.protocol);
  s.connect.clean_start = true;
  s.connect.keep_alive = o_.keep_alive;
  s.connect.client_id = fmt::format("hml-{}-{}{}", ::getpid(), role, i);
  return s;
}

void LoadRun::addPublisher(uint32_t i, const std::string& topic, size_t slot_begin, size_t slot_end) {
  publisher_worker_.resize(std::max<size_t>(publisher_worker_.size(), i + 1));
  publisher_worker_[i] = next_worker_ % workers_.size();
  WorkerState& w = nextWorker();
  auto p = std::make_unique<Publisher>(ctx_, *w.worker, spec('p', i), i, topic, slot_begin, slot_end);
  w.publishers.push_back(p.get());
  w.clients.push_back(&p->client());
  w.worker->queueConnect(&p->client());
  publishers_.push_back(std::move(p));
  ++setup_clients_;
}

void LoadRun::addSubscriber(const std::string& filter, int64_t own_slot) {
  WorkerState& w = nextWorker();
  const auto i = static_cast<uint32_t>(subscribers_.size());
  auto s = std::make_unique<Subscriber>(ctx_, *w.worker, spec('s', i), filter, own_slot);
  w.clients.push_back(&s->client());
  w.worker->queueConnect(&s->client());
  subscribers_.push_back(std::move(s));
  ++setup_clients_;
}

std::vector<DeviceCredential> LoadRun::ownDevices() {
  std::string error;
  auto all = loadCredentials(o_.credentials, error);
  if (!all || all->size() < share_.first_global + share_.connections) {
    // main() checked the file already; it changed under us.
    std::fprintf(stderr, "hearth-mqtt-load: %s\n", all ? "fewer devices than connections" : error.c_str());
    return {};
  }
  const auto first = all->begin() + share_.first_global;
  return std::vector<DeviceCredential>(first, first + share_.connections);
}

void LoadRun::addDevices() {
  const std::vector<DeviceCredential> own = ownDevices();
  for (uint32_t i = 0; i < own.size(); ++i) {
    WorkerState& w = nextWorker();
    auto d = std::make_unique<DeviceReporter>(ctx_, *w.worker, spec('d', i), own[i]);
    w.publishers.push_back(d.get());
    w.clients.push_back(&d->client());
    w.worker->queueConnect(&d->client());
    devices_.push_back(std::move(d));
    ++setup_clients_;
  }
}

void LoadRun::addResponders() {
  const std::vector<DeviceCredential> own = ownDevices();
  for (uint32_t i = 0; i < own.size(); ++i) {
    WorkerState& w = nextWorker();
    const DeviceCredential& device = own[i];
    auto d = std::make_unique<DeviceResponder>(ctx_, *w.worker, spec('r', i), device);
    w.clients.push_back(&d->client());
    w.worker->queueConnect(&d->client());
    responders_.push_back(std::move(d));
    responder_dids_.push_back(device.did);
    ++setup_clients_;
  }
}

void LoadRun::driveCommands() {
  std::ifstream in(o_.token_file);
  std::string token;
  in >> token;
  if (token.empty()) {
    std::fprintf(stderr, "hearth-mqtt-load: no operator token in %s\n", o_.token_file.c_str());
    return;
  }
  if (responder_dids_.empty()) return;
  sim::CommandLoadOptions options;
  options.host = o_.host;
  options.http_port = o_.http_port;
  options.token = token;
  options.rate = share_.rate;
  options.connections = o_.http_connections;
  options.log_prefix = "hearth-mqtt-load";
  const auto source = [&](uint64_t index) {
    return std::make_pair(responder_dids_[index % responder_dids_.size()],
                          fmt::format(R"({{"method":"set_properties","params":[{{"siid":{},"piid":{},"value":{}}}]}})",
                                      o_.siid, o_.piid, index % 2 == 0));
  };
  commands_ = sim::runCommandLoad(options, source, ctx_.start_ns.load(), ctx_.warm_end_ns.load(), ctx_.stop_ns.load());
}

void LoadRun::build() {
  const uint32_t n = share_.connections;
  // Topics carry the pid so that processes of one run, and runs against one broker, never
  // receive each other's messages.
  const std::string base = fmt::format("{}/{}", o_.topic_prefix, ::getpid());
  switch (o_.scenario) {
    case Scenario::kFanIn:
      ctx_.slots = std::vector<FlowSlot>(n);
      addSubscriber(base + "/in/+", -1);
      for (uint32_t i = 0; i < n; ++i) addPublisher(i, fmt::format("{}/in/{}", base, i), i, i + 1);
      break;
    case Scenario::kFanOut:
      ctx_.slots = std::vector<FlowSlot>(n);
      fanout_ = n;
      for (uint32_t i = 0; i < n; ++i) addSubscriber(base + "/out", i);
      if (n > 0) addPublisher(0, base + "/out", 0, n);
      break;
    case Scenario::kP2p:
      ctx_.slots = std::vector<FlowSlot>(n);
      for (uint32_t i = 0; i < n; ++i) addSubscriber(fmt::format("{}/p2p/{}", base, i), -1);
      for (uint32_t i = 0; i < n; ++i) addPublisher(i, fmt::format("{}/p2p/{}", base, i), i, i + 1);
      break;
    case Scenario::kIdle:
      for (uint32_t i = 0; i < n; ++i) {
        WorkerState& w = nextWorker();
        auto c = std::make_unique<IdleClient>(ctx_, *w.worker, spec('i', i));
        w.clients.push_back(&c->client());
        w.worker->queueConnect(&c->client());
        idle_.push_back(std::move(c));
        ++setup_clients_;
      }
      break;
    case Scenario::kConnectRate:
      for (uint32_t i = 0; i < n; ++i) {
        WorkerState& w = nextWorker();
        auto c = std::make_unique<Connector>(ctx_, *w.worker, spec('c', i));
        w.connectors.push_back(c.get());
        connectors_.push_back(std::move(c));
      }
      break;
    case Scenario::kIngest:
      addDevices();
      break;
    case Scenario::kCommands:
      addResponders();
      break;
  }
  const size_t publishers = publishers_.size() + devices_.size();
  for (auto& w : workers_) {
    w.rate = publishers == 0
                 ? 0
                 : share_.rate * static_cast<double>(w.publishers.size()) / static_cast<double>(publishers);
  }
}

void LoadRun::scheduleTick(WorkerState& w) {
  w.timer->expires_after(w.publishers.empty() ? std::chrono::duration_cast<std::chrono::microseconds>(kIdleTick)
                                              : kPublishTick);
  w.timer->async_wait([this, &w](const boost::system::error_code& ec) {
    if (!ec) tick(w);
  });
}

void LoadRun::kick(uint32_t publisher) {
  if (publisher >= publisher_worker_.size()) return;
  WorkerState& w = workers_[publisher_worker_[publisher]];
  // One pending pump per worker however many deliveries ask for it.
  if (w.kick_pending->exchange(true, std::memory_order_acq_rel)) return;
  asio::post(w.worker->io(), [this, &w] {
    w.kick_pending->store(false, std::memory_order_release);
    pumpAll(w, sim::steadyNowNs());
  });
}

void LoadRun::pumpAll(WorkerState& w, int64_t now) {
  if (w.publishers.empty() || now < ctx_.start_ns.load(std::memory_order_relaxed) ||
      now >= ctx_.stop_ns.load(std::memory_order_relaxed)) {
    return;
  }
  for (Sender* p : w.publishers) {
    if (p->pump(now, std::numeric_limits<size_t>::max()) != 0) p->client().flush();
  }
}

void LoadRun::tick(WorkerState& w) {
  const int64_t now = sim::steadyNowNs();
  if (w.rate <= 0) {
    pumpAll(w, now);
  } else if (!w.publishers.empty() && now >= ctx_.start_ns.load(std::memory_order_relaxed) &&
             now < ctx_.stop_ns.load(std::memory_order_relaxed)) {
    // Token bucket: the offered rate is kept, but a stall is not made up by a burst of more than
    // 10 ms worth of messages.
    const int64_t since = w.last_tick_ns == 0 ? 0 : now - w.last_tick_ns;
    w.tokens = std::min(w.tokens + w.rate * static_cast<double>(since) / kNsPerS, std::max(1.0, w.rate * 0.01));
    const size_t n = w.publishers.size();
    size_t blocked = 0;
    while (w.tokens >= 1 && blocked < n) {
      if (w.publishers[w.cursor++ % n]->pump(now, 1) == 1) {
        w.tokens -= 1;
        blocked = 0;
      } else {
        ++blocked;
      }
    }
    for (Sender* p : w.publishers) p->client().flush();
  }
  w.last_tick_ns = now;
  // Keep-alive counts only what the client sends, and a QoS 0 subscriber sends nothing.
  if (now - w.last_ping_ns >= static_cast<int64_t>(o_.keep_alive) * kNsPerS / 2) {
    if (w.last_ping_ns != 0) {
      for (MqttClient* c : w.clients) {
        if (!c->connected()) continue;
        c->send(mqtt::PingReq{});
        c->flush();
      }
    }
    w.last_ping_ns = now;
  }
  scheduleTick(w);
}

SetupSummary LoadRun::waitForSetup() {
  const int64_t deadline = sim::steadyNowNs() + 30 * kNsPerS + static_cast<int64_t>(setup_clients_) * 5'000'000;
  while (ctx_.settled.load() < setup_clients_ && sim::steadyNowNs() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  SetupSummary s;
  s.clients = setup_clients_;
  s.ready = ctx_.ready.load();
  s.failed = s.clients - std::min(s.clients, s.ready);
  if (ctx_.settled.load() < setup_clients_) {
    std::fprintf(stderr, "hearth-mqtt-load: set-up timed out: %u of %u clients ready\n", s.ready, s.clients);
  }
  return s;
}

void LoadRun::drain() {
  uint64_t expected = 0;
  for (auto& w : workers_) expected += w.worker->stats.sent_measured.get() * fanout_;
  const int64_t start = sim::steadyNowNs();
  int64_t last_change = start;
  uint64_t last = 0;
  while (true) {
    uint64_t got = 0;
    for (auto& w : workers_) got += w.worker->stats.received_measured.get();
    const int64_t now = sim::steadyNowNs();
    if (got >= expected || now - start > kDrainMaxNs) break;
    if (got != last) {
      last = got;
      last_change = now;
    } else if (now - last_change > kDrainQuietNs) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void LoadRun::finish() {
  for (auto& w : workers_) {
    w.worker->runSync([&w] {
      w.timer->cancel();
      for (Connector* c : w.connectors) {
        c->cancel();
        c->client().close();
      }
      for (MqttClient* c : w.clients) c->disconnect();
    });
    w.worker->stop();
  }
}

ProcessResult LoadRun::collect() {
  ProcessResult r;
  for (auto& w : workers_) {
    const WorkerStats& s = w.worker->stats;
    r.sent += s.sent;
    r.sent_measured += s.sent_measured.get();
    r.received += s.received;
    r.received_in_window += s.received_in_window;
    r.received_measured += s.received_measured.get();
    r.puback_errors += s.puback_errors;
    r.window_resets += s.window_resets;
    r.disconnects += s.disconnects;
    r.connect_failures += s.connect_failures;
    r.connects += s.connects;
    r.latency.merge(s.latency);
  }
  r.expected = r.sent_measured * fanout_;
  if (o_.scenario == Scenario::kCommands) {
    // What is measured is the caller's round trip; the devices' counters only say they answered.
    r.sent = commands_.sent;
    r.sent_measured = commands_.sent_measured;
    r.received = commands_.answered;
    r.received_in_window = commands_.answered_measured;
    r.received_measured = commands_.answered_measured;
    r.expected = commands_.sent_measured;
    r.puback_errors = commands_.failed;
    r.latency = commands_.latency;
  }
  if (o_.scenario == Scenario::kConnectRate) {
    // Nothing is set up in advance: every connecting slot counts as ready.
    r.clients = r.ready = connectors_.size();
  } else {
    r.clients = setup_clients_;
    r.ready = ctx_.ready.load();
  }
  return r;
}

ProcessResult LoadRun::run(PhaseSync& sync) {
  for (auto& w : workers_) {
    w.worker->start();
    asio::post(w.worker->io(), [this, &w] {
      w.worker->startConnecting();
      scheduleTick(w);
    });
  }
  const SetupSummary setup = waitForSetup();
  const int64_t go = sync.readyAndWaitGo(setup);
  if (o_.scenario != Scenario::kIdle) {
    const int64_t warm_end = go + static_cast<int64_t>(o_.warmup_s * kNsPerS);
    ctx_.warm_end_ns.store(warm_end);
    ctx_.stop_ns.store(warm_end + static_cast<int64_t>(o_.duration_s * kNsPerS));
    ctx_.start_ns.store(go);
    if (o_.scenario == Scenario::kCommands) driveCommands();  // returns after the stop
    if (o_.scenario == Scenario::kConnectRate) {
      sleepUntilNs(go);
      for (auto& w : workers_) {
        asio::post(w.worker->io(), [&w] {
          for (Connector* c : w.connectors) c->begin();
        });
      }
    }
    sleepUntilNs(ctx_.stop_ns.load());
    // Every send stamped before the stop has been counted once each worker has run this.
    for (auto& w : workers_) w.worker->runSync([] {});
    if (!publishers_.empty() || !devices_.empty()) drain();
  }
  finish();
  return collect();
}

}  // namespace

ProcessResult runLoad(const LoadOptions& opts, const ProcessShare& share, PhaseSync& sync) {
  LoadRun run(opts, share);
  return run.run(sync);
}

}  // namespace hearth::bench

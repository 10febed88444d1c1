#include "hearth/sim/fleet.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <future>
#include <optional>
#include <thread>

#include "hearth/core/json.h"
#include "hearth/sim/command_load.h"
#include "hearth/spec/json.h"

namespace hearth::sim {

namespace asio = boost::asio;
namespace json = boost::json;

core::Result<std::vector<FleetDevice>> parseFleetDevices(std::string_view json_text) {
  const auto parsed = core::parseJson(json_text);
  if (!parsed || !parsed.value().is_array()) {
    return core::Status::invalidArgument("devices: expected a JSON array of {did, secret, model}");
  }
  const json::value& doc = parsed.value();
  std::vector<FleetDevice> out;
  for (size_t i = 0; i < doc.get_array().size(); ++i) {
    const json::value& item = doc.get_array()[i];
    const json::object* o = item.if_object();
    const auto text = [&](std::string_view key) -> const json::string* {
      const json::value* v = o ? o->if_contains(key) : nullptr;
      return v ? v->if_string() : nullptr;
    };
    if (!text("did") || !text("secret") || !text("model")) {
      return core::Status::invalidArgument("devices[" + std::to_string(i) + "]: needs string did, secret and model");
    }
    out.push_back({std::string(*text("did")), std::string(*text("secret")), std::string(*text("model"))});
  }
  return out;
}

core::Result<ProductCatalogue> loadProducts(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(dir, ec), end;
  if (ec) return core::Status::ioError("specs: cannot read " + dir.string() + ": " + ec.message());
  std::map<std::string, std::pair<uint32_t, spec::Instance>, std::less<>> newest;
  for (; it != end; it.increment(ec)) {
    if (ec) return core::Status::ioError("specs: " + dir.string() + ": " + ec.message());
    if (!it->is_regular_file() || it->path().extension() != ".json") continue;
    auto instance = spec::loadInstanceFile(it->path());
    if (!instance) continue;
    auto model = spec::modelOf(instance.value());
    if (!model) continue;
    const uint32_t version = instance.value().type.version().value_or(0);
    auto found = newest.find(model.value());
    if (found == newest.end() || found->second.first < version) {
      newest.insert_or_assign(std::move(model).value(), std::make_pair(version, std::move(instance).value()));
    }
  }
  ProductCatalogue out;
  for (auto& [model, entry] : newest) out.emplace(model, std::make_shared<const SimProduct>(std::move(entry.second)));
  return out;
}

namespace {

// One virtual device: its simulated state and its connection, on one loop.
struct VirtualDevice {
  VirtualDevice(asio::io_context& io, ClientOptions options, std::shared_ptr<const SimProduct> product, uint64_t seed,
                double time_of_day_s)
      : model(std::move(product), seed, time_of_day_s), client(io, std::move(options)), io(io) {}

  // Reports go out after the reply to the request that caused them, as a device replies first
  // and then reports what it did.
  void report(Changes changes) {
    if (changes.empty()) return;
    asio::post(io, [this, changes = std::move(changes)]() mutable { send(changes); });
  }
  void send(Changes& changes) {
    if (!changes.properties.empty()) client.reportProperties(changes.properties);
    for (auto& e : changes.events) client.reportEvent(e.siid, e.eiid, std::move(e.arguments));
  }

  // `first_online`: called when the device is online for the first time.
  void wire(std::function<void()> first_online) {
    for (const auto& service : model.product().spec().services) {
      for (const auto& property : service.properties) {
        const uint32_t siid = service.iid, piid = property.iid;
        if (property.access.canRead()) client.onGet(siid, piid, [this, siid, piid] { return model.get(siid, piid); });
        if (property.access.canWrite()) {
          client.onSet(siid, piid, [this, siid, piid](const json::value& v) {
            Changes changes;
            const int32_t code = model.set(siid, piid, v, changes);
            report(std::move(changes));
            return code;
          });
        }
      }
      for (const auto& action : service.actions) {
        const uint32_t siid = service.iid, aiid = action.iid;
        client.onAction(siid, aiid, [this, siid, aiid](const json::array& in) {
          Changes changes;
          ActionResult result = model.action(siid, aiid, in, changes);
          report(std::move(changes));
          return result;
        });
      }
    }
    client.onConnectionChange([this, first_online = std::move(first_online)](ConnectionState state, std::string_view) {
      if (state != ConnectionState::kOnline) return;
      if (!was_online) {
        was_online = true;
        first_online();
      }
      Changes all;
      model.snapshot(all);
      report(std::move(all));
    });
  }

  SimulatedDevice model;
  DeviceClient client;
  asio::io_context& io;
  bool was_online = false;
  double next_reading_s = 0;  // steady reporting: when the next reading is due (s after start)
};

}  // namespace

class Fleet::Loop {
 public:
  explicit Loop(const FleetOptions& options) : options_(options), timer_(io_) {}

  // `reading_phase` in [0, 1): where in each reporting period this device's reading falls.
  void add(ClientOptions client, std::shared_ptr<const SimProduct> product, uint64_t seed, double time_of_day_s,
           double reading_phase) {
    devices_.push_back(std::make_unique<VirtualDevice>(io_, std::move(client), std::move(product), seed, time_of_day_s));
    VirtualDevice& d = *devices_.back();
    d.wire([this] { time_to_online_.record(static_cast<uint64_t>(steadyNowNs() - started_ns_)); });
    d.next_reading_s = reading_phase * options_.report_every_s;
    d.client.onReportAcknowledged(
        [this](std::chrono::nanoseconds lag) { report_lag_.record(static_cast<uint64_t>(lag.count())); });
  }

  void start() {
    guard_.emplace(io_.get_executor());
    thread_ = std::thread([this] { io_.run(); });
    asio::post(io_, [this] {
      started_ns_ = steadyNowNs();
      for (auto& d : devices_) d->client.start();
      last_tick_ = std::chrono::steady_clock::now();
      tick();
      if (options_.report_every_s > 0) readings();
    });
  }

  void stop() {
    if (!thread_.joinable()) return;
    call([this] {
      // A timer's handler may already be queued with success, past cancel()'s reach: it must not
      // arm its timer again, or run() would never run out of work and the join below would hang.
      stopping_ = true;
      timer_.cancel();
      readings_timer_.cancel();
      for (auto& d : devices_) d->client.stop();
    });
    guard_.reset();
    // The DISCONNECTs are written by handlers still queued; run() returns once they are done.
    thread_.join();
  }

  void resetReportLag() {
    call([this] { report_lag_ = LatencyHistogram(); });
  }

  void addStats(FleetStats& total) {
    call([&] {
      for (auto& d : devices_) {
        const ClientStats s = d->client.stats();
        ++total.devices;
        if (d->client.state() == ConnectionState::kOnline) ++total.online;
        total.connects += s.connects;
        total.connect_failures += s.connect_failures;
        total.disconnects += s.disconnects;
        total.reports += s.reports;
        total.reports_acked += s.reports_acked;
        total.reports_dropped += s.reports_dropped;
        total.reports_rejected += s.reports_rejected;
        total.requests += s.requests;
        total.reports_waiting += s.reports_waiting;
      }
      total.time_to_online.merge(time_to_online_);
      total.report_lag.merge(report_lag_);
    });
  }

 private:
  template <class F>
  void call(F&& fn) {
    if (!thread_.joinable()) return fn();
    std::promise<void> done;
    asio::post(io_, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  void tick() {
    timer_.expires_after(options_.tick);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopping_) return;
      const auto now = std::chrono::steady_clock::now();
      const double dt = std::chrono::duration<double>(now - last_tick_).count() * options_.speed;
      last_tick_ = now;
      for (auto& d : devices_) {
        Changes changes;
        d->model.step(dt, changes);
        d->send(changes);
      }
      tick();
    });
  }

  // Steady reporting: every device whose reading is due sends it; checked often enough that the
  // readings of a period spread over it rather than bunch at ticks.
  void readings() {
    readings_timer_.expires_after(std::chrono::milliseconds(20));
    readings_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopping_) return;
      const double now_s = static_cast<double>(steadyNowNs() - started_ns_) / 1e9;
      for (auto& d : devices_) {
        if (d->next_reading_s > now_s) continue;
        Changes changes;
        d->model.reading(changes);
        d->send(changes);
        d->next_reading_s += options_.report_every_s;
      }
      readings();
    });
  }

  const FleetOptions& options_;
  asio::io_context io_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard_;
  asio::steady_timer timer_;
  asio::steady_timer readings_timer_{io_};
  std::vector<std::unique_ptr<VirtualDevice>> devices_;
  int64_t started_ns_ = 0;
  LatencyHistogram time_to_online_;
  LatencyHistogram report_lag_;
  std::thread thread_;
  std::chrono::steady_clock::time_point last_tick_;
  bool stopping_ = false;  // on the loop's thread only
};

Fleet::Fleet(FleetOptions options) : options_(std::move(options)) {}

Fleet::~Fleet() { stop(); }

core::Result<std::unique_ptr<Fleet>> Fleet::create(FleetOptions options, const std::vector<FleetDevice>& devices,
                                                   const ProductCatalogue& products) {
  unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, std::max<size_t>(devices.size(), 1));
  std::unique_ptr<Fleet> fleet(new Fleet(std::move(options)));
  for (unsigned i = 0; i < threads; ++i) fleet->loops_.push_back(std::make_unique<Loop>(fleet->options_));
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const double time_of_day_s = std::fmod(std::chrono::duration<double>(now).count(), 86400);
  for (size_t i = 0; i < devices.size(); ++i) {
    const auto product = products.find(devices[i].model);
    if (product == products.end()) {
      return core::Status::notFound("device " + devices[i].did + ": no spec for model " + devices[i].model);
    }
    ClientOptions client = fleet->options_.client;
    client.did = devices[i].did;
    client.secret = devices[i].secret;
    fleet->loops_[i % threads]->add(std::move(client), product->second, fleet->options_.seed * 1'000'003 + i,
                                    time_of_day_s, static_cast<double>(i) / static_cast<double>(devices.size()));
  }
  return fleet;
}

void Fleet::start() {
  for (auto& loop : loops_) loop->start();
}

void Fleet::stop() {
  for (auto& loop : loops_) loop->stop();
}

void Fleet::resetReportLag() {
  for (auto& loop : loops_) loop->resetReportLag();
}

FleetStats Fleet::stats() {
  FleetStats total;
  for (auto& loop : loops_) loop->addStats(total);
  return total;
}

}  // namespace hearth::sim

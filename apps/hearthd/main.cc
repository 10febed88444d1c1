// hearthd: the Hearth server. Wiring only: configuration, logging, components, signals.
#include <CLI/CLI.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <cstdio>
#include <map>
#include <optional>
#include <thread>

#include "hearth/api/admin_routes.h"
#include "hearth/api/app_mqtt_auth.h"
#include "hearth/api/assistant_routes.h"
#include "hearth/api/auth_routes.h"
#include "hearth/api/command_routes.h"
#include "hearth/api/device_routes.h"
#include "hearth/api/home_routes.h"
#include "hearth/api/live_push.h"
#include "hearth/api/miot_routes.h"
#include "hearth/api/openapi.h"
#include "hearth/core/boundary.h"
#include "hearth/core/config.h"
#include "hearth/core/logging.h"
#include "hearth/core/open_files.h"
#include "hearth/core/shutdown.h"
#include "hearth/home/device_release.h"
#include "hearth/http/server.h"
#include "hearth/http/static_site.h"
#include "hearth/mqtt/broker.h"
#include "hearth/mqtt/file_auth.h"
#include "hearth/platform/command_service.h"
#include "hearth/platform/device_auth.h"
#include "hearth/platform/device_ingest.h"
#include "hearth/platform/device_presence.h"
#include "hearth/platform/device_registry.h"
#include "hearth/platform/history_retention.h"
#include "hearth/store/embedded_history.h"
#include "hearth/store/sqlite_registry.h"

namespace {

using hearth::core::OptionKind;
using hearth::core::OptionSpec;

std::vector<OptionSpec> serverOptionSpecs() {
  std::vector<OptionSpec> specs = {
      {"server.threads", OptionKind::kInt, "0", "Event loops (I/O threads); 0 means one per CPU core.", 0, 1024},
      {"server.data_dir", OptionKind::kString, "./var", "Directory for all persistent state."},
      {"history.engine", OptionKind::kString, "rocksdb",
       "Storage engine of device history: rocksdb (in data_dir/history) or sqlite (data_dir/history.sqlite3)."},
      {"history.retention_days", OptionKind::kInt, "30",
       "Days of device history (property values, events) kept, unless the product has its own period (hearth spec retention); 0 keeps everything.", 0, 36500},
      {"log.level", OptionKind::kString, "info", "trace, debug, info, warn, error or off."},
      {"accounts.open_signup", OptionKind::kBool, "true",
       "Whether anyone may sign up over the API; when false, only operators create accounts (hearth user add)."},
  };
  for (auto& s : hearth::mqtt::brokerOptionSpecs()) specs.push_back(std::move(s));
  for (auto& s : hearth::mqtt::authOptionSpecs()) specs.push_back(std::move(s));
  for (auto& s : hearth::http::serverOptionSpecs()) specs.push_back(std::move(s));
  return specs;
}

// Home's access changes reach the broker: each app session of the person decides read access
// again at its next delivery (api::AppMqttAuth). Set `broker` before the first change can happen
// (before the HTTP server starts).
class MqttAccessChanges final : public hearth::home::AccessListener {
 public:
  void onAccessChanged(int64_t user_id) override {
    if (broker != nullptr) broker->accessChanged(hearth::api::AppMqttAuth::principalOf(user_id));
  }
  hearth::mqtt::Broker* broker = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  hearth::core::Config config(serverOptionSpecs());
  CLI::App app{"hearthd: the Hearth smart-home server (MQTT device gateway and API)"};
  std::string config_file;
  bool print_ports = false;
  bool print_reference = false;
  bool check_config = false;
  app.add_option("-c,--config", config_file, "TOML configuration file (see docs/configuration.md)");
  app.add_flag("--print-ports", print_ports,
               "Once listening, print the bound ports as one JSON line on stdout (for tests and scripts)");
  app.add_flag("--print-config-reference", print_reference, "Print the Markdown reference of every option and exit");
  app.add_flag("--check-config", check_config, "Load and validate the configuration, then exit");
  std::map<std::string, std::string> flag_values;
  for (const auto& spec : config.specs()) {
    app.add_option(hearth::core::Config::flagName(spec.key), flag_values[spec.key],
                   fmt::format("{} [{}: {}]", spec.help, spec.key, spec.default_value));
  }
  CLI11_PARSE(app, argc, argv);

  if (print_reference) {
    std::fputs(config.markdownReference().c_str(), stdout);
    return 0;
  }

  hearth::core::raiseOpenFileLimit();  // a gateway holds a descriptor per connection
  hearth::core::ShutdownSignal shutdown;  // before any thread starts
  // A write to a socket the peer has closed must fail with EPIPE, never end the server.
  std::signal(SIGPIPE, SIG_IGN);
  hearth::mqtt::BrokerOptions broker_options;
  // Everything the broker borrows is declared before it, so it outlives the broker.
  std::unique_ptr<hearth::mqtt::FileAuth> auth;
  hearth::core::SystemClock clock;
  MqttAccessChanges access_changes;
  try {
    if (!config_file.empty()) config.loadFile(config_file);
    for (const auto& spec : config.specs()) {
      if (app.count(hearth::core::Config::flagName(spec.key)) != 0) config.set(spec.key, flag_values[spec.key]);
    }
    hearth::core::initLogging(config.getString("log.level"));
    broker_options = hearth::mqtt::brokerOptionsFromConfig(config, config.getString("server.data_dir"));
    auth = std::make_unique<hearth::mqtt::FileAuth>(hearth::mqtt::fileAuthOptionsFromConfig(config));
    if (check_config) return 0;
  } catch (const hearth::core::ConfigError& e) {
    std::fprintf(stderr, "hearthd: %s\n", e.what());
    return 2;
  }

  const std::filesystem::path data_dir = config.getString("server.data_dir");
  std::error_code dir_error;
  std::filesystem::create_directories(data_dir, dir_error);
  auto registry = hearth::store::SqliteRegistry::open(hearth::store::registryPath(data_dir));
  if (!registry) {
    spdlog::error("hearthd: {}", registry.error().toString());
    return 1;
  }
  hearth::platform::DeviceRegistry devices(*registry.value(), *registry.value(), clock);
  // Changes inside the platform; the API's push and automations will listen here.
  hearth::platform::DeviceChanges changes;
  hearth::platform::DevicePresence presence(*registry.value(), changes, clock);
  if (auto status = presence.recover(); !status.isOk()) {
    spdlog::error("hearthd: {}", status.toString());
    return 1;
  }

  // Device reports: validated against their product, stored in history, then acknowledged.
  // mqtt.durability decides for both stores when "stored" is true.
  hearth::store::HistoryOptions history_options;
  if (broker_options.state_dir.empty() || broker_options.durability == hearth::mqtt::Durability::kAsync) {
    history_options.durability = hearth::store::HistoryDurability::kAsync;
  } else if (broker_options.durability == hearth::mqtt::Durability::kFsync) {
    history_options.durability = hearth::store::HistoryDurability::kFsync;
  }
  auto engine = hearth::store::historyEngineNamed(config.getString("history.engine"));
  if (!engine) {
    spdlog::error("hearthd: history.engine must be rocksdb or sqlite, not '{}'", config.getString("history.engine"));
    return 2;
  }
  auto opened_history = hearth::store::openHistoryIn(data_dir.string(), *engine, history_options);
  if (!opened_history) {
    spdlog::error("hearthd: {}", opened_history.error().toString());
    return 1;
  }
  std::unique_ptr<hearth::store::HistoryStore> history = std::move(opened_history).value();
  auto retention = std::make_unique<hearth::platform::HistoryRetention>(
      *history, *registry.value(), *registry.value(), clock,
      std::chrono::hours(24) * config.getInt("history.retention_days"));
  retention->start();
  hearth::platform::ProductRegistry products(*registry.value(), clock);
  // Who changed what, recorded off the event loops; it outlives the commands it records.
  hearth::home::AuditLog audit(*registry.value(), clock);
  // Commands: the outbox lives in the registry; replies come back through ingest.
  hearth::platform::CommandService commands(*registry.value(), products, *registry.value(), clock);
  if (auto status = commands.recover(); !status.isOk()) {
    spdlog::error("hearthd: {}", status.toString());
    return 1;
  }
  // Commands hear of a disconnect before presence announces it, so whoever has seen a device
  // go offline gets fail-fast or the outbox for it, never a send into the void.
  broker_options.observers.push_back(&commands);
  broker_options.observers.push_back(&presence);
  auto operator_token = hearth::api::OperatorToken::loadOrCreate(data_dir);
  if (!operator_token) {
    spdlog::error("hearthd: {}", operator_token.error().toString());
    return 1;
  }
  hearth::platform::DeviceIngest ingest(*registry.value(), products, *history, commands, changes, clock);
  broker_options.interceptor = &ingest;

  // People, their homes and devices; the live push hears every device change from the start.
  hearth::home::Accounts accounts(*registry.value(), clock, {}, &access_changes);
  // Leaving a home, the one way. Erasures left pending (a crash, the CLI) are carried out before
  // anyone can look, then in the background.
  hearth::home::DeviceRelease release(*registry.value(), *registry.value(), *registry.value(), history.get(),
                                      &access_changes);
  if (auto left = release.erasePending(); !left || left.value() != 0) {
    spdlog::warn("hearthd: device histories still to erase: {}",
                 left ? std::to_string(left.value()) : left.error().toString());
  }
  release.start();
  hearth::home::Homes homes(*registry.value(), release, clock, &access_changes);
  hearth::home::Devices home_devices(*registry.value(), *registry.value(), *registry.value(), *registry.value(),
                                     release, audit, clock, &access_changes);
  hearth::home::DeviceCommands device_commands(home_devices, commands, audit);
  hearth::home::PlatformStats stats(*registry.value(), clock);
  hearth::api::LivePush push(accounts, homes, home_devices, *registry.value(), clock);
  changes.listen(push);
  push.start();

  // MQTT logins: devices against the registry, apps with their access tokens, everyone else
  // against FileAuth (anonymous clients only if auth.allow_anonymous, and never under device/).
  hearth::api::AppMqttAuth app_auth(accounts, home_devices, *auth, *auth);
  hearth::platform::DeviceAuth device_auth(devices, app_auth, app_auth);
  broker_options.authenticator = &device_auth;
  broker_options.authorizer = &device_auth;

  size_t threads = static_cast<size_t>(config.getInt("server.threads"));
  broker_options.threads = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());

  hearth::mqtt::Broker broker(broker_options);
  if (auto status = broker.start(); !status.isOk()) {
    spdlog::error("hearthd: {}", status.toString());
    return 1;
  }
  access_changes.broker = &broker;
  presence.start(broker);
  ingest.start(broker);
  commands.start([&broker](hearth::mqtt::Publish message) { broker.publish(std::move(message)); });
  hearth::http::Server http(hearth::http::serverOptionsFromConfig(config));
  http.addRoute("GET", "/metrics", [&broker, &ingest, &commands, &push, &stats](const hearth::http::Request&) {
    return hearth::http::Response{200, "text/plain; version=0.0.4",
                                  broker.metricsText() + ingest.metricsText() + commands.metricsText() +
                                      push.metricsText() + stats.metricsText() +
                                      hearth::core::internalErrorsMetricsText()};
  });
  hearth::api::addCommandRoutes(http, device_commands, operator_token.value(), accounts);
  // Jobs handed to a pool: a bug in one costs its request (the HTTP server answers 500 for a
  // responder dropped unanswered), never the pool's thread.
  const auto offloadTo = [](boost::asio::thread_pool& pool, std::string_view name) {
    return [&pool, name](std::function<void()> job) {
      boost::asio::post(pool, [name, job = std::move(job)] {
        (void)hearth::core::guard(hearth::core::Boundary::kWorker, name, job);
      });
    };
  };
  // Password hashing runs on its own threads, never on the HTTP one.
  boost::asio::thread_pool password_work(2);
  hearth::api::addAuthRoutes(http, accounts, offloadTo(password_work, "password work"),
                             config.getBool("accounts.open_signup"));
  hearth::api::addHomeRoutes(http, accounts, homes);
  hearth::api::addDeviceRoutes(http, accounts, home_devices, products, *history, *registry.value());
  hearth::api::addMiotRoutes(http, accounts, homes, home_devices, device_commands);
  // Speech recognition and synthesis run on their own thread: a decode takes tens of milliseconds.
  boost::asio::thread_pool speech_work(1);
  std::unique_ptr<hearth::assistant::Recognizer> recognizer;
  if (auto opened = hearth::assistant::Recognizer::open({})) {
    recognizer = std::move(opened).value();
  } else {
    spdlog::warn("hearthd: the assistant takes no speech: {}", opened.error().toString());
  }
  hearth::api::addAssistantRoutes(
      http, accounts, homes, home_devices, products, *history, device_commands, recognizer.get(),
      offloadTo(speech_work, "speech work"));
  push.addRoute(http);
  hearth::api::addAdminRoutes(http, accounts, stats, broker);
  hearth::api::addOpenApiRoute(http);
  std::optional<hearth::http::StaticSite> web;
  if (const std::string root = config.getString("http.web_root"); !root.empty()) {
    auto site = hearth::http::StaticSite::load(root);
    if (!site) {
      spdlog::error("hearthd: {}", site.error().toString());
      return 1;
    }
    web = std::move(site).value();
    http.setFallback([&web](const hearth::http::Request& request) { return web->serve(request); });
    spdlog::info("hearthd: web app from {} ({} files)", root, web->fileCount());
  }
  if (auto status = http.start(); !status.isOk()) {
    spdlog::error("hearthd: {}", status.toString());
    return 1;
  }
  if (print_ports) {
    std::string line = "{";
    for (const auto& l : broker.listeners()) {
      line += fmt::format("{}\"{}\":{}", line.size() > 1 ? "," : "", l.name, l.port);
    }
    if (http.port() != 0) line += fmt::format("{}\"http\":{}", line.size() > 1 ? "," : "", http.port());
    if (http.tlsPort() != 0) line += fmt::format("{}\"https\":{}", line.size() > 1 ? "," : "", http.tlsPort());
    line += "}\n";
    std::fputs(line.c_str(), stdout);
    std::fflush(stdout);
  }
  spdlog::info("hearthd: started threads={}", broker_options.threads);

  int sig = shutdown.wait();
  spdlog::info("hearthd: signal {} received, shutting down", sig);
  http.stop();
  commands.stop();
  broker.stop();
  push.stop();
  // The history writer announces stored reports through the broker: drain it while the broker
  // still exists.
  release.stop();
  retention.reset();
  history.reset();
  spdlog::info("hearthd: stopped");
  return 0;
}

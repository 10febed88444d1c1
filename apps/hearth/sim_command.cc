#include "sim_command.h"

#include <boost/asio/ssl/context.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "hearth/core/open_files.h"
#include "hearth/core/shutdown.h"
#include "hearth/sim/fleet.h"
#include "hearth/sim/scenario.h"

namespace hearth::cli {

namespace {

// The scenarios by the names --scenario takes and the summary table is headed with.
const std::map<std::string, sim::Scenario> kScenarios = {{"connect-storm", sim::Scenario::kConnectStorm},
                                                         {"steady", sim::Scenario::kSteady},
                                                         {"commands", sim::Scenario::kCommands}};

struct SimOptions {
  std::string devices;
  std::string specs;
  sim::FleetOptions fleet;
  std::string tls_ca;
  double duration_s = 0;
  double progress_s = 10;
  std::optional<sim::Scenario> scenario;
  sim::ScenarioOptions load;
  std::string token_file;
};

void printProgress(const sim::FleetStats& s) {
  std::fprintf(stderr,
               "hearth sim: %zu devices, %zu online, %llu reports (%llu acknowledged, %llu waiting), %llu commands, "
               "%llu reconnects\n",
               s.devices, s.online, static_cast<unsigned long long>(s.reports),
               static_cast<unsigned long long>(s.reports_acked), static_cast<unsigned long long>(s.reports_waiting),
               static_cast<unsigned long long>(s.requests), static_cast<unsigned long long>(s.disconnects));
}

int runLoad(SimOptions& o, sim::Fleet& fleet, const std::vector<sim::FleetDevice>& devices,
            const sim::ProductCatalogue& products, core::ShutdownSignal& signals) {
  o.load.scenario = *o.scenario;
  o.load.progress_s = o.progress_s;
  if (o.duration_s > 0) o.load.duration_s = o.duration_s;
  if (o.load.scenario == sim::Scenario::kCommands) {
    std::ifstream token(o.token_file);
    token >> o.load.http.token;
    if (o.load.http.token.empty()) {
      std::fprintf(stderr, "hearth sim: --scenario commands needs --token-file (<data_dir>/operator.token)\n");
      return 2;
    }
  }
  const auto rows = sim::runScenario(fleet, devices, products, o.load, [&](std::chrono::milliseconds wait) {
    return signals.waitFor(wait) != 0;
  });
  const auto name = std::find_if(kScenarios.begin(), kScenarios.end(),
                                 [&](const auto& entry) { return entry.second == o.load.scenario; });
  std::printf("| %s | |\n|---|---:|\n", name->first.c_str());
  for (const auto& row : rows) std::printf("| %s | %s |\n", row.figure.c_str(), row.value.c_str());
  return rows.empty() ? 1 : 0;
}

int run(SimOptions& o) {
  std::ifstream in(o.devices);
  if (!in) {
    std::fprintf(stderr, "hearth sim: cannot read %s\n", o.devices.c_str());
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto devices = sim::parseFleetDevices(text.str());
  if (!devices) {
    std::fprintf(stderr, "hearth sim: %s: %s\n", o.devices.c_str(), devices.error().message().c_str());
    return 1;
  }
  auto products = sim::loadProducts(o.specs);
  if (!products) {
    std::fprintf(stderr, "hearth sim: %s\n", products.error().message().c_str());
    return 1;
  }
  if (!o.tls_ca.empty()) {
    auto tls = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
    boost::system::error_code ec;
    tls->load_verify_file(o.tls_ca, ec);
    if (ec) {
      std::fprintf(stderr, "hearth sim: --tls-ca %s: %s\n", o.tls_ca.c_str(), ec.message().c_str());
      return 1;
    }
    tls->set_verify_mode(boost::asio::ssl::verify_peer);
    o.fleet.client.tls = std::move(tls);
  }
  auto fleet = sim::Fleet::create(o.fleet, devices.value(), products.value());
  if (!fleet) {
    std::fprintf(stderr, "hearth sim: %s\n", fleet.error().message().c_str());
    return 1;
  }
  core::raiseOpenFileLimit();
  core::ShutdownSignal signals;  // before the fleet's threads start, so they inherit the mask
  if (o.scenario) return runLoad(o, *fleet.value(), devices.value(), products.value(), signals);
  fleet.value()->start();
  const auto started = std::chrono::steady_clock::now();
  const auto progress = std::chrono::milliseconds(static_cast<int64_t>(o.progress_s * 1000));
  const auto deadline = started + std::chrono::milliseconds(static_cast<int64_t>(o.duration_s * 1000));
  auto next_progress = started + progress;
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    auto until = next_progress;
    if (o.duration_s > 0 && deadline < until) until = deadline;
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
    if (signals.waitFor(std::max(wait, std::chrono::milliseconds(1))) != 0) break;
    if (o.duration_s > 0 && std::chrono::steady_clock::now() >= deadline) break;
    if (std::chrono::steady_clock::now() >= next_progress) {
      printProgress(fleet.value()->stats());
      next_progress += progress;
    }
  }
  const sim::FleetStats last = fleet.value()->stats();
  fleet.value()->stop();
  printProgress(last);
  return 0;
}

}  // namespace

void addSimCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SimOptions>();
  auto* cmd = app.add_subcommand("sim", "Run virtual devices that behave like the products of their specs");
  cmd->add_option("--devices", o->devices, "Registered devices, as `hearth device add` prints them (JSON)")->required();
  cmd->add_option("--specs", o->specs, "Folder of the products' spec files (searched recursively)")->required();
  cmd->add_option("--host", o->fleet.client.host, "MQTT gateway")->capture_default_str();
  cmd->add_option("--port", o->fleet.client.port, "MQTT port (TCP, or TLS with --tls-ca)")->capture_default_str();
  cmd->add_option("--tls-ca", o->tls_ca, "Connect over TLS, verifying the gateway's certificate with these CAs (PEM)");
  cmd->add_option("--threads", o->fleet.threads, "Event loops (0: one per core)")->capture_default_str();
  cmd->add_option("--speed", o->fleet.speed, "Device seconds per real second")
      ->check(CLI::Range(0.0, 10000.0))
      ->capture_default_str();
  cmd->add_option("--keep-alive", o->fleet.client.keep_alive_s, "MQTT keep-alive seconds")->capture_default_str();
  cmd->add_option("--seed", o->fleet.seed, "Seed of the devices' randomness")->capture_default_str();
  cmd->add_option("--duration", o->duration_s,
                  "Seconds to run (0: until Ctrl-C); with --scenario steady or commands, seconds measured (20)")
      ->capture_default_str();
  cmd->add_option("--progress", o->progress_s, "Seconds between progress lines")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  cmd->add_option("--scenario", o->scenario,
                  "A load scenario with a summary table: connect-storm (all connect at once), steady (a "
                  "reading every --interval s each), commands (--rate set_properties/s through the HTTP API)")
      ->transform(CLI::CheckedTransformer(kScenarios, CLI::ignore_case));
  cmd->add_option("--interval", o->fleet.report_every_s, "steady: seconds between a device's readings")
      ->check(CLI::Range(0.01, 86400.0));
  cmd->add_option("--rate", o->load.command_rate, "commands: commands per second")->capture_default_str();
  cmd->add_option("--warmup", o->load.warmup_s, "steady, commands: seconds before measuring")->capture_default_str();
  cmd->add_option("--http-host", o->load.http.host, "commands: hearthd's HTTP address")->capture_default_str();
  cmd->add_option("--http-port", o->load.http.http_port, "commands: hearthd's HTTP port")->capture_default_str();
  cmd->add_option("--http-connections", o->load.http.connections, "commands: keep-alive HTTP connections")
      ->capture_default_str();
  cmd->add_option("--token-file", o->token_file, "commands: the operator token (<data_dir>/operator.token)");
  cmd->callback([o, &exit_code] {
    if (o->scenario == sim::Scenario::kSteady && o->fleet.report_every_s <= 0) o->fleet.report_every_s = 10;
    exit_code = run(*o);
  });
}

}  // namespace hearth::cli

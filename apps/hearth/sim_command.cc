#include "sim_command.h"

#include <boost/asio/ssl/context.hpp>
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "hearth/core/shutdown.h"
#include "hearth/sim/fleet.h"

namespace hearth::cli {

namespace {

struct SimOptions {
  std::string devices;
  std::string specs;
  sim::FleetOptions fleet;
  std::string tls_ca;
  double duration_s = 0;
  double progress_s = 10;
};

// Thousands of devices need as many descriptors; the soft limit is often 1,024 while the hard one
// allows far more.
void raiseOpenFileLimit() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
}

void printProgress(const sim::FleetStats& s) {
  std::fprintf(stderr,
               "hearth sim: %zu devices, %zu online, %llu reports (%llu acknowledged, %llu waiting), %llu commands, "
               "%llu reconnects\n",
               s.devices, s.online, static_cast<unsigned long long>(s.reports),
               static_cast<unsigned long long>(s.reports_acked), static_cast<unsigned long long>(s.reports_waiting),
               static_cast<unsigned long long>(s.requests), static_cast<unsigned long long>(s.disconnects));
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
  raiseOpenFileLimit();
  core::ShutdownSignal signals;  // before the fleet's threads start, so they inherit the mask
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
  cmd->add_option("--duration", o->duration_s, "Seconds to run (0: until Ctrl-C)")->capture_default_str();
  cmd->add_option("--progress", o->progress_s, "Seconds between progress lines")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  cmd->callback([o, &exit_code] { exit_code = run(*o); });
}

}  // namespace hearth::cli

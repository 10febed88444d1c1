#include "device_commands.h"

#include <boost/json.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "hearth/core/clock.h"
#include "hearth/core/json.h"
#include "hearth/home/device_release.h"
#include "hearth/platform/device_registry.h"
#include "hearth/sim/history_seed.h"
#include "hearth/store/embedded_history.h"
#include "registry_open.h"

namespace hearth::cli {

namespace {

namespace json = boost::json;

struct Options {
  std::string data_dir = "./var";
  std::string model;
  size_t count = 1;
  std::string did;
  std::string after;
  size_t limit = 100;
  uint32_t siid = 0;
  uint32_t piid = 0;
  int64_t from_ms = 0;
  int64_t to_ms = INT64_MAX;
  std::string devices;  // seed-history: the fleet file
  std::string specs;
  double days = 7;
};

json::object deviceJson(const store::DeviceRecord& d) {
  return json::object{{"did", d.did},
                      {"model", d.model},
                      {"name", d.name},
                      {"created_at_ms", d.created_at_ms},
                      {"online", d.online},
                      {"presence_changed_ms", d.presence_changed_ms},
                      {"firmware_revision", d.info.firmware_revision},
                      {"serial_number", d.info.serial_number},
                      {"home_id", d.home_id},
                      {"room_id", d.room_id},
                      {"bound_at_ms", d.bound_at_ms}};
}

int fail(const char* command, const core::Status& status) {
  std::fprintf(stderr, "hearth device %s: %s\n", command, status.toString().c_str());
  return 1;
}

int runAdd(const Options& o) {
  auto registry = openRegistry(o.data_dir, "device add");
  if (!registry) return 1;
  core::SystemClock clock;
  platform::DeviceRegistry devices(*registry, *registry, clock);
  auto added = devices.add(o.model, o.count);
  if (!added) return fail("add", added.error());
  // The secrets and bind codes are printed once and never stored: this output is what the
  // devices (and their labels) need.
  json::array out;
  for (const auto& c : added.value()) {
    out.push_back(json::object{{"did", c.did}, {"secret", c.secret}, {"model", c.model}, {"bind_code", c.bind_code}});
  }
  std::printf("%s\n", json::serialize(out).c_str());
  return 0;
}

int runBindCode(const Options& o) {
  auto registry = openRegistry(o.data_dir, "device bind-code");
  if (!registry) return 1;
  core::SystemClock clock;
  platform::DeviceRegistry devices(*registry, *registry, clock);
  auto code = devices.newBindCode(o.did);
  if (!code) return fail("bind-code", code.error());
  std::printf("%s\n", code.value().c_str());
  return 0;
}

int runList(const Options& o) {
  auto registry = openRegistry(o.data_dir, "device list");
  if (!registry) return 1;
  auto page = registry->listDevices(o.after, o.limit, o.model);
  if (!page) return fail("list", page.error());
  for (const auto& d : page.value()) std::printf("%s  %s  %s\n", d.did.c_str(), d.model.c_str(), d.name.c_str());
  return 0;
}

int runShow(const Options& o) {
  auto registry = openRegistry(o.data_dir, "device show");
  if (!registry) return 1;
  auto device = registry->device(o.did);
  if (!device) return fail("show", device.error());
  std::printf("%s\n", json::serialize(deviceJson(device.value())).c_str());
  return 0;
}

int runRemove(const Options& o) {
  auto registry = openRegistry(o.data_dir, "device remove");
  if (!registry) return 1;
  // The device leaves its home as an unbinding does. The history store opens only while hearthd
  // is stopped (RocksDB allows one process); otherwise hearthd erases the device's history,
  // within DeviceRelease::kSweepInterval.
  auto history = store::openHistoryIn(o.data_dir, store::historyEngineIn(o.data_dir));
  home::DeviceRelease release(*registry, *registry, *registry, history ? history.value().get() : nullptr);
  core::Status removed = release.remove(o.did);
  if (!removed.isOk()) return fail("remove", removed);
  if (!history) std::fprintf(stderr, "hearth device remove: hearthd erases the device's history\n");
  return 0;
}

// A value as the history store keeps it: JSON text the server wrote. A damaged store is told as
// such, never a throw.
core::Result<json::value> storedJson(std::string_view text) {
  auto v = core::parseJson(text);
  if (!v) return core::Status::corruption("a stored value is not JSON: the history store is damaged");
  return std::move(v).value();
}

// history and shadow read the history store directly, so hearthd must not be running (RocksDB
// allows one process).
int runHistory(const Options& o) {
  auto history = store::openHistoryIn(o.data_dir, store::historyEngineIn(o.data_dir));
  if (!history) return fail("history", history.error());
  json::array out;
  if (o.siid != 0) {
    auto samples = history.value()->range(o.did, o.siid, o.piid, o.from_ms, o.to_ms, o.limit);
    if (!samples) return fail("history", samples.error());
    for (const auto& s : samples.value()) {
      auto value = storedJson(s.value_json);
      if (!value) return fail("history", value.error());
      out.push_back(json::object{{"ts", s.ts_ms}, {"value", std::move(value).value()}});
    }
  } else {
    auto events = history.value()->events(o.did, o.from_ms, o.to_ms, o.limit);
    if (!events) return fail("history", events.error());
    for (const auto& e : events.value()) {
      auto arguments = storedJson(e.arguments_json);
      if (!arguments) return fail("history", arguments.error());
      out.push_back(json::object{
          {"ts", e.ts_ms}, {"siid", e.siid}, {"eiid", e.eiid}, {"arguments", std::move(arguments).value()}});
    }
  }
  std::printf("%s\n", json::serialize(out).c_str());
  return 0;
}

int runShadow(const Options& o) {
  auto history = store::openHistoryIn(o.data_dir, store::historyEngineIn(o.data_dir));
  if (!history) return fail("shadow", history.error());
  auto latest = history.value()->latest(o.did);
  if (!latest) return fail("shadow", latest.error());
  json::array out;
  for (const auto& s : latest.value()) {
    auto value = storedJson(s.value_json);
    if (!value) return fail("shadow", value.error());
    out.push_back(json::object{{"siid", s.siid}, {"piid", s.piid}, {"ts", s.ts_ms}, {"value", std::move(value).value()}});
  }
  std::printf("%s\n", json::serialize(out).c_str());
  return 0;
}

// The demo's past: a week of the simulated devices' behaviour, written where hearthd keeps
// history, so it must not be running either.
int runSeedHistory(const Options& o) {
  std::ifstream in(o.devices);
  if (!in) return fail("seed-history", core::Status::notFound("cannot read " + o.devices));
  std::stringstream text;
  text << in.rdbuf();
  auto devices = sim::parseFleetDevices(text.str());
  if (!devices) return fail("seed-history", devices.error());
  auto products = sim::loadProducts(o.specs);
  if (!products) return fail("seed-history", products.error());
  auto history = store::openHistoryIn(o.data_dir, store::historyEngineIn(o.data_dir));
  if (!history) return fail("seed-history", history.error());
  const int64_t now = core::SystemClock().unixMillis();
  const sim::HistorySeedOptions options{now - static_cast<int64_t>(o.days * 86'400'000), now};
  auto seeded = sim::seedHistory(*history.value(), devices.value(), products.value(), options);
  if (!seeded) return fail("seed-history", seeded.error());
  std::printf("%s\n", json::serialize(json::object{{"seeded", seeded.value().seeded},
                                                   {"skipped", seeded.value().skipped},
                                                   {"samples", seeded.value().samples},
                                                   {"events", seeded.value().events}})
                          .c_str());
  return 0;
}

}  // namespace

void addDeviceCommands(CLI::App& app, int& exit_code) {
  auto* device = app.add_subcommand("device", "Register, list, show and remove devices");
  device->require_subcommand(1);
  auto options = std::make_shared<Options>();
  auto data_dir = [&options](CLI::App* cmd) {
    cmd->add_option("--data-dir", options->data_dir, "Data directory (server.data_dir)")->capture_default_str();
  };

  auto* add = device->add_subcommand("add", "Register devices of a product; prints their credentials as JSON");
  add->add_option("--product", options->model, "Product model, e.g. yeelink.light.color2")->required();
  add->add_option("--count", options->count, "How many devices")->capture_default_str()->check(CLI::Range(1, 100000));
  data_dir(add);
  add->callback([options, &exit_code] { exit_code = runAdd(*options); });

  auto* bind_code = device->add_subcommand(
      "bind-code", "Give a device a new bind code (the old one stops working) and print it");
  bind_code->add_option("did", options->did, "Device id")->required();
  data_dir(bind_code);
  bind_code->callback([options, &exit_code] { exit_code = runBindCode(*options); });

  auto* list = device->add_subcommand("list", "List devices in did order, a page at a time");
  list->add_option("--product", options->model, "Only devices of this product");
  list->add_option("--after", options->after, "Start after this did (the last of the previous page)");
  list->add_option("--limit", options->limit, "Page size")->capture_default_str();
  data_dir(list);
  list->callback([options, &exit_code] { exit_code = runList(*options); });

  auto* show = device->add_subcommand("show", "Print one device as JSON");
  show->add_option("did", options->did, "Device id")->required();
  data_dir(show);
  show->callback([options, &exit_code] { exit_code = runShow(*options); });

  auto* history = device->add_subcommand(
      "history", "Print a device's stored property values (--siid/--piid) or events as JSON; hearthd must be stopped");
  history->add_option("did", options->did, "Device id")->required();
  history->add_option("--siid", options->siid, "Service of the property (omit for events)");
  history->add_option("--piid", options->piid, "Property");
  history->add_option("--from", options->from_ms, "From (Unix ms, inclusive)");
  history->add_option("--to", options->to_ms, "To (Unix ms, exclusive)");
  history->add_option("--limit", options->limit, "At most this many")->capture_default_str();
  data_dir(history);
  history->callback([options, &exit_code] { exit_code = runHistory(*options); });

  auto* shadow = device->add_subcommand(
      "shadow", "Print a device's latest value of every property as JSON; hearthd must be stopped");
  shadow->add_option("did", options->did, "Device id")->required();
  data_dir(shadow);
  shadow->callback([options, &exit_code] { exit_code = runShadow(*options); });

  auto* seed = device->add_subcommand(
      "seed-history", "Give simulated devices that have no history yet a past of --days days from their behaviours "
                      "(the demo's charts); prints what it wrote; hearthd must be stopped");
  seed->add_option("--devices", options->devices, "Devices, as `hearth device add` prints them (JSON)")->required();
  seed->add_option("--specs", options->specs, "Folder of the products' spec files")->required();
  seed->add_option("--days", options->days, "Days of history")->capture_default_str()->check(CLI::Range(0.01, 365.0));
  data_dir(seed);
  seed->callback([options, &exit_code] { exit_code = runSeedHistory(*options); });

  auto* remove = device->add_subcommand("remove", "Remove a device; its credentials stop working");
  remove->add_option("did", options->did, "Device id")->required();
  data_dir(remove);
  remove->callback([options, &exit_code] { exit_code = runRemove(*options); });
}

}  // namespace hearth::cli

// hearth-mqtt-load: an MQTT load generator for comparing brokers (see docs/performance.md).
#include <CLI/CLI.hpp>
#include <boost/asio/ip/address.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "device_reporter.h"
#include "hearth/core/open_files.h"
#include "options.h"
#include "orchestrator.h"

int main(int argc, char** argv) {
  using hearth::bench::Scenario;
  hearth::bench::LoadOptions o;
  CLI::App app{"hearth-mqtt-load: MQTT load generator (fan-in, fan-out, p2p, idle, connect-rate, ingest, commands)"};
  const std::map<std::string, Scenario> scenarios = {{"fan-in", Scenario::kFanIn},
                                                     {"fan-out", Scenario::kFanOut},
                                                     {"p2p", Scenario::kP2p},
                                                     {"idle", Scenario::kIdle},
                                                     {"connect-rate", Scenario::kConnectRate},
                                                     {"ingest", Scenario::kIngest},
                                                     {"commands", Scenario::kCommands}};
  const std::map<std::string, hearth::bench::ValueKind> value_kinds = {{"bool", hearth::bench::ValueKind::kBool},
                                                                       {"int", hearth::bench::ValueKind::kInt}};
  app.add_option("--host", o.host, "Broker IP address")->capture_default_str();
  app.add_option("--port", o.port, "Broker MQTT port")->capture_default_str();
  app.add_option("--scenario", o.scenario, "fan-in | fan-out | p2p | idle | connect-rate | ingest | commands")
      ->required()
      ->transform(CLI::CheckedTransformer(scenarios, CLI::ignore_case));
  auto* connections = app.add_option("--connections", o.connections,
                                     "Publishers (fan-in), subscribers (fan-out), pairs (p2p), clients (idle), "
                                     "connecting slots (connect-rate), devices (ingest; default: all in --credentials)")
                          ->capture_default_str();
  app.add_option("--qos", o.qos, "QoS of publishes and subscriptions (ingest: always 1)")
      ->check(CLI::Range(0, 1))
      ->capture_default_str();
  app.add_option("--payload", o.payload, "Payload bytes (at least 21: send time, publisher, sequence, flag)")
      ->capture_default_str();
  app.add_option("--duration", o.duration_s, "Measured seconds, after the warmup")->capture_default_str();
  app.add_option("--warmup", o.warmup_s, "Seconds of load before measuring")->capture_default_str();
  app.add_option("--rate", o.rate, "Total messages/s offered; 0 = as fast as the windows allow")->capture_default_str();
  app.add_option("--window", o.window, "Per publisher: messages in flight end to end (and unacknowledged at QoS 1)")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  app.add_option("--processes", o.processes, "Processes to spread the clients over")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--source-addresses", o.source_addresses, "Bind clients to 127.0.0.1 .. 127.0.0.N")
      ->check(CLI::Range(1, 254))
      ->capture_default_str();
  app.add_option("--threads", o.threads, "Event-loop threads per process")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--broker-pid", o.broker_pid, "Broker process, for its VmRSS from /proc/PID/status");
  app.add_flag("--json", o.json, "Print the summary as one JSON line on stdout (text goes to stderr)");
  app.add_option("--protocol", o.protocol, "MQTT protocol level: 4 (3.1.1) or 5")
      ->check(CLI::IsMember({4, 5}))
      ->capture_default_str();
  app.add_option("--keep-alive", o.keep_alive, "Keep-alive seconds sent in CONNECT")->capture_default_str();
  app.add_option("--settle", o.settle_s, "idle: seconds to wait after the last CONNACK before reading broker memory")
      ->capture_default_str();
  app.add_option("--connect-window", o.connect_window, "Connection attempts in flight per process")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--topic-prefix", o.topic_prefix, "First topic level of every topic used")->capture_default_str();
  app.add_option("--credentials", o.credentials,
                 "ingest: devices as `hearth device add` prints them, [{\"did\",\"secret\"},...]");
  app.add_option("--siid", o.siid, "ingest: service of the reported property")->capture_default_str();
  app.add_option("--piid", o.piid, "ingest: the reported property")->capture_default_str();
  app.add_option("--value-kind", o.value_kind, "ingest: bool (alternates) or int (cycles through --int-min..--int-max)")
      ->transform(CLI::CheckedTransformer(value_kinds, CLI::ignore_case));
  app.add_option("--int-min", o.int_min, "ingest: smallest int value reported")->capture_default_str();
  app.add_option("--int-max", o.int_max, "ingest: largest int value reported")->capture_default_str();
  app.add_option("--http-port", o.http_port, "commands: hearthd's HTTP port")->capture_default_str();
  app.add_option("--token-file", o.token_file, "commands: the operator token file (<data_dir>/operator.token)");
  app.add_option("--http-connections", o.http_connections, "commands: keep-alive HTTP connections per process")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--child-index", o.child_index, "internal: set in the processes the parent starts")
      ->group("");
  CLI11_PARSE(app, argc, argv);

  boost::system::error_code ec;
  boost::asio::ip::make_address(o.host, ec);
  if (ec) {
    std::fprintf(stderr, "hearth-mqtt-load: --host must be an IP address: %s\n", o.host.c_str());
    return 2;
  }
  if (o.source_addresses > 1 && o.host.rfind("127.", 0) != 0) {
    std::fprintf(stderr, "hearth-mqtt-load: --source-addresses needs a loopback --host\n");
    return 2;
  }
  if (o.scenario == Scenario::kCommands && (o.token_file.empty() || o.rate <= 0)) {
    std::fprintf(stderr, "hearth-mqtt-load: --scenario commands needs --token-file FILE and --rate N\n");
    return 2;
  }
  if (o.scenario == Scenario::kIngest || o.scenario == Scenario::kCommands) {
    if (o.credentials.empty()) {
      std::fprintf(stderr, "hearth-mqtt-load: --scenario %s needs --credentials FILE\n",
                   std::string(hearth::bench::scenarioName(o.scenario)).c_str());
      return 2;
    }
    if (o.int_min > o.int_max) {
      std::fprintf(stderr, "hearth-mqtt-load: --int-min is above --int-max\n");
      return 2;
    }
    std::string error;
    const auto devices = hearth::bench::loadCredentials(o.credentials, error);
    if (!devices) {
      std::fprintf(stderr, "hearth-mqtt-load: %s\n", error.c_str());
      return 2;
    }
    if (connections->count() == 0) o.connections = static_cast<uint32_t>(devices->size());
    if (o.connections > devices->size()) {
      std::fprintf(stderr, "hearth-mqtt-load: --connections %u but %zu devices in %s\n", o.connections,
                   devices->size(), o.credentials.c_str());
      return 2;
    }
    // A report is acknowledged once stored: the acknowledgement is what is measured.
    o.qos = 1;
  }
  hearth::core::raiseOpenFileLimit();
  if (o.isChild()) return hearth::bench::runChild(o);
  return hearth::bench::runParent(o, std::vector<std::string>(argv, argv + argc));
}

// Command-line options of hearth-mqtt-load, and how one process's share of the load is derived
// from them in a multi-process run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::bench {

enum class Scenario { kFanIn, kFanOut, kP2p, kIdle, kConnectRate, kIngest, kCommands };

// ingest: the type of the reported property's values.
enum class ValueKind { kBool, kInt };

std::string_view scenarioName(Scenario s);

struct LoadOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 1883;
  Scenario scenario = Scenario::kFanIn;
  uint32_t connections = 100;
  int qos = 0;
  uint32_t payload = 64;
  double duration_s = 10;
  double warmup_s = 2;
  double rate = 0;              // messages/s offered by all publishers together; 0 = flood
  uint32_t window = 64;         // per publisher: messages sent and not yet received (and acked)
  uint32_t processes = 1;
  uint32_t source_addresses = 1;  // 127.0.0.1 .. 127.0.0.N
  uint32_t threads = 1;
  int broker_pid = 0;
  bool json = false;
  int protocol = 4;
  uint16_t keep_alive = 60;
  double settle_s = 2;          // idle: wait after the last CONNACK before reading broker memory
  uint32_t connect_window = 256;  // connection attempts in flight per process
  std::string topic_prefix = "bench";
  // ingest, commands: registered devices (hearth device add's JSON) and the property each one
  // reports (ingest) or is set (commands).
  std::string credentials;
  uint32_t siid = 2;
  uint32_t piid = 1;
  ValueKind value_kind = ValueKind::kBool;
  int64_t int_min = 0;   // ValueKind::kInt: values cycle through [int_min, int_max]
  int64_t int_max = 100;
  // commands: hearthd's HTTP API, the operator token (the file hearthd writes) and how many
  // keep-alive connections carry the commands; --rate is commands per second.
  uint16_t http_port = 8080;
  std::string token_file;
  uint32_t http_connections = 32;
  int child_index = -1;         // set (hidden flag) in the processes the parent forks

  bool isChild() const { return child_index >= 0; }
};

// The part of the load one process runs: its clients, their global numbering (for source
// addresses and client ids) and its share of the offered rate.
struct ProcessShare {
  uint32_t index = 0;
  uint32_t connections = 0;   // this process's N
  uint32_t first_global = 0;  // global number of its first client
  double rate = 0;
};

ProcessShare processShare(const LoadOptions& o, uint32_t process_index);

// Minimum payload: send time, publisher number, sequence number and the measured-window flag.
inline constexpr uint32_t kPayloadHeaderSize = 21;

}  // namespace hearth::bench

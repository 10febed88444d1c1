#include "mqtt/metrics.h"

#include <fmt/format.h>

namespace hearth::mqtt {
namespace {

Metrics::Block g_shared_block;
thread_local Metrics::Block* t_block = &g_shared_block;

struct CounterInfo {
  const char* name;
  const char* labels;
  const char* help;
};

// Indexed by Counter. Families with labels share a name and HELP line.
constexpr CounterInfo kInfo[] = {
    {"hearth_mqtt_connections_accepted_total", "", "Network connections accepted."},
    {"hearth_mqtt_connects_total", "{result=\"accepted\"}", "CONNECT packets by outcome."},
    {"hearth_mqtt_connects_total", "{result=\"rejected\"}", ""},
    {"hearth_mqtt_auth_failures_total", "", "CONNECTs refused for bad credentials or not authorized."},
    {"hearth_mqtt_disconnects_total", "", "Connections closed."},
    {"hearth_mqtt_keepalive_timeouts_total", "", "Connections closed because keep-alive expired."},
    {"hearth_mqtt_protocol_errors_total", "", "Connections closed for malformed or invalid packets."},
    {"hearth_mqtt_messages_in_total", "{qos=\"0\"}", "PUBLISH packets received from clients."},
    {"hearth_mqtt_messages_in_total", "{qos=\"1\"}", ""},
    {"hearth_mqtt_messages_in_total", "{qos=\"2\"}", ""},
    {"hearth_mqtt_messages_out_total", "{qos=\"0\"}", "PUBLISH packets sent to clients."},
    {"hearth_mqtt_messages_out_total", "{qos=\"1\"}", ""},
    {"hearth_mqtt_messages_out_total", "{qos=\"2\"}", ""},
    {"hearth_mqtt_bytes_received_total", "", "Bytes received from clients."},
    {"hearth_mqtt_bytes_sent_total", "", "Bytes sent to clients."},
    {"hearth_mqtt_dropped_total", "{reason=\"queue_full\"}", "Messages not delivered, by reason."},
    {"hearth_mqtt_dropped_total", "{reason=\"qos0_offline\"}", ""},
    {"hearth_mqtt_dropped_total", "{reason=\"expired\"}", ""},
    {"hearth_mqtt_dropped_total", "{reason=\"packet_too_large\"}", ""},
    {"hearth_mqtt_dropped_total", "{reason=\"not_authorized\"}", ""},
    {"hearth_mqtt_subscribe_denied_total", "", "Topic filters refused by the authorizer."},
    {"hearth_mqtt_store_failures_total", "",
     "Acknowledgements refused because a store failed: reason code 0x80, or a 3.1.1 client disconnected."},
    {"hearth_mqtt_withheld_total", "",
     "Messages a subscription matched but its client may not read (ACL, anonymous clients under device/, an app's "
     "access that ended): not sent to that client."},
};
static_assert(std::size(kInfo) == static_cast<size_t>(Counter::kCount));

// A Prometheus label value: backslash, double quote and line feed escaped (client ids are any
// UTF-8 a client chose).
std::string labelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::setThreadBlock(Block* block) { t_block = block; }

void Metrics::add(Counter c, uint64_t n) {
  t_block->values[static_cast<size_t>(c)].fetch_add(n, std::memory_order_relaxed);
}

uint64_t Metrics::total(Counter c) const {
  uint64_t sum = g_shared_block.values[static_cast<size_t>(c)].load(std::memory_order_relaxed);
  for (const Block* b : blocks_) sum += b->values[static_cast<size_t>(c)].load(std::memory_order_relaxed);
  return sum;
}

std::string Metrics::prometheusText(const Gauges& gauges, const std::vector<ClientDrops>& clients) const {
  std::string out;
  std::string_view last_name;
  for (size_t i = 0; i < static_cast<size_t>(Counter::kCount); ++i) {
    const CounterInfo& info = kInfo[i];
    if (last_name != info.name) {
      out += fmt::format("# HELP {} {}\n# TYPE {} counter\n", info.name, info.help, info.name);
      last_name = info.name;
    }
    out += fmt::format("{}{} {}\n", info.name, info.labels, total(static_cast<Counter>(i)));
  }
  auto gauge = [&](const char* name, const char* help, uint64_t v) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", name, help, name, name, v);
  };
  gauge("hearth_mqtt_connections", "Open client connections.", gauges.connections);
  gauge("hearth_mqtt_sessions", "Sessions, connected or not.", gauges.sessions);
  gauge("hearth_mqtt_subscriptions", "Subscriptions in the index.", gauges.subscriptions);
  gauge("hearth_mqtt_retained_messages", "Retained messages.", gauges.retained);
  // Few series by construction: only the clients that dropped most (Broker::kMetricsClients).
  out += fmt::format(
      "# HELP hearth_mqtt_client_dropped_total Messages dropped for one client because its queue was full, for "
      "the {} clients with most.\n# TYPE hearth_mqtt_client_dropped_total counter\n",
      Broker::kMetricsClients);
  for (const ClientDrops& c : clients) {
    out += fmt::format("hearth_mqtt_client_dropped_total{{client_id=\"{}\",reason=\"queue_full\"}} {}\n",
                       labelValue(c.client_id), c.queue_full);
  }
  return out;
}

}  // namespace hearth::mqtt

#include "report.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace hearth::bench {

namespace json = boost::json;

namespace {

// Counters copied between a child's line and ProcessResult, by name.
template <class F>
void forEachCounter(F&& f, ProcessResult& r) {
  f("sent", r.sent);
  f("sent_measured", r.sent_measured);
  f("received", r.received);
  f("received_in_window", r.received_in_window);
  f("received_measured", r.received_measured);
  f("expected", r.expected);
  f("puback_errors", r.puback_errors);
  f("window_resets", r.window_resets);
  f("disconnects", r.disconnects);
  f("connect_failures", r.connect_failures);
  f("connects", r.connects);
  f("clients", r.clients);
  f("ready", r.ready);
}

double us(uint64_t ns) { return static_cast<double>(ns) / 1000.0; }

// Numbers for people: Boost.JSON would print doubles in exponent form.
std::string plain(const json::value& v) {
  if (v.is_double()) {
    const double d = v.as_double();
    return d >= 100 || d <= -100 ? fmt::format("{:.0f}", d) : fmt::format("{:.2f}", d);
  }
  return json::serialize(v);
}

double round2(double v) { return static_cast<double>(static_cast<int64_t>(v * 100.0 + (v < 0 ? -0.5 : 0.5))) / 100.0; }

}  // namespace

long readProcStatusKb(int pid, const char* field) {
  if (pid <= 0) return -1;
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  const size_t n = std::strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') {
      return std::strtol(line.c_str() + n + 1, nullptr, 10);
    }
  }
  return -1;
}

json::object processResultToJson(const ProcessResult& r) {
  json::object o;
  o["phase"] = "result";
  ProcessResult copy = r;
  forEachCounter([&](const char* name, uint64_t& v) { o[name] = v; }, copy);
  o["latency_buckets"] = r.latency.toJson();
  return o;
}

ProcessResult processResultFromJson(const json::object& o) {
  ProcessResult r;
  forEachCounter(
      [&](const char* name, uint64_t& v) {
        if (const auto* p = o.if_contains(name)) v = p->to_number<uint64_t>();
      },
      r);
  if (const auto* b = o.if_contains("latency_buckets")) r.latency = sim::LatencyHistogram::fromJson(b->as_array());
  return r;
}

json::object summaryJson(const LoadOptions& o, const ProcessResult& r, const BrokerMemory& m) {
  json::object s;
  s["scenario"] = scenarioName(o.scenario);
  s["qos"] = o.qos;
  s["protocol"] = o.protocol;
  s["connections"] = o.connections;
  s["processes"] = o.processes;
  s["threads"] = o.threads;
  // An ingest report's or a command's payload is its JSON, whatever --payload says.
  if (o.scenario != Scenario::kIngest && o.scenario != Scenario::kCommands) {
    s["payload"] = std::max(o.payload, kPayloadHeaderSize);
  }
  s["duration_s"] = o.duration_s;
  s["warmup_s"] = o.warmup_s;
  s["rate"] = o.rate;
  s["window"] = o.window;
  s["clients"] = r.clients;
  s["ready"] = r.ready;
  s["connect_failures"] = r.connect_failures;
  s["disconnects"] = r.disconnects;
  const double d = o.duration_s > 0 ? o.duration_s : 1;
  s["sent"] = r.sent_measured;
  s["received"] = r.received_in_window;
  s["sent_per_s"] = round2(static_cast<double>(r.sent_measured) / d);
  s["received_per_s"] = round2(static_cast<double>(r.received_in_window) / d);
  s["expected"] = r.expected;
  s["received_measured"] = r.received_measured;
  const uint64_t lost = r.expected - std::min(r.expected, r.received_measured);
  s["lost"] = lost;
  s["loss_pct"] = r.expected == 0 ? 0.0 : round2(100.0 * static_cast<double>(lost) / static_cast<double>(r.expected));
  s["puback_errors"] = r.puback_errors;
  s["window_resets"] = r.window_resets;
  if (o.scenario == Scenario::kConnectRate) {
    s["connects"] = r.connects;
    s["connects_per_s"] = round2(static_cast<double>(r.connects) / d);
  }
  json::object lat;
  lat["count"] = r.latency.count();
  lat["p50"] = round2(us(r.latency.percentile(0.50)));
  lat["p90"] = round2(us(r.latency.percentile(0.90)));
  lat["p99"] = round2(us(r.latency.percentile(0.99)));
  lat["p999"] = round2(us(r.latency.percentile(0.999)));
  lat["max"] = round2(us(r.latency.max()));
  s["latency_us"] = std::move(lat);
  if (m.rss_before_kb >= 0) s["rss_before_kb"] = m.rss_before_kb;
  if (m.rss_after_kb >= 0) s["rss_after_kb"] = m.rss_after_kb;
  if (m.peak_rss_kb >= 0) s["broker_peak_rss_kb"] = m.peak_rss_kb;
  if (o.scenario == Scenario::kIdle && m.rss_before_kb >= 0 && m.rss_after_kb >= 0 && r.ready > 0) {
    s["bytes_per_connection"] =
        round2(static_cast<double>(m.rss_after_kb - m.rss_before_kb) * 1024.0 / static_cast<double>(r.ready));
  }
  s["ok"] = r.ready == r.clients && r.disconnects == 0;
  return s;
}

std::string summaryText(const json::object& s) {
  auto num = [&](const char* k) { return s.contains(k) ? plain(s.at(k)) : std::string("-"); };
  const auto& lat = s.at("latency_us").as_object();
  auto latv = [&](const char* k) { return plain(lat.at(k)); };
  std::string out;
  if (s.contains("connects_per_s")) {
    out += fmt::format("scenario connect-rate protocol {}: {} connecting slots, {} failed attempts\n", num("protocol"),
                       num("clients"), num("connect_failures"));
    out += fmt::format("  connects/s {}  connect latency us p50 {} p99 {} max {}\n", num("connects_per_s"),
                       latv("p50"), latv("p99"), latv("max"));
    return out;
  }
  out += fmt::format("scenario {} qos {} protocol {}: {} of {} clients ready, {} connect failures, {} unexpected "
                     "disconnects\n",
                     s.at("scenario").as_string().c_str(), num("qos"), num("protocol"), num("ready"), num("clients"),
                     num("connect_failures"), num("disconnects"));
  if (s.at("scenario").as_string() == "commands") {
    // "received" counts answered commands, "puback errors" failed ones (report: commands).
    out += fmt::format("  commands sent/s {}  answered/s {}  unanswered {} ({}%)  failed {}\n", num("sent_per_s"),
                       num("received_per_s"), num("lost"), num("loss_pct"), num("puback_errors"));
    out += fmt::format("  round trip us p50 {} p90 {} p99 {} p99.9 {} max {} (n={})\n", latv("p50"), latv("p90"),
                       latv("p99"), latv("p999"), latv("max"), latv("count"));
  } else if (s.at("scenario").as_string() == "ingest") {
    // What a device gets back is the PUBACK: "received" and "lost" count acknowledgements.
    out += fmt::format("  sent/s {}  acked/s {}  unacknowledged {} ({}%)  puback errors {}\n", num("sent_per_s"),
                       num("received_per_s"), num("lost"), num("loss_pct"), num("puback_errors"));
    out += fmt::format("  ack latency us p50 {} p90 {} p99 {} p99.9 {} max {} (n={})\n", latv("p50"), latv("p90"),
                       latv("p99"), latv("p999"), latv("max"), latv("count"));
  } else if (s.at("scenario").as_string() != "idle") {
    out += fmt::format("  sent/s {}  received/s {}  lost {} ({}%)  window resets {}  puback errors {}\n",
                       num("sent_per_s"), num("received_per_s"), num("lost"), num("loss_pct"), num("window_resets"),
                       num("puback_errors"));
    out += fmt::format("  latency us p50 {} p90 {} p99 {} p99.9 {} max {} (n={})\n", latv("p50"), latv("p90"),
                       latv("p99"), latv("p999"), latv("max"), latv("count"));
  }
  if (s.contains("rss_after_kb")) {
    out += fmt::format("  broker VmRSS before {} kB, with clients {} kB, bytes/connection {}\n", num("rss_before_kb"),
                       num("rss_after_kb"), num("bytes_per_connection"));
  }
  if (s.contains("broker_peak_rss_kb")) out += fmt::format("  broker VmHWM {} kB\n", num("broker_peak_rss_kb"));
  return out;
}

}  // namespace hearth::bench

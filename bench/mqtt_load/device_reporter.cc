#include "device_reporter.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include "hearth/core/json.h"

namespace hearth::bench {

namespace json = boost::json;

std::optional<std::vector<DeviceCredential>> loadCredentials(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = fmt::format("cannot read {}", path);
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  const auto parsed = hearth::core::parseJson(text.str());
  if (!parsed || !parsed.value().is_array()) {
    error = fmt::format("{}: not a JSON array (hearth device add's output)", path);
    return std::nullopt;
  }
  const json::value& v = parsed.value();
  std::vector<DeviceCredential> devices;
  devices.reserve(v.as_array().size());
  for (const json::value& item : v.as_array()) {
    const json::object* o = item.if_object();
    const json::value* did = o ? o->if_contains("did") : nullptr;
    const json::value* secret = o ? o->if_contains("secret") : nullptr;
    if (did == nullptr || secret == nullptr || !did->is_string() || !secret->is_string()) {
      error = fmt::format("{}: item {} lacks a string \"did\" or \"secret\"", path, devices.size());
      return std::nullopt;
    }
    devices.push_back({std::string(did->as_string()), std::string(secret->as_string())});
  }
  return devices;
}

mqtt::Connect deviceConnect(mqtt::Connect base, const DeviceCredential& device) {
  base.client_id = device.did;
  base.username = device.did;
  base.password = device.secret;
  return base;
}

DeviceReporter::DeviceReporter(RunContext& ctx, Worker& worker, ClientSpec spec, const DeviceCredential& device)
    : ctx_(ctx),
      worker_(worker),
      client_(worker, *this, spec.broker, spec.source, deviceConnect(std::move(spec.connect), device)),
      packet_(mqtt::Publish{}) {
  auto& p = std::get<mqtt::Publish>(packet_);
  p.topic = fmt::format("device/{}/up", device.did);
  p.qos = mqtt::QoS::k1;
}

void DeviceReporter::onConnAck(MqttClient& c, const mqtt::ConnAck&) {
  ack_window_ = std::min<uint32_t>(ctx_.opts.window, c.serverReceiveMaximum());
  in_flight_.reserve(ack_window_);
  ctx_.ready.fetch_add(1, std::memory_order_relaxed);
  ctx_.settled.fetch_add(1, std::memory_order_relaxed);
}

void DeviceReporter::fillPayload(std::string& payload) {
  // A valid value every time, and a different one from the last, so every report is a change.
  const uint64_t id = next_id_++;
  payload.clear();  // keeps its capacity: no allocation per report
  auto out = std::back_inserter(payload);
  fmt::format_to(out, R"({{"id":{},"method":"properties_changed","params":[{{"siid":{},"piid":{},"value":)", id,
                 ctx_.opts.siid, ctx_.opts.piid);
  if (ctx_.opts.value_kind == ValueKind::kBool) {
    fmt::format_to(out, "{}", id % 2 == 0);
  } else {
    const auto span = static_cast<uint64_t>(ctx_.opts.int_max - ctx_.opts.int_min) + 1;
    fmt::format_to(out, "{}", ctx_.opts.int_min + static_cast<int64_t>(id % span));
  }
  payload += "}]}";
}

size_t DeviceReporter::pump(int64_t now, size_t budget) {
  if (!client_.connected() || now < ctx_.start_ns.load(std::memory_order_relaxed) ||
      now >= ctx_.stop_ns.load(std::memory_order_relaxed)) {
    return 0;
  }
  const size_t allowed = std::min<size_t>(budget, ack_window_ - std::min<size_t>(in_flight_.size(), ack_window_));
  auto& publish = std::get<mqtt::Publish>(packet_);
  const bool measured = ctx_.measured(now);
  for (size_t i = 0; i < allowed; ++i) {
    fillPayload(publish.payload);
    packet_id_ = static_cast<uint16_t>(packet_id_ == 65535 ? 1 : packet_id_ + 1);
    publish.packet_id = packet_id_;
    in_flight_.push_back({packet_id_, measured, sim::steadyNowNs()});
    client_.send(packet_);
  }
  worker_.stats.sent += allowed;
  if (measured) worker_.stats.sent_measured.add(allowed);
  return allowed;
}

void DeviceReporter::onPacket(MqttClient&, mqtt::Packet&& packet) {
  // Anything else (a rejection's reply on device/<did>/down needs a subscription) is not ours.
  auto* ack = std::get_if<mqtt::PubResponse>(&packet);
  if (ack == nullptr || ack->type != mqtt::PacketType::kPubAck) return;
  const auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                               [&](const InFlight& f) { return f.packet_id == ack->packet_id; });
  if (it == in_flight_.end()) return;  // a PUBACK for nothing we sent: not counted
  const InFlight sent = *it;
  in_flight_.erase(it);
  WorkerStats& st = worker_.stats;
  const int64_t now = sim::steadyNowNs();
  ++st.received;
  if (ctx_.measured(now)) ++st.received_in_window;
  if (sent.measured) {
    st.received_measured.add();
    st.latency.record(static_cast<uint64_t>(std::max<int64_t>(0, now - sent.sent_ns)));
  }
  if (mqtt::isError(ack->reason_code)) ++st.puback_errors;
  // Flooding: the next report goes out on this acknowledgement, as a device with a window of
  // one would send its next change. The client flushes once per read.
  if (ctx_.opts.rate <= 0) pump(now, ack_window_);
}

void DeviceReporter::onLost(MqttClient&, std::string_view why, bool before_connack) {
  logLost("device", why);
  if (before_connack) {
    ++worker_.stats.connect_failures;
    ctx_.settled.fetch_add(1, std::memory_order_relaxed);
  } else {
    ++worker_.stats.disconnects;
  }
}

}  // namespace hearth::bench

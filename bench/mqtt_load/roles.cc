#include "roles.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

namespace hearth::bench {

namespace {

// A window that has not moved for this long holds messages the broker dropped (QoS 0 may be
// dropped legitimately); it is reopened rather than stalling the publisher forever.
constexpr int64_t kStallNs = 500'000'000;
constexpr int64_t kReconnectDelayMs = 10;

// Offsets in the payload header.
constexpr size_t kSentAtOffset = 0;    // int64 steady-clock ns
constexpr size_t kPublisherOffset = 8;  // uint32 publisher number within the process
constexpr size_t kSeqOffset = 12;       // uint64 sequence number, from 1
constexpr size_t kMeasuredOffset = 20;  // 1 if sent inside the measured window

template <class T>
void put(std::string& s, size_t offset, T value) {
  std::memcpy(s.data() + offset, &value, sizeof value);
}

template <class T>
T get(const std::string& s, size_t offset) {
  T value;
  std::memcpy(&value, s.data() + offset, sizeof value);
  return value;
}

}  // namespace

void logLost(std::string_view what, std::string_view why) {
  static std::atomic<int> logged{0};
  if (logged.fetch_add(1, std::memory_order_relaxed) < 5) {
    std::fprintf(stderr, "hearth-mqtt-load: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
                 static_cast<int>(why.size()), why.data());
  }
}

Publisher::Publisher(RunContext& ctx, Worker& worker, ClientSpec spec, uint32_t index, std::string topic,
                     size_t slot_begin, size_t slot_end)
    : ctx_(ctx),
      worker_(worker),
      client_(worker, *this, spec.broker, spec.source, std::move(spec.connect)),
      index_(index),
      slot_begin_(slot_begin),
      slot_end_(slot_end) {
  mqtt::Publish p;
  p.topic = std::move(topic);
  p.qos = ctx.qos;
  p.payload.assign(std::max(ctx.opts.payload, kPayloadHeaderSize), 'x');
  put(p.payload, kPublisherOffset, index_);
  packet_ = std::move(p);
}

void Publisher::onConnAck(MqttClient& c, const mqtt::ConnAck&) {
  ack_window_ = std::min<uint32_t>(ctx_.opts.window, c.serverReceiveMaximum());
  ctx_.ready.fetch_add(1, std::memory_order_relaxed);
  ctx_.settled.fetch_add(1, std::memory_order_relaxed);
}

size_t Publisher::pump(int64_t now, size_t budget) {
  if (!client_.connected() || now < ctx_.start_ns.load(std::memory_order_relaxed) ||
      now >= ctx_.stop_ns.load(std::memory_order_relaxed)) {
    return 0;
  }
  uint64_t received = std::numeric_limits<uint64_t>::max();
  for (size_t i = slot_begin_; i < slot_end_; ++i) {
    received = std::min(received, ctx_.slots[i].highest_seq.load(std::memory_order_relaxed));
  }
  received = std::max(received, floor_);
  const uint64_t sent = next_seq_ - 1;
  if (received != last_min_ || last_progress_ns_ == 0) {
    last_min_ = received;
    last_progress_ns_ = now;
  }
  uint64_t in_flight = sent - std::min(received, sent);
  if (in_flight >= ctx_.opts.window) {
    if (now - last_progress_ns_ < kStallNs) return 0;
    floor_ = sent;
    last_progress_ns_ = now;
    ++worker_.stats.window_resets;
    in_flight = 0;
  }
  uint64_t allowed = ctx_.opts.window - in_flight;
  if (ctx_.qos != mqtt::QoS::k0) {
    allowed = std::min<uint64_t>(allowed, ack_window_ - std::min<uint64_t>(unacked_, ack_window_));
  }
  allowed = std::min<uint64_t>(allowed, budget);

  auto& publish = std::get<mqtt::Publish>(packet_);
  const bool measured = ctx_.measured(now);
  for (uint64_t i = 0; i < allowed; ++i) {
    put(publish.payload, kSentAtOffset, sim::steadyNowNs());
    put(publish.payload, kSeqOffset, next_seq_++);
    publish.payload[kMeasuredOffset] = measured ? 1 : 0;
    if (ctx_.qos != mqtt::QoS::k0) {
      packet_id_ = static_cast<uint16_t>(packet_id_ == 65535 ? 1 : packet_id_ + 1);
      publish.packet_id = packet_id_;
      ++unacked_;
    }
    client_.send(packet_);
  }
  worker_.stats.sent += allowed;
  if (measured) worker_.stats.sent_measured.add(allowed);
  return allowed;
}

void Publisher::onPacket(MqttClient& c, mqtt::Packet&& packet) {
  auto* ack = std::get_if<mqtt::PubResponse>(&packet);
  if (ack == nullptr || ack->type != mqtt::PacketType::kPubAck) return;
  if (unacked_ > 0) --unacked_;
  if (mqtt::isError(ack->reason_code)) ++worker_.stats.puback_errors;
  // Flooding: refill the window now rather than at the next tick. The caller flushes.
  if (ctx_.opts.rate <= 0) pump(sim::steadyNowNs(), std::numeric_limits<size_t>::max());
  (void)c;
}

void Publisher::onLost(MqttClient&, std::string_view why, bool before_connack) {
  logLost("publisher", why);
  if (before_connack) {
    ++worker_.stats.connect_failures;
    ctx_.settled.fetch_add(1, std::memory_order_relaxed);
  } else {
    ++worker_.stats.disconnects;
  }
}

Subscriber::Subscriber(RunContext& ctx, Worker& worker, ClientSpec spec, std::string filter, int64_t own_slot)
    : ctx_(ctx),
      worker_(worker),
      client_(worker, *this, spec.broker, spec.source, std::move(spec.connect)),
      filter_(std::move(filter)),
      own_slot_(own_slot) {}

void Subscriber::onConnAck(MqttClient& c, const mqtt::ConnAck&) {
  mqtt::Subscribe s;
  s.packet_id = 1;
  mqtt::Subscription sub;
  sub.filter = filter_;
  sub.options.max_qos = ctx_.qos;
  s.subscriptions.push_back(std::move(sub));
  c.send(s);
  c.flush();
}

void Subscriber::onPacket(MqttClient& c, mqtt::Packet&& packet) {
  if (auto* p = std::get_if<mqtt::Publish>(&packet)) {
    onPublish(*p);
    if (p->qos == mqtt::QoS::k1) {
      mqtt::PubResponse ack;
      ack.type = mqtt::PacketType::kPubAck;
      ack.packet_id = p->packet_id;
      c.send(ack);  // flushed once per read by the client
    }
    return;
  }
  if (auto* ack = std::get_if<mqtt::SubAck>(&packet)) {
    if (subscribed_) return;
    subscribed_ = true;
    const bool ok = !ack->reason_codes.empty() && !mqtt::isError(ack->reason_codes[0]);
    if (ok) {
      ctx_.ready.fetch_add(1, std::memory_order_relaxed);
    } else {
      logLost("subscriber", "SUBACK refused the subscription");
      ++worker_.stats.connect_failures;
    }
    ctx_.settled.fetch_add(1, std::memory_order_relaxed);
  }
}

void Subscriber::onPublish(const mqtt::Publish& p) {
  WorkerStats& st = worker_.stats;
  ++st.received;
  if (p.payload.size() < kPayloadHeaderSize) return;  // not ours
  const int64_t now = sim::steadyNowNs();
  if (ctx_.measured(now)) ++st.received_in_window;
  const auto sent_at = get<int64_t>(p.payload, kSentAtOffset);
  const auto publisher = get<uint32_t>(p.payload, kPublisherOffset);
  const auto seq = get<uint64_t>(p.payload, kSeqOffset);
  if (p.payload[kMeasuredOffset] == 1) {
    st.received_measured.add();
    st.latency.record(static_cast<uint64_t>(std::max<int64_t>(0, now - sent_at)));
  }
  const auto slot = static_cast<size_t>(own_slot_ >= 0 ? own_slot_ : publisher);
  if (slot < ctx_.slots.size()) {
    auto& s = ctx_.slots[slot].highest_seq;
    if (seq > s.load(std::memory_order_relaxed)) s.store(seq, std::memory_order_relaxed);
  }
  if (ctx_.kick) ctx_.kick(publisher);
}

void Subscriber::onLost(MqttClient&, std::string_view why, bool before_connack) {
  logLost("subscriber", why);
  if (before_connack || !subscribed_) {
    ++worker_.stats.connect_failures;
    ctx_.settled.fetch_add(1, std::memory_order_relaxed);
    subscribed_ = true;  // settled once only
  } else {
    ++worker_.stats.disconnects;
  }
}

IdleClient::IdleClient(RunContext& ctx, Worker& worker, ClientSpec spec)
    : ctx_(ctx), worker_(worker), client_(worker, *this, spec.broker, spec.source, std::move(spec.connect)) {}

void IdleClient::onConnAck(MqttClient&, const mqtt::ConnAck&) {
  ctx_.ready.fetch_add(1, std::memory_order_relaxed);
  ctx_.settled.fetch_add(1, std::memory_order_relaxed);
}

void IdleClient::onLost(MqttClient&, std::string_view why, bool before_connack) {
  logLost("idle client", why);
  if (before_connack) {
    ++worker_.stats.connect_failures;
    ctx_.settled.fetch_add(1, std::memory_order_relaxed);
  } else {
    ++worker_.stats.disconnects;
  }
}

Connector::Connector(RunContext& ctx, Worker& worker, ClientSpec spec)
    : ctx_(ctx),
      worker_(worker),
      client_(worker, *this, spec.broker, spec.source, std::move(spec.connect)),
      timer_(worker.io()) {}

void Connector::onConnAck(MqttClient& c, const mqtt::ConnAck&) {
  const int64_t now = sim::steadyNowNs();
  if (ctx_.measured(now)) {
    ++worker_.stats.connects;
    worker_.stats.latency.record(static_cast<uint64_t>(now - c.startedAtNs()));
  }
  c.disconnect();
  again();
}

void Connector::onLost(MqttClient&, std::string_view why, bool) {
  logLost("connector", why);
  ++worker_.stats.connect_failures;
  // Back off briefly so a refusing broker does not turn this into a busy loop.
  timer_.expires_after(std::chrono::milliseconds(kReconnectDelayMs));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) again();
  });
}

void Connector::again() {
  if (sim::steadyNowNs() < ctx_.stop_ns.load(std::memory_order_relaxed)) client_.start();
}

}  // namespace hearth::bench

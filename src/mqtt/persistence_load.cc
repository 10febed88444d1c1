// Start-up: rebuilding sessions and retained messages from the store.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "mqtt/codec/byte_reader.h"
#include "mqtt/persistence.h"
#include "mqtt/retained_store.h"
#include "mqtt/session_registry.h"
#include "mqtt/subscription_index.h"

namespace hearth::mqtt {
namespace {

using detail::ByteReader;

bool readU64(ByteReader& r, uint64_t& out) {
  uint32_t hi = 0;
  uint32_t lo = 0;
  if (!r.readU32(hi) || !r.readU32(lo)) return false;
  out = (uint64_t{hi} << 32) | lo;
  return true;
}

bool readPrefixed(ByteReader& r, std::string_view& out) {
  uint16_t n = 0;
  return r.readU16(n) && r.readBytes(n, out);
}

// "<kind><client>\0<suffix of n bytes>": the client id and the suffix, or false.
bool splitKey(std::string_view key, size_t n, std::string_view& client, std::string_view& suffix) {
  if (key.size() < 2 + n || key[key.size() - n - 1] != '\0') return false;
  client = key.substr(1, key.size() - n - 2);
  suffix = key.substr(key.size() - n);
  return true;
}

uint64_t readBigEndian(std::string_view bytes) {
  uint64_t v = 0;
  for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

bool decodeSession(std::string_view bytes, Session& s) {
  ByteReader r(bytes);
  uint64_t detached = 0;
  uint64_t next_seq = 0;
  std::string_view username;
  uint32_t count = 0;
  if (!r.readU32(s.expiry_interval) || !readU64(r, detached) || !readU64(r, next_seq) ||
      !readPrefixed(r, username) || !r.readU32(count)) {
    return false;
  }
  s.detached_at_unix_ms = static_cast<int64_t>(detached);
  s.next_seq = next_seq;
  s.username = std::string(username);
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view filter;
    uint8_t opts = 0;
    uint32_t id = 0;
    if (!readPrefixed(r, filter) || !r.readU8(opts) || !r.readU32(id)) return false;
    SubscriptionOptions o;
    o.max_qos = static_cast<QoS>(std::min(opts & 0x03, 2));
    o.no_local = (opts & 0x04) != 0;
    o.retain_as_published = (opts & 0x08) != 0;
    o.retain_handling = static_cast<uint8_t>((opts >> 4) & 0x03);
    s.subscriptions.set(filter, StoredSubscription{o, id});
  }
  return r.atEnd();
}

struct Loading {
  SessionPtr session;
  std::map<uint64_t, Delivery> queued;
  std::map<uint64_t, std::pair<uint16_t, Inflight::Stage>> sent;
};

}  // namespace

core::Status Persistence::load(SessionRegistry& sessions, SubscriptionIndex& index, RetainedStore& retained) {
  size_t bad = 0;
  auto corrupt = [&](std::string_view what, std::string_view key) {
    ++bad;
    spdlog::error("mqtt: skipping unreadable {} record ({} bytes of key)", what, key.size());
  };
  const auto now = clock_.now();
  const int64_t now_unix = clock_.unixMillis();

  size_t retained_count = 0;
  HEARTH_RETURN_IF_ERROR(store_.scan("R", [&](std::string_view key, std::string_view value) {
    auto m = decodeMessage(value);
    if (!m || m.value()->topic != key.substr(1)) return corrupt("retained", key);
    if (!m.value()->expired(now)) {
      retained.put(m.value());
      ++retained_count;
    }
  }));

  std::unordered_map<std::string, Loading> loading;
  HEARTH_RETURN_IF_ERROR(store_.scan("S", [&](std::string_view key, std::string_view value) {
    auto s = std::make_shared<Session>(std::string(key.substr(1)));
    if (!decodeSession(value, *s)) return corrupt("session", key);
    s->stored = true;
    loading[s->clientId()].session = std::move(s);
  }));
  HEARTH_RETURN_IF_ERROR(store_.scan("Q", [&](std::string_view key, std::string_view value) {
    std::string_view client, suffix;
    auto it = splitKey(key, 8, client, suffix) ? loading.find(std::string(client)) : loading.end();
    if (it == loading.end()) return corrupt("queued message", key);
    ByteReader r(value);
    uint8_t qos = 0, retain = 0;
    uint16_t ids = 0;
    Delivery d;
    bool ok = r.readU8(qos) && r.readU8(retain) && r.readU16(ids) && qos >= 1 && qos <= 2;
    for (uint16_t i = 0; ok && i < ids; ++i) {
      uint32_t id = 0;
      ok = r.readU32(id);
      d.subscription_ids.push_back(id);
    }
    std::string_view rest;
    if (ok) r.readBytes(r.remaining(), rest);
    auto m = ok ? decodeMessage(rest) : core::Result<MessagePtr>(core::Status::corruption("header"));
    if (!m) return corrupt("queued message", key);
    d.qos = static_cast<QoS>(qos);
    d.retain = retain != 0;
    d.message = std::move(m).value();
    d.seq = readBigEndian(suffix);
    it->second.queued.emplace(d.seq, std::move(d));
  }));
  HEARTH_RETURN_IF_ERROR(store_.scan("I", [&](std::string_view key, std::string_view value) {
    std::string_view client, suffix;
    auto it = splitKey(key, 8, client, suffix) ? loading.find(std::string(client)) : loading.end();
    ByteReader r(value);
    uint16_t packet_id = 0;
    uint8_t stage = 0;
    if (it == loading.end() || !r.readU16(packet_id) || !r.readU8(stage) || stage > 2 || packet_id == 0) {
      return corrupt("in-flight", key);
    }
    it->second.sent[readBigEndian(suffix)] = {packet_id, static_cast<Inflight::Stage>(stage)};
  }));
  HEARTH_RETURN_IF_ERROR(store_.scan("P", [&](std::string_view key, std::string_view) {
    std::string_view client, suffix;
    auto it = splitKey(key, 2, client, suffix) ? loading.find(std::string(client)) : loading.end();
    if (it == loading.end()) return corrupt("QoS 2 id", key);
    it->second.session->incoming_qos2.push_back(static_cast<uint16_t>(readBigEndian(suffix)));
  }));

  size_t session_count = 0;
  size_t message_count = 0;
  for (auto& [client, l] : loading) {
    Session& s = *l.session;
    // A session whose connection was up at a crash has no detach time: its expiry starts now.
    const int64_t detached = s.detached_at_unix_ms != 0 ? s.detached_at_unix_ms : now_unix;
    const int64_t remaining_ms = int64_t{s.expiry_interval} * 1000 - std::max<int64_t>(0, now_unix - detached);
    if (s.expiry_interval == 0 || remaining_ms <= 0) {
      sessionEndedLocked(s);
      continue;
    }
    s.detached_at_unix_ms = detached;
    for (auto& [seq, sent] : l.sent) {
      auto q = l.queued.find(seq);
      Inflight f;
      f.packet_id = sent.first;
      f.stage = sent.second;
      if (f.stage != Inflight::Stage::kAwaitPubComp) {
        if (q == l.queued.end()) continue;  // acknowledged just before the crash
        f.delivery = std::move(q->second);
        l.queued.erase(q);
      }
      f.delivery.seq = seq;
      s.inflight.push_back(std::move(f));
    }
    for (auto& [seq, d] : l.queued) s.queue.push_back(std::move(d));
    message_count += s.queue.size() + s.inflight.size();
    s.next_seq = std::max(s.next_seq, (l.queued.empty() ? 0 : l.queued.rbegin()->first) + 1);
    if (!l.sent.empty()) s.next_seq = std::max(s.next_seq, l.sent.rbegin()->first + 1);
    for (const auto& [filter, sub] : s.subscriptions) index.add(&s, filter, sub.options, sub.subscription_id);
    sessions.restore(l.session, std::chrono::milliseconds(remaining_ms), now);
    ++session_count;
  }
  spdlog::info("mqtt: restored sessions={} queued_messages={} retained={} unreadable_records={}", session_count,
               message_count, retained_count, bad);
  return core::Status::ok();
}

}  // namespace hearth::mqtt

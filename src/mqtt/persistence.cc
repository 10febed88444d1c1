#include "mqtt/persistence.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "hearth/mqtt/codec.h"
#include "mqtt/codec/byte_reader.h"
#include "mqtt/codec/byte_writer.h"
#include "mqtt/retained_store.h"
#include "mqtt/session_registry.h"
#include "mqtt/subscription_index.h"

namespace hearth::mqtt {
namespace {

// Set when a write from this thread was refused; cleared by this thread's next barrier().
thread_local bool refused_on_this_thread = false;

using detail::ByteReader;

void appendU16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

void appendU32(std::string& out, uint32_t v) {
  appendU16(out, static_cast<uint16_t>(v >> 16));
  appendU16(out, static_cast<uint16_t>(v));
}

void appendU64(std::string& out, uint64_t v) {
  appendU32(out, static_cast<uint32_t>(v >> 32));
  appendU32(out, static_cast<uint32_t>(v));
}

void appendPrefixed(std::string& out, std::string_view s) {
  appendU16(out, static_cast<uint16_t>(s.size()));
  out.append(s);
}

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

std::string clientKey(char kind, std::string_view client_id) {
  std::string key(1, kind);
  key.append(client_id);
  key.push_back('\0');
  return key;
}

std::string seqKey(char kind, std::string_view client_id, uint64_t seq) {
  std::string key = clientKey(kind, client_id);
  appendU64(key, seq);
  return key;
}

// [kind][client]\0 .. [kind][client]\1: every per-delivery record of one client.
StateWrite clientRange(char kind, std::string_view client_id) {
  std::string begin = clientKey(kind, client_id);
  std::string end = begin;
  end.back() = '\1';
  return StateWrite{StateWrite::Kind::kDeleteRange, std::move(begin), std::move(end)};
}

std::string sessionKey(std::string_view client_id) { return "S" + std::string(client_id); }

std::string encodeSession(const Session& s) {
  std::string out;
  appendU32(out, s.expiry_interval);
  appendU64(out, static_cast<uint64_t>(s.detached_at_unix_ms));
  appendU64(out, s.next_seq);
  appendPrefixed(out, s.username);
  appendU32(out, static_cast<uint32_t>(s.subscriptions.size()));
  for (const auto& [filter, sub] : s.subscriptions) {
    appendPrefixed(out, filter);
    const SubscriptionOptions& o = sub.options;
    out.push_back(static_cast<char>(static_cast<uint8_t>(o.max_qos) | (o.no_local ? 0x04 : 0) |
                                    (o.retain_as_published ? 0x08 : 0) | (o.retain_handling << 4)));
    appendU32(out, sub.subscription_id);
  }
  return out;
}

}  // namespace

std::string Persistence::encodeMessage(const Message& m) const {
  int64_t expires_unix = 0;
  if (m.expires_at) expires_unix = clock_.unixMillis() + (*m.expires_at - clock_.now()).count();
  Publish p;
  p.topic = m.topic;
  p.payload = m.payload;
  p.qos = m.qos;
  p.retain = m.retain;
  p.packet_id = m.qos == QoS::k0 ? 0 : 1;
  p.properties = m.properties;
  std::string out;
  appendU64(out, static_cast<uint64_t>(expires_unix));
  appendPrefixed(out, m.publisher);
  encode(p, ProtocolVersion::kV5, out);
  return out;
}

core::Result<MessagePtr> Persistence::decodeMessage(std::string_view bytes) const {
  ByteReader r(bytes);
  uint64_t expires_unix = 0;
  std::string_view publisher;
  if (!readU64(r, expires_unix) || !readPrefixed(r, publisher)) {
    return core::Status::corruption("message record too short");
  }
  std::string_view packet_bytes;
  r.readBytes(r.remaining(), packet_bytes);
  auto packet = decode(packet_bytes, ProtocolVersion::kV5);
  if (!packet) return core::Status::corruption("message record: " + packet.error().message);
  auto* publish = std::get_if<Publish>(&packet.value());
  if (publish == nullptr) return core::Status::corruption("message record is not a PUBLISH");
  auto m = std::make_shared<Message>();
  m->topic = std::move(publish->topic);
  m->payload = std::move(publish->payload);
  m->qos = publish->qos;
  m->retain = publish->retain;
  m->properties = std::move(publish->properties);
  m->publisher = std::string(publisher);
  if (expires_unix != 0) {
    m->expires_at = clock_.now() + core::Clock::Duration(static_cast<int64_t>(expires_unix) - clock_.unixMillis());
  }
  return MessagePtr(std::move(m));
}

const std::string& Persistence::storedForm(const Message& m) const {
  std::call_once(m.stored_once, [&] { m.stored = encodeMessage(m); });
  return m.stored;
}

void Persistence::queuedLocked(const Session& s, const Delivery& d) {
  std::string value;
  value.push_back(static_cast<char>(d.qos));
  value.push_back(static_cast<char>(d.retain ? 1 : 0));
  appendU16(value, static_cast<uint16_t>(d.subscription_ids.size()));
  for (uint32_t id : d.subscription_ids) appendU32(value, id);
  value += storedForm(*d.message);
  write({StateWrite{StateWrite::Kind::kPut, seqKey('Q', s.clientId(), d.seq), std::move(value)}});
}

void Persistence::sentLocked(const Session& s, const Inflight& f) {
  std::string value;
  appendU16(value, f.packet_id);
  value.push_back(static_cast<char>(f.stage));
  write({StateWrite{StateWrite::Kind::kPut, seqKey('I', s.clientId(), f.delivery.seq), std::move(value)}});
}

void Persistence::releasedLocked(const Session& s, const Inflight& f) {
  std::string value;
  appendU16(value, f.packet_id);
  value.push_back(static_cast<char>(Inflight::Stage::kAwaitPubComp));
  write({StateWrite{StateWrite::Kind::kPut, seqKey('I', s.clientId(), f.delivery.seq), std::move(value)},
                StateWrite{StateWrite::Kind::kDelete, seqKey('Q', s.clientId(), f.delivery.seq), {}}});
}

void Persistence::completedLocked(const Session& s, uint64_t seq) {
  write({StateWrite{StateWrite::Kind::kDelete, seqKey('Q', s.clientId(), seq), {}},
                StateWrite{StateWrite::Kind::kDelete, seqKey('I', s.clientId(), seq), {}}});
}

void Persistence::incomingQos2Locked(const Session& s, uint16_t packet_id, bool add) {
  std::string key = clientKey('P', s.clientId());
  appendU16(key, packet_id);
  write({StateWrite{add ? StateWrite::Kind::kPut : StateWrite::Kind::kDelete, std::move(key), {}}});
}

void Persistence::sessionLocked(const Session& s) {
  write({StateWrite{StateWrite::Kind::kPut, sessionKey(s.clientId()), encodeSession(s)}});
}

void Persistence::sessionEndedLocked(const Session& s) {
  write({StateWrite{StateWrite::Kind::kDelete, sessionKey(s.clientId()), {}},
                clientRange('Q', s.clientId()), clientRange('I', s.clientId()), clientRange('P', s.clientId())});
}

void Persistence::snapshotLocked(Session& s) {
  sessionLocked(s);
  for (Delivery& d : s.queue) {
    if (d.qos == QoS::k0) continue;
    if (d.seq == 0) d.seq = s.next_seq++;
    queuedLocked(s, d);
  }
  for (Inflight& f : s.inflight) {
    if (f.delivery.seq == 0) f.delivery.seq = s.next_seq++;
    if (f.stage != Inflight::Stage::kAwaitPubComp) queuedLocked(s, f.delivery);
    sentLocked(s, f);
  }
  for (uint16_t id : s.incoming_qos2) incomingQos2Locked(s, id, true);
}

void Persistence::retained(const Message& m) {
  std::string key = "R" + m.topic;
  if (m.payload.empty()) {
    write({StateWrite{StateWrite::Kind::kDelete, std::move(key), {}}});
  } else {
    write({StateWrite{StateWrite::Kind::kPut, std::move(key), storedForm(m)}});
  }
}

void Persistence::write(std::vector<StateWrite> writes) {
  if (!store_.write(std::move(writes), nullptr).isOk()) refused_on_this_thread = true;
}

void Persistence::barrier(StateStore::Done done) {
  // A record this thread could not queue (the store is overloaded) may be one that the
  // acknowledgement behind this barrier depends on: the message's delivery to a persistent
  // session, or the retained message. A publisher's loop writes those records and then the
  // barrier on one thread (routing is synchronous), and each broker has loops of its own, so
  // failing this thread's next barrier after a refusal means no acknowledgement for a record that
  // was not written; at worst one for another message fails too, and its client sends it again.
  if (std::exchange(refused_on_this_thread, false)) {
    done(core::Status::resourceExhausted("mqtt state store: overloaded, a record was not written"));
    return;
  }
  (void)store_.write({}, std::move(done));  // a refusal has gone to `done`
}

}  // namespace hearth::mqtt

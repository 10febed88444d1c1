// PUBLISH in both directions and the QoS 1/2 acknowledgement flows.
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "mqtt/broker_core.h"
#include "mqtt/connection.h"

namespace hearth::mqtt {
namespace {

Counter inCounter(QoS q) {
  return q == QoS::k0 ? Counter::kMessagesInQos0 : q == QoS::k1 ? Counter::kMessagesInQos1 : Counter::kMessagesInQos2;
}

Counter outCounter(QoS q) {
  return q == QoS::k0 ? Counter::kMessagesOutQos0 : q == QoS::k1 ? Counter::kMessagesOutQos1 : Counter::kMessagesOutQos2;
}

}  // namespace

void Connection::handlePublish(Publish&& publish) {
  Metrics::add(inCounter(publish.qos));
  const BrokerOptions& opts = core_.options();
  if (static_cast<uint8_t>(publish.qos) > opts.maximum_qos) {
    disconnect(ReasonCode::kQosNotSupported, "QoS above the server's maximum");
    return;
  }
  if (publish.retain && !opts.retain_available) {
    disconnect(ReasonCode::kRetainNotSupported, "retained messages are not available");
    return;
  }
  if (auto alias = publish.properties.topic_alias) {
    if (*alias == 0 || *alias > opts.topic_alias_maximum) {
      disconnect(ReasonCode::kTopicAliasInvalid, "topic alias out of range");
      return;
    }
    if (publish.topic.empty()) {
      auto& inbound = aliases().inbound;
      auto it = inbound.find(*alias);
      if (it == inbound.end()) {
        disconnect(ReasonCode::kProtocolError, "unknown topic alias");
        return;
      }
      publish.topic = it->second;
    } else {
      aliases().inbound[*alias] = publish.topic;
    }
    publish.properties.topic_alias.reset();
  } else if (publish.topic.empty()) {
    disconnect(ReasonCode::kProtocolError, "empty topic without a topic alias");
    return;
  }

  const uint16_t packet_id = publish.packet_id;
  const QoS qos = publish.qos;
  if (qos == QoS::k2) {
    bool duplicate = false;
    bool window_full = false;
    {
      std::lock_guard lock(session_->mu);
      const auto& ids = session_->incoming_qos2;
      duplicate = std::find(ids.begin(), ids.end(), packet_id) != ids.end();
      window_full = ids.size() >= opts.receive_maximum;
    }
    if (duplicate) {
      // A retransmission of a message already accepted: acknowledge again, deliver once.
      sendPubResponse(PacketType::kPubRec, packet_id, ReasonCode::kSuccess);
      return;
    }
    if (window_full) {
      Metrics::add(Counter::kProtocolErrors);
      disconnect(ReasonCode::kReceiveMaximumExceeded, "more unacknowledged QoS 2 messages than receive maximum");
      return;
    }
  }

  if (!core_.authorizer().allowed(ClientIdentity{clientId(), username_}, AccessKind::kPublish, publish.topic)) {
    Metrics::add(Counter::kDropNotAuthorized);
    spdlog::info("mqtt: publish not authorized client_id={} topic={}", clientId(), publish.topic);
    // MQTT 3.1.1 has no way to say no: the message is acknowledged and not delivered, as
    // mosquitto does; MQTT 5.0 clients get Not Authorized.
    ReasonCode rc = version_ == ProtocolVersion::kV5 ? ReasonCode::kNotAuthorized : ReasonCode::kSuccess;
    if (qos == QoS::k1) sendPubResponse(PacketType::kPubAck, packet_id, rc, "not authorized");
    if (qos == QoS::k2) sendPubResponse(PacketType::kPubRec, packet_id, rc, "not authorized");
    return;
  }

  // The platform sees a claimed client's message first, and may hold its acknowledgement.
  const uint32_t ack_seq = next_ack_seq_++;
  bool held = false;
  if (PublishInterceptor* interceptor = opts.interceptor) {
    const ClientIdentity identity{clientId(), username_};
    if (interceptor->claims(identity)) {
      interceptor->onPublish(identity, publish, ackReleaser(ack_seq));
      held = qos != QoS::k0;
    }
  }

  MessagePtr message = makeMessage(std::move(publish), clientId(), core_.clock().now());
  if (message->retain) core_.retain(message);
  RouteResult routed = core_.route(message);
  Persistence* persistence = core_.persistence();
  const bool wait_for_store = persistence != nullptr && persistence->store().durability() != Durability::kAsync &&
                              (routed.stored > 0 || message->retain);

  if (qos == QoS::k0) return;
  // Accepted: acknowledged whatever became of it at full subscriber queues (Session::enqueue).
  const ReasonCode rc = routed.matched == 0 ? ReasonCode::kNoMatchingSubscribers : ReasonCode::kSuccess;
  if (qos == QoS::k1) {
    acknowledge(PacketType::kPubAck, packet_id, rc, wait_for_store, held, ack_seq);
  } else {
    if (!isError(rc)) {
      std::lock_guard lock(session_->mu);
      session_->incoming_qos2.push_back(packet_id);
      if (persistence != nullptr && session_->persistent()) persistence->incomingQos2Locked(*session_, packet_id, true);
    }
    acknowledge(PacketType::kPubRec, packet_id, rc, wait_for_store, held, ack_seq);
  }
}

void Connection::acknowledge(PacketType type, uint16_t packet_id, ReasonCode reason, bool wait_for_store, bool held,
                             uint32_t seq) {
  const uint8_t waits = static_cast<uint8_t>(wait_for_store) + static_cast<uint8_t>(held);
  if (waits == 0 && pending_acks_.empty()) {
    sendPubResponse(type, packet_id, reason);
    return;
  }
  // Registered before any release can run: releases are posted to this loop, which is busy
  // handling this PUBLISH until it returns.
  pending_acks_.push_back(PendingAck{type, packet_id, reason, waits, seq});
  if (wait_for_store) {
    // If the connection is gone by then, nothing is acknowledged and the client sends the
    // message again after reconnecting, as MQTT intends.
    core_.persistence()->barrier([release = ackReleaser(seq)](const core::Status& s) { release(s.isOk()); });
  }
  sendReadyAcks();
}

PublishInterceptor::Release Connection::ackReleaser(uint32_t seq) {
  return [weak = weak_from_this(), &loop = loop_, seq](bool ok) {
    boost::asio::post(loop.io(), [weak, seq, ok] {
      if (auto self = weak.lock()) self->ackReleased(seq, ok);
    });
  };
}

void Connection::ackReleased(uint32_t seq, bool ok) {
  for (auto& a : pending_acks_) {
    if (a.seq == seq) {
      if (a.waits > 0) --a.waits;
      if (!ok) {
        Metrics::add(Counter::kAckStoreFailures);
        if (version_ == ProtocolVersion::kV311) {
          spdlog::warn("mqtt: a message was not stored; closing MQTT 3.1.1 client so it resends client_id={}",
                       clientId());
          close();
          return;
        }
        a.reason = ReasonCode::kUnspecifiedError;
      }
      break;
    }
  }
  sendReadyAcks();
  transportFlush();
}

void Connection::sendReadyAcks() {
  if (state_ != State::kConnected) return;
  while (!pending_acks_.empty() && pending_acks_.front().waits == 0) {
    const PendingAck& a = pending_acks_.front();
    sendPubResponse(a.type, a.packet_id, a.reason);
    pending_acks_.pop_front();
  }
}

void Connection::sendPubResponse(PacketType type, uint16_t packet_id, ReasonCode reason,
                                 std::string reason_string) {
  PubResponse r;
  r.type = type;
  r.packet_id = packet_id;
  r.reason_code = reason;
  if (isError(reason) && request_problem_information_) {
    r.properties.reason_string = reasonString(std::move(reason_string));
  }
  send(r);
}

void Connection::handlePubResponse(const PubResponse& r) {
  if (r.type == PacketType::kPubRel) {
    ReasonCode rc = ReasonCode::kSuccess;
    {
      std::lock_guard lock(session_->mu);
      auto& ids = session_->incoming_qos2;
      auto it = std::find(ids.begin(), ids.end(), r.packet_id);
      if (it == ids.end()) {
        rc = ReasonCode::kPacketIdentifierNotFound;
      } else {
        ids.erase(it);
        if (core_.persistence() != nullptr && session_->persistent()) {
          core_.persistence()->incomingQos2Locked(*session_, r.packet_id, false);
        }
      }
    }
    sendPubResponse(PacketType::kPubComp, r.packet_id, rc);
    return;
  }
  std::unique_lock lock(session_->mu);
  auto& inflight = session_->inflight;
  auto it = std::find_if(inflight.begin(), inflight.end(),
                         [&](const Inflight& f) { return f.packet_id == r.packet_id; });
  if (it == inflight.end()) {
    // An acknowledgement for nothing we sent (e.g. a duplicate): harmless, ignored.
    return;
  }
  using Stage = Inflight::Stage;
  const bool expected = (r.type == PacketType::kPubAck && it->stage == Stage::kAwaitPubAck) ||
                        (r.type == PacketType::kPubRec && it->stage == Stage::kAwaitPubRec) ||
                        (r.type == PacketType::kPubComp && it->stage == Stage::kAwaitPubComp);
  if (!expected) {
    lock.unlock();
    disconnect(ReasonCode::kProtocolError, "acknowledgement does not match the message's QoS flow");
    return;
  }
  Persistence* persistence = core_.persistence();
  const uint64_t seq = it->delivery.seq;
  if (r.type == PacketType::kPubRec && !isError(r.reason_code)) {
    it->stage = Stage::kAwaitPubComp;
    it->delivery = Delivery{};  // the message itself is no longer needed
    it->delivery.seq = seq;
    if (persistence != nullptr && seq != 0) persistence->releasedLocked(*session_, *it);
    PubResponse rel;
    rel.type = PacketType::kPubRel;
    rel.packet_id = r.packet_id;
    send(rel);
    return;
  }
  if (persistence != nullptr && seq != 0) persistence->completedLocked(*session_, seq);
  inflight.erase(it);
  sendQueued(lock);
}

bool Connection::writePublish(const Delivery& d, uint16_t packet_id, bool dup, core::Clock::TimePoint now) {
  const Message& m = *d.message;
  Publish p;
  p.qos = d.qos;
  p.retain = d.retain;
  p.dup = dup;
  p.packet_id = packet_id;
  p.payload = m.payload;
  p.topic = m.topic;
  if (version_ == ProtocolVersion::kV5) {
    p.properties = m.properties;
    p.properties.subscription_identifiers = d.subscription_ids;
    if (m.expires_at) {
      auto left = std::chrono::duration_cast<std::chrono::seconds>(*m.expires_at - now).count();
      p.properties.message_expiry_interval = static_cast<uint32_t>(std::max<int64_t>(left, 1));
    }
    if (client_topic_alias_maximum_ != 0 && !dup) {
      auto& outbound = aliases().outbound;
      auto it = outbound.find(m.topic);
      if (it != outbound.end()) {
        p.properties.topic_alias = it->second;
        p.topic.clear();
      } else if (outbound.size() < client_topic_alias_maximum_) {
        const auto alias = static_cast<uint16_t>(outbound.size() + 1);
        outbound.emplace(m.topic, alias);
        p.properties.topic_alias = alias;
      }
    }
  }
  if (encodedSize(p, version_) > client_max_packet_size_) {
    // MQTT 3.1.2.24: a message the client cannot take is discarded as if delivered.
    Metrics::add(Counter::kDropPacketTooLarge);
    return false;
  }
  send(p);
  Metrics::add(outCounter(p.qos));
  return true;
}

void Connection::sendQueued(std::unique_lock<std::mutex>& lock) {
  (void)lock;
  if (state_ != State::kConnected) return;
  Session& s = *session_;
  Persistence* persistence = core_.persistence();
  const auto now = core_.clock().now();
  while (!s.queue.empty() && pendingOutput() < kOutputHighWater) {
    Delivery& d = s.queue.front();
    if (d.message->expired(now)) {
      Metrics::add(Counter::kDropExpired);
      if (persistence != nullptr && d.seq != 0) persistence->completedLocked(s, d.seq);
      s.queue.pop_front();
      continue;
    }
    if (d.qos != QoS::k0 && s.inflight.size() >= client_receive_maximum_) break;
    const uint16_t id = d.qos == QoS::k0 ? 0 : s.nextPacketId();
    if (writePublish(d, id, false, now)) {
      if (d.qos != QoS::k0) {
        Inflight f;
        f.packet_id = id;
        f.stage = d.qos == QoS::k1 ? Inflight::Stage::kAwaitPubAck : Inflight::Stage::kAwaitPubRec;
        f.delivery = std::move(d);
        if (persistence != nullptr && f.delivery.seq != 0) persistence->sentLocked(s, f);
        s.inflight.push_back(std::move(f));
      }
    } else if (persistence != nullptr && d.seq != 0) {
      persistence->completedLocked(s, d.seq);
    }
    s.queue.pop_front();
  }
  transportFlush();
}

}  // namespace hearth::mqtt

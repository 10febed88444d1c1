// CONNECT, CONNACK, session resumption and DISCONNECT.
#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <random>

#include "hearth/mqtt/topic.h"
#include "mqtt/broker_core.h"
#include "mqtt/connection.h"
#include "mqtt/event_loop.h"

namespace hearth::mqtt {
namespace {

std::string assignClientId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("hearth-{:016x}", rng());
}

}  // namespace

void Connection::handleConnect(Connect&& connect) {
  version_ = connect.version;
  state_ = State::kAuthenticating;
  bool assigned = false;
  if (connect.client_id.empty()) {
    if (version_ == ProtocolVersion::kV311 && !connect.clean_start) {
      refuseConnect(ReasonCode::kClientIdentifierNotValid,
                    "an empty client identifier needs clean session");
      return;
    }
    connect.client_id = assignClientId();
    assigned = true;
  }
  if (connect.properties.authentication_method) {
    refuseConnect(ReasonCode::kBadAuthenticationMethod, "enhanced authentication is not supported");
    return;
  }
  if (connect.properties.receive_maximum && *connect.properties.receive_maximum == 0) {
    refuseConnect(ReasonCode::kProtocolError, "receive maximum must not be 0");
    return;
  }
  if (connect.properties.maximum_packet_size && *connect.properties.maximum_packet_size == 0) {
    refuseConnect(ReasonCode::kProtocolError, "maximum packet size must not be 0");
    return;
  }
  if (connect.will) {
    if (!isValidTopicName(connect.will->topic)) {
      refuseConnect(ReasonCode::kTopicNameInvalid, "invalid will topic");
      return;
    }
    if (static_cast<uint8_t>(connect.will->qos) > core_.options().maximum_qos) {
      refuseConnect(ReasonCode::kQosNotSupported, "will QoS above the server's maximum");
      return;
    }
    if (connect.will->retain && !core_.options().retain_available) {
      refuseConnect(ReasonCode::kRetainNotSupported, "retained messages are not available");
      return;
    }
  }
  if (assigned) connect.properties.assigned_client_identifier = connect.client_id;

  auto pending = std::make_shared<Connect>(std::move(connect));
  ConnectCredentials credentials{pending->client_id, pending->username, pending->password,
                                 remoteAddress(), secure(), tlsClientSubject()};
  auto self = shared_from_this();
  core_.authenticator().authenticate(credentials, [self, pending](AuthDecision decision) {
    boost::asio::post(self->loop_.io(), [self, pending, decision = std::move(decision)]() mutable {
      self->guarded("connect", [&] { self->finishConnect(std::move(*pending), std::move(decision)); });
    });
  });
}

void Connection::finishConnect(Connect connect, AuthDecision decision) {
  if (state_ != State::kAuthenticating) return;  // closed while the authenticator ran
  if (decision.reason != ReasonCode::kSuccess) {
    Metrics::add(Counter::kAuthFailures);
    refuseConnect(decision.reason, decision.reason_string.empty() ? "not authorized" : decision.reason_string);
    return;
  }
  const BrokerOptions& opts = core_.options();
  username_ = std::move(decision.username);

  ConnAck ack;
  keep_alive_ = connect.keep_alive;
  if (opts.max_keep_alive != 0 && (keep_alive_ == 0 || keep_alive_ > opts.max_keep_alive)) {
    keep_alive_ = opts.max_keep_alive;
    ack.properties.server_keep_alive = keep_alive_;
  }
  uint32_t expiry = 0;
  if (version_ == ProtocolVersion::kV5) {
    expiry = connect.properties.session_expiry_interval.value_or(0);
    if (expiry > opts.max_session_expiry) {
      expiry = opts.max_session_expiry;
      ack.properties.session_expiry_interval = expiry;
    }
    client_receive_maximum_ = connect.properties.receive_maximum.value_or(65535);
    client_max_packet_size_ = connect.properties.maximum_packet_size.value_or(0xFFFFFFFF);
    client_topic_alias_maximum_ = connect.properties.topic_alias_maximum.value_or(0);
    request_problem_information_ = connect.properties.request_problem_information.value_or(1) != 0;
    ack.properties.assigned_client_identifier = connect.properties.assigned_client_identifier;
    ack.properties.receive_maximum = opts.receive_maximum;
    ack.properties.maximum_packet_size = opts.max_packet_size;
    ack.properties.topic_alias_maximum = opts.topic_alias_maximum;
    if (opts.maximum_qos < 2) ack.properties.maximum_qos = opts.maximum_qos;
    if (!opts.retain_available) ack.properties.retain_available = 0;
  } else {
    expiry = connect.clean_start ? 0 : opts.v311_session_expiry;
    client_receive_maximum_ = opts.max_inflight;
  }
  if (connect.will) will_ = std::make_unique<Will>(std::move(*connect.will));

  auto attached = core_.sessions.attach(connect.client_id, connect.clean_start, this, &loop_);
  session_ = attached.session;
  if (attached.previous != nullptr) {
    // The old connection is checked against its loop's live set before use: it may have closed
    // (and been freed) by the time this runs.
    Connection* previous = attached.previous;
    EventLoop* previous_loop = attached.previous_loop;
    boost::asio::post(previous_loop->io(), [previous, previous_loop] {
      if (previous_loop->connections().count(previous) != 0) previous->takenOver();
    });
  }
  core_.publishWills(attached.wills_due);

  state_ = State::kConnected;
  Metrics::add(Counter::kConnectsAccepted);
  if (!core_.options().observers.empty()) tellConnected(attached.present);
  if (spdlog::should_log(spdlog::level::debug)) {  // the peer's address costs a system call
    const std::string subject = tlsClientSubject();
    spdlog::debug("mqtt: connected client_id={} remote={} version={} session_present={}{}{}", clientId(),
                  remoteAddress(), static_cast<int>(version_), attached.present,
                  subject.empty() ? "" : " tls_client_subject=", subject);
  }
  ack.session_present = attached.present;
  send(ack);
  {
    std::unique_lock lock(session_->mu);
    session_->expiry_interval = expiry;
    session_->username = username_;
    session_->detached_at_unix_ms = 0;
    if (Persistence* persistence = core_.persistence()) {
      if (expiry == 0 && session_->stored) {
        persistence->sessionEndedLocked(*session_);  // it ends with this connection now
        session_->stored = false;
      } else if (expiry != 0 && session_->stored) {
        persistence->sessionLocked(*session_);
      } else if (expiry != 0) {
        persistence->snapshotLocked(*session_);
        session_->stored = true;
      }
    }
    resendInflight(lock);
    sendQueued(lock);
  }
  // Packets the client sent after CONNECT while we were authenticating.
  consumeCarried();
  transportFlush();
  if (wantsInput()) transportRead();
}

void Connection::refuseConnect(ReasonCode reason, std::string message) {
  Metrics::add(Counter::kConnectsRejected);
  spdlog::info("mqtt: connect refused remote={} client_id={} reason={} ({})", remoteAddress(),
               clientId(), reasonCodeName(reason), message);
  // MQTT 3.1.1 has a CONNACK return code only for some failures; the rest just close.
  const bool v311_expressible = reason == ReasonCode::kUnsupportedProtocolVersion ||
                                reason == ReasonCode::kClientIdentifierNotValid ||
                                reason == ReasonCode::kBadUserNameOrPassword ||
                                reason == ReasonCode::kNotAuthorized ||
                                reason == ReasonCode::kServerUnavailable;
  if (reason == ReasonCode::kUnsupportedProtocolVersion) version_ = ProtocolVersion::kV311;
  if (version_ == ProtocolVersion::kV5 || v311_expressible) {
    ConnAck ack;
    ack.reason_code = reason;
    ack.properties.reason_string = reasonString(std::move(message));
    send(ack);
  }
  close();
}

void Connection::handleDisconnect(const Disconnect& d) {
  if (version_ == ProtocolVersion::kV5 && d.properties.session_expiry_interval) {
    std::unique_lock lock(session_->mu);
    if (session_->expiry_interval == 0 && *d.properties.session_expiry_interval != 0) {
      lock.unlock();
      disconnect(ReasonCode::kProtocolError, "session expiry cannot be set on DISCONNECT when it was 0");
      return;
    }
    session_->expiry_interval = std::min(*d.properties.session_expiry_interval, core_.options().max_session_expiry);
    if (core_.persistence() != nullptr && session_->persistent()) core_.persistence()->sessionLocked(*session_);
  }
  // A normal disconnection discards the will; 0x04 asks for it to be published.
  if (d.reason_code != ReasonCode::kDisconnectWithWill) will_.reset();
  end_ = ClientEnd::kDisconnected;
  close();
}

void Connection::tellConnected(bool session_present) {
  const ClientIdentity client{clientId(), username_};
  const auto& observers = core_.options().observers;
  for (ClientObserver* observer : observers) observer->onClientConnected(client);
  if (!session_present) return;
  std::vector<std::string> filters;
  {
    std::lock_guard lock(session_->mu);
    for (const auto& entry : session_->subscriptions) filters.push_back(entry.first);
  }
  for (const std::string& filter : filters) {
    for (ClientObserver* observer : observers) observer->onClientSubscribed(client, filter);
  }
}

void Connection::resendInflight(std::unique_lock<std::mutex>& lock) {
  (void)lock;
  const auto now = core_.clock().now();
  for (auto& f : session_->inflight) {
    if (f.stage == Inflight::Stage::kAwaitPubComp) {
      PubResponse rel;
      rel.type = PacketType::kPubRel;
      rel.packet_id = f.packet_id;
      send(rel);
    } else {
      writePublish(f.delivery, f.packet_id, true, now);
    }
  }
}

}  // namespace hearth::mqtt

// SUBSCRIBE and UNSUBSCRIBE, and the retained messages a new subscription receives.
#include <spdlog/spdlog.h>

#include "hearth/mqtt/topic.h"
#include "mqtt/broker_core.h"
#include "mqtt/connection.h"

namespace hearth::mqtt {

void Connection::handleSubscribe(Subscribe&& s) {
  const BrokerOptions& opts = core_.options();
  const auto& sub_ids = s.properties.subscription_identifiers;
  const uint32_t sub_id = sub_ids.empty() ? 0 : sub_ids.front();
  SubAck ack;
  ack.packet_id = s.packet_id;
  std::vector<Delivery> retained;
  const auto now = core_.clock().now();
  for (auto& sub : s.subscriptions) {
    std::string_view group;
    std::string_view filter = sub.filter;
    const bool shared = parseSharedSubscription(sub.filter, group, filter);
    if (shared && sub.options.no_local) {
      disconnect(ReasonCode::kProtocolError, "No Local on a shared subscription");
      return;
    }
    if (!core_.authorizer().allowed(ClientIdentity{clientId(), username_}, AccessKind::kSubscribe, sub.filter)) {
      Metrics::add(Counter::kSubscribeDenied);
      spdlog::info("mqtt: subscribe not authorized client_id={} filter={}", clientId(), sub.filter);
      ack.reason_codes.push_back(ReasonCode::kNotAuthorized);
      continue;
    }
    sub.options.max_qos = std::min(sub.options.max_qos, static_cast<QoS>(opts.maximum_qos));
    const bool added = core_.index.add(session_.get(), sub.filter, sub.options, sub_id);
    {
      std::lock_guard lock(session_->mu);
      session_->subscriptions.set(sub.filter, StoredSubscription{sub.options, sub_id});
    }
    ack.reason_codes.push_back(static_cast<ReasonCode>(sub.options.max_qos));
    for (ClientObserver* observer : opts.observers) observer->onClientSubscribed(ClientIdentity{clientId(), username_}, sub.filter);
    // Retained messages: never for shared subscriptions; retain handling 1 sends them only for
    // a new subscription, 2 never (MQTT 3.8.3.1).
    const uint8_t rh = sub.options.retain_handling;
    if (shared || rh == 2 || (rh == 1 && !added)) continue;
    for (auto& m : core_.retained.match(filter, now)) {
      if (!core_.read_access.allowed(*session_, m->topic, now)) {
        Metrics::add(Counter::kWithheld);
        continue;
      }
      Delivery d;
      d.qos = std::min(sub.options.max_qos, m->qos);
      d.retain = true;
      d.message = std::move(m);
      if (sub_id != 0) d.subscription_ids.push_back(sub_id);
      retained.push_back(std::move(d));
    }
  }
  persistSubscriptions();
  send(ack);
  // Queued behind the SUBACK, through the session so QoS 1/2 take part in the receive window.
  for (auto& d : retained) core_.deliver(*session_, std::move(d));
}

void Connection::handleUnsubscribe(const Unsubscribe& u) {
  UnsubAck ack;
  ack.packet_id = u.packet_id;
  for (const auto& filter : u.filters) {
    const bool removed = core_.index.remove(session_.get(), filter);
    {
      std::lock_guard lock(session_->mu);
      session_->subscriptions.erase(filter);
    }
    ack.reason_codes.push_back(removed ? ReasonCode::kSuccess : ReasonCode::kNoSubscriptionExisted);
  }
  persistSubscriptions();
  send(ack);
}

void Connection::persistSubscriptions() {
  Persistence* persistence = core_.persistence();
  if (persistence == nullptr) return;
  std::lock_guard lock(session_->mu);
  if (session_->persistent()) persistence->sessionLocked(*session_);
}

}  // namespace hearth::mqtt

#include "mqtt/broker_core.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace hearth::mqtt {

// slow_subscribers and read_access are declared (so constructed) before options_: they read the
// argument.
BrokerCore::BrokerCore(BrokerOptions options)
    : slow_subscribers(*options.clock),
      read_access(options.authorizer, options.read_access_ttl, options.read_cache_capacity),
      options_(std::move(options)),
      queue_limits_{options_.max_queued_messages, options_.max_queued_bytes, &slow_subscribers},
      authenticator_(options_.authenticator ? options_.authenticator : &allow_all_),
      authorizer_(options_.authorizer ? options_.authorizer : &allow_all_) {}

namespace {

struct Match {
  SessionPtr session;
  SubscriptionOptions options;
  uint32_t subscription_id;
};

}  // namespace

RouteResult BrokerCore::route(const MessagePtr& message) {
  // Reused per thread: routing allocates nothing here in the steady state.
  thread_local std::vector<Match> matches;
  matches.clear();
  index.match(message->topic, [&](const SubscriptionEntry& e) {
    if (e.options.no_local && e.session->clientId() == message->publisher) return;
    matches.push_back(Match{e.session->shared_from_this(), e.options, e.subscription_id});
  });
  RouteResult result;
  if (matches.empty()) return result;
  const auto now = clock().now();
  // A client with several matching subscriptions gets one copy: the highest QoS granted and
  // every subscription identifier (MQTT 3.3.4).
  if (matches.size() > 1) {
    std::sort(matches.begin(), matches.end(),
              [](const Match& a, const Match& b) { return a.session.get() < b.session.get(); });
  }
  for (size_t i = 0; i < matches.size();) {
    Delivery d;
    d.message = message;
    Session* session = matches[i].session.get();
    QoS qos = QoS::k0;
    bool retain = false;
    size_t j = i;
    for (; j < matches.size() && matches[j].session.get() == session; ++j) {
      qos = std::max(qos, matches[j].options.max_qos);
      retain = retain || (matches[j].options.retain_as_published && message->retain);
      if (matches[j].subscription_id != 0) d.subscription_ids.push_back(matches[j].subscription_id);
    }
    if (!read_access.allowed(*session, message->topic, now)) {
      Metrics::add(Counter::kWithheld);
      i = j;
      continue;
    }
    d.qos = std::min(qos, message->qos);
    d.retain = retain;
    switch (deliver(*session, std::move(d))) {
      case EnqueueResult::kStored: ++result.stored; [[fallthrough]];
      case EnqueueResult::kQueued:
      case EnqueueResult::kQueueFull: ++result.matched; break;
      case EnqueueResult::kDroppedOffline: break;
    }
    i = j;
  }
  matches.clear();
  return result;
}

EnqueueResult BrokerCore::deliver(Session& session, Delivery&& delivery) {
  const EnqueueResult r = session.enqueue(std::move(delivery), queue_limits_, persistence_.get());
  if (r == EnqueueResult::kDroppedOffline) Metrics::add(Counter::kDropQos0Offline);
  if (r == EnqueueResult::kQueueFull) Metrics::add(Counter::kDropQueueFull);
  return r;
}

void BrokerCore::publishWills(std::vector<PendingWill>& wills) {
  for (auto& w : wills) {
    if (!authorizer_->allowed(ClientIdentity{w.client_id, w.username}, AccessKind::kPublish, w.will.topic)) {
      Metrics::add(Counter::kDropNotAuthorized);
      spdlog::info("mqtt: will not authorized client_id={} topic={}", w.client_id, w.will.topic);
      continue;
    }
    Publish p;
    p.topic = std::move(w.will.topic);
    p.payload = std::move(w.will.payload);
    p.qos = w.will.qos;
    p.retain = w.will.retain;
    p.properties = std::move(w.will.properties);
    publish(std::move(p), std::move(w.client_id));
  }
  wills.clear();
}

void BrokerCore::publish(Publish&& p, std::string publisher) {
  MessagePtr m = makeMessage(std::move(p), std::move(publisher), clock().now());
  if (m->retain && options_.retain_available) retain(m);
  route(m);
}

void BrokerCore::retain(const MessagePtr& message) {
  retained.put(message);
  if (persistence_) persistence_->retained(*message);
}

core::Status BrokerCore::openPersistence() {
  if (options_.state_dir.empty()) return core::Status::ok();
  auto store = openRocksStateStore(options_.state_dir, options_.durability);
  if (!store) return store.error();
  store_ = std::move(store).value();
  persistence_ = std::make_unique<Persistence>(*store_, clock());
  sessions.setPersistence(persistence_.get());
  return persistence_->load(sessions, index, retained);
}

void BrokerCore::closePersistence() {
  if (store_) store_->flush();
}

}  // namespace hearth::mqtt

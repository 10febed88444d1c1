// State shared by every connection and loop of one broker: options, the subscription index,
// retained messages, sessions and counters, plus message routing.
//
// Thread-safety: every member is safe to use from any loop (each documents how).
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "hearth/mqtt/auth.h"
#include "hearth/mqtt/broker.h"
#include "mqtt/event_loop.h"
#include "mqtt/message.h"
#include "mqtt/metrics.h"
#include "mqtt/persistence.h"
#include "mqtt/read_access.h"
#include "mqtt/retained_store.h"
#include "mqtt/session_registry.h"
#include "mqtt/slow_subscribers.h"
#include "mqtt/subscription_index.h"

namespace hearth::mqtt {

// Never a reason to refuse the message: a subscriber whose queue is full loses it alone.
struct RouteResult {
  size_t matched = 0;  // sessions the message was queued for, or dropped for as their queue was full
  size_t stored = 0;   // of which persistent: the message was written to the store
};

class BrokerCore {
 public:
  explicit BrokerCore(BrokerOptions options);

  const BrokerOptions& options() const { return options_; }
  const core::Clock& clock() const { return *options_.clock; }
  Authenticator& authenticator() { return *authenticator_; }
  Authorizer& authorizer() { return *authorizer_; }

  // Queues `message` for every matching session that may read its topic, on whatever loop each
  // lives.
  RouteResult route(const MessagePtr& message);
  // Queues one delivery for `session` (Session::enqueue) and counts it if dropped.
  EnqueueResult deliver(Session& session, Delivery&& delivery);
  // Publishes wills that came due (from a closing connection or the sweep).
  void publishWills(std::vector<PendingWill>& wills);
  // Retains (if asked and available) and routes a message that passed, or needs no, authorization.
  void publish(Publish&& publish, std::string publisher);
  // Sets or (empty payload) deletes the retained message of the message's topic.
  void retain(const MessagePtr& message);

  // Opens the state store and restores sessions and retained messages. Start-up only.
  core::Status openPersistence();
  // Waits until every state write so far is on disk. Shutdown.
  void closePersistence();
  // Null when the broker keeps its state in memory only.
  Persistence* persistence() { return persistence_.get(); }

  SubscriptionIndex index;
  RetainedStore retained;
  SessionRegistry sessions{index};
  Metrics metrics;
  SlowSubscribers slow_subscribers;
  ReadAccess read_access;
  std::vector<std::unique_ptr<EventLoop>> loops;
  std::atomic<size_t> open_connections{0};

 private:
  BrokerOptions options_;
  QueueLimits queue_limits_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<Persistence> persistence_;
  AllowAll allow_all_;
  Authenticator* authenticator_;
  Authorizer* authorizer_;
};

}  // namespace hearth::mqtt

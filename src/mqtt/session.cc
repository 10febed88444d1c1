#include "mqtt/session.h"

#include <algorithm>

#include "mqtt/event_loop.h"
#include "mqtt/persistence.h"
#include "mqtt/slow_subscribers.h"

namespace hearth::mqtt {

namespace {

bool entryBefore(const SessionSubscriptions::Entry& e, std::string_view filter) {
  return std::string_view(e.first) < filter;
}

}  // namespace

std::vector<SessionSubscriptions::Entry>::iterator SessionSubscriptions::lowerBound(std::string_view filter) {
  return std::lower_bound(entries_.begin(), entries_.end(), filter, entryBefore);
}

std::vector<SessionSubscriptions::Entry>::const_iterator SessionSubscriptions::lowerBound(
    std::string_view filter) const {
  return std::lower_bound(entries_.begin(), entries_.end(), filter, entryBefore);
}

const StoredSubscription* SessionSubscriptions::find(std::string_view filter) const {
  auto it = lowerBound(filter);
  return it != entries_.end() && it->first == filter ? &it->second : nullptr;
}

void SessionSubscriptions::set(std::string_view filter, StoredSubscription subscription) {
  auto it = lowerBound(filter);
  if (it != entries_.end() && it->first == filter) {
    it->second = subscription;
    return;
  }
  entries_.emplace(it, std::string(filter), subscription);
}

bool SessionSubscriptions::erase(std::string_view filter) {
  auto it = lowerBound(filter);
  if (it == entries_.end() || it->first != filter) return false;
  entries_.erase(it);
  return true;
}

EnqueueResult Session::enqueue(Delivery&& delivery, const QueueLimits& limits, Persistence* persistence) {
  EventLoop* notify = nullptr;
  EnqueueResult result = EnqueueResult::kQueued;
  DropCounter* full = nullptr;
  size_t queued = 0;
  size_t queued_bytes = 0;
  {
    std::lock_guard lock(mu);
    if (delivery.qos == QoS::k0 && connection == nullptr) return EnqueueResult::kDroppedOffline;
    if (!queue.empty() && (queue.size() >= limits.max_messages ||
                           queue.bytes() + messageBytes(*delivery.message) > limits.max_bytes)) {
      if (!drops) drops = limits.drops->counterFor(client_id_);
      full = drops.get();
      queued = queue.size();
      queued_bytes = queue.bytes();
    } else {
      if (persistence != nullptr && persistent() && delivery.qos != QoS::k0) {
        delivery.seq = next_seq++;
        persistence->queuedLocked(*this, delivery);
        stored = true;
        result = EnqueueResult::kStored;
      }
      queue.push_back(std::move(delivery));
      if (connection != nullptr && !flush_scheduled) {
        flush_scheduled = true;
        notify = loop;
      }
    }
  }
  if (full != nullptr) {
    // Counted and logged outside the lock: the drop costs the publisher's loop no more than this.
    limits.drops->dropped(*full, client_id_, queued, queued_bytes);
    return EnqueueResult::kQueueFull;
  }
  if (notify != nullptr) notify->scheduleFlush(shared_from_this());
  return result;
}

uint16_t Session::nextPacketId() {
  if (inflight.size() >= 65535) return 0;
  while (true) {
    last_packet_id_ = static_cast<uint16_t>(last_packet_id_ == 65535 ? 1 : last_packet_id_ + 1);
    const uint16_t id = last_packet_id_;
    bool in_use = std::any_of(inflight.begin(), inflight.end(),
                              [id](const Inflight& f) { return f.packet_id == id; });
    if (!in_use) return id;
  }
}

}  // namespace hearth::mqtt

// A client session: what outlives a network connection (MQTT section 4.1).
//
// Thread-safety: every mutable field is guarded by `mu`. Deliveries arrive from any loop;
// the connection's loop sends and handles acknowledgements. Lock order, to stay deadlock-free:
// SessionRegistry::mu_ → SubscriptionIndex shard → Session::mu → SlowSubscribers::mu_ (a leaf).
// Never take another session's lock, the registry or the index while holding Session::mu.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hearth/core/clock.h"
#include "hearth/mqtt/packet.h"
#include "mqtt/lazy_deque.h"
#include "mqtt/message.h"
#include "mqtt/read_access.h"

namespace hearth::mqtt {

class Connection;
class EventLoop;

// One message on its way to this session's client.
struct Delivery {
  MessagePtr message;
  QoS qos = QoS::k0;
  bool retain = false;  // the RETAIN flag to send
  uint32_t bytes = 0;  // messageBytes(*message), set by DeliveryQueue (kept when message is moved out)
  std::vector<uint32_t> subscription_ids;
  uint64_t seq = 0;  // position in the session's stored queue; 0 = not stored
};

// The deliveries waiting to be sent, with the bytes of message they hold, so that a queue is
// bounded in memory as well as in count (QueueLimits). A message shared by several sessions is
// counted in each: the bound holds whatever the others do.
class DeliveryQueue {
 public:
  bool empty() const { return q_.empty(); }
  size_t size() const { return q_.size(); }
  size_t bytes() const { return bytes_; }
  Delivery& front() { return q_.front(); }
  Delivery& operator[](size_t i) { return q_[i]; }
  void push_back(Delivery&& d) {
    d.bytes = static_cast<uint32_t>(messageBytes(*d.message));
    bytes_ += d.bytes;
    q_.push_back(std::move(d));
  }
  // The front's message may have been moved out already: its size was kept in Delivery::bytes.
  void pop_front() {
    bytes_ -= q_.front().bytes;
    q_.pop_front();
  }
  void clear() {
    q_.clear();
    bytes_ = 0;
  }
  LazyDeque<Delivery>::iterator begin() { return q_.begin(); }
  LazyDeque<Delivery>::iterator end() { return q_.end(); }

 private:
  LazyDeque<Delivery> q_;
  size_t bytes_ = 0;
};

// A QoS 1/2 message sent and not yet fully acknowledged.
struct Inflight {
  enum class Stage : uint8_t { kAwaitPubAck, kAwaitPubRec, kAwaitPubComp };
  uint16_t packet_id = 0;
  Stage stage = Stage::kAwaitPubAck;
  Delivery delivery;  // kept until PUBACK/PUBREC, for redelivery
};

struct StoredSubscription {
  SubscriptionOptions options;
  uint32_t subscription_id = 0;
};

// A session's own subscriptions by filter: a sorted vector, since most sessions hold a handful and
// a hash map's bucket array and nodes would cost several times the entries themselves. Lookups are
// binary searches; inserting into a session with thousands of filters moves memory, still far
// cheaper than the SUBSCRIBE packets that caused it.
class SessionSubscriptions {
 public:
  using Entry = std::pair<std::string, StoredSubscription>;

  // Adds the filter, or replaces its options and identifier.
  void set(std::string_view filter, StoredSubscription subscription);
  // Whether the filter was there.
  bool erase(std::string_view filter);
  // Null if the session has no such filter.
  const StoredSubscription* find(std::string_view filter) const;
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void clear() { std::vector<Entry>().swap(entries_); }
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }

 private:
  std::vector<Entry>::iterator lowerBound(std::string_view filter);
  std::vector<Entry>::const_iterator lowerBound(std::string_view filter) const;

  std::vector<Entry> entries_;  // sorted by filter
};

enum class EnqueueResult {
  kQueued,
  kStored,         // queued and written to the store
  kDroppedOffline,  // QoS 0 for a session without a connection
  kQueueFull,      // dropped for this session only: its queue is at a limit of QueueLimits
};

class Persistence;
class SlowSubscribers;
struct DropCounter;

// How much one session may hold waiting to be sent, and who counts what overflows.
struct QueueLimits {
  size_t max_messages = 1000;
  size_t max_bytes = 16 << 20;  // messageBytes of the queued messages
  SlowSubscribers* drops = nullptr;  // not owned; must be set
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(std::string client_id) : client_id_(std::move(client_id)) {}

  const std::string& clientId() const { return client_id_; }
  // Whether a connection is attached; read without the lock to pick a shared-subscription member.
  bool online() const { return online_.load(std::memory_order_relaxed); }

  // Queues a delivery and, when a connection is attached, asks its loop to send. Any thread.
  // QoS 0 messages are not queued for an offline session. A queue at one of `limits` drops the
  // delivery, of any QoS, for this session only, and counts it in limits.drops: a subscriber
  // that does not keep up loses its own messages and never holds up the publisher or anyone
  // else. An empty queue takes one message of any size (max_packet_size bounds it). A QoS 1/2
  // delivery to a persistent session is also written to `persistence` (if not null): kStored
  // says so.
  EnqueueResult enqueue(Delivery&& delivery, const QueueLimits& limits, Persistence* persistence);

  // Whether this session's state is written to the store: it outlives its connection.
  bool persistent() const { return expiry_interval != 0; }

  // Hands out the next free packet identifier (1..65535, skipping those in flight).
  // Requires `mu`. Returns 0 if all 65535 are in flight.
  uint16_t nextPacketId();

  std::mutex mu;
  // Guarded by mu:
  SessionSubscriptions subscriptions;
  DeliveryQueue queue;
  LazyDeque<Inflight> inflight;
  std::vector<uint16_t> incoming_qos2;  // QoS 2 packet ids received, awaiting PUBREL
  Connection* connection = nullptr;     // set while a connection is attached
  EventLoop* loop = nullptr;            // that connection's loop
  bool flush_scheduled = false;
  uint32_t expiry_interval = 0;         // seconds; 0xFFFFFFFF never expires
  std::optional<core::Clock::TimePoint> expires_at;  // set while detached
  std::string username;                 // of the last authenticated connection
  uint64_t next_seq = 1;                // for Delivery::seq
  int64_t detached_at_unix_ms = 0;      // when the last connection went away; 0 = connected
  bool stored = false;                  // records of this session exist in the store
  std::shared_ptr<DropCounter> drops;     // this client's, from its first message dropped on
  std::unique_ptr<ReadCache> read_cache;  // ReadAccess's decisions; null until the first delivery

  void setOnline(bool v) { online_.store(v, std::memory_order_relaxed); }

 private:
  const std::string client_id_;
  uint16_t last_packet_id_ = 0;
  std::atomic<bool> online_{false};
};

using SessionPtr = std::shared_ptr<Session>;

}  // namespace hearth::mqtt

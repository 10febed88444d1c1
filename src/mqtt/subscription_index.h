// The subscription index: which sessions want a message published to a topic.
//
// Read on every PUBLISH from every event loop, written on SUBSCRIBE/UNSUBSCRIBE and session end.
// Two structures, both sharded so that loops do not contend on one lock:
//  - exact filters (no wildcard; e.g. "device/<did>/down", the common case) in hash maps, sharded
//    by the filter's hash: one lookup per publish;
//  - wildcard filters in tries, sharded by their first level; filters that begin with a wildcard
//    live in one extra trie that every publish also visits.
// A publish therefore takes at most three shard read locks, whatever the number of subscriptions.
//
// Thread-safety: all methods may be called from any thread. `match` holds shard read locks while
// it calls the visitor, so the visitor must not call add/remove (it may lock a Session).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hearth/mqtt/packet.h"

namespace hearth::mqtt {

class Session;

struct SubscriptionEntry {
  Session* session = nullptr;  // not owned; removed from the index before the session dies
  SubscriptionOptions options;
  uint32_t subscription_id = 0;  // 0 = none
};

class SubscriptionIndex {
 public:
  using Visitor = void (*)(void* ctx, const SubscriptionEntry& entry);

  explicit SubscriptionIndex(size_t shards = 64);
  ~SubscriptionIndex();
  SubscriptionIndex(const SubscriptionIndex&) = delete;
  SubscriptionIndex& operator=(const SubscriptionIndex&) = delete;

  // Adds or replaces `session`'s subscription to `filter` (a valid filter, possibly
  // "$share/group/..."). Returns true if it did not exist before.
  bool add(Session* session, std::string_view filter, const SubscriptionOptions& options,
           uint32_t subscription_id);
  // Returns true if it existed.
  bool remove(Session* session, std::string_view filter);

  // Calls `visit` for every subscription matching `topic`; for each shared-subscription group,
  // for one member only (round robin, preferring members with a live connection).
  template <class F>
  void match(std::string_view topic, F&& visit) {
    matchImpl(topic, &visitThunk<F>, &visit);
  }

  size_t size() const { return count_.load(std::memory_order_relaxed); }

 private:
  struct Shard;
  struct Node;

  template <class F>
  static void visitThunk(void* ctx, const SubscriptionEntry& e) {
    (*static_cast<F*>(ctx))(e);
  }
  void matchImpl(std::string_view topic, Visitor visit, void* ctx);
  Shard& exactShard(std::string_view filter);
  Shard& trieShard(std::string_view first_level);

  std::vector<std::unique_ptr<Shard>> shards_;
  std::unique_ptr<Shard> wild_root_;  // filters whose first level is '+' or '#'
  std::atomic<size_t> count_{0};
};

}  // namespace hearth::mqtt

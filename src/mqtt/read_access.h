// Read access at delivery: whether a session's client may receive a message published to a topic.
//
// A SUBSCRIBE is authorized for its filter as a whole; which of the topics the filter matches may
// actually reach the client is decided here, per delivered topic (AccessKind::kRead), when a
// message is routed to the session and when a new subscription gets retained messages. So a
// wildcard subscription may overlap topics its client may not read (mosquitto's behaviour), and an
// access that ends after SUBSCRIBE (an app's session, a share, a home membership) stops the
// deliveries of subscriptions made while it lasted.
//
// Decisions are cached per session and topic, so the hot path is one hash lookup under the
// session's lock (which queuing the delivery takes anyway). A cached decision holds until
//   - accessChanged() names the session's user name or one of its ':'-prefixes (accessChanged
//     ("app:42") reaches "app:42:9f3c…"), or accessChangedForAll() is called: the embedder says so
//     when it knows access changed (hearthd: home's access-change events);
//   - `ttl` has passed since it was made: what changes with time alone (a share or a guest's
//     membership reaching its end date, a session expiring) or behind the embedder's back (the
//     hearth command-line tool editing the registry) takes effect within it;
//   - the session is taken over by a client with another user name.
// The cache is bounded (`capacity` topics per session, emptied when full: a cold cache costs only
// re-checks) and allocated at a session's first delivery. Invalidation is one atomic increment:
// principals hash onto kSlots epoch counters, and a decision remembers the sum of its session's
// counters; a collision between two principals costs a re-check, never a wrong answer.
//
// Messages queued for a session before its access changed are still delivered: they were
// readable when they were published.
//
// Thread-safety: every method may be called from any thread. allowed() takes the session's lock
// itself (the caller must not hold it) and calls the Authorizer without it.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hearth/core/clock.h"
#include "hearth/mqtt/auth.h"
#include "mqtt/string_hash.h"

namespace hearth::mqtt {

class Session;

// One session's cached decisions; Session::read_cache, guarded by Session::mu.
struct ReadCache {
  struct Decision {
    bool allowed = false;
    uint64_t epoch = 0;
    core::Clock::TimePoint made;
  };
  std::string username;  // whose decisions these are
  std::array<uint16_t, 4> slots{};  // the counters of username's ':'-prefixes
  size_t slot_count = 0;
  std::unordered_map<std::string, Decision, StringHash, std::equal_to<>> decisions;  // by topic
};

class ReadAccess {
 public:
  static constexpr size_t kSlots = 4096;
  // A user name's ':'-prefixes that get their own counter ("app", "app:42", "app:42:9f3c…").
  static constexpr size_t kMaxPrefixes = std::tuple_size_v<decltype(ReadCache::slots)>;

  // `authorizer` null: everything may be read, and nothing is cached.
  ReadAccess(Authorizer* authorizer, std::chrono::milliseconds ttl, size_t capacity)
      : authorizer_(authorizer), ttl_(ttl), capacity_(capacity) {}

  bool allowed(Session& session, std::string_view topic, core::Clock::TimePoint now);

  void accessChanged(std::string_view principal);
  void accessChangedForAll() { global_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  // Points the cache at `username`'s counters and forgets its decisions.
  static void reset(ReadCache& cache, std::string_view username);
  uint64_t epoch(const ReadCache& cache) const;

  Authorizer* const authorizer_;
  const std::chrono::milliseconds ttl_;
  const size_t capacity_;
  std::array<std::atomic<uint64_t>, kSlots> slots_{};
  std::atomic<uint64_t> global_{0};
};

}  // namespace hearth::mqtt

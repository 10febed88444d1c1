#include "mqtt/read_access.h"

#include <mutex>

#include "mqtt/session.h"

namespace hearth::mqtt {
namespace {

uint16_t slotOf(std::string_view principal) {
  return static_cast<uint16_t>(std::hash<std::string_view>{}(principal) % ReadAccess::kSlots);
}

}  // namespace

void ReadAccess::reset(ReadCache& cache, std::string_view username) {
  cache.username = std::string(username);
  cache.decisions.clear();
  cache.slot_count = 0;
  // Every ':'-prefix and the whole name, up to kMaxPrefixes counters (the longest prefixes last).
  for (size_t pos = username.find(':'); pos != std::string_view::npos && cache.slot_count + 1 < kMaxPrefixes;
       pos = username.find(':', pos + 1)) {
    cache.slots[cache.slot_count++] = slotOf(username.substr(0, pos));
  }
  cache.slots[cache.slot_count++] = slotOf(username);
}

uint64_t ReadAccess::epoch(const ReadCache& cache) const {
  // Every counter only grows, so the sum changes whenever one of them does.
  uint64_t sum = global_.load(std::memory_order_acquire);
  for (size_t i = 0; i < cache.slot_count; ++i) sum += slots_[cache.slots[i]].load(std::memory_order_acquire);
  return sum;
}

void ReadAccess::accessChanged(std::string_view principal) {
  slots_[slotOf(principal)].fetch_add(1, std::memory_order_acq_rel);
}

bool ReadAccess::allowed(Session& session, std::string_view topic, core::Clock::TimePoint now) {
  if (authorizer_ == nullptr) return true;
  std::string username;
  uint64_t seen = 0;
  {
    std::lock_guard lock(session.mu);
    if (!session.read_cache) session.read_cache = std::make_unique<ReadCache>();
    ReadCache& cache = *session.read_cache;
    if (cache.slot_count == 0 || cache.username != session.username) reset(cache, session.username);
    // Read before asking the Authorizer: a change announced while it answers makes the answer
    // stale at once, rather than leaving it cached for the old state.
    seen = epoch(cache);
    auto it = cache.decisions.find(topic);
    if (it != cache.decisions.end() && it->second.epoch == seen && now - it->second.made < ttl_) {
      return it->second.allowed;
    }
    username = session.username;
  }
  const bool allowed = authorizer_->allowed(ClientIdentity{session.clientId(), username}, AccessKind::kRead, topic);
  std::lock_guard lock(session.mu);
  ReadCache& cache = *session.read_cache;
  if (cache.username == username) {
    if (cache.decisions.size() >= capacity_) cache.decisions.clear();
    cache.decisions.insert_or_assign(std::string(topic), ReadCache::Decision{allowed, seen, now});
  }
  return allowed;
}

}  // namespace hearth::mqtt

#include "mqtt/slow_subscribers.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace hearth::mqtt {

std::shared_ptr<DropCounter> SlowSubscribers::counterFor(const std::string& client_id) {
  std::lock_guard lock(mu_);
  auto it = counters_.find(client_id);
  if (it != counters_.end()) return it->second;
  // Clients whose sessions are gone (nobody else holds their counter) are the past: forgotten in
  // bulk, so that clients which come and go cannot grow the map without bound.
  if (counters_.size() >= kMaxForgettable) {
    std::erase_if(counters_, [](const auto& entry) { return entry.second.use_count() == 1; });
  }
  return counters_.emplace(client_id, std::make_shared<DropCounter>()).first->second;
}

void SlowSubscribers::dropped(DropCounter& c, const std::string& client_id, size_t queued, size_t queued_bytes) {
  const uint64_t total = c.queue_full.fetch_add(1, std::memory_order_relaxed) + 1;
  c.last_drop_unix_ms.store(clock_.unixMillis(), std::memory_order_relaxed);
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
  int64_t due = c.next_log_ms.load(std::memory_order_relaxed);
  // One of the loops dropping for this client at once writes the line.
  if (now < due || !c.next_log_ms.compare_exchange_strong(due, now + kLogInterval.count() * 1000)) return;
  const uint64_t before = c.logged.exchange(total, std::memory_order_relaxed);
  if (before == 0) {
    spdlog::warn(
        "mqtt: subscriber queue full, dropping messages for this client only client_id={} queued={} "
        "queued_bytes={} (one line per {} s while it lasts)",
        client_id, queued, queued_bytes, kLogInterval.count());
  } else {
    spdlog::warn("mqtt: subscriber queue still full client_id={} dropped={} since the last line, {} in all",
                 client_id, total - before, total);
  }
}

std::vector<ClientDrops> SlowSubscribers::worst(size_t limit) const {
  std::vector<ClientDrops> out;
  {
    std::lock_guard lock(mu_);
    out.reserve(counters_.size());
    for (const auto& [id, c] : counters_) {
      out.push_back(ClientDrops{id, c->queue_full.load(std::memory_order_relaxed),
                                c->last_drop_unix_ms.load(std::memory_order_relaxed)});
    }
  }
  const size_t n = std::min(limit, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), out.end(),
                    [](const ClientDrops& a, const ClientDrops& b) {
                      return a.queue_full != b.queue_full ? a.queue_full > b.queue_full : a.client_id < b.client_id;
                    });
  out.resize(n);
  return out;
}

}  // namespace hearth::mqtt

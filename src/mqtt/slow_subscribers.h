// Subscribers that lose messages because their queue is full (Session::enqueue): one counter per
// client id, for the operator (Broker::droppedByClient: /metrics and the admin API), and log lines
// that say so at a bounded rate however fast messages are dropped.
//
// Thread-safety: any thread. A session finds its client's counter once, on its first drop (under
// the session's lock; mu_ is a leaf), and from then on counts with atomics only, so a stalled
// subscriber adds no lock that its publishers' loops would contend on.
//
// Memory: one entry per client that dropped. Entries of clients without a live session are
// forgotten once kMaxForgettable of them are kept; the metric hearth_mqtt_dropped_total keeps
// the sum.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "hearth/core/clock.h"
#include "hearth/mqtt/broker.h"

namespace hearth::mqtt {

// What one client lost. Shared by its sessions (and, across a clean start, their successors).
struct DropCounter {
  std::atomic<uint64_t> queue_full{0};
  std::atomic<int64_t> last_drop_unix_ms{0};
  std::atomic<int64_t> next_log_ms{0};  // Clock::now() in ms from which the next line is due
  std::atomic<uint64_t> logged{0};      // queue_full as of the last line
};

class SlowSubscribers {
 public:
  explicit SlowSubscribers(const core::Clock& clock) : clock_(clock) {}

  // The counter of `client_id`, created on its first use.
  std::shared_ptr<DropCounter> counterFor(const std::string& client_id);
  // Counts one message dropped for `client_id` (`counter` is its own), whose queue holds
  // `queued` messages of `queued_bytes`; logs the first drop, then at most one line per client
  // every kLogInterval with the number dropped since the last.
  void dropped(DropCounter& counter, const std::string& client_id, size_t queued, size_t queued_bytes);
  // The `limit` clients that dropped most, most first.
  std::vector<ClientDrops> worst(size_t limit) const;

  static constexpr std::chrono::seconds kLogInterval{10};
  static constexpr size_t kMaxForgettable = 10000;

 private:
  const core::Clock& clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<DropCounter>> counters_;
};

}  // namespace hearth::mqtt

// The project's one group-commit writer: producers (event loops, request threads) queue records
// for a store without waiting for the disk; one writer thread commits what has queued as one batch,
// so under load a single commit (and sync) covers many records while a lone record is written at
// once.
//
// Bounded, with back-pressure. The queue holds at most `max_queued_items` items and
// `max_queued_bytes` bytes (as `size_of` counts them); an item is admitted only if it fits, or if
// the queue is empty (one item larger than the byte limit still gets through, alone). A producer
// beyond capacity either
//   - push(): gets kResourceExhausted at once ("<name>: overloaded, ..."), never waits. This is the
//     only choice on an event loop (MQTT, HTTP): the loop must never block on the disk. The caller
//     turns it into its protocol's answer (a withheld acknowledgement, an error reply, a count);
//   - pushUntil(deadline): waits for room until the deadline (of the writer's clock), then gets
//     kDeadlineExceeded. For producers that may wait: start-up, tools, imports, seeding.
// After stop() both return kUnavailable.
//
// Batching: a batch takes queued items in order, at most `max_batch_items` and `max_batch_bytes`
// (at least one item). With `max_delay` > 0 the writer waits, after the first item arrives, until
// a batch is full or the oldest item has waited `max_delay`; with 0 (the default) it writes what is
// there at once, which is classic group commit: the batch is what arrived during the last write.
//
// Failures are contained: `commit` returning an error, or throwing, is logged (rate-limited),
// counted in stats(), and handed to `finish` for the batch's items (an exception as kInternal);
// the writer goes on with the next batch. An exception from `finish` is logged and counted too.
//
// Ordering: items are committed and finished in the order they were admitted; a batch is
// finished before the next one is committed.
//
// Ownership: owns its thread; stop() (or the destructor) stops admitting, commits and finishes
// everything queued, then joins. Thread-safety: push, pushUntil, flush, stats from any thread;
// `commit` and `finish` run on the writer thread, one batch at a time, and must not call
// push/flush/stop of the same writer.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "hearth/core/clock.h"
#include "hearth/core/status.h"

namespace hearth::core {

struct GroupCommitLimits {
  size_t max_queued_items = 100'000;
  size_t max_queued_bytes = 64u << 20;
  size_t max_batch_items = 10'000;
  size_t max_batch_bytes = 16u << 20;
  Clock::Duration max_delay{0};
};

struct GroupCommitStats {
  uint64_t committed_items = 0;  // finished with an ok commit
  uint64_t batches = 0;
  uint64_t refused = 0;          // not admitted: overloaded, deadline passed or stopped
  uint64_t failed_items = 0;     // in a batch whose commit failed or threw
  uint64_t failed_batches = 0;
  uint64_t exceptions = 0;       // thrown by commit or finish
  size_t queued_items = 0;
  size_t queued_bytes = 0;
};

namespace detail {

// Rate-limited logging of one writer's failures (at most one line per interval, with a count of
// what it left out), so an overloaded or failing store cannot flood the log.
class WriterLog {
 public:
  explicit WriterLog(std::string name) : name_(std::move(name)) {}
  void refused(const Clock& clock, const Status& why);
  void failed(const Clock& clock, size_t items, const Status& why);
  void finishThrew(const Clock& clock, const std::string& what);

 private:
  bool due(const Clock& clock, uint64_t& suppressed);
  const std::string name_;
  std::mutex mu_;
  Clock::TimePoint last_{};
  bool logged_ = false;
  uint64_t suppressed_ = 0;
};

}  // namespace detail

template <class T>
class GroupCommitWriter {
 public:
  // Writes one batch, all or nothing; returns when it is as durable as its store promises.
  using Commit = std::function<Status(std::vector<T>& batch)>;
  // Runs after each commit with its outcome, e.g. to call the items' own callbacks.
  using Finish = std::function<void(std::vector<T>& batch, const Status& outcome)>;

  struct Options {
    std::string name;  // in log lines and errors: "history", "audit", ...
    GroupCommitLimits limits;
    std::function<size_t(const T&)> size_of;  // bytes an item holds; unset: 1 per item
    Finish finish;                            // may be unset
    const Clock* clock = &SystemClock::instance();
    // Test hook: called on the writer thread, without the lock, each time it is about to wait
    // with `queued` items (0: idle; more: a batch filling until max_delay).
    std::function<void(size_t queued)> on_wait;
  };

  GroupCommitWriter(Options options, Commit commit)
      : options_(std::move(options)), commit_(std::move(commit)), log_(options_.name) {
    thread_ = std::thread([this] { run(); });
  }
  ~GroupCommitWriter() { stop(); }
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // `item` is moved from only when it is admitted: a refused item stays with the caller, to
  // report the refusal through (its callback, say).
  Status push(T&& item) {
    const size_t bytes = sizeOf(item);
    Status admitted;
    {
      std::lock_guard lock(mu_);
      admitted = admitLocked(bytes);
      if (admitted.isOk()) enqueueLocked(std::move(item), bytes);
    }
    return settle(std::move(admitted));
  }

  Status pushUntil(T&& item, Clock::TimePoint deadline) {
    const size_t bytes = sizeOf(item);
    Status admitted;
    {
      std::unique_lock lock(mu_);
      for (;;) {
        admitted = admitLocked(bytes);
        if (admitted.isOk()) {
          enqueueLocked(std::move(item), bytes);
          break;
        }
        if (stopping_) break;
        const Clock::Duration left = deadline - options_.clock->now();
        if (left <= Clock::Duration::zero()) {
          admitted = Status(StatusCode::kDeadlineExceeded, options_.name + ": overloaded until the deadline");
          break;
        }
        room_.wait_for(lock, std::min(left, kLongestWait));
      }
    }
    return settle(std::move(admitted));
  }

  // Waits until every item admitted before the call has been committed and finished.
  void flush() {
    std::unique_lock lock(mu_);
    const uint64_t target = admitted_;
    finished_cv_.wait(lock, [&] { return finished_ >= target; });
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    work_.notify_one();
    room_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  GroupCommitStats stats() const {
    std::lock_guard lock(mu_);
    GroupCommitStats s = stats_;
    s.queued_items = queue_.size();
    s.queued_bytes = queued_bytes_;
    return s;
  }

 private:
  struct Entry {
    T item;
    size_t bytes;
    Clock::TimePoint at;
  };

  // Waits are cut into slices of at most this, so that a far deadline cannot overflow the
  // standard clock and an injected clock that moves is noticed.
  static constexpr Clock::Duration kLongestWait = std::chrono::seconds(1);

  size_t sizeOf(const T& item) const { return options_.size_of ? options_.size_of(item) : 1; }

  Status admitLocked(size_t bytes) const {
    if (stopping_) return Status::unavailable(options_.name + ": stopped");
    const GroupCommitLimits& l = options_.limits;
    if (queue_.empty() || (queue_.size() < l.max_queued_items && queued_bytes_ + bytes <= l.max_queued_bytes)) {
      return Status::ok();
    }
    return Status::resourceExhausted(options_.name + ": overloaded, " + std::to_string(queue_.size()) + " items (" +
                                     std::to_string(queued_bytes_) + " bytes) waiting to be written");
  }

  void enqueueLocked(T&& item, size_t bytes) {
    queue_.push_back(Entry{std::move(item), bytes, options_.clock->now()});
    queued_bytes_ += bytes;
    ++admitted_;
    work_.notify_one();
  }

  // Counts and logs a refusal; passes the status through.
  Status settle(Status admitted) {
    if (!admitted.isOk()) {
      {
        std::lock_guard lock(mu_);
        ++stats_.refused;
      }
      log_.refused(*options_.clock, admitted);
    }
    return admitted;
  }

  // Requires mu_: whether the queue holds a full batch.
  bool fullBatchLocked() const {
    const GroupCommitLimits& l = options_.limits;
    return queue_.size() >= l.max_batch_items || queued_bytes_ >= l.max_batch_bytes;
  }

  void run() {
    std::vector<T> batch;
    std::unique_lock lock(mu_);
    for (;;) {
      if (queue_.empty()) {
        if (stopping_) return;  // everything admitted is written
        waitLocked(lock, 0, nullptr);
        continue;
      }
      if (options_.limits.max_delay > Clock::Duration::zero() && !stopping_ && !fullBatchLocked()) {
        const Clock::TimePoint due = queue_.front().at + options_.limits.max_delay;
        if (options_.clock->now() < due) {
          waitLocked(lock, queue_.size(), &due);
          continue;
        }
      }
      size_t batch_bytes = 0;
      while (!queue_.empty() && batch.size() < options_.limits.max_batch_items &&
             (batch.empty() || batch_bytes + queue_.front().bytes <= options_.limits.max_batch_bytes)) {
        batch_bytes += queue_.front().bytes;
        batch.push_back(std::move(queue_.front().item));
        queue_.pop_front();
      }
      queued_bytes_ -= batch_bytes;
      lock.unlock();
      room_.notify_all();
      const Status outcome = commitAndFinish(batch);
      const size_t n = batch.size();
      batch.clear();
      lock.lock();
      ++stats_.batches;
      if (outcome.isOk()) {
        stats_.committed_items += n;
      } else {
        stats_.failed_items += n;
        ++stats_.failed_batches;
      }
      finished_ += n;
      finished_cv_.notify_all();
    }
  }

  // Requires mu_ (held by `lock`): waits for an item, stop(), or `due`.
  void waitLocked(std::unique_lock<std::mutex>& lock, size_t queued, const Clock::TimePoint* due) {
    if (options_.on_wait) {
      lock.unlock();
      options_.on_wait(queued);
      lock.lock();
      if (stopping_ || queue_.size() != queued) return;  // changed meanwhile: look again
    }
    if (due == nullptr) {
      work_.wait(lock);
    } else {
      work_.wait_for(lock, std::min(*due - options_.clock->now(), kLongestWait));
    }
  }

  // Runs without the lock. Never throws.
  Status commitAndFinish(std::vector<T>& batch) {
    Status outcome;
    try {
      outcome = commit_(batch);
    } catch (const std::exception& e) {
      outcome = Status::internal(options_.name + ": commit threw: " + e.what());
      countException();
    } catch (...) {
      outcome = Status::internal(options_.name + ": commit threw");
      countException();
    }
    if (!outcome.isOk()) log_.failed(*options_.clock, batch.size(), outcome);
    if (options_.finish) {
      try {
        options_.finish(batch, outcome);
      } catch (const std::exception& e) {
        countException();
        log_.finishThrew(*options_.clock, e.what());
      } catch (...) {
        countException();
        log_.finishThrew(*options_.clock, "unknown exception");
      }
    }
    return outcome;
  }

  void countException() {
    std::lock_guard lock(mu_);
    ++stats_.exceptions;
  }

  const Options options_;
  const Commit commit_;
  detail::WriterLog log_;
  mutable std::mutex mu_;
  std::condition_variable work_;         // the writer waits for items
  std::condition_variable room_;         // pushUntil waits for room
  std::condition_variable finished_cv_;  // flush waits for batches
  std::deque<Entry> queue_;              // guarded by mu_
  size_t queued_bytes_ = 0;              // guarded by mu_
  uint64_t admitted_ = 0;                // guarded by mu_
  uint64_t finished_ = 0;                // guarded by mu_
  bool stopping_ = false;                // guarded by mu_
  GroupCommitStats stats_;               // guarded by mu_
  std::thread thread_;                   // last: starts after everything it uses exists
};

}  // namespace hearth::core

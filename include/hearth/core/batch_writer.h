// A writer thread that takes everything queued since its last write as one batch (group
// commit): for records that must reach a store without their producers (event loops, request
// threads) waiting for the disk. push() only queues; past `max_queued` waiting items the newest
// are refused and counted, so a store that cannot keep up does not take memory without bound.
//
// Ownership: owns its thread; stop() (or the destructor) writes what is queued, then joins.
// Thread-safety: push() and dropped() from any thread; `write` runs on the writer thread, one
// batch at a time, and must not call push() of the same writer.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace hearth::core {

template <class T>
class BatchWriter {
 public:
  using Write = std::function<void(std::vector<T>& batch)>;

  BatchWriter(Write write, size_t max_queued) : write_(std::move(write)), max_queued_(max_queued) {
    thread_ = std::thread([this] { run(); });
  }
  ~BatchWriter() { stop(); }
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // False when refused: the queue is full, or the writer has stopped.
  bool push(T item) {
    {
      std::lock_guard lock(mu_);
      if (stopping_ || pending_.size() >= max_queued_) {
        ++dropped_;
        return false;
      }
      pending_.push_back(std::move(item));
    }
    wake_.notify_one();
    return true;
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  uint64_t dropped() const { return dropped_.load(); }

 private:
  void run() {
    std::vector<T> batch;
    std::unique_lock lock(mu_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, and everything is written
      batch.swap(pending_);
      lock.unlock();
      write_(batch);
      batch.clear();
      lock.lock();
    }
  }

  const Write write_;
  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<T> pending_;  // guarded by mu_
  bool stopping_ = false;   // guarded by mu_
  std::atomic<uint64_t> dropped_{0};
  std::thread thread_;
};

}  // namespace hearth::core

// A fixed set of threads with a bounded queue, for the slow password verifications that must not
// run on an event loop.
//
// Ownership: owns its threads; the destructor lets running tasks finish, calls every task still
// queued with run = false (so a task's completion callback still fires exactly once), and joins.
// Thread-safety: trySubmit() may be called from any thread, concurrently. Errors: none thrown
// after construction; a full queue is reported by trySubmit() returning false.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hearth::mqtt {

class VerifyPool {
 public:
  // run = false: the pool is shutting down and the task will not be run.
  using Task = std::function<void(bool run)>;

  VerifyPool(size_t threads, size_t queue_capacity);
  ~VerifyPool();
  VerifyPool(const VerifyPool&) = delete;
  VerifyPool& operator=(const VerifyPool&) = delete;

  // Queues `task`, or returns false (and drops it) when the queue is full or shutting down.
  bool trySubmit(Task task);

 private:
  void work();

  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace hearth::mqtt

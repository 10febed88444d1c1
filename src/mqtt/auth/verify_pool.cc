#include "mqtt/auth/verify_pool.h"

#include <algorithm>
#include <utility>

#include "hearth/core/boundary.h"

namespace hearth::mqtt {

VerifyPool::VerifyPool(size_t threads, size_t queue_capacity)
    : capacity_(std::max<size_t>(queue_capacity, 1)) {
  threads = std::max<size_t>(threads, 1);
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

VerifyPool::~VerifyPool() {
  std::deque<Task> abandoned;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    abandoned.swap(queue_);
  }
  ready_.notify_all();
  // Outside the lock: a task's callback may do anything, including submitting again (refused).
  for (Task& task : abandoned) task(false);
  for (std::thread& t : threads_) t.join();
}

bool VerifyPool::trySubmit(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void VerifyPool::work() {
  while (true) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left that was taken before the swap
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    // A bug in one verification costs that login (it times out), not the pool's thread.
    (void)core::guard(core::Boundary::kWorker, "credential verification", [&] { task(true); });
  }
}

}  // namespace hearth::mqtt

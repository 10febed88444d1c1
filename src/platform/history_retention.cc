#include "hearth/platform/history_retention.h"

#include <spdlog/spdlog.h>

namespace hearth::platform {

HistoryRetention::~HistoryRetention() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void HistoryRetention::start() {
  if (retention_.count() <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      if (core::Status s = runOnce(); !s.isOk()) spdlog::warn("history retention: {}", s.toString());
      lock.lock();
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  });
}

core::Status HistoryRetention::runOnce() {
  if (retention_.count() <= 0) return core::Status::ok();
  return history_.deleteBefore(clock_.unixMillis() - retention_.count());
}

}  // namespace hearth::platform

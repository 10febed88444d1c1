#include "hearth/home/failure_log.h"

namespace hearth::home {

bool FailureLog::exceeded(const std::string& key, size_t limit, int64_t now_ms, int64_t window_ms) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return false;
  auto& times = it->second;
  while (!times.empty() && times.front() <= now_ms - window_ms) times.pop_front();
  if (times.empty()) {
    failures_.erase(it);
    return false;
  }
  return times.size() >= limit;
}

void FailureLog::add(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (failures_.size() >= kMaxKeys && !failures_.contains(key)) failures_.clear();
  failures_[key].push_back(now_ms);
}

void FailureLog::clear(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

}  // namespace hearth::home

// A brake on guessing: failed attempts per key (an account, an address, a person binding
// devices) in a sliding window. Accounts uses it for logins, Devices for bind codes.
//
// Memory is bounded: past kMaxKeys keys, the log forgets everything (a flood of distinct keys
// must not grow memory without bound; the cost is a fresh budget for everyone).
//
// Ownership: plain value. Thread-safety: every method may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hearth::home {

class FailureLog {
 public:
  static constexpr size_t kMaxKeys = 100'000;

  // Whether `key` has `limit` or more failures in the `window_ms` before `now_ms`.
  bool exceeded(const std::string& key, size_t limit, int64_t now_ms, int64_t window_ms);
  void add(const std::string& key, int64_t now_ms);
  void clear(const std::string& key);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;  // oldest first; guarded by mu_
};

}  // namespace hearth::home

// Retention of device history: samples and events older than the retention period are removed in
// the background, a little at a time (every `interval`), so each pass deletes little and ingest
// is never paused for long. The shadow (latest values) is never removed.
//
// Global for now (history.retention_days); per-product periods will call
// HistoryStore::deleteBefore(did, cutoff) for that product's devices.
//
// Ownership: borrows the store and the clock; owns its thread, joined by the destructor.
// Thread-safety: runOnce() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "hearth/core/clock.h"
#include "hearth/core/status.h"
#include "hearth/store/history_store.h"

namespace hearth::platform {

class HistoryRetention {
 public:
  // `retention` of zero keeps everything (start() then starts nothing).
  HistoryRetention(store::HistoryStore& history, const core::Clock& clock, std::chrono::milliseconds retention,
                   std::chrono::milliseconds interval = std::chrono::minutes(10))
      : history_(history), clock_(clock), retention_(retention), interval_(interval) {}
  ~HistoryRetention();
  HistoryRetention(const HistoryRetention&) = delete;
  HistoryRetention& operator=(const HistoryRetention&) = delete;

  void start();
  // One pass: removes what is older than now minus the retention period.
  core::Status runOnce();

 private:
  store::HistoryStore& history_;
  const core::Clock& clock_;
  const std::chrono::milliseconds retention_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace hearth::platform

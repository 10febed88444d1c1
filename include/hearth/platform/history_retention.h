// Retention of device history: samples and events older than their product's retention period
// are removed in the background, every `interval`, so each pass deletes little and ingest is
// never paused for long. The shadow (latest values) is never removed.
//
// The period is the server's default (history.retention_days) unless the product has its own
// (ProductStore::setRetentionDays, `hearth spec retention`), read afresh at every pass. While no
// product keeps history longer than the default, a pass is one range delete over all devices plus
// one per device of the products with a shorter period; otherwise it goes device by device.
//
// Ownership: borrows the stores and the clock; owns its thread, joined by the destructor.
// Thread-safety: runOnce() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "hearth/core/clock.h"
#include "hearth/core/status.h"
#include "hearth/store/device_store.h"
#include "hearth/store/history_store.h"
#include "hearth/store/product_store.h"

namespace hearth::platform {

class HistoryRetention {
 public:
  // `retention` is the default period; zero keeps everything.
  HistoryRetention(store::HistoryStore& history, store::ProductStore& products, store::DeviceStore& devices,
                   const core::Clock& clock, std::chrono::milliseconds retention,
                   std::chrono::milliseconds interval = std::chrono::minutes(10))
      : history_(history),
        products_(products),
        devices_(devices),
        clock_(clock),
        retention_(retention),
        interval_(interval) {}
  ~HistoryRetention();
  HistoryRetention(const HistoryRetention&) = delete;
  HistoryRetention& operator=(const HistoryRetention&) = delete;

  void start();
  // One pass: removes what is older than now minus each device's retention period.
  core::Status runOnce();

 private:
  // Applies `cutoff_of(model)` (nullopt: keep) to every device, or to those of `model` if given.
  template <class CutoffOf>
  core::Status deviceByDevice(std::string_view model, CutoffOf&& cutoff_of);

  store::HistoryStore& history_;
  store::ProductStore& products_;
  store::DeviceStore& devices_;
  const core::Clock& clock_;
  const std::chrono::milliseconds retention_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace hearth::platform

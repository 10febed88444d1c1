#include "hearth/platform/history_retention.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "hearth/core/boundary.h"

namespace hearth::platform {

namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000LL;
constexpr size_t kDevicePage = 1000;

}  // namespace

HistoryRetention::~HistoryRetention() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void HistoryRetention::start() {
  if (thread_.joinable()) return;
  // Runs even when the default keeps everything: a product may have a period of its own.
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      // A bug in one pass costs that pass; the next one comes at the next interval.
      (void)core::guard(core::Boundary::kWorker, "history retention", [this] {
        if (core::Status s = runOnce(); !s.isOk()) spdlog::warn("history retention: {}", s.toString());
      });
      lock.lock();
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  });
}

template <class CutoffOf>
core::Status HistoryRetention::deviceByDevice(std::string_view model, CutoffOf&& cutoff_of) {
  std::string after;
  for (;;) {
    auto page = devices_.listDevices(after, kDevicePage, model);
    if (!page) return page.error();
    for (const store::DeviceRecord& d : page.value()) {
      if (std::optional<int64_t> cutoff = cutoff_of(d.model)) HEARTH_RETURN_IF_ERROR(history_.deleteBefore(d.did, *cutoff));
    }
    if (page.value().size() < kDevicePage) return core::Status::ok();
    after = page.value().back().did;
  }
}

core::Status HistoryRetention::runOnce() {
  auto overrides = products_.retentionOverrides();
  if (!overrides) return overrides.error();
  const int64_t now = clock_.unixMillis();
  const int64_t default_ms = retention_.count();  // 0: keep everything
  // Whether a product period keeps history longer than the default does.
  auto longer = [default_ms](uint32_t days) {
    return default_ms > 0 && (days == 0 || static_cast<int64_t>(days) * kDayMs > default_ms);
  };
  const bool any_longer = std::any_of(overrides.value().begin(), overrides.value().end(),
                                      [&](const auto& o) { return longer(o.second); });
  if (!any_longer) {
    if (default_ms > 0) HEARTH_RETURN_IF_ERROR(history_.deleteBefore(now - default_ms));
    for (const auto& [model, days] : overrides.value()) {
      if (days == 0) continue;  // keeps everything, and so does the default
      const int64_t cutoff = now - static_cast<int64_t>(days) * kDayMs;
      HEARTH_RETURN_IF_ERROR(deviceByDevice(model, [cutoff](const std::string&) { return std::optional(cutoff); }));
    }
    return core::Status::ok();
  }
  // The default cannot be applied to all devices at once without cutting the longer periods.
  std::unordered_map<std::string, uint32_t> by_model(overrides.value().begin(), overrides.value().end());
  return deviceByDevice("", [&](const std::string& model) -> std::optional<int64_t> {
    auto it = by_model.find(model);
    const int64_t period = it == by_model.end() ? default_ms : static_cast<int64_t>(it->second) * kDayMs;
    if (period <= 0) return std::nullopt;
    return now - period;
  });
}

}  // namespace hearth::platform

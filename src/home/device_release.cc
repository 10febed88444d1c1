#include "hearth/home/device_release.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace hearth::home {

namespace {

constexpr size_t kErasurePage = 100;

}  // namespace

DeviceRelease::~DeviceRelease() { stop(); }

void DeviceRelease::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (sweeper_.joinable()) sweeper_.join();
}

std::vector<int64_t> DeviceRelease::concernedWith(std::string_view did) {
  if (access_ == nullptr) return {};
  std::vector<int64_t> concerned;
  if (auto device = devices_.device(did); device && device.value().home_id != 0) {
    concerned = homeMemberIds(homes_, device.value().home_id);
  }
  for (int64_t id : shareRecipientIds(shares_, did)) concerned.push_back(id);
  return concerned;
}

core::Status DeviceRelease::unbind(std::string_view did) {
  const std::vector<int64_t> concerned = concernedWith(did);
  HEARTH_RETURN_IF_ERROR(devices_.unbindDevice(did));
  announce(access_, concerned);
  return released({std::string(did)});
}

core::Status DeviceRelease::deleteHome(int64_t home_id) {
  // Its members; those its devices were shared with learn of it within the listener's bound.
  const std::vector<int64_t> concerned = access_ ? homeMemberIds(homes_, home_id) : std::vector<int64_t>{};
  auto dids = homes_.deleteHome(home_id);
  if (!dids) return dids.error();
  announce(access_, concerned);
  return released(dids.value());
}

core::Status DeviceRelease::remove(std::string_view did) {
  const std::vector<int64_t> concerned = concernedWith(did);
  HEARTH_RETURN_IF_ERROR(devices_.removeDevice(did));
  announce(access_, concerned);
  return released({std::string(did)});
}

core::Status DeviceRelease::released(const std::vector<std::string>& dids) {
  // The registry no longer ties the devices to anyone and holds their erasure requests: the
  // device has left, whatever happens next. An erasure that fails here is retried by the sweep
  // and before any bind.
  if (history_ == nullptr) return core::Status::ok();
  for (const std::string& did : dids) {
    if (core::Status s = erase(did); !s.isOk()) {
      spdlog::warn("device release: the history of {} stays until the next sweep: {}", did, s.toString());
    }
  }
  return core::Status::ok();
}

core::Status DeviceRelease::erase(std::string_view did) {
  if (history_ == nullptr) {
    return core::Status::unavailable("the history of device " + std::string(did) + " is held by another process");
  }
  HEARTH_RETURN_IF_ERROR(history_->removeDevice(did));
  return devices_.erasureDone(did);
}

core::Status DeviceRelease::prepareBind(std::string_view did) {
  auto left = devices_.hasErasure(did);
  if (!left) return left.error();
  // Erased again even when done: the device may have reported while it was in no home, and that
  // belongs to the household it left, not the next.
  if (!left.value()) return core::Status::ok();
  if (core::Status s = erase(did); !s.isOk()) {
    spdlog::warn("device release: cannot erase the history of {}: {}", did, s.toString());
    return core::Status::unavailable("the device's data from its previous home is being erased; try again later");
  }
  return core::Status::ok();
}

core::Result<size_t> DeviceRelease::erasePending() {
  std::vector<std::string> failed;
  for (;;) {
    auto page = devices_.pendingErasures(kErasurePage + failed.size());
    if (!page) return page.error();
    size_t tried = 0;
    for (const std::string& did : page.value()) {
      if (std::find(failed.begin(), failed.end(), did) != failed.end()) continue;
      ++tried;
      if (core::Status s = erase(did); !s.isOk()) {
        spdlog::warn("device release: cannot erase the history of {}: {}", did, s.toString());
        failed.push_back(did);
      }
    }
    if (tried == 0) return failed.size();
  }
}

void DeviceRelease::start() {
  if (sweeper_.joinable() || history_ == nullptr) return;
  sweeper_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, kSweepInterval, [this] { return stopping_; })) {
      lock.unlock();
      if (auto left = erasePending(); !left) spdlog::warn("device release: {}", left.error().toString());
      lock.lock();
    }
  });
}

}  // namespace hearth::home

// How a device leaves a home: the one path for unbinding it, deleting its home and removing it
// from the registry, so that its next owner finds nothing of the household it left.
//
// Leaving takes two steps in two stores. The registry change comes first, in one transaction:
// the device is out of its home with its name, room, shares, queued commands and audit log, and
// an erasure request for its history is recorded (store::DeviceStore, "Erasure requests"). Then
// the history store forgets its samples, events and shadow, and the request is marked done. A
// crash, an error or a history held by another process (the CLI while hearthd runs) leaves the
// request pending: erasePending() carries it out, at start-up and every kSweepInterval once
// start() ran, and prepareBind() before the device goes into any home, so a new owner never sees
// what a previous one left, even if the sweep has not run yet.
//
// Whoever saw the device through its home or a share is announced to the AccessListener, if any,
// once the registry has let it go (hearth/home/access_changes.h).
//
// Ownership: borrows the stores and the listener; owns its sweep thread, joined by the destructor.
// Thread-safety: any method from any thread. Errors: the stores' own; prepareBind() answers
// kUnavailable when the device's old history cannot be erased now; never throws.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "hearth/core/status.h"
#include "hearth/home/access_changes.h"
#include "hearth/store/device_store.h"
#include "hearth/store/history_store.h"
#include "hearth/store/home_store.h"
#include "hearth/store/share_store.h"

namespace hearth::home {

class DeviceRelease {
 public:
  static constexpr std::chrono::seconds kSweepInterval{30};

  // `history` null: another process holds the history store (the CLI while hearthd runs), which
  // erases what this one leaves pending.
  DeviceRelease(store::DeviceStore& devices, store::HomeStore& homes, store::ShareStore& shares,
                store::HistoryStore* history, AccessListener* access = nullptr)
      : devices_(devices), homes_(homes), shares_(shares), history_(history), access_(access) {}
  ~DeviceRelease();
  DeviceRelease(const DeviceRelease&) = delete;
  DeviceRelease& operator=(const DeviceRelease&) = delete;

  // The three ways to leave a home; callers check who may. Ok once the registry has let the
  // device go: its history is erased then, or later if that fails (logged).
  core::Status unbind(std::string_view did);
  core::Status deleteHome(int64_t home_id);
  // Out of the registry too: the device's credentials stop working.
  core::Status remove(std::string_view did);

  // Before `did` goes into a home: erases what a previous household left, if it left a home since
  // it was last bound.
  core::Status prepareBind(std::string_view did);
  // Carries out every pending erasure request; the number still pending (0 when all are done).
  core::Result<size_t> erasePending();
  // Sweeps in the background every kSweepInterval (the owner runs erasePending() first, at
  // start-up), until stop() or the destructor joins the sweep.
  void start();
  void stop();

 private:
  // Where every way of leaving ends: the registry has let the devices go; their history follows.
  core::Status released(const std::vector<std::string>& dids);
  core::Status erase(std::string_view did);
  // Read before the registry change, which ends the shares: who saw `did` through its home or a
  // share.
  std::vector<int64_t> concernedWith(std::string_view did);

  store::DeviceStore& devices_;
  store::HomeStore& homes_;
  store::ShareStore& shares_;
  store::HistoryStore* const history_;
  AccessListener* const access_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread sweeper_;
};

}  // namespace hearth::home

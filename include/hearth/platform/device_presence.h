// Online/offline state of devices, from the broker's client events.
//
// A device is online from an accepted CONNECT until its connection ends by DISCONNECT, keep-alive
// timeout, a lost connection (its will, if any, is published then too) or the server stopping;
// a takeover by its own new connection keeps it online. Each change is
//   - stored in the registry (DeviceRecord::online, presence_changed_ms) by a writer thread that
//     commits whatever accumulated in one transaction, so a reconnect storm costs a few commits
//     (core::GroupCommitWriter; past kLimits queued changes, which no storm of a million
//     devices reaches while the registry writes, a change is refused, logged and counted rather
//     than waited for);
//   - handed to DeviceChanges and announced at once on `device/<did>/state`, retained, QoS 1:
//     {"online":true,"ts":1700000000000} / {"online":false,"ts":...,"reason":"keep-alive-timeout"}.
//
// Ownership: borrows the store, the clock and (setBroker) the broker; owns its writer thread,
// joined by the destructor after writing what is queued. Thread-safety: the observer methods are
// called from every event loop; they only queue and publish, never wait for the store.
#pragma once

#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "hearth/core/group_commit_writer.h"
#include "hearth/core/clock.h"
#include "hearth/core/status.h"
#include "hearth/mqtt/broker.h"
#include "hearth/mqtt/observer.h"
#include "hearth/platform/device_changes.h"
#include "hearth/store/device_store.h"

namespace hearth::platform {

class DevicePresence final : public mqtt::ClientObserver {
 public:
  static constexpr core::GroupCommitLimits kLimits{.max_queued_items = 1'000'000, .max_queued_bytes = 128u << 20};

  DevicePresence(store::DeviceStore& store, const DeviceChanges& changes, const core::Clock& clock);
  ~DevicePresence() override;
  DevicePresence(const DevicePresence&) = delete;
  DevicePresence& operator=(const DevicePresence&) = delete;

  // Start-up, before the broker starts: devices the store still has online (the server stopped
  // without telling them apart, e.g. it crashed) are offline now.
  core::Status recover();
  // Once the broker has started: announcements go to it from now on, beginning with the
  // offline state of the devices recover() found, unless they have reconnected meanwhile. The
  // broker must outlive every later observer call (it does: it calls them until it stops).
  void start(mqtt::Broker& broker);

  void onClientConnected(const mqtt::ClientIdentity& client) override;
  void onClientSubscribed(const mqtt::ClientIdentity&, std::string_view) override {}
  void onClientDisconnected(const mqtt::ClientIdentity& client, mqtt::ClientEnd end) override;

  static std::string stateTopic(std::string_view did);

 private:
  // Requires mu_: announces on the broker, if there is one yet.
  void announceLocked(std::string_view did, bool online, int64_t at_ms, std::string_view reason);
  void change(std::string_view did, bool online, std::string_view reason);

  store::DeviceStore& store_;
  const DeviceChanges& changes_;
  const core::Clock& clock_;
  // Announcements are published under mu_, so the retained state of a device follows the order
  // of its changes even when its connections live on different loops.
  std::mutex mu_;
  mqtt::Broker* broker_ = nullptr;              // guarded by mu_
  std::vector<std::string> recovered_;          // guarded by mu_; until start()
  std::unordered_set<std::string> seen_;        // guarded by mu_; devices connected before start()
  core::GroupCommitWriter<store::PresenceChange> writer_;  // last: stopped (and drained) first
};

}  // namespace hearth::platform

// Commands to devices: get_properties, set_properties and action, sent on device/<did>/down and
// answered by the device's reply on device/<did>/up (docs/protocol.md, "Commands").
//
// Every command is checked against the device's product spec before it is sent: an item the
// spec refuses (unknown property, not readable, not writable, a value out of range, wrong action
// arguments) gets its code at once and is not sent; the others go to the device in one message.
// The caller's callback gets one DeviceResponse with the cloud's request id:
//   - get/set: one PropertyResult per requested item, in the caller's order; action: one
//     ActionResult; a MessageError only when the command as a whole could not be tried (no such
//     device, or its product is not registered).
//   - the device's own code per item when it answers within the timeout; kTimeout for the items
//     it did not answer in time (or left out of its reply); the device's error code for every
//     sent item when it replied with an error; values and action outputs the spec refuses are
//     dropped and their item gets kValueInvalid / kActionFailed.
//   - a device is reachable while it is connected and subscribed to its down topic. When it is
//     not, the caller chooses: WhenOffline::kFail answers kDeviceOffline at once;
//     WhenOffline::kQueue stores the message in the outbox (store::CommandOutbox) and answers
//     kAccepted. The outbox is delivered, in the order it was filled, when the device next
//     subscribes (or resumes a session that has the subscription); entries older than their TTL
//     are dropped. An entry is claimed, delivered, and deleted only when the device answers it
//     (its reply, whatever its code: a PUBACK says the broker's session has the message, not that
//     the device acted on it). Until then it is delivered again, in its place and with the same
//     request id, at the device's next subscription, after a restart of the server too, so a
//     device must answer a repeated id without acting twice (the SDK does, sim::DeviceClient).
//     After kMaxDeliveries unanswered deliveries it is marked failed and counted. What the device
//     answers to a queued command is counted, not returned: its caller has its answer already
//     (the device reports the changes it made as usual).
//   - a device that disconnects with commands outstanding has them answered kDeviceOffline.
//
// Timeouts run on the service's worker thread, which checks them every kTick against the
// injected clock; the same thread delivers outboxes (their store reads stay off the event loops)
// and drops expired outbox entries.
//
// Ownership: borrows the stores, the registry and the clock; owns its worker thread, joined by
// the destructor, which first answers every outstanding command kInternal ("server stopping").
// Thread-safety: every method may be called from any thread. Callbacks run on the thread that
// completes the command: the caller's (answers that need no device, possibly before the call
// returns), an event loop's (the device's reply, its disconnection) or the worker's (timeouts);
// they must not block.
#pragma once

#include <boost/json/array.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "hearth/core/clock.h"
#include "hearth/mqtt/observer.h"
#include "hearth/mqtt/packet.h"
#include "hearth/platform/device_message.h"
#include "hearth/platform/product_registry.h"
#include "hearth/store/command_outbox.h"
#include "hearth/store/device_store.h"

namespace hearth::platform {

enum class WhenOffline : uint8_t { kFail, kQueue };

struct CommandOptions {
  std::chrono::milliseconds timeout{5000};
  WhenOffline when_offline = WhenOffline::kFail;
  std::chrono::seconds ttl{std::chrono::hours(24)};  // kQueue: how long the outbox keeps it
};

using CommandCallback = std::function<void(DeviceResponse)>;

// Where messages for devices go: hearthd passes the broker's publish.
using DownlinkPublisher = std::function<void(mqtt::Publish)>;

class CommandService final : public mqtt::ClientObserver {
 public:
  // How often the worker looks for commands past their deadline: the timeout's precision.
  static constexpr std::chrono::milliseconds kTick{20};
  // How often an outbox entry is delivered without an answer before it counts as failed: a
  // command that makes its device crash must not do so forever.
  static constexpr uint32_t kMaxDeliveries = 5;

  CommandService(store::DeviceStore& devices, ProductRegistry& products, store::CommandOutbox& outbox,
                 const core::Clock& clock);
  ~CommandService() override;
  CommandService(const CommandService&) = delete;
  CommandService& operator=(const CommandService&) = delete;

  // Start-up, before the broker starts: learns which devices have outbox entries and starts the
  // worker. Until start(publisher), every device is unreachable.
  core::Status recover();
  // Once the broker runs: messages for devices go to `publisher` from now on.
  void start(DownlinkPublisher publisher);
  // Before the broker stops: nothing is sent any more; devices count as unreachable.
  void stop();

  // `items` values are ignored for get; `in` is the action's positional input arguments.
  void getProperties(const std::string& did, std::vector<PropertyItem> items, const CommandOptions& options,
                     CommandCallback done);
  void setProperties(const std::string& did, std::vector<PropertyItem> items, const CommandOptions& options,
                     CommandCallback done);
  void invokeAction(const std::string& did, uint32_t siid, uint32_t aiid, boost::json::array in,
                    const CommandOptions& options, CommandCallback done);

  // A device's reply to a command (DeviceIngest hands them over). Replies that match nothing
  // outstanding (late, duplicated, or to another server's request) are counted and dropped.
  void onDeviceResponse(const std::string& did, const DeviceResponse& response);

  void onClientConnected(const mqtt::ClientIdentity&) override {}
  void onClientSubscribed(const mqtt::ClientIdentity& client, std::string_view filter) override;
  void onClientDisconnected(const mqtt::ClientIdentity& client, mqtt::ClientEnd end) override;

  // Prometheus text of the counters, for hearthd's /metrics.
  std::string metricsText() const;

 private:
  struct Prepared;
  struct Pending;
  enum class Reach : uint8_t { kFlushing, kReady };

  // Checks the request against the device's spec (command_check.cc).
  core::Result<Prepared> prepare(const std::string& did, DeviceRequest request);
  void dispatch(const std::string& did, core::Result<Prepared> prepared, const CommandOptions& options,
                CommandCallback done);
  // Sends a prepared request to a reachable device. Requires mu_.
  void sendLocked(const std::string& did, Prepared prepared, std::chrono::milliseconds timeout,
                  CommandCallback done);
  uint64_t nextIdLocked(const std::string& did);
  void workerLoop();
  void flushOutbox(const std::string& did);
  void acknowledge(const std::vector<std::pair<std::string, uint64_t>>& answered);
  void expireDue();

  store::DeviceStore& devices_;
  ProductRegistry& products_;
  store::CommandOutbox& outbox_;
  const core::Clock& clock_;

  mutable std::mutex mu_;
  DownlinkPublisher publish_;                           // guarded by mu_; empty until start()
  std::unordered_map<std::string, Reach> reachable_;    // guarded by mu_
  // Guarded by mu_: dids whose outbox may hold entries to deliver (new, or delivered and not yet
  // answered).
  std::unordered_set<std::string> queued_;
  std::map<std::pair<std::string, uint64_t>, Pending> pending_;  // guarded by mu_; by (did, id)
  // Guarded by mu_: outbox entries sent to the connected device, by (did, id), and when.
  std::map<std::pair<std::string, uint64_t>, int64_t> delivered_;
  std::vector<std::pair<std::string, uint64_t>> acks_;  // guarded by mu_: answered entries, for the worker
  uint32_t next_id_ = 1;                                // guarded by mu_
  std::vector<std::string> flushes_;                    // guarded by mu_; for the worker
  bool stopping_ = false;                               // guarded by mu_
  std::condition_variable wake_;
  std::thread worker_;

  struct Counters;
  std::unique_ptr<Counters> counters_;
};

}  // namespace hearth::platform

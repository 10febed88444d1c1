// What devices report, taken into the platform: every message a device publishes on
// device/<did>/up is parsed (device_message.h), each item is checked against the device's product
// spec, the accepted items are stored in history, and only then is the PUBLISH acknowledged and
// the change announced (docs/protocol.md, "Reports").
//
//   - properties_changed: each item on its own. A property the product lacks, or a value its spec
//     refuses (wrong type, range, step, list, a property without read/notify), is rejected with
//     its code and counted; the valid items of the same message are kept.
//   - event_occured: the event must exist and every argument must be one of its properties with a
//     valid value; otherwise the whole event is rejected.
//   - Anything unreadable gets an error reply and changes nothing.
//   - Replies to the cloud's commands go to the CommandService.
//   - Rejections are answered on device/<did>/down with the request's id: per-item codes for
//     properties, an error for an event or a malformed message. A report that was fully accepted
//     gets no reply: its PUBACK says so.
//   - Accepted changes are handed to DeviceChanges, and announced, after they are stored; on
//     device/<did>/up/properties_changed/<siid>/<piid> {"value":…,"ts":…} and
//     device/<did>/up/event_occured/<siid>/<eiid> {"arguments":[…],"ts":…}.
//
// What a device reports of its device-information service's firmware-revision and serial-number
// is also recorded in its registry entry (store::DeviceInfo), written only when it changes.
//
// Timestamps are the server's receive time, made strictly increasing per device (a burst within
// one millisecond gets consecutive milliseconds), since history keeps one sample per millisecond.
// A device's product view is cached, and asked of the ProductRegistry again every
// ProductRegistry::kRecheck, so a product upgrade applies to connected devices within that time.
//
// Ownership: borrows the stores, the registry, the command service, the clock and (start) the
// broker. Thread-safety: the interceptor methods are called from every event loop; the counters
// are atomic.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "hearth/core/clock.h"
#include "hearth/mqtt/broker.h"
#include "hearth/mqtt/interceptor.h"
#include "hearth/platform/command_service.h"
#include "hearth/platform/device_changes.h"
#include "hearth/platform/device_message.h"
#include "hearth/platform/product_registry.h"
#include "hearth/store/device_store.h"
#include "hearth/store/history_store.h"

namespace hearth::platform {

class DeviceIngest final : public mqtt::PublishInterceptor {
 public:
  DeviceIngest(store::DeviceStore& devices, ProductRegistry& products, store::HistoryStore& history,
               CommandService& commands, const DeviceChanges& changes, const core::Clock& clock)
      : devices_(devices),
        products_(products),
        history_(history),
        commands_(commands),
        changes_(changes),
        clock_(clock) {}

  // Where replies and announcements go, once the broker has started. The history store's writer
  // announces through it: destroy the store (draining the writer) before the broker.
  void start(mqtt::Broker& broker) { broker_.store(&broker); }

  bool claims(const mqtt::ClientIdentity& client) const override;
  void onPublish(const mqtt::ClientIdentity& client, const mqtt::Publish& publish, Release release) override;

  // Prometheus text of the counters, for hearthd's /metrics.
  std::string metricsText() const;

 private:
  struct Accepted;
  struct Admitted {
    std::shared_ptr<const spec::ProductView> view;
    int64_t ts_ms = 0;
    uint64_t firmware_key = 0;  // (siid << 32 | piid) of device-information.firmware-revision; 0: none
    uint64_t serial_key = 0;    // and of device-information.serial-number
  };
  // The device's product view, and a timestamp later than its previous report's.
  core::Result<Admitted> admit(const std::string& did);
  void reply(const std::string& did, const DeviceResponse& response);
  void takeProperties(const std::string& did, const Admitted& device, const DeviceRequest& req, Accepted& accepted);
  void takeEvent(const std::string& did, const Admitted& device, const DeviceRequest& req, Accepted& accepted);
  // After a report is stored: records changed device information in the registry.
  void noteInfo(const std::string& did, const Accepted& accepted);

  store::DeviceStore& devices_;
  ProductRegistry& products_;
  store::HistoryStore& history_;
  CommandService& commands_;
  const DeviceChanges& changes_;
  const core::Clock& clock_;
  std::atomic<mqtt::Broker*> broker_{nullptr};
  std::mutex devices_mu_;
  struct Known {
    Admitted admitted;
    std::string model;
    int64_t checked_ms = 0;  // when the view was last asked of the registry
  };
  std::unordered_map<std::string, Known> known_;  // by did
  std::unordered_map<std::string, store::DeviceInfo> info_;  // by did: as the registry has it
  std::atomic<uint64_t> messages_{0};
  std::atomic<uint64_t> malformed_{0};
  std::atomic<uint64_t> accepted_items_{0};
  std::atomic<uint64_t> rejected_items_{0};
  std::atomic<uint64_t> store_failures_{0};
};

}  // namespace hearth::platform

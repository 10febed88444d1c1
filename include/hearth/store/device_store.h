// The device registry's storage: every registered device, its product, its credential, its bind
// code and, once someone has bound it, its place in a home.
//
// Like ProductStore, the store checks only its own invariants (a did is unique, a bind code names
// one device, a device is in at most one home); which product a device may name and how
// credentials and bind codes are made live in platform::DeviceRegistry, who may bind or move a
// device in home::Devices.
//
// Ownership: implementations own their connections. Thread-safety: every method may be called
// from any thread. Errors: kNotFound for a missing device, kAlreadyExists for a did in use,
// kFailedPrecondition for binding a bound device, kIoError/kCorruption from the storage engine;
// never throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::store {

// What a device says about itself in its device-information service (MIoT's
// device-information.firmware-revision and .serial-number), as last reported; "" until then.
struct DeviceInfo {
  std::string firmware_revision;
  std::string serial_number;

  friend bool operator==(const DeviceInfo&, const DeviceInfo&) = default;
};

struct DeviceRecord {
  std::string did;          // the device id: MQTT client id and user name
  std::string model;        // its product
  std::string secret_hash;  // a one-way hash of the device secret (platform::DeviceRegistry)
  std::string name;         // what people call it; empty until named (apps show the product)
  int64_t created_at_ms = 0;
  bool online = false;
  int64_t presence_changed_ms = 0;  // when it last came online or went offline; 0 = never seen
  DeviceInfo info{};
  std::string bind_code_hash{};  // a one-way hash of its bind code; "" = none (platform::DeviceRegistry)
  int64_t home_id = 0;         // the home it is bound into; 0 = unbound
  int64_t room_id = 0;         // its room in that home; 0 = none
  int64_t bound_at_ms = 0;

  friend bool operator==(const DeviceRecord&, const DeviceRecord&) = default;
};

// A device came online or went offline at `at_ms`.
struct PresenceChange {
  std::string did;
  bool online = false;
  int64_t at_ms = 0;
};

class DeviceStore {
 public:
  virtual ~DeviceStore() = default;

  // Adds several devices atomically: all of them or, on any error, none.
  virtual core::Status addDevices(const std::vector<DeviceRecord>& devices) = 0;
  virtual core::Result<DeviceRecord> device(std::string_view did) = 0;
  // Devices ordered by did after `after` ("" for the first page), at most `limit`; only those of
  // `model` unless it is empty.
  virtual core::Result<std::vector<DeviceRecord>> listDevices(std::string_view after, size_t limit,
                                                              std::string_view model) = 0;
  // Out of its home (as unbindDevice) and out of the registry; its credentials stop working.
  virtual core::Status removeDevice(std::string_view did) = 0;
  // Applies the changes in order, atomically; changes of unknown dids are ignored (the device
  // may have been removed meanwhile).
  virtual core::Status setPresence(const std::vector<PresenceChange>& changes) = 0;
  // Replaces what the device reported about itself; kNotFound for an unknown did.
  virtual core::Status setDeviceInfo(std::string_view did, const DeviceInfo& info) = 0;
  // Marks every online device offline as of `at_ms` (start-up: the server was down); returns
  // their dids.
  virtual core::Result<std::vector<std::string>> markAllOffline(int64_t at_ms) = 0;
  virtual core::Result<size_t> countDevices() = 0;

  // Binding. The device whose bind code hashes to `code_hash`, bound or not; kNotFound if none.
  virtual core::Result<DeviceRecord> deviceWithBindCode(std::string_view code_hash) = 0;
  virtual core::Status setBindCode(std::string_view did, std::string_view code_hash) = 0;
  // Puts an unbound device into a home and room (0: none) under `name`, and forgets its erasure
  // request; kFailedPrecondition if it is in a home already or its erasure is still pending,
  // kNotFound for an unknown did.
  virtual core::Status bindDevice(std::string_view did, int64_t home_id, int64_t room_id, std::string_view name,
                                  int64_t at_ms) = 0;
  // Takes a device out of its home, with its name, room, shares, queued commands and audit log,
  // and requests the erasure of its history, in one transaction; it keeps its bind code.
  virtual core::Status unbindDevice(std::string_view did) = 0;

  // Erasure requests. Leaving a home (unbindDevice, HomeStore::deleteHome, removeDevice) records
  // one in the same transaction: the device's history lives in another store, maybe held by
  // another process, and must be erased even if this one crashes first. home::DeviceRelease
  // carries them out. A request stays, erased, until the device is bound again.
  // The dids whose erasure is pending, in did order, at most `limit`.
  virtual core::Result<std::vector<std::string>> pendingErasures(size_t limit) = 0;
  // Whether the device has left a household since it was last bound (a request, pending or done).
  virtual core::Result<bool> hasErasure(std::string_view did) = 0;
  // Its history is erased; the request of a removed device is forgotten.
  virtual core::Status erasureDone(std::string_view did) = 0;
  virtual core::Status setDeviceRoom(std::string_view did, int64_t room_id) = 0;
  virtual core::Status renameDevice(std::string_view did, std::string_view name) = 0;
  // The devices bound into a home, ordered by did after `after`, at most `limit`; only those in
  // `room_id` when it is not 0.
  virtual core::Result<std::vector<DeviceRecord>> devicesInHome(int64_t home_id, int64_t room_id,
                                                                std::string_view after, size_t limit) = 0;
};

}  // namespace hearth::store

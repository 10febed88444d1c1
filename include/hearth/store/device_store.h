// The device registry's storage: every registered device, its product and its credential.
//
// Like ProductStore, the store checks only its own invariants (a did is unique); which product a
// device may name and how credentials are made and verified live in platform::DeviceRegistry.
//
// Ownership: implementations own their connections. Thread-safety: every method may be called
// from any thread. Errors: kNotFound for a missing device, kAlreadyExists for a did in use,
// kIoError/kCorruption from the storage engine; never throws.
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
};

}  // namespace hearth::store

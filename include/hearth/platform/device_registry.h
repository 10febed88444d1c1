// Device identity: registering devices of a product, and checking their credentials.
//
// A device id (did) is 16 lowercase hex digits from a CSPRNG: a valid MQTT 3.1.1 client id
// (at most 23 of [0-9a-zA-Z]) and safe in topic names. A device secret is 32 hex digits
// (128 random bits). Only a hash of the secret is stored: BLAKE2b-256 rather than a slow password
// hash, because a random 128-bit secret cannot be guessed from its hash by trying candidates, and
// a fast hash lets a gateway admit a storm of reconnecting devices without a hashing pool.
//
// Ownership: borrows the stores and the clock, which must outlive it. Thread-safety: any thread.
// Errors: kNotFound (unknown product or device), kInvalidArgument (bad count), kUnauthenticated
// (wrong secret), and the stores' errors. Never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/clock.h"
#include "hearth/core/status.h"
#include "hearth/store/device_store.h"
#include "hearth/store/product_store.h"

namespace hearth::platform {

class DeviceRegistry {
 public:
  DeviceRegistry(store::DeviceStore& devices, store::ProductStore& products, const core::Clock& clock);

  // What a device (or the simulator) needs to connect; the secret is shown once, never stored.
  struct Credentials {
    std::string did;
    std::string secret;
    std::string model;
  };
  static constexpr size_t kMaxBatch = 100000;

  // Registers `count` (1..kMaxBatch) new devices of a registered product, atomically.
  core::Result<std::vector<Credentials>> add(std::string_view model, size_t count);

  // Ok if `did` is registered and `secret` is its secret; kNotFound if it is not registered;
  // kUnauthenticated otherwise. Constant time in the secret.
  core::Status verify(std::string_view did, std::string_view secret);

  store::DeviceStore& store() { return devices_; }

  // The stored form of a secret: "blake2b:" and 64 hex digits.
  static std::string hashSecret(std::string_view secret);

 private:
  store::DeviceStore& devices_;
  store::ProductStore& products_;
  const core::Clock& clock_;
};

}  // namespace hearth::platform

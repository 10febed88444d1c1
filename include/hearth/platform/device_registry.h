// Device identity: registering devices of a product, and checking their credentials.
//
// A device id (did) is 16 lowercase hex digits from a CSPRNG: a valid MQTT 3.1.1 client id
// (at most 23 of [0-9a-zA-Z]) and safe in topic names. A device secret is 32 hex digits
// (128 random bits). Only a hash of the secret is stored: BLAKE2b-256 rather than a slow password
// hash, because a random 128-bit secret cannot be guessed from its hash by trying candidates, and
// a fast hash lets a gateway admit a storm of reconnecting devices without a hashing pool.
//
// A bind code is what a person types to bind a device into their home (the simulator prints it;
// a real device shows it on its label or screen): 10 characters of Crockford's base-32 alphabet
// (50 random bits), shown as "XXXXX-XXXXX". Typing is forgiving: case, spaces and dashes do not
// matter, and O, I and L read as 0, 1 and 1. Only its BLAKE2b hash is stored; it stays valid for
// the device's life (a label cannot change), but binds only while the device is unbound, and
// guessing is limited per person (home::Devices).
//
// Ownership: borrows the stores and the clock, which must outlive it. Thread-safety: any thread.
// Errors: kNotFound (unknown product or device), kInvalidArgument (bad count), kUnauthenticated
// (wrong secret), and the stores' errors. Never throws.
#pragma once

#include <optional>
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
    std::string bind_code;  // as shown to people: "XXXXX-XXXXX"
  };
  static constexpr size_t kMaxBatch = 100000;

  // Registers `count` (1..kMaxBatch) new devices of a registered product, atomically.
  core::Result<std::vector<Credentials>> add(std::string_view model, size_t count);

  // Ok if `did` is registered and `secret` is its secret; kNotFound if it is not registered;
  // kUnauthenticated otherwise. Constant time in the secret.
  core::Status verify(std::string_view did, std::string_view secret);

  // Replaces a device's bind code with a new one (a lost label, or a device registered before
  // bind codes) and returns it.
  core::Result<std::string> newBindCode(std::string_view did);

  store::DeviceStore& store() { return devices_; }

  // A typed bind code in canonical form (10 characters, upper case, no dash); nullopt if it
  // cannot be one.
  static std::optional<std::string> normaliseBindCode(std::string_view typed);
  // The stored form of a canonical bind code.
  static std::string hashBindCode(std::string_view canonical);

  // The stored form of a secret: "blake2b:" and 64 hex digits.
  static std::string hashSecret(std::string_view secret);

 private:
  store::DeviceStore& devices_;
  store::ProductStore& products_;
  const core::Clock& clock_;
};

}  // namespace hearth::platform

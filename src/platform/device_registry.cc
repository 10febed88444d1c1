#include "hearth/platform/device_registry.h"

#include <sodium.h>

#include <array>

namespace hearth::platform {

namespace {

constexpr std::string_view kHashScheme = "blake2b:";

std::string randomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  hex.pop_back();  // the terminating NUL
  return hex;
}

}  // namespace

DeviceRegistry::DeviceRegistry(store::DeviceStore& devices, store::ProductStore& products, const core::Clock& clock)
    : devices_(devices), products_(products), clock_(clock) {
  // Idempotent and thread-safe; makes randombytes_buf safe to call from any thread.
  if (sodium_init() < 0) std::abort();
}

std::string DeviceRegistry::hashSecret(std::string_view secret) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return std::string(kHashScheme) + hex;
}

core::Result<std::vector<DeviceRegistry::Credentials>> DeviceRegistry::add(std::string_view model, size_t count) {
  if (count == 0 || count > kMaxBatch) {
    return core::Status::invalidArgument("count must be between 1 and " + std::to_string(kMaxBatch));
  }
  auto product = products_.latest(model);
  if (!product) return product.error();
  // A did clash needs two equal 64-bit random numbers; retrying covers it anyway.
  constexpr int kAttempts = 3;
  core::Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::vector<Credentials> out;
    std::vector<store::DeviceRecord> records;
    out.reserve(count);
    records.reserve(count);
    const int64_t now = clock_.unixMillis();
    for (size_t i = 0; i < count; ++i) {
      Credentials c{randomHex(8), randomHex(16), std::string(model)};
      records.push_back(store::DeviceRecord{c.did, c.model, hashSecret(c.secret), "", now});
      out.push_back(std::move(c));
    }
    last = devices_.addDevices(records);
    if (last.isOk()) return out;
    if (last.code() != core::StatusCode::kAlreadyExists) return last;
  }
  return last;
}

core::Status DeviceRegistry::verify(std::string_view did, std::string_view secret) {
  auto device = devices_.device(did);
  if (!device) return device.error();
  const std::string presented = hashSecret(secret);
  const std::string& stored = device.value().secret_hash;
  if (presented.size() != stored.size() || sodium_memcmp(presented.data(), stored.data(), stored.size()) != 0) {
    return core::Status::unauthenticated("wrong secret for device " + std::string(did));
  }
  return core::Status::ok();
}

}  // namespace hearth::platform

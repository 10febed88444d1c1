#include "hearth/platform/device_registry.h"

#include "hearth/core/secrets.h"

namespace hearth::platform {

namespace {

constexpr std::string_view kHashScheme = "blake2b:";

}  // namespace

DeviceRegistry::DeviceRegistry(store::DeviceStore& devices, store::ProductStore& products, const core::Clock& clock)
    : devices_(devices), products_(products), clock_(clock) {}

std::string DeviceRegistry::hashSecret(std::string_view secret) {
  return std::string(kHashScheme) + core::blake2bHex(secret);
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
      Credentials c{core::randomHex(8), core::randomHex(16), std::string(model)};
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
  if (!core::constantTimeEquals(hashSecret(secret), device.value().secret_hash)) {
    return core::Status::unauthenticated("wrong secret for device " + std::string(did));
  }
  return core::Status::ok();
}

}  // namespace hearth::platform

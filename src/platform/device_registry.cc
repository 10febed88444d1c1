#include "hearth/platform/device_registry.h"

#include <utility>

#include "hearth/core/secrets.h"

namespace hearth::platform {

namespace {

constexpr std::string_view kHashScheme = "blake2b:";
constexpr std::string_view kCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford's base 32
constexpr size_t kCodeLength = 10;

// A new code: canonical, and as shown.
std::pair<std::string, std::string> newCode() {
  std::string canonical = core::randomFrom(kCodeAlphabet, kCodeLength);
  std::string shown = canonical.substr(0, kCodeLength / 2) + "-" + canonical.substr(kCodeLength / 2);
  return {std::move(canonical), std::move(shown)};
}

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
  // A did clash needs two equal 64-bit random numbers, a bind code clash two equal 50-bit ones
  // (likelier, among millions of devices); retrying covers both.
  constexpr int kAttempts = 3;
  core::Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::vector<Credentials> out;
    std::vector<store::DeviceRecord> records;
    out.reserve(count);
    records.reserve(count);
    const int64_t now = clock_.unixMillis();
    for (size_t i = 0; i < count; ++i) {
      auto [code, shown] = newCode();
      Credentials c{core::randomHex(8), core::randomHex(16), std::string(model), std::move(shown)};
      store::DeviceRecord record;
      record.did = c.did;
      record.model = c.model;
      record.secret_hash = hashSecret(c.secret);
      record.created_at_ms = now;
      record.bind_code_hash = hashBindCode(code);
      records.push_back(std::move(record));
      out.push_back(std::move(c));
    }
    last = devices_.addDevices(records);
    if (last.isOk()) return out;
    if (last.code() != core::StatusCode::kAlreadyExists) return last;
  }
  return last;
}

core::Result<std::string> DeviceRegistry::newBindCode(std::string_view did) {
  constexpr int kAttempts = 3;
  core::Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto [code, shown] = newCode();
    last = devices_.setBindCode(did, hashBindCode(code));
    if (last.isOk()) return shown;
    if (last.code() != core::StatusCode::kAlreadyExists) return last;
  }
  return last;
}

std::optional<std::string> DeviceRegistry::normaliseBindCode(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kCodeAlphabet.find(c) == std::string_view::npos || out.size() == kCodeLength) return std::nullopt;
    out.push_back(c);
  }
  if (out.size() != kCodeLength) return std::nullopt;
  return out;
}

std::string DeviceRegistry::hashBindCode(std::string_view canonical) {
  return std::string(kHashScheme) + core::blake2bHex(canonical);
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

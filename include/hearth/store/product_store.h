// The product registry's storage: every registered version of every product's spec, and the
// operator's per-product settings.
//
// The store keeps what it is given and checks only its own invariants (one record per model and
// version); spec validation and the upgrade rule live above it, in platform::ProductRegistry, so
// an embedded and a distributed implementation behave the same.
//
// Ownership: implementations own their connections. Thread-safety: every method may be called
// from any thread. Errors: kNotFound for a missing product, kAlreadyExists for a duplicate
// version, kIoError/kCorruption from the storage engine; never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::store {

// One version of a product: the spec instance as registered, plus what lists and filters need
// without parsing it.
struct ProductVersion {
  std::string model;          // "yeelink.light.color2"
  uint32_t version = 0;       // the device URN's version
  std::string vendor;         // "yeelink"
  std::string device_type;    // "light": the device URN's name
  std::string type_urn;       // the device URN as written
  std::string instance_json;  // the instance, canonical serialisation (spec::serializeInstance)
  int64_t registered_at_ms = 0;

  friend bool operator==(const ProductVersion&, const ProductVersion&) = default;
};

// A product as lists show it: its latest version.
struct ProductSummary {
  std::string model;
  std::string vendor;
  std::string device_type;
  uint32_t latest_version = 0;
  uint32_t versions = 0;  // how many versions are registered

  friend bool operator==(const ProductSummary&, const ProductSummary&) = default;
};

class ProductStore {
 public:
  virtual ~ProductStore() = default;

  // Adds several versions atomically: all of them or, on any error, none.
  virtual core::Status addVersions(const std::vector<ProductVersion>& versions) = 0;
  core::Status addVersion(const ProductVersion& version) { return addVersions({version}); }

  // The highest version of `model`, or a given one.
  virtual core::Result<ProductVersion> latest(std::string_view model) = 0;
  virtual core::Result<ProductVersion> version(std::string_view model, uint32_t version) = 0;
  // Only the number of the highest version: a cheap check whether a cached one is still current.
  virtual core::Result<uint32_t> latestVersionNumber(std::string_view model) = 0;

  // Products ordered by model, starting after `after` (keyset pagination: pass the last model of
  // the previous page, "" for the first), at most `limit`.
  virtual core::Result<std::vector<ProductSummary>> list(std::string_view after, size_t limit) = 0;
  // Number of products, and of products per device type (ordered by type).
  virtual core::Result<size_t> countProducts() = 0;
  virtual core::Result<std::vector<std::pair<std::string, size_t>>> countByDeviceType() = 0;

  // A product's own history retention in days (0 keeps everything), in place of the server's
  // default; nullopt removes it. kNotFound for a model with no registered version.
  virtual core::Status setRetentionDays(std::string_view model, std::optional<uint32_t> days) = 0;
  // Every product that has its own retention, ordered by model.
  virtual core::Result<std::vector<std::pair<std::string, uint32_t>>> retentionOverrides() = 0;
};

}  // namespace hearth::store

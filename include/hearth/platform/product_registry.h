// The product catalogue: registers MIoT-Spec-V2 instances as product versions and serves them,
// parsed and indexed (spec::ProductView), to ingest, commands, the API and the assistant.
//
// A product's model id is "<vendor>.<device type>.<product>", taken from its device URN
// (`urn:miot-spec-v2:device:light:0000A001:yeelink-color2:1` → `yeelink.light.color2`), which
// is how MIoT names models. Rules of registration, as MIoT requires:
//   - an instance with validation errors is refused (warnings are returned, not fatal);
//   - a version above the latest must be a compatible upgrade of it: it may add services,
//     properties, actions and events, never remove or change one (spec::checkCompatibleUpgrade);
//   - registering a version again with the same content changes nothing (imports are
//     idempotent); with different content it is refused: publish a new version instead;
//   - a new version below the latest is refused (register versions in ascending order).
//
// Ownership: borrows the store and the clock, which must outlive it. Thread-safety: any thread.
// Errors: kInvalidArgument (the instance is wrong), kFailedPrecondition (it conflicts with what
// is registered), kNotFound, and the store's own errors. Never throws.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hearth/core/clock.h"
#include "hearth/core/status.h"
#include "hearth/spec/finding.h"
#include "hearth/spec/model.h"
#include "hearth/spec/product_view.h"
#include "hearth/store/product_store.h"

namespace hearth::platform {

class ProductRegistry {
 public:
  ProductRegistry(store::ProductStore& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  enum class Outcome { kAdded, kUpgraded, kUnchanged };
  struct Registration {
    std::string model;
    uint32_t version = 0;
    Outcome outcome = Outcome::kAdded;
    std::vector<spec::Finding> warnings;
  };

  core::Result<Registration> add(const spec::Instance& instance);

  // The latest version of a product, parsed and indexed. Views are cached and shared; a newer
  // version replaces the cached one for later calls while holders keep theirs. Versions added
  // by another process (`hearth spec import` while hearthd runs) are noticed within kRecheck:
  // a cached view older than that is checked against the store's latest version number.
  core::Result<std::shared_ptr<const spec::ProductView>> view(std::string_view model);

  // How long a cached view is served without asking the store; holders of views (ingest)
  // should ask view() again after as long.
  static constexpr std::chrono::seconds kRecheck{30};

 private:
  store::ProductStore& store_;
  const core::Clock& clock_;
  std::mutex mu_;  // serialises add(), so the latest-version check and the insert are one step
  std::mutex cache_mu_;
  struct Cached {
    std::shared_ptr<const spec::ProductView> view;
    uint32_t version = 0;
    int64_t checked_ms = 0;  // clock_.unixMillis() when the store last confirmed `version`
  };
  std::unordered_map<std::string, Cached> views_;
  uint64_t generation_ = 0;  // counts add()s that changed a product, so view() never caches a stale one
};

std::string_view outcomeName(ProductRegistry::Outcome outcome);  // "added", "upgraded", "unchanged"

}  // namespace hearth::platform

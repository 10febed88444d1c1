#include "hearth/platform/product_registry.h"

#include <optional>

#include "hearth/spec/compat.h"
#include "hearth/spec/json.h"
#include "hearth/spec/validate.h"

namespace hearth::platform {

namespace {

// The first few errors of a finding list, for a message a person can act on.
std::string errorSummary(const std::vector<spec::Finding>& findings) {
  constexpr size_t kShown = 3;
  std::string out;
  size_t errors = 0;
  for (const auto& f : findings) {
    if (f.severity != spec::Severity::kError) continue;
    if (errors++ < kShown) out += (out.empty() ? "" : "; ") + f.toString();
  }
  if (errors > kShown) out += "; and " + std::to_string(errors - kShown) + " more";
  return out;
}

std::vector<spec::Finding> warningsOf(std::vector<spec::Finding> findings) {
  std::erase_if(findings, [](const spec::Finding& f) { return f.severity != spec::Severity::kWarning; });
  return findings;
}

}  // namespace

std::string_view outcomeName(ProductRegistry::Outcome outcome) {
  switch (outcome) {
    case ProductRegistry::Outcome::kAdded: return "added";
    case ProductRegistry::Outcome::kUpgraded: return "upgraded";
    case ProductRegistry::Outcome::kUnchanged: return "unchanged";
  }
  return "unknown";
}

core::Result<ProductRegistry::Registration> ProductRegistry::add(const spec::Instance& instance) {
  auto model = spec::modelOf(instance);
  if (!model) return model.error();
  Registration out;
  out.model = std::move(model).value();
  out.version = instance.type.version().value_or(0);
  std::vector<spec::Finding> findings = spec::validate(instance);
  if (spec::hasErrors(findings)) {
    return core::Status::invalidArgument(out.model + " version " + std::to_string(out.version) +
                                         " is not a valid spec: " + errorSummary(findings));
  }
  out.warnings = warningsOf(std::move(findings));

  store::ProductVersion record{out.model,
                               out.version,
                               std::string(instance.type.vendor()),
                               std::string(instance.type.name()),
                               instance.type.text(),
                               spec::serializeInstance(instance),
                               clock_.unixMillis()};
  const std::string prefix = out.model + " version " + std::to_string(out.version);

  std::lock_guard lock(mu_);
  auto same = store_.version(out.model, out.version);
  if (same) {
    if (same.value().instance_json != record.instance_json) {
      return core::Status::failedPrecondition(
          prefix + " is registered already with different content; publish the change as a new version");
    }
    out.outcome = Outcome::kUnchanged;
    return out;
  }
  if (same.error().code() != core::StatusCode::kNotFound) return same.error();
  auto latest = store_.latest(out.model);
  if (!latest && latest.error().code() != core::StatusCode::kNotFound) return latest.error();
  if (!latest) {
    out.outcome = Outcome::kAdded;
  } else if (latest.value().version > out.version) {
    return core::Status::failedPrecondition(prefix + " is older than the registered version " +
                                            std::to_string(latest.value().version));
  } else {
    auto old = spec::parseInstance(latest.value().instance_json);
    if (!old) {
      return core::Status::corruption("the registered " + out.model + " version " +
                                      std::to_string(latest.value().version) + " does not parse: " +
                                      old.error().toString());
    }
    std::vector<spec::Finding> violations = spec::checkCompatibleUpgrade(old.value(), instance);
    if (spec::hasErrors(violations)) {
      return core::Status::failedPrecondition(prefix + " is not a compatible upgrade of version " +
                                              std::to_string(latest.value().version) + ": " +
                                              errorSummary(violations));
    }
    auto more = warningsOf(std::move(violations));
    out.warnings.insert(out.warnings.end(), more.begin(), more.end());
    out.outcome = Outcome::kUpgraded;
  }
  HEARTH_RETURN_IF_ERROR(store_.addVersion(record));
  std::lock_guard cache_lock(cache_mu_);
  views_.erase(out.model);
  ++generation_;
  return out;
}

core::Result<std::shared_ptr<const spec::ProductView>> ProductRegistry::view(std::string_view model) {
  const std::string key(model);
  const int64_t now = clock_.unixMillis();
  const int64_t recheck_ms = std::chrono::duration_cast<std::chrono::milliseconds>(kRecheck).count();
  uint64_t generation = 0;
  std::optional<Cached> stale;
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = views_.find(key); it != views_.end()) {
      if (now - it->second.checked_ms < recheck_ms) return it->second.view;
      stale = it->second;
    }
    generation = generation_;
  }
  if (stale) {
    auto number = store_.latestVersionNumber(model);
    if (number && number.value() == stale->version) {
      std::lock_guard lock(cache_mu_);
      if (auto it = views_.find(key); it != views_.end() && it->second.version == stale->version) {
        it->second.checked_ms = now;
      }
      return stale->view;
    }
  }
  auto latest = store_.latest(model);
  if (!latest) return latest.error();
  auto instance = spec::parseInstance(latest.value().instance_json);
  if (!instance) {
    return core::Status::corruption("the registered " + std::string(model) + " does not parse: " +
                                    instance.error().toString());
  }
  auto view = std::make_shared<const spec::ProductView>(std::move(instance).value());
  std::lock_guard lock(cache_mu_);
  // A version registered meanwhile may have made this one stale: serve it, do not cache it.
  if (generation != generation_) return std::shared_ptr<const spec::ProductView>(std::move(view));
  Cached& cached = views_[key];
  cached = Cached{std::move(view), latest.value().version, now};
  return cached.view;
}

}  // namespace hearth::platform

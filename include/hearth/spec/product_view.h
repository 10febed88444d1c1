// What the rest of the platform needs from a product's spec, computed once when the product is
// loaded: stable keys, human names, control hints, and value checkers found by (siid, piid).
//
// Keys (docs/spec.md, "Keys"): `<service>.<property>` from the URN names, e.g. `light.brightness`.
// Siblings with the same name are told apart by ascending iid: the lowest keeps the bare name,
// the next gets `-2`, then `-3` (`switch`, `switch-2`, `switch-3`), skipping any suffix a sibling
// already uses as its own name. Characters other than [a-z0-9-] become '_' (`pm2_5-density`).
// Ordering by iid rather than position keeps keys stable across compatible upgrades, which keep
// old iids (checkCompatibleUpgrade reports an upgrade that would move a key).
//
// Names: zh-CN and en-US from locale-map descriptions; a plain description serves both.
//
// Control hints, first rule that applies: unit rgb → colour; not writable → reading; bool →
// switch; value-list → select; value-range → slider; other numbers → number; string → text.
// Every action is a button.
//
// Ownership: ProductView owns the Instance; entries point into it and stay valid for the view's
// life, moves included. Thread-safety: immutable after construction; const methods may be
// called from any number of threads. Lookups do not allocate. An instance with validation
// errors still gets a view: where iids repeat, lookups find the first in document order.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/spec/model.h"
#include "hearth/spec/value_check.h"

namespace hearth::spec {

enum class ControlKind : uint8_t { kSwitch, kSlider, kSelect, kButton, kReading, kColor, kNumber, kText };

std::string_view controlKindName(ControlKind kind);  // "switch", "slider", ...

struct LocalizedName {
  std::string zh_cn;
  std::string en_us;
};

struct SelectOption {
  Number value;
  LocalizedName label;
};

struct ControlHint {
  ControlKind kind = ControlKind::kReading;
  bool writable = false;
  std::optional<ValueRange> range;    // sliders, numbers and ranged readings
  std::string unit;                   // a symbol to show ("°C", "%"), empty when none
  std::vector<SelectOption> options;  // selects, and readings of listed values
};

struct ServiceEntry {
  std::string key;  // "light", "switch-2"
  uint32_t siid = 0;
  LocalizedName name;
  const Service* service = nullptr;
};

struct PropertyEntry {
  std::string key;  // "light.brightness"
  uint32_t siid = 0;
  uint32_t piid = 0;
  LocalizedName name;
  ControlHint control;
  PropertyChecker checker;
  const Service* service = nullptr;
  const Property* property = nullptr;
};

struct ActionEntry {
  std::string key;  // "light.toggle"
  uint32_t siid = 0;
  uint32_t aiid = 0;
  LocalizedName name;
  ArgumentsChecker in;
  ArgumentsChecker out;
  const Service* service = nullptr;
  const Action* action = nullptr;
};

struct EventEntry {
  std::string key;
  uint32_t siid = 0;
  uint32_t eiid = 0;
  LocalizedName name;
  const Service* service = nullptr;
  const Event* event = nullptr;
};

class ProductView {
 public:
  explicit ProductView(Instance instance, const CheckOptions& options = {});
  ProductView(ProductView&&) noexcept = default;
  ProductView& operator=(ProductView&&) noexcept = default;
  ProductView(const ProductView&) = delete;
  ProductView& operator=(const ProductView&) = delete;

  const Instance& instance() const { return *instance_; }

  // In document order.
  const std::vector<ServiceEntry>& services() const { return services_; }
  const std::vector<PropertyEntry>& properties() const { return properties_; }
  const std::vector<ActionEntry>& actions() const { return actions_; }
  const std::vector<EventEntry>& events() const { return events_; }

  // nullptr when there is no such element.
  const ServiceEntry* service(uint32_t siid) const noexcept;
  const PropertyEntry* property(uint32_t siid, uint32_t piid) const noexcept;
  const PropertyEntry* property(std::string_view key) const noexcept;
  const ActionEntry* action(uint32_t siid, uint32_t aiid) const noexcept;
  const ActionEntry* action(std::string_view key) const noexcept;
  const EventEntry* event(uint32_t siid, uint32_t eiid) const noexcept;
  const EventEntry* event(std::string_view key) const noexcept;

 private:
  // Sorted (siid << 32 | iid) → entry index, first occurrence kept.
  using IidIndex = std::vector<std::pair<uint64_t, uint32_t>>;
  // Sorted key → entry index.
  using KeyIndex = std::vector<std::pair<std::string_view, uint32_t>>;

  std::unique_ptr<Instance> instance_;
  std::vector<ServiceEntry> services_;
  std::vector<PropertyEntry> properties_;
  std::vector<ActionEntry> actions_;
  std::vector<EventEntry> events_;
  IidIndex service_ids_;
  IidIndex property_ids_;
  IidIndex action_ids_;
  IidIndex event_ids_;
  KeyIndex property_keys_;
  KeyIndex action_keys_;
  KeyIndex event_keys_;
};

// The control hint for one property, by the rules above.
ControlHint controlHint(const Property& property);

}  // namespace hearth::spec

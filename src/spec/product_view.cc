#include "hearth/spec/product_view.h"

#include <algorithm>

#include "keys.h"

namespace hearth::spec {
namespace {

LocalizedName nameOf(const Description& description) {
  return {std::string(description.forLocale("zh-CN")), std::string(description.forLocale("en-US"))};
}

uint64_t pairKey(uint32_t siid, uint32_t iid) { return (uint64_t{siid} << 32) | iid; }

template <class Index>
void sortIndex(Index& index) {
  // Stable, so that among equal keys the first in document order comes first; unique keeps it.
  std::stable_sort(index.begin(), index.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  index.erase(std::unique(index.begin(), index.end(),
                          [](const auto& a, const auto& b) { return a.first == b.first; }),
              index.end());
}

template <class Entry, class Index, class K>
const Entry* find(const std::vector<Entry>& entries, const Index& index, const K& key) noexcept {
  auto it = std::lower_bound(index.begin(), index.end(), key,
                             [](const auto& element, const K& k) { return element.first < k; });
  if (it == index.end() || it->first != key) return nullptr;
  return &entries[it->second];
}

}  // namespace

std::string_view controlKindName(ControlKind kind) {
  switch (kind) {
    case ControlKind::kSwitch: return "switch";
    case ControlKind::kSlider: return "slider";
    case ControlKind::kSelect: return "select";
    case ControlKind::kButton: return "button";
    case ControlKind::kReading: return "reading";
    case ControlKind::kColor: return "colour";
    case ControlKind::kNumber: return "number";
    case ControlKind::kText: return "text";
  }
  return "unknown";
}

ControlHint controlHint(const Property& property) {
  ControlHint hint;
  hint.writable = property.access.canWrite();
  const bool numeric = isNumericFormat(property.format);
  if (numeric && property.value_range) hint.range = property.value_range;
  if (property.unit) hint.unit = std::string(property.unit->symbol());
  if (numeric && property.value_list) {
    for (const auto& entry : *property.value_list) {
      hint.options.push_back({entry.value, nameOf(entry.description)});
    }
  }
  if (property.unit && property.unit->name == "rgb") {
    hint.kind = ControlKind::kColor;
  } else if (!hint.writable) {
    hint.kind = ControlKind::kReading;
  } else if (property.format == Format::kBool) {
    hint.kind = ControlKind::kSwitch;
  } else if (!hint.options.empty()) {
    hint.kind = ControlKind::kSelect;
  } else if (hint.range) {
    hint.kind = ControlKind::kSlider;
  } else if (numeric) {
    hint.kind = ControlKind::kNumber;
  } else {
    hint.kind = ControlKind::kText;
  }
  return hint;
}

ProductView::ProductView(Instance instance, const CheckOptions& options)
    : instance_(std::make_unique<Instance>(std::move(instance))) {
  const detail::InstanceKeys keys = detail::deriveKeys(*instance_);
  for (size_t s = 0; s < instance_->services.size(); ++s) {
    const Service& service = instance_->services[s];
    service_ids_.emplace_back(service.iid, static_cast<uint32_t>(services_.size()));
    services_.push_back({keys.services[s], service.iid, nameOf(service.description), &service});
    for (size_t i = 0; i < service.properties.size(); ++i) {
      const Property& p = service.properties[i];
      property_ids_.emplace_back(pairKey(service.iid, p.iid), static_cast<uint32_t>(properties_.size()));
      properties_.push_back({keys.properties[s][i], service.iid, p.iid, nameOf(p.description),
                             controlHint(p), PropertyChecker(p, options), &service, &p});
    }
    for (size_t i = 0; i < service.actions.size(); ++i) {
      const Action& a = service.actions[i];
      action_ids_.emplace_back(pairKey(service.iid, a.iid), static_cast<uint32_t>(actions_.size()));
      actions_.push_back({keys.actions[s][i], service.iid, a.iid, nameOf(a.description),
                          ArgumentsChecker(service, a.in, options),
                          ArgumentsChecker(service, a.out, options), &service, &a});
    }
    for (size_t i = 0; i < service.events.size(); ++i) {
      const Event& e = service.events[i];
      event_ids_.emplace_back(pairKey(service.iid, e.iid), static_cast<uint32_t>(events_.size()));
      events_.push_back({keys.events[s][i], service.iid, e.iid, nameOf(e.description), &service, &e});
    }
  }
  // Keys view the entries' strings, which no longer move once the vectors are complete.
  for (uint32_t i = 0; i < properties_.size(); ++i) property_keys_.emplace_back(properties_[i].key, i);
  for (uint32_t i = 0; i < actions_.size(); ++i) action_keys_.emplace_back(actions_[i].key, i);
  for (uint32_t i = 0; i < events_.size(); ++i) event_keys_.emplace_back(events_[i].key, i);
  sortIndex(service_ids_);
  sortIndex(property_ids_);
  sortIndex(action_ids_);
  sortIndex(event_ids_);
  sortIndex(property_keys_);
  sortIndex(action_keys_);
  sortIndex(event_keys_);
}

const ServiceEntry* ProductView::service(uint32_t siid) const noexcept {
  return find(services_, service_ids_, uint64_t{siid});
}

const PropertyEntry* ProductView::property(uint32_t siid, uint32_t piid) const noexcept {
  return find(properties_, property_ids_, pairKey(siid, piid));
}

const PropertyEntry* ProductView::property(std::string_view key) const noexcept {
  return find(properties_, property_keys_, key);
}

const ActionEntry* ProductView::action(uint32_t siid, uint32_t aiid) const noexcept {
  return find(actions_, action_ids_, pairKey(siid, aiid));
}

const ActionEntry* ProductView::action(std::string_view key) const noexcept {
  return find(actions_, action_keys_, key);
}

const EventEntry* ProductView::event(uint32_t siid, uint32_t eiid) const noexcept {
  return find(events_, event_ids_, pairKey(siid, eiid));
}

const EventEntry* ProductView::event(std::string_view key) const noexcept {
  return find(events_, event_keys_, key);
}

}  // namespace hearth::spec

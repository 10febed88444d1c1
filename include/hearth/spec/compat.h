// Product-version upgrades (spec-v2 §5): a new version of a product may only add services,
// properties, actions and events; it may not remove or change what the old version had, so that
// devices, stored values, automations and apps written against the old version keep working.
//
// Violations (all errors; pointers into `old`, naming the feature that would break):
//   - device type, vendor-product or name changed; version not increased
//   - a service, property, action or event (by iid) removed, or its type changed
//   - a property's format or unit changed, or its access lost read, write or notify
//   - a value-range added, or one that no longer accepts every old value (min raised, max
//     lowered, step changed or shifted); a value-list added, or one that lost a value
//   - an action's in/out or an event's arguments changed
//   - a derived key (product_view.h) that would change, e.g. a new same-named service with a
//     lower iid taking over `light` from the old one
// Widening is allowed: more access, a wider range, more listed values, a constraint removed.
//
// Thread-safety: a pure function. Never throws except std::bad_alloc.
#pragma once

#include <vector>

#include "hearth/spec/finding.h"
#include "hearth/spec/model.h"

namespace hearth::spec {

std::vector<Finding> checkCompatibleUpgrade(const Instance& old, const Instance& next);

}  // namespace hearth::spec

#include "hearth/spec/compat.h"

#include <algorithm>
#include <cmath>

#include "keys.h"
#include "real_range.h"

namespace hearth::spec {
namespace {

template <class T>
const T* findIid(const std::vector<T>& items, uint32_t iid, size_t* position = nullptr) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.iid == iid; });
  if (it == items.end()) return nullptr;
  if (position != nullptr) *position = static_cast<size_t>(it - items.begin());
  return &*it;
}

bool rangeAccepts(const ValueRange& range, double v) {
  return detail::checkRealRange(v, range.min.toDouble(), range.max.toDouble(), range.step.toDouble()) ==
         ValueError::kOk;
}

class UpgradeChecker {
 public:
  UpgradeChecker(const Instance& old, const Instance& next)
      : old_(old), next_(next), old_keys_(detail::deriveKeys(old)), next_keys_(detail::deriveKeys(next)) {}

  std::vector<Finding> run() {
    const Urn& a = old_.type;
    const Urn& b = next_.type;
    if (!a.sameDefinition(b) || a.ns() != b.ns() || a.vendorProduct() != b.vendorProduct()) {
      violation("/type", "device type changed from " + a.text() + " to " + b.text());
    } else if (b.version().value_or(0) <= a.version().value_or(0)) {
      violation("/type", "version must increase, goes from " + std::to_string(a.version().value_or(0)) +
                             " to " + std::to_string(b.version().value_or(0)));
    }
    for (size_t s = 0; s < old_.services.size(); ++s) checkService(s);
    return std::move(out_);
  }

 private:
  void violation(std::string pointer, std::string message) {
    out_.push_back({Severity::kError, std::move(pointer), std::move(message)});
  }

  void checkService(size_t s) {
    const Service& old = old_.services[s];
    const std::string pointer = "/services/" + std::to_string(s);
    size_t t = 0;
    const Service* next = findIid(next_.services, old.iid, &t);
    if (next == nullptr) {
      violation(pointer, "service " + std::to_string(old.iid) + " (" + std::string(old.type.name()) + ") removed");
      return;
    }
    if (!old.type.sameDefinition(next->type)) {
      violation(pointer + "/type", "service " + std::to_string(old.iid) + " changed type from " +
                                       old.type.text() + " to " + next->type.text());
      return;
    }
    for (size_t i = 0; i < old.properties.size(); ++i) {
      const Property& p = old.properties[i];
      const std::string at = pointer + "/properties/" + std::to_string(i);
      size_t j = 0;
      const Property* q = findIid(next->properties, p.iid, &j);
      if (element("property", old.iid, p, q, at)) {
        checkProperty(p, *q, at);
        checkKey(old_keys_.properties[s][i], next_keys_.properties[t][j], at);
      }
    }
    for (size_t i = 0; i < old.actions.size(); ++i) {
      const Action& a = old.actions[i];
      const std::string at = pointer + "/actions/" + std::to_string(i);
      size_t j = 0;
      const Action* b = findIid(next->actions, a.iid, &j);
      if (element("action", old.iid, a, b, at)) {
        if (a.in != b->in) violation(at + "/in", "in arguments changed");
        if (a.out != b->out) violation(at + "/out", "out arguments changed");
        checkKey(old_keys_.actions[s][i], next_keys_.actions[t][j], at);
      }
    }
    for (size_t i = 0; i < old.events.size(); ++i) {
      const Event& e = old.events[i];
      const std::string at = pointer + "/events/" + std::to_string(i);
      size_t j = 0;
      const Event* f = findIid(next->events, e.iid, &j);
      if (element("event", old.iid, e, f, at)) {
        if (e.arguments != f->arguments) violation(at + "/arguments", "arguments changed");
        checkKey(old_keys_.events[s][i], next_keys_.events[t][j], at);
      }
    }
  }

  // Reports a removed element or a changed type; true when `next` is there to compare further.
  template <class T>
  bool element(std::string_view what, uint32_t siid, const T& old, const T* next, const std::string& at) {
    const std::string id = std::string(what) + " " + std::to_string(siid) + "." + std::to_string(old.iid);
    if (next == nullptr) {
      violation(at, id + " (" + std::string(old.type.name()) + ") removed");
      return false;
    }
    if (!old.type.sameDefinition(next->type)) {
      violation(at + "/type", id + " changed type from " + old.type.text() + " to " + next->type.text());
      return false;
    }
    return true;
  }

  void checkKey(const std::string& old_key, const std::string& next_key, const std::string& at) {
    if (old_key != next_key) violation(at, "key changes from " + old_key + " to " + next_key);
  }

  void checkProperty(const Property& p, const Property& q, const std::string& at) {
    if (p.format != q.format) {
      violation(at + "/format", "format changed from " + std::string(formatName(p.format)) + " to " +
                                    std::string(formatName(q.format)));
    }
    if (!q.access.contains(p.access)) {
      violation(at + "/access", "access narrowed from " + p.access.toString() + " to " + q.access.toString());
    }
    const std::string old_unit = p.unit ? p.unit->name : "";
    const std::string new_unit = q.unit ? q.unit->name : "";
    if (old_unit != new_unit) {
      violation(at + "/unit", "unit changed from \"" + old_unit + "\" to \"" + new_unit + "\"");
    }
    checkRange(p, q, at);
    checkList(p, q, at);
  }

  void checkRange(const Property& p, const Property& q, const std::string& at) {
    if (!q.value_range) return;  // none, or removed: every old value is still accepted
    const ValueRange& b = *q.value_range;
    if (!p.value_range) {
      if (!p.value_list) {
        violation(at + "/value-range", "value-range added: it narrows the accepted values");
        return;
      }
      for (const auto& entry : *p.value_list) {
        if (!rangeAccepts(b, entry.value.toDouble())) {
          violation(at + "/value-range", "value-range added that rejects listed value " + entry.value.toString());
        }
      }
      return;
    }
    const ValueRange& a = *p.value_range;
    // The old range's values run from its min to its last step at or below its max (6200 for
    // [2700, 6500, 500]); the new range must accept both ends on the same step.
    const double step = a.step.toDouble();
    double last = a.max.toDouble();
    if (step > 0) {
      last = a.min.toDouble() +
             std::floor((a.max.toDouble() - a.min.toDouble()) / step + detail::kStepTolerance) * step;
    }
    const bool keeps = a.step.numericallyEquals(b.step) && rangeAccepts(b, a.min.toDouble()) &&
                       rangeAccepts(b, last);
    if (!keeps) {
      violation(at + "/value-range", "value-range [" + a.min.toString() + ", " + a.max.toString() + ", " +
                                         a.step.toString() + "] changed to [" + b.min.toString() + ", " +
                                         b.max.toString() + ", " + b.step.toString() +
                                         "], which rejects old values");
    }
  }

  void checkList(const Property& p, const Property& q, const std::string& at) {
    if (!q.value_list) return;
    if (!p.value_list) {
      violation(at + "/value-list", "value-list added: it narrows the accepted values");
      return;
    }
    for (const auto& entry : *p.value_list) {
      const bool kept = std::any_of(q.value_list->begin(), q.value_list->end(), [&](const ValueListEntry& e) {
        return e.value.numericallyEquals(entry.value);
      });
      if (!kept) violation(at + "/value-list", "value " + entry.value.toString() + " removed from value-list");
    }
  }

  const Instance& old_;
  const Instance& next_;
  detail::InstanceKeys old_keys_;
  detail::InstanceKeys next_keys_;
  std::vector<Finding> out_;
};

}  // namespace

std::vector<Finding> checkCompatibleUpgrade(const Instance& old, const Instance& next) {
  return UpgradeChecker(old, next).run();
}

}  // namespace hearth::spec

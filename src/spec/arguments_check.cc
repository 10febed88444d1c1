// Action in/out argument lists: counts (with repeat) and each value against its property.
#include <algorithm>

#include "hearth/spec/value_check.h"

namespace hearth::spec {

ArgumentsChecker::ArgumentsChecker(const Service& service, const std::vector<Argument>& arguments,
                                   const CheckOptions& options) {
  slots_.reserve(arguments.size());
  for (const Argument& a : arguments) {
    Slot slot;
    slot.piid = a.piid;
    if (a.repeat) {
      slot.min = a.repeat->min;
      slot.max = std::max(a.repeat->min, a.repeat->max);
    }
    auto it = std::find_if(service.properties.begin(), service.properties.end(),
                           [&](const Property& p) { return p.iid == a.piid; });
    if (it != service.properties.end()) {
      slot.checker = PropertyChecker(*it, options);
      slot.defined = true;
    }
    min_count_ += slot.min;
    max_count_ += slot.max;
    slots_.push_back(std::move(slot));
  }
}

template <class Visit>
void ArgumentsChecker::assign(size_t count, Visit&& visit) const {
  size_t extra = count - min_count_;
  size_t index = 0;
  for (const Slot& slot : slots_) {
    const size_t more = std::min<size_t>(extra, slot.max - slot.min);
    extra -= more;
    for (size_t k = 0; k < slot.min + more; ++k) {
      if (!visit(slot, index++)) return;
    }
  }
}

ArgumentsCheck ArgumentsChecker::check(const boost::json::array& values) const noexcept {
  if (values.size() < min_count_ || values.size() > max_count_) {
    return {ValueError::kArgumentCount, values.size()};
  }
  ArgumentsCheck result;
  assign(values.size(), [&](const Slot& slot, size_t index) {
    if (!slot.defined) {
      result = {ValueError::kUndefined, index};
      return false;
    }
    const ValueError e = slot.checker.check(values[index], Operation::kArgument).error;
    if (e != ValueError::kOk) result = {e, index};
    return e == ValueError::kOk;
  });
  return result;
}

std::string ArgumentsChecker::message(const boost::json::array& values,
                                      const ArgumentsCheck& result) const {
  if (result.error == ValueError::kArgumentCount) {
    const std::string expected = min_count_ == max_count_
                                     ? std::to_string(min_count_)
                                     : std::to_string(min_count_) + ".." + std::to_string(max_count_);
    return "argument count: got " + std::to_string(values.size()) + ", expected " + expected;
  }
  std::string out = "argument " + std::to_string(result.index) + ": ";
  if (result.index >= values.size()) return out + std::string(valueErrorName(result.error));
  assign(values.size(), [&](const Slot& slot, size_t index) {
    if (index != result.index) return true;
    out += result.error == ValueError::kUndefined
               ? "the spec names property iid " + std::to_string(slot.piid) +
                     ", which the service does not have"
               : slot.checker.message(values[index], result.error);
    return false;
  });
  return out;
}

}  // namespace hearth::spec

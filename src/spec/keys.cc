#include "keys.h"

#include <algorithm>
#include <numeric>
#include <set>

namespace hearth::spec::detail {
namespace {

std::string keyName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    out += plain ? c : '_';
  }
  return out;
}

// Keys for one level of siblings (services of an instance, properties of a service, ...).
template <class T>
std::vector<std::string> siblingKeys(const std::vector<T>& items) {
  std::vector<std::string> names(items.size());
  std::set<std::string, std::less<>> taken;
  for (size_t i = 0; i < items.size(); ++i) {
    names[i] = keyName(items[i].type.name());
    taken.insert(names[i]);  // a sibling's own name is never handed out as a suffixed key
  }
  std::vector<size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return items[a].iid < items[b].iid; });
  std::set<std::string, std::less<>> assigned;
  std::vector<std::string> keys(items.size());
  for (size_t i : order) {
    std::string key = names[i];
    for (int n = 2; assigned.count(key) != 0; ++n) {
      std::string candidate = names[i] + "-" + std::to_string(n);
      if (taken.count(candidate) == 0) key = std::move(candidate);
    }
    assigned.insert(key);
    keys[i] = std::move(key);
  }
  return keys;
}

}  // namespace

InstanceKeys deriveKeys(const Instance& instance) {
  InstanceKeys keys;
  keys.services = siblingKeys(instance.services);
  for (size_t s = 0; s < instance.services.size(); ++s) {
    const Service& service = instance.services[s];
    const std::string prefix = keys.services[s] + ".";
    auto qualified = [&](std::vector<std::string> names) {
      for (auto& n : names) n = prefix + n;
      return names;
    };
    keys.properties.push_back(qualified(siblingKeys(service.properties)));
    keys.actions.push_back(qualified(siblingKeys(service.actions)));
    keys.events.push_back(qualified(siblingKeys(service.events)));
  }
  return keys;
}

}  // namespace hearth::spec::detail

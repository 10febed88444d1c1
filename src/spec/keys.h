// Key derivation (the rule is documented in include/hearth/spec/product_view.h): shared by
// ProductView and the upgrade check, which must agree on what a key is.
#pragma once

#include <string>
#include <vector>

#include "hearth/spec/model.h"

namespace hearth::spec::detail {

struct InstanceKeys {
  std::vector<std::string> services;                 // by service position
  std::vector<std::vector<std::string>> properties;  // [service position][property position]
  std::vector<std::vector<std::string>> actions;
  std::vector<std::vector<std::string>> events;
};

InstanceKeys deriveKeys(const Instance& instance);

}  // namespace hearth::spec::detail

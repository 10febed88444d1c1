#include "hearth/store/home_store.h"

namespace hearth::store {

std::string_view homeRoleName(HomeRole role) {
  switch (role) {
    case HomeRole::kOwner: return "owner";
    case HomeRole::kAdmin: return "admin";
    case HomeRole::kMember: return "member";
    case HomeRole::kGuest: return "guest";
  }
  return "unknown";
}

std::optional<HomeRole> homeRoleNamed(std::string_view name) {
  for (HomeRole r : {HomeRole::kOwner, HomeRole::kAdmin, HomeRole::kMember, HomeRole::kGuest}) {
    if (homeRoleName(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace hearth::store

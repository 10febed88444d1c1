#include "hearth/home/access.h"

#include <string>

namespace hearth::home {

bool roleAllows(store::HomeRole role, HomeAction action) {
  switch (role) {
    case store::HomeRole::kOwner: return true;
    case store::HomeRole::kAdmin: return action != HomeAction::kDelete;
    case store::HomeRole::kMember:
    case store::HomeRole::kGuest: return action == HomeAction::kView || action == HomeAction::kControlDevices;
  }
  return false;
}

core::Result<store::MemberRecord> authorize(store::HomeStore& homes, int64_t user_id, int64_t home_id,
                                            HomeAction action, int64_t now_ms) {
  auto member = homes.member(home_id, user_id);
  const bool expired = member && member.value().until_ms != 0 && member.value().until_ms <= now_ms;
  if ((!member && member.error().code() == core::StatusCode::kNotFound) || expired) {
    return core::Status::notFound("no home " + std::to_string(home_id));
  }
  if (!member) return member.error();
  if (!roleAllows(member.value().role, action)) {
    return core::Status::permissionDenied(std::string("a home's ") +
                                          std::string(store::homeRoleName(member.value().role)) +
                                          " may not do this");
  }
  return member;
}

}  // namespace hearth::home

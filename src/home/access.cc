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

core::Status authorizeDevice(store::HomeStore& homes, store::ShareStore& shares, int64_t user_id,
                             const store::DeviceRecord& device, HomeAction action, int64_t now_ms) {
  const core::Status no_device = core::Status::notFound("no device " + device.did);
  if (device.home_id == 0) return no_device;
  auto member = authorize(homes, user_id, device.home_id, HomeAction::kView, now_ms);
  if (!member && member.error().code() != core::StatusCode::kNotFound) return member.error();
  if (member && member.value().role != store::HomeRole::kGuest) {
    if (roleAllows(member.value().role, action)) return core::Status::ok();
    return core::Status::permissionDenied(std::string("a home's ") +
                                          std::string(store::homeRoleName(member.value().role)) +
                                          " may not do this");
  }
  auto share = shares.share(device.did, user_id);
  if (!share) return share.error().code() == core::StatusCode::kNotFound ? no_device : share.error();
  if (share.value().until_ms != 0 && share.value().until_ms <= now_ms) return no_device;
  if (action == HomeAction::kView || action == HomeAction::kControlDevices) return core::Status::ok();
  return core::Status::permissionDenied("a shared device may be seen and controlled, not changed");
}

}  // namespace hearth::home

#include "hearth/home/homes.h"

#include <algorithm>
#include <cctype>

#include "hearth/home/accounts.h"

namespace hearth::home {

namespace {

constexpr size_t kMaxName = 64;

}  // namespace

core::Result<std::string> Homes::checkName(std::string_view name) {
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front()))) name.remove_prefix(1);
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.remove_suffix(1);
  if (name.empty()) return core::Status::invalidArgument("a name is not empty");
  if (name.size() > kMaxName) return core::Status::invalidArgument("a name has at most 64 bytes");
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return core::Status::invalidArgument("a name has no control characters");
  }
  return std::string(name);
}

core::Result<store::HomeRecord> Homes::create(int64_t user_id, std::string_view name) {
  auto checked = checkName(name);
  if (!checked) return checked.error();
  return store_.createHome(store::HomeRecord{0, std::move(checked).value(), user_id, clock_.unixMillis()});
}

core::Result<std::vector<HomeSummary>> Homes::list(int64_t user_id, int64_t after_id, size_t limit) {
  auto rows = store_.homesOf(user_id, after_id, std::clamp<size_t>(limit, 1, kMaxPage));
  if (!rows) return rows.error();
  const int64_t now = clock_.unixMillis();
  std::vector<HomeSummary> out;
  for (auto& [home, member] : rows.value()) {
    if (member.until_ms != 0 && member.until_ms <= now) continue;  // a guest whose date has passed
    out.push_back(HomeSummary{std::move(home), member.role});
  }
  return out;
}

core::Result<HomeDetail> Homes::get(int64_t user_id, int64_t home_id) {
  auto member = authorize(store_, user_id, home_id, HomeAction::kView, clock_.unixMillis());
  if (!member) return member.error();
  auto home = store_.home(home_id);
  if (!home) return home.error();
  auto rooms = store_.rooms(home_id);
  if (!rooms) return rooms.error();
  return HomeDetail{std::move(home).value(), member.value().role, std::move(rooms).value()};
}

core::Status Homes::rename(int64_t user_id, int64_t home_id, std::string_view name) {
  auto member = authorize(store_, user_id, home_id, HomeAction::kRename, clock_.unixMillis());
  if (!member) return member.error();
  auto checked = checkName(name);
  if (!checked) return checked.error();
  return store_.renameHome(home_id, checked.value());
}

core::Status Homes::remove(int64_t user_id, int64_t home_id) {
  auto member = authorize(store_, user_id, home_id, HomeAction::kDelete, clock_.unixMillis());
  if (!member) return member.error();
  return release_.deleteHome(home_id);
}

core::Result<store::RoomRecord> Homes::roomOf(int64_t home_id, int64_t room_id) {
  auto room = store_.room(room_id);
  if (room && room.value().home_id != home_id) return core::Status::notFound("no room " + std::to_string(room_id));
  return room;
}

core::Result<store::RoomRecord> Homes::addRoom(int64_t user_id, int64_t home_id, std::string_view name) {
  auto member = authorize(store_, user_id, home_id, HomeAction::kManageRooms, clock_.unixMillis());
  if (!member) return member.error();
  auto checked = checkName(name);
  if (!checked) return checked.error();
  return store_.addRoom(store::RoomRecord{0, home_id, std::move(checked).value(), clock_.unixMillis()});
}

core::Status Homes::renameRoom(int64_t user_id, int64_t home_id, int64_t room_id, std::string_view name) {
  auto member = authorize(store_, user_id, home_id, HomeAction::kManageRooms, clock_.unixMillis());
  if (!member) return member.error();
  auto room = roomOf(home_id, room_id);
  if (!room) return room.error();
  auto checked = checkName(name);
  if (!checked) return checked.error();
  return store_.renameRoom(room_id, checked.value());
}

core::Status Homes::removeRoom(int64_t user_id, int64_t home_id, int64_t room_id) {
  auto member = authorize(store_, user_id, home_id, HomeAction::kManageRooms, clock_.unixMillis());
  if (!member) return member.error();
  auto room = roomOf(home_id, room_id);
  if (!room) return room.error();
  return store_.deleteRoom(room_id);
}

core::Result<store::InvitationRecord> Homes::invite(int64_t user_id, int64_t home_id, std::string_view email,
                                                   store::HomeRole role, int64_t until_ms) {
  const int64_t now = clock_.unixMillis();
  auto member = authorize(store_, user_id, home_id, HomeAction::kManageMembers, now);
  if (!member) return member.error();
  auto normalised = Accounts::normaliseEmail(email);
  if (!normalised) return normalised.error();
  if (role == store::HomeRole::kOwner) return core::Status::invalidArgument("a home has one owner");
  if (until_ms != 0 && role != store::HomeRole::kGuest) {
    return core::Status::invalidArgument("only a guest's access has an end date");
  }
  if (until_ms != 0 && until_ms <= now) return core::Status::invalidArgument("the end date has passed");
  auto invitation = store_.addInvitation(
      store::InvitationRecord{0, home_id, std::move(normalised).value(), role, until_ms, user_id, now});
  if (invitation) HEARTH_RETURN_IF_ERROR(nameHome(invitation.value()));
  return invitation;
}

core::Result<std::vector<store::InvitationRecord>> Homes::invitationsFor(std::string_view email, int64_t after_id,
                                                                         size_t limit) {
  auto pending = store_.invitationsFor(email, after_id, std::clamp<size_t>(limit, 1, kMaxPage));
  if (!pending) return pending;
  for (store::InvitationRecord& invitation : pending.value()) HEARTH_RETURN_IF_ERROR(nameHome(invitation));
  return pending;
}

core::Status Homes::nameHome(store::InvitationRecord& invitation) {
  auto home = store_.home(invitation.home_id);
  if (!home) return home.error();
  invitation.home_name = std::move(home).value().name;
  return core::Status::ok();
}

core::Result<store::InvitationRecord> Homes::invitationFor(std::string_view email, int64_t invitation_id) {
  auto invitation = store_.invitation(invitation_id);
  if (invitation && invitation.value().email != email) {
    return core::Status::notFound("no invitation " + std::to_string(invitation_id));
  }
  return invitation;
}

core::Status Homes::accept(int64_t user_id, std::string_view email, int64_t invitation_id) {
  auto invitation = invitationFor(email, invitation_id);
  if (!invitation) return invitation.error();
  HEARTH_RETURN_IF_ERROR(store_.acceptInvitation(invitation_id, user_id, clock_.unixMillis()));
  announce(access_, {user_id});
  return core::Status::ok();
}

core::Status Homes::decline(std::string_view email, int64_t invitation_id) {
  auto invitation = invitationFor(email, invitation_id);
  if (!invitation) return invitation.error();
  return store_.removeInvitation(invitation_id);
}

core::Result<std::vector<store::MemberRecord>> Homes::members(int64_t user_id, int64_t home_id, int64_t after_user,
                                                              size_t limit) {
  auto member = authorize(store_, user_id, home_id, HomeAction::kView, clock_.unixMillis());
  if (!member) return member.error();
  return store_.members(home_id, after_user, std::clamp<size_t>(limit, 1, kMaxPage));
}

core::Status Homes::removeMember(int64_t user_id, int64_t home_id, int64_t member_id) {
  const int64_t now = clock_.unixMillis();
  // Leaving needs only to see the home; removing someone else needs the right to manage members.
  const HomeAction action = member_id == user_id ? HomeAction::kView : HomeAction::kManageMembers;
  auto actor = authorize(store_, user_id, home_id, action, now);
  if (!actor) return actor.error();
  auto target = store_.member(home_id, member_id);
  if (!target) {
    if (target.error().code() == core::StatusCode::kNotFound) {
      return core::Status::notFound("no member " + std::to_string(member_id));
    }
    return target.error();
  }
  if (target.value().role == store::HomeRole::kOwner) {
    return core::Status::failedPrecondition("the owner cannot be removed from their home");
  }
  HEARTH_RETURN_IF_ERROR(store_.removeMember(home_id, member_id));
  announce(access_, {member_id});
  return core::Status::ok();
}

}  // namespace hearth::home

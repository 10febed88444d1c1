// Homes, their rooms and their members, as home::Homes keeps them.
//
// The store keeps what it is given and checks only its own invariants (a home has exactly one
// owner member from its creation; deleting a home deletes its rooms and members and unbinds its
// devices); who may do what is home::Access's business, in one place. Ids of homes, rooms and
// invitations are never reused, not even those of deleted rows.
//
// Ownership: implementations own their connections. Thread-safety: every method may be called
// from any thread. Errors: kNotFound, kAlreadyExists (a member twice), kIoError/kCorruption from
// the storage engine; never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::store {

enum class HomeRole : uint8_t { kOwner, kAdmin, kMember, kGuest };

std::string_view homeRoleName(HomeRole role);  // "owner", "admin", "member", "guest"
std::optional<HomeRole> homeRoleNamed(std::string_view name);

struct HomeRecord {
  int64_t id = 0;  // assigned by the store
  std::string name;
  int64_t owner_id = 0;
  int64_t created_at_ms = 0;
  friend bool operator==(const HomeRecord&, const HomeRecord&) = default;
};

struct RoomRecord {
  int64_t id = 0;  // assigned by the store
  int64_t home_id = 0;
  std::string name;
  int64_t created_at_ms = 0;
  friend bool operator==(const RoomRecord&, const RoomRecord&) = default;
};

struct MemberRecord {
  int64_t home_id = 0;
  int64_t user_id = 0;
  HomeRole role = HomeRole::kMember;
  int64_t until_ms = 0;  // a guest's access ends then; 0 = no end
  int64_t added_at_ms = 0;
  std::string email{};  // the member's account email: members() fills it, other reads leave it ""
  friend bool operator==(const MemberRecord&, const MemberRecord&) = default;
};

// An offer of membership, waiting for the invitee (by email) to accept or decline it.
struct InvitationRecord {
  int64_t id = 0;  // assigned by the store
  int64_t home_id = 0;
  std::string email;  // normalised, as home::Accounts keeps emails
  HomeRole role = HomeRole::kMember;
  int64_t until_ms = 0;  // for a guest: when access ends; 0 = no end
  int64_t invited_by = 0;
  int64_t created_at_ms = 0;
  std::string home_name{};  // for the invitee, who cannot read the home yet: home::Homes fills it, the store leaves it ""
  friend bool operator==(const InvitationRecord&, const InvitationRecord&) = default;
};

class HomeStore {
 public:
  virtual ~HomeStore() = default;

  // The home and its owner's membership, in one transaction; `home.id` is ignored.
  virtual core::Result<HomeRecord> createHome(const HomeRecord& home) = 0;
  virtual core::Result<HomeRecord> home(int64_t id) = 0;
  // The homes `user_id` is a member of, with the membership, ordered by home id after
  // `after_id`, at most `limit`.
  virtual core::Result<std::vector<std::pair<HomeRecord, MemberRecord>>> homesOf(int64_t user_id, int64_t after_id,
                                                                                 size_t limit) = 0;
  virtual core::Status renameHome(int64_t id, std::string_view name) = 0;
  // With its rooms, members and invitations; its devices leave it as DeviceStore::unbindDevice
  // says, in the same transaction. The dids of those devices.
  virtual core::Result<std::vector<std::string>> deleteHome(int64_t id) = 0;

  virtual core::Result<MemberRecord> member(int64_t home_id, int64_t user_id) = 0;
  // kAlreadyExists if the user is a member already.
  virtual core::Status addMember(const MemberRecord& member) = 0;
  // Ordered by user id after `after_user`, at most `limit`, with their emails.
  virtual core::Result<std::vector<MemberRecord>> members(int64_t home_id, int64_t after_user, size_t limit) = 0;
  virtual core::Status removeMember(int64_t home_id, int64_t user_id) = 0;

  // `invitation.id` is ignored; kAlreadyExists if one for the same home and email is pending.
  virtual core::Result<InvitationRecord> addInvitation(const InvitationRecord& invitation) = 0;
  virtual core::Result<InvitationRecord> invitation(int64_t id) = 0;
  // Pending invitations for an email, ordered by id after `after_id`, at most `limit`.
  virtual core::Result<std::vector<InvitationRecord>> invitationsFor(std::string_view email, int64_t after_id,
                                                                     size_t limit) = 0;
  // Makes `user_id` a member as the invitation says and removes the invitation, in one
  // transaction; kAlreadyExists (and nothing changes) if the user is a member already.
  virtual core::Status acceptInvitation(int64_t id, int64_t user_id, int64_t now_ms) = 0;
  virtual core::Status removeInvitation(int64_t id) = 0;

  // `room.id` is ignored.
  virtual core::Result<RoomRecord> addRoom(const RoomRecord& room) = 0;
  virtual core::Result<RoomRecord> room(int64_t id) = 0;
  // Ordered by id.
  virtual core::Result<std::vector<RoomRecord>> rooms(int64_t home_id) = 0;
  virtual core::Status renameRoom(int64_t id, std::string_view name) = 0;
  virtual core::Status deleteRoom(int64_t id) = 0;
};

}  // namespace hearth::store

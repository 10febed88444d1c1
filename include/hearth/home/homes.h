// Homes and rooms, for the people in them: every method takes the acting user and asks
// home/access.h before it reads or changes anything.
//
// Names are trimmed, 1 to 64 bytes, without control characters. A user may own and belong to any
// number of homes; creating one makes its creator the owner. A room belongs to one home: a room id
// of another home is "no room" (kNotFound) even to someone who may see both.
//
// Ownership: borrows the store, the device release and the clock. Thread-safety: any thread. Errors: kInvalidArgument
// (a bad name), access.h's kNotFound and kPermissionDenied, and the store's own; never throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/clock.h"
#include "hearth/core/status.h"
#include "hearth/home/access.h"
#include "hearth/home/device_release.h"
#include "hearth/home/access_changes.h"
#include "hearth/store/home_store.h"

namespace hearth::home {

struct HomeSummary {
  store::HomeRecord home;
  store::HomeRole role = store::HomeRole::kMember;  // the acting user's
};

struct HomeDetail {
  store::HomeRecord home;
  store::HomeRole role = store::HomeRole::kMember;
  std::vector<store::RoomRecord> rooms;
};

class Homes {
 public:
  static constexpr size_t kMaxPage = 100;

  // `access` (if any) hears of everyone an accepted invitation or a removed member concerns;
  // `release` of everyone a deleted home concerns.
  Homes(store::HomeStore& store, DeviceRelease& release, const core::Clock& clock, AccessListener* access = nullptr)
      : store_(store), release_(release), clock_(clock), access_(access) {}

  core::Result<store::HomeRecord> create(int64_t user_id, std::string_view name);
  // Keyset pages ordered by home id: the homes after `after_id`, at most `limit` (≤ kMaxPage).
  core::Result<std::vector<HomeSummary>> list(int64_t user_id, int64_t after_id, size_t limit);
  core::Result<HomeDetail> get(int64_t user_id, int64_t home_id);
  core::Status rename(int64_t user_id, int64_t home_id, std::string_view name);
  // With its rooms, members and invitations; its devices leave it as DeviceRelease says.
  core::Status remove(int64_t user_id, int64_t home_id);

  core::Result<store::RoomRecord> addRoom(int64_t user_id, int64_t home_id, std::string_view name);
  core::Status renameRoom(int64_t user_id, int64_t home_id, int64_t room_id, std::string_view name);
  core::Status removeRoom(int64_t user_id, int64_t home_id, int64_t room_id);

  // Members and invitations. An owner or admin invites by email with a role (never owner: a home
  // has one) and, for a guest, an optional end date in the future; the person with that email
  // accepts or declines. Members may see who else is a member. Anyone but the owner may leave;
  // owners and admins may remove others, never the owner (kFailedPrecondition).
  core::Result<store::InvitationRecord> invite(int64_t user_id, int64_t home_id, std::string_view email,
                                               store::HomeRole role, int64_t until_ms);
  // Pages as list(): after `after_id`, at most `limit` (≤ kMaxPage). Invitations carry their
  // home's name (invite's too), since the invitee may not read the home before accepting.
  core::Result<std::vector<store::InvitationRecord>> invitationsFor(std::string_view email, int64_t after_id,
                                                                    size_t limit);
  // `email` is the acting user's: an invitation for another email is "no invitation N".
  core::Status accept(int64_t user_id, std::string_view email, int64_t invitation_id);
  core::Status decline(std::string_view email, int64_t invitation_id);
  // Ordered by user id after `after_user`, at most `limit` (≤ kMaxPage).
  core::Result<std::vector<store::MemberRecord>> members(int64_t user_id, int64_t home_id, int64_t after_user,
                                                         size_t limit);
  core::Status removeMember(int64_t user_id, int64_t home_id, int64_t member_id);

  // The trimmed name, or kInvalidArgument with the reason.
  static core::Result<std::string> checkName(std::string_view name);

 private:
  // The invitation, if it is for `email`.
  core::Result<store::InvitationRecord> invitationFor(std::string_view email, int64_t invitation_id);
  // Fills `invitation.home_name` from its home.
  core::Status nameHome(store::InvitationRecord& invitation);
  // The room, if it belongs to the home.
  core::Result<store::RoomRecord> roomOf(int64_t home_id, int64_t room_id);

  store::HomeStore& store_;
  DeviceRelease& release_;
  const core::Clock& clock_;
  AccessListener* const access_;
};

}  // namespace hearth::home

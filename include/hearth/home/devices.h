// Devices in people's homes: binding with a bind code, listing, renaming, moving between rooms,
// unbinding, and sharing one device with someone. Every method takes the acting user and asks
// home/access.h (authorize, authorizeDevice) before it reads or changes anything.
//
//   - bind(): an owner or admin types the code from the device's label; an unbound device with
//     that code goes into the home (and room) under the name given. Wrong codes are limited per
//     user (kBindFailures in kBindWindow, then kResourceExhausted) so codes cannot be guessed.
//     A device in a home already is kFailedPrecondition: its owner must unbind it first.
//   - unbind() resets the device for its next owner through DeviceRelease, the one way out of a
//     home: out of it with its name, room, shares, queued commands and audit log, its history and
//     shadow erased. Its bind code stays valid. bind() first erases whatever a previous household
//     may have left (DeviceRelease::prepareBind): a new owner starts with nothing.
//   - A guest sees and controls only what is shared with them; a share can also reach someone
//     outside the home (view and control, nothing else), optionally until a date.
//   - Every change (bind, rename, move, share, unshare) is recorded in the device's audit log
//     with who made it (home::AuditLog); unbinding forgets the log with the rest.
//
// Ownership: borrows the stores and the clock. Thread-safety: any thread. Errors: as access.h
// (kNotFound for what the user may not see, kPermissionDenied for what their role may not do),
// kInvalidArgument with the reason, and the stores' own; never throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/clock.h"
#include "hearth/core/status.h"
#include "hearth/home/access.h"
#include "hearth/home/access_changes.h"
#include "hearth/home/audit_log.h"
#include "hearth/home/device_release.h"
#include "hearth/home/failure_log.h"
#include "hearth/store/account_store.h"
#include "hearth/store/device_store.h"
#include "hearth/store/home_store.h"
#include "hearth/store/share_store.h"

namespace hearth::home {

class Devices {
 public:
  static constexpr size_t kMaxPage = 100;
  static constexpr size_t kBindFailures = 10;
  static constexpr std::chrono::minutes kBindWindow{15};

  // `access` (if any) hears of everyone a bind, share or unshare concerns; `release` announces an unbind.
  Devices(store::DeviceStore& devices, store::HomeStore& homes, store::ShareStore& shares,
          store::AccountStore& accounts, DeviceRelease& release, AuditLog& audit, const core::Clock& clock,
          AccessListener* access = nullptr)
      : devices_(devices),
        homes_(homes),
        shares_(shares),
        accounts_(accounts),
        release_(release),
        audit_(audit),
        clock_(clock),
        access_(access) {}

  // `room_id` 0: no room. `name` "": none yet (apps show the product's).
  core::Result<store::DeviceRecord> bind(int64_t user_id, int64_t home_id, std::string_view bind_code,
                                         int64_t room_id, std::string_view name);
  // Keyset pages ordered by did, after `after`, at most `limit` (≤ kMaxPage); only `room_id`'s
  // when it is not 0. A guest gets the devices shared with them.
  core::Result<std::vector<store::DeviceRecord>> list(int64_t user_id, int64_t home_id, int64_t room_id,
                                                      std::string_view after, size_t limit);
  // The device, if the user may do `action` to it.
  core::Result<store::DeviceRecord> authorize(int64_t user_id, std::string_view did, HomeAction action);
  core::Status rename(int64_t user_id, std::string_view did, std::string_view name);
  // To another room of its home, or to none (0).
  core::Status move(int64_t user_id, std::string_view did, int64_t room_id);
  core::Status unbind(int64_t user_id, std::string_view did);

  // Shares: an owner or admin of the device's home shares it with the account of `email` (not a
  // full member: they see it already), replacing an earlier share with them.
  core::Result<store::ShareRecord> share(int64_t user_id, std::string_view did, std::string_view email,
                                         int64_t until_ms);
  // Ordered by user id after `after_user`, at most `limit` (≤ kMaxPage).
  core::Result<std::vector<store::ShareRecord>> shares(int64_t user_id, std::string_view did, int64_t after_user,
                                                       size_t limit);
  // By an owner or admin, or by the person it is shared with (leaving it).
  core::Status unshare(int64_t user_id, std::string_view did, int64_t shared_with);
  // The devices shared with the user that they may still use, ordered by did, after `after`.
  core::Result<std::vector<store::DeviceRecord>> sharedWith(int64_t user_id, std::string_view after, size_t limit);

 private:
  // Devices shared with the user, live, bound and kept by `keep`, ordered by did after `after`:
  // a short page is the last.
  core::Result<std::vector<store::DeviceRecord>> sharedDevices(
      int64_t user_id, std::string_view after, size_t limit, const std::function<bool(const store::DeviceRecord&)>& keep);
  // Ok if `room_id` is 0 or a room of the home.
  core::Status checkRoom(int64_t home_id, int64_t room_id);

  store::DeviceStore& devices_;
  store::HomeStore& homes_;
  store::ShareStore& shares_;
  store::AccountStore& accounts_;
  DeviceRelease& release_;
  AuditLog& audit_;
  const core::Clock& clock_;
  AccessListener* const access_;
  FailureLog bind_failures_;  // by user id
};

}  // namespace hearth::home

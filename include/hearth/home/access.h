// Who may do what in a home: the one place in the code that decides it. Every route and every
// command path asks here.
//
//   owner   everything, including deleting the home and (later) handing it over
//   admin   everything else: rooms, devices, members other than the owner
//   member  see the home and control its devices
//   guest   see the home and control the devices shared with them, until their date
//
// A user who is not a member (or a guest whose date has passed) is told the home does not exist
// (kNotFound "no home N"), so that nobody learns which homes exist; a member whose role does not
// allow the action gets kPermissionDenied.
//
// A device is reached through its home or through a share of that one device:
//   - a member of its home who is not a guest: as the role allows;
//   - a guest of its home, or someone outside it, with a live share: view and control it;
//   - anyone else (and anyone, for an unbound device): kNotFound "no device D".
//
// Thread-safety: stateless; any thread. Errors: as above, and the store's own.
#pragma once

#include <cstdint>

#include "hearth/core/status.h"
#include "hearth/store/device_store.h"
#include "hearth/store/home_store.h"
#include "hearth/store/share_store.h"

namespace hearth::home {

enum class HomeAction : uint8_t {
  kView,            // the home, its rooms and devices
  kControlDevices,  // set properties, run actions
  kManageDevices,   // bind, unbind, rename, move between rooms
  kManageRooms,     // add, rename, delete rooms
  kManageMembers,   // invite, change roles, remove (never the owner)
  kRename,          // the home's name
  kDelete,          // the home itself
};

bool roleAllows(store::HomeRole role, HomeAction action);

// The user's membership in the home, if it allows `action` at `now_ms`.
core::Result<store::MemberRecord> authorize(store::HomeStore& homes, int64_t user_id, int64_t home_id,
                                            HomeAction action, int64_t now_ms);

// Whether the user may do `action` (kView, kControlDevices or kManageDevices) to the device at
// `now_ms`.
core::Status authorizeDevice(store::HomeStore& homes, store::ShareStore& shares, int64_t user_id,
                             const store::DeviceRecord& device, HomeAction action, int64_t now_ms);

}  // namespace hearth::home

// Who may see what has just changed: told by Accounts, Homes and Devices after a change that may
// narrow or widen what a person may see (a session ended, a membership began or ended, a share
// began or ended, a device entered or left a home), so that whatever decided access earlier and
// remembers it (the MQTT broker's read-access cache, through apps/hearthd) decides again.
//
// A change is announced after it is stored, once per person it may concern; announcing someone
// it does not concern costs one re-check, never a wrong answer. What changes with time alone (a
// share or guest membership reaching its end date, a session expiring) is not announced: whoever
// caches an answer also bounds its age.
//
// Ownership: the announcers do not own the listener, which must outlive them. Thread-safety:
// onAccessChanged() is called from any thread (the HTTP thread, request workers) and must not
// block.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hearth/store/home_store.h"
#include "hearth/store/share_store.h"

namespace hearth::home {

class AccessListener {
 public:
  virtual ~AccessListener() = default;
  virtual void onAccessChanged(int64_t user_id) = 0;
};

// Whom a change of a home or device may concern, read before the change where it removes them:
// the home's members, the people a device is shared with. Store errors end the list early: the
// listener's own bound on the age of its answers covers whoever is missed.
std::vector<int64_t> homeMemberIds(store::HomeStore& homes, int64_t home_id);
std::vector<int64_t> shareRecipientIds(store::ShareStore& shares, std::string_view did);
// Tells the listener (none: nothing to do) about each of them.
void announce(AccessListener* listener, const std::vector<int64_t>& user_ids);

}  // namespace hearth::home

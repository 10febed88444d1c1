// All sessions by client identifier, plus the timers that outlive connections: session expiry
// and delayed will messages.
//
// Thread-safety: any thread; one mutex, taken on CONNECT, on connection close and by the sweep,
// never per message.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/clock.h"
#include "hearth/mqtt/packet.h"
#include "mqtt/session.h"

namespace hearth::mqtt {

class Persistence;
class SubscriptionIndex;

// A will message waiting for its delay, or due now.
struct PendingWill {
  std::string client_id;
  std::string username;
  Will will;
  core::Clock::TimePoint due;
};

class SessionRegistry {
 public:
  explicit SessionRegistry(SubscriptionIndex& index) : index_(index) {}

  // Where session records go; null (the default) keeps sessions in memory only. Start-up only.
  void setPersistence(Persistence* persistence) { persistence_ = persistence; }

  // Adds a session restored from the store, offline. Start-up only. `remaining` is what is left
  // of its expiry interval.
  void restore(const SessionPtr& session, core::Clock::Duration remaining, core::Clock::TimePoint now);

  struct Attached {
    SessionPtr session;
    bool present = false;              // an existing session was resumed
    Connection* previous = nullptr;    // a connection taken over, to be closed on its loop
    EventLoop* previous_loop = nullptr;
    std::vector<PendingWill> wills_due;  // wills released because an old session ended
  };

  // Binds `connection` to the session `client_id`, creating it, resuming it or (clean start)
  // replacing it. Cancels a pending will of a resumed session.
  Attached attach(const std::string& client_id, bool clean_start, Connection* connection,
                  EventLoop* loop);

  // The connection closed. If it still owns the session: detach it, and end the session now if
  // its expiry interval is 0. `will`, if any, is published after min(will delay, session
  // expiry); a will due now is appended to `due`.
  void detach(const SessionPtr& session, Connection* connection, std::optional<Will> will,
              const std::string& username, core::Clock::TimePoint now, std::vector<PendingWill>& due);

  // Ends expired sessions and collects wills whose delay has passed.
  void sweep(core::Clock::TimePoint now, std::vector<PendingWill>& due);

  size_t size() const;

 private:
  // Requires mu_. Removes the session's subscriptions from the index and forgets it; releases its
  // pending will.
  void endLocked(const SessionPtr& session, std::vector<PendingWill>& due);

  SubscriptionIndex& index_;
  Persistence* persistence_ = nullptr;
  mutable std::mutex mu_;
  // Keyed by a view of the session's own client id, so the id is not stored twice. Callers keep
  // a reference to a session while erasing it, so the key outlives the erase.
  // Open addressing: a slot per session rather than a node and a bucket.
  boost::unordered_flat_map<std::string_view, SessionPtr> sessions_;
  std::vector<PendingWill> wills_;
  // Detached sessions by expiry deadline, so the sweep touches only those due. Entries go stale
  // when a session is resumed; the sweep skips those.
  std::multimap<core::Clock::TimePoint, std::weak_ptr<Session>> expiring_;
};

}  // namespace hearth::mqtt

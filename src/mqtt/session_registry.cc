#include "mqtt/session_registry.h"

#include <algorithm>

#include "mqtt/persistence.h"
#include "mqtt/subscription_index.h"

namespace hearth::mqtt {
namespace {

constexpr uint32_t kNeverExpires = 0xFFFFFFFF;

// Moves the pending will of `client_id` (if any) out of `wills` into `due`, or drops it.
void releaseWill(std::vector<PendingWill>& wills, const std::string& client_id,
                 std::vector<PendingWill>* due) {
  auto it = std::find_if(wills.begin(), wills.end(),
                         [&](const PendingWill& w) { return w.client_id == client_id; });
  if (it == wills.end()) return;
  if (due != nullptr) due->push_back(std::move(*it));
  wills.erase(it);
}

}  // namespace

SessionRegistry::Attached SessionRegistry::attach(const std::string& client_id, bool clean_start,
                                                  Connection* connection, EventLoop* loop) {
  Attached out;
  std::lock_guard lock(mu_);
  auto it = sessions_.find(client_id);
  if (it != sessions_.end()) {
    SessionPtr existing = it->second;
    {
      std::lock_guard slock(existing->mu);
      out.previous = existing->connection;
      out.previous_loop = existing->loop;
      existing->connection = nullptr;
      existing->loop = nullptr;
      existing->setOnline(false);
    }
    if (clean_start) {
      endLocked(existing, out.wills_due);
    } else {
      // A new network connection to the session before the will delay passed: no will.
      releaseWill(wills_, client_id, nullptr);
      out.session = existing;
      out.present = true;
    }
  }
  if (!out.session) {
    out.session = std::make_shared<Session>(client_id);
    sessions_.emplace(out.session->clientId(), out.session);
  }
  std::lock_guard slock(out.session->mu);
  out.session->connection = connection;
  out.session->loop = loop;
  out.session->expires_at.reset();
  out.session->setOnline(true);
  return out;
}

void SessionRegistry::detach(const SessionPtr& session, Connection* connection,
                             std::optional<Will> will, const std::string& username,
                             core::Clock::TimePoint now, std::vector<PendingWill>& due) {
  std::lock_guard lock(mu_);
  uint32_t expiry = 0;
  {
    std::lock_guard slock(session->mu);
    if (session->connection != connection) {
      // Taken over: the new connection owns the session now. The old will still goes out,
      // subject to its delay, which a resumed session cancels (attach already ran).
      if (will && will->properties.will_delay_interval.value_or(0) == 0) {
        due.push_back(PendingWill{session->clientId(), username, std::move(*will), now});
      }
      return;
    }
    session->connection = nullptr;
    session->loop = nullptr;
    session->setOnline(false);
    expiry = session->expiry_interval;
    if (expiry != 0 && expiry != kNeverExpires) {
      session->expires_at = now + std::chrono::seconds(expiry);
      expiring_.emplace(*session->expires_at, session);
    }
    if (expiry != 0 && persistence_ != nullptr) {
      // The detach time lets a restart work out how much of the expiry interval is left.
      session->detached_at_unix_ms = persistence_->unixMillis();
      persistence_->sessionLocked(*session);
      session->stored = true;
    }
  }
  if (will) {
    uint32_t delay = std::min(will->properties.will_delay_interval.value_or(0), expiry);
    PendingWill pending{session->clientId(), username, std::move(*will), now + std::chrono::seconds(delay)};
    if (delay == 0) {
      due.push_back(std::move(pending));
    } else {
      wills_.push_back(std::move(pending));
    }
  }
  if (expiry == 0) {
    auto it = sessions_.find(session->clientId());
    if (it != sessions_.end() && it->second == session) endLocked(session, due);
  }
}

void SessionRegistry::sweep(core::Clock::TimePoint now, std::vector<PendingWill>& due) {
  std::lock_guard lock(mu_);
  for (auto it = wills_.begin(); it != wills_.end();) {
    if (it->due <= now) {
      due.push_back(std::move(*it));
      it = wills_.erase(it);
    } else {
      ++it;
    }
  }
  while (!expiring_.empty() && expiring_.begin()->first <= now) {
    SessionPtr session = expiring_.begin()->second.lock();
    expiring_.erase(expiring_.begin());
    if (!session) continue;
    bool expired = false;
    {
      std::lock_guard slock(session->mu);
      expired = session->connection == nullptr && session->expires_at && *session->expires_at <= now;
    }
    auto it = sessions_.find(session->clientId());
    if (expired && it != sessions_.end() && it->second == session) endLocked(session, due);
  }
}

void SessionRegistry::restore(const SessionPtr& session, core::Clock::Duration remaining,
                              core::Clock::TimePoint now) {
  std::lock_guard lock(mu_);
  sessions_.erase(session->clientId());
  sessions_.emplace(session->clientId(), session);
  std::lock_guard slock(session->mu);
  if (session->expiry_interval != kNeverExpires) {
    session->expires_at = now + remaining;
    expiring_.emplace(*session->expires_at, session);
  }
}

void SessionRegistry::endLocked(const SessionPtr& session, std::vector<PendingWill>& due) {
  std::vector<std::string> filters;
  {
    std::lock_guard slock(session->mu);
    if (session->stored && persistence_ != nullptr) {
      persistence_->sessionEndedLocked(*session);
      session->stored = false;
    }
    for (const auto& [filter, sub] : session->subscriptions) filters.push_back(filter);
    session->subscriptions.clear();
    session->queue.clear();
    session->inflight.clear();
  }
  for (const auto& f : filters) index_.remove(session.get(), f);
  // The session ends before its will delay passed: the will goes out now (MQTT 3.1.3.2.2).
  releaseWill(wills_, session->clientId(), &due);
  sessions_.erase(session->clientId());
}

size_t SessionRegistry::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace hearth::mqtt

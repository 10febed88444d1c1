// People's accounts and their sessions, as home::Accounts keeps them.
//
// The store checks only its own invariants (an email is registered once, case-insensitively; a
// token hash names one session); what makes a valid email or password, how tokens are made and
// how long they live is home::Accounts' business.
//
// Ownership: implementations own their connections. Thread-safety: every method may be called
// from any thread. Errors: kNotFound, kAlreadyExists (an email in use), kIoError/kCorruption from
// the storage engine; never throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::store {

struct UserRecord {
  int64_t id = 0;           // assigned by the store
  std::string email;        // as the person wrote it, lower-cased
  std::string password_hash;  // core::hashPassword
  bool admin = false;       // an operator of this Hearth
  int64_t created_at_ms = 0;

  friend bool operator==(const UserRecord&, const UserRecord&) = default;
};

// A login: one access token and one refresh token, stored as hashes only.
struct SessionRecord {
  std::string id;  // random, public: names the session in lists and logs
  int64_t user_id = 0;
  std::string access_hash;
  int64_t access_expires_ms = 0;
  std::string refresh_hash;
  int64_t refresh_expires_ms = 0;
  int64_t created_at_ms = 0;

  friend bool operator==(const SessionRecord&, const SessionRecord&) = default;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Returns the new user's id.
  virtual core::Result<int64_t> addUser(const UserRecord& user) = 0;
  virtual core::Result<UserRecord> userById(int64_t id) = 0;
  virtual core::Result<UserRecord> userByEmail(std::string_view email) = 0;
  virtual core::Status setPasswordHash(int64_t user_id, std::string_view hash) = 0;
  virtual core::Result<size_t> countUsers() = 0;
  // Ordered by id, after `after_id`, at most `limit`.
  virtual core::Result<std::vector<UserRecord>> listUsers(int64_t after_id, size_t limit) = 0;

  virtual core::Status addSession(const SessionRecord& session) = 0;
  virtual core::Result<SessionRecord> sessionByAccessHash(std::string_view hash) = 0;
  virtual core::Result<SessionRecord> sessionByRefreshHash(std::string_view hash) = 0;
  virtual core::Result<SessionRecord> sessionById(std::string_view id) = 0;
  // Replaces a session's tokens (a refresh rotates both). kNotFound if it is gone.
  virtual core::Status replaceSessionTokens(const SessionRecord& session) = 0;
  virtual core::Status removeSession(std::string_view id) = 0;
  // Every session of the user except `keep` ("" keeps none); returns how many went.
  virtual core::Result<size_t> removeSessionsOf(int64_t user_id, std::string_view keep) = 0;

  // Activity, for daily and monthly active users: `day` counts days since the Unix epoch (UTC).
  // Recording a day twice changes nothing.
  virtual core::Status recordActivity(int64_t user_id, int64_t day) = 0;
  virtual core::Status removeActivityBefore(int64_t day) = 0;
};

}  // namespace hearth::store

// People's accounts: sign-up and login with email and password, sessions with short-lived access
// tokens and long-lived refresh tokens, logout, password change, and a brake on password guessing.
//
//   - Emails are trimmed and lower-cased; one account per email. Passwords are 8 to 1024 bytes and
//     stored as argon2id (core::hashPassword).
//   - A login opens a session: an access token ("hat_" + 64 hex digits, 15 minutes by default)
//     and a refresh token ("hrt_" + 64 hex digits, 30 days). Only their BLAKE2b hashes are
//     stored. refresh() rotates both and makes the old pair useless; logout() ends the session;
//     a password change ends every other session of the account.
//   - Failed logins are limited per account (5 in 15 minutes) and per client address (20 in 15
//     minutes): beyond that a login is refused with kResourceExhausted, before the password is
//     even checked, until the window has moved on. A successful login clears the account's count.
//     Unknown emails cost as much time as known ones (a decoy hash is verified), so a login does
//     not say which emails have accounts.
//
// Hashing and verifying passwords is slow on purpose (about 0.1 s at the default cost): call
// signUp(), login() and changePassword() off event loops and the HTTP thread.
//
// Ownership: borrows the store and the clock. Thread-safety: every method may be called from any
// thread. Errors: kInvalidArgument (bad email or password), kAlreadyExists (email taken),
// kUnauthenticated (wrong credentials, unknown or expired token), kResourceExhausted (too many
// failed logins), and the store's own; never throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "hearth/core/clock.h"
#include "hearth/core/secrets.h"
#include "hearth/core/status.h"
#include "hearth/home/access_changes.h"
#include "hearth/home/failure_log.h"
#include "hearth/store/account_store.h"

namespace hearth::home {

struct AccountOptions {
  std::chrono::milliseconds access_ttl = std::chrono::minutes(15);
  std::chrono::milliseconds refresh_ttl = std::chrono::hours(24 * 30);
  core::PasswordHashCost cost = core::PasswordHashCost::kInteractive;
  std::chrono::milliseconds failure_window = std::chrono::minutes(15);
  size_t failures_per_account = 5;
  size_t failures_per_address = 20;
};

struct Tokens {
  std::string session_id;
  std::string access_token;
  int64_t access_expires_ms = 0;
  std::string refresh_token;
  int64_t refresh_expires_ms = 0;
};

class Accounts {
 public:
  // `access` (if any) hears of every account whose sessions logout() or changePassword() end.
  Accounts(store::AccountStore& store, const core::Clock& clock, AccountOptions options = {},
           AccessListener* access = nullptr);

  core::Result<store::UserRecord> signUp(std::string_view email, std::string_view password, bool admin = false);
  // `address` is the client's network address, for the per-address limit.
  core::Result<Tokens> login(std::string_view email, std::string_view password, std::string_view address);
  core::Result<Tokens> refresh(std::string_view refresh_token);
  core::Status logout(std::string_view access_token);
  // The account an access token belongs to, while it is valid. Each account authenticated on a
  // day counts as active that day (UTC), for the operators' daily and monthly active users.
  core::Result<store::UserRecord> authenticate(std::string_view access_token);
  // The same, answering with the session the token belongs to (its id and user id).
  core::Result<store::SessionRecord> authenticateSession(std::string_view access_token);
  // Ok while the user's session goes on: not logged out, not ended by a password change, its
  // refresh token not expired (its access token may have: the app refreshes it). Else
  // kUnauthenticated. For whoever admitted a client with a token and keeps serving it.
  core::Status sessionLive(int64_t user_id, std::string_view session_id);
  core::Status changePassword(std::string_view access_token, std::string_view old_password,
                              std::string_view new_password);

  // The normalised form of an email, or kInvalidArgument with the reason.
  static core::Result<std::string> normaliseEmail(std::string_view email);

 private:
  core::Result<Tokens> openSession(int64_t user_id);
  // A new token pair for a session, valid from `now`.
  Tokens mint(std::string session_id, int64_t now) const;
  // The session of an access token, expired or not; kUnauthenticated when there is none.
  core::Result<store::SessionRecord> sessionOf(std::string_view access_token);
  // The same, only while the access token is valid.
  core::Result<store::SessionRecord> liveSessionOf(std::string_view access_token);
  // The live session of an access token and its account, counted active today.
  core::Result<std::pair<store::SessionRecord, store::UserRecord>> signedIn(std::string_view access_token);
  core::Status checkPassword(std::string_view password) const;
  // Records the user active today, once per user and day; forgets activity past the month.
  void noteActive(int64_t user_id, int64_t now);

  store::AccountStore& store_;
  const core::Clock& clock_;
  const AccountOptions options_;
  AccessListener* const access_;
  // Verified for unknown emails, so that they take as long; made at the first such login.
  const std::string& decoyHash();
  std::once_flag decoy_once_;
  std::string decoy_hash_;
  FailureLog by_account_;
  FailureLog by_address_;
  std::mutex active_mu_;
  int64_t active_day_ = -1;                 // guarded by active_mu_
  std::unordered_set<int64_t> active_today_;  // guarded by active_mu_
};

}  // namespace hearth::home

#include "hearth/home/accounts.h"

#include <algorithm>
#include <cctype>

namespace hearth::home {

namespace {

constexpr size_t kTokenBytes = 32;
constexpr size_t kSessionIdBytes = 8;
constexpr std::string_view kAccessPrefix = "hat_";
constexpr std::string_view kRefreshPrefix = "hrt_";
constexpr size_t kMinPassword = 8;
constexpr size_t kMaxPassword = 1024;
constexpr size_t kMaxEmail = 254;

core::Status wrongCredentials() { return core::Status::unauthenticated("wrong email or password"); }

}  // namespace

Accounts::Accounts(store::AccountStore& store, const core::Clock& clock, AccountOptions options,
                   AccessListener* access)
    : store_(store), clock_(clock), options_(options), access_(access) {}

const std::string& Accounts::decoyHash() {
  std::call_once(decoy_once_, [this] {
    // If even this fails (out of memory), the empty hash fails verification quickly: an unknown
    // email then answers sooner, which is all that is lost.
    auto hash = core::hashPassword(core::randomHex(16), options_.cost);
    if (hash) decoy_hash_ = std::move(hash).value();
  });
  return decoy_hash_;
}

core::Result<std::string> Accounts::normaliseEmail(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front()))) email.remove_prefix(1);
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) email.remove_suffix(1);
  const size_t at = email.find('@');
  if (email.empty() || email.size() > kMaxEmail || at == 0 || at == std::string_view::npos ||
      email.find('@', at + 1) != std::string_view::npos || email.find('.', at + 2) == std::string_view::npos ||
      email.back() == '.') {
    return core::Status::invalidArgument("not an email address");
  }
  std::string out;
  for (char c : email) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u == 0x7F) return core::Status::invalidArgument("an email address has no spaces or control characters");
    out += static_cast<char>(std::tolower(u));
  }
  return out;
}

core::Status Accounts::checkPassword(std::string_view password) const {
  if (password.size() < kMinPassword) {
    return core::Status::invalidArgument("a password has at least " + std::to_string(kMinPassword) + " characters");
  }
  if (password.size() > kMaxPassword) {
    return core::Status::invalidArgument("a password has at most " + std::to_string(kMaxPassword) + " bytes");
  }
  return core::Status::ok();
}

core::Result<store::UserRecord> Accounts::signUp(std::string_view email, std::string_view password, bool admin) {
  auto normalised = normaliseEmail(email);
  if (!normalised) return normalised.error();
  HEARTH_RETURN_IF_ERROR(checkPassword(password));
  auto hash = core::hashPassword(password, options_.cost);
  if (!hash) return hash.error();
  store::UserRecord user{0, std::move(normalised).value(), std::move(hash).value(), admin, clock_.unixMillis()};
  auto id = store_.addUser(user);
  if (!id) return id.error();
  user.id = id.value();
  return user;
}

core::Result<Tokens> Accounts::login(std::string_view email, std::string_view password, std::string_view address) {
  auto normalised = normaliseEmail(email);
  if (!normalised) return wrongCredentials();
  const std::string account = std::move(normalised).value();
  const std::string from(address);
  const int64_t now = clock_.unixMillis();
  const int64_t window = options_.failure_window.count();
  if (by_account_.exceeded(account, options_.failures_per_account, now, window) ||
      by_address_.exceeded(from, options_.failures_per_address, now, window)) {
    return core::Status::resourceExhausted("too many failed logins; try again later");
  }
  auto user = store_.userByEmail(account);
  if (!user && user.error().code() != core::StatusCode::kNotFound) return user.error();
  const bool match = core::verifyPassword(user ? user.value().password_hash : decoyHash(), password) && user;
  if (!match) {
    by_account_.add(account, now);
    by_address_.add(from, now);
    return wrongCredentials();
  }
  by_account_.clear(account);
  return openSession(user.value().id);
}

Tokens Accounts::mint(std::string session_id, int64_t now) const {
  return Tokens{std::move(session_id), std::string(kAccessPrefix) + core::randomHex(kTokenBytes),
                now + options_.access_ttl.count(), std::string(kRefreshPrefix) + core::randomHex(kTokenBytes),
                now + options_.refresh_ttl.count()};
}

core::Result<Tokens> Accounts::openSession(int64_t user_id) {
  const int64_t now = clock_.unixMillis();
  Tokens t = mint(core::randomHex(kSessionIdBytes), now);
  HEARTH_RETURN_IF_ERROR(store_.addSession(store::SessionRecord{t.session_id, user_id, core::blake2bHex(t.access_token),
                                                                t.access_expires_ms, core::blake2bHex(t.refresh_token),
                                                                t.refresh_expires_ms, now}));
  return t;
}

core::Result<Tokens> Accounts::refresh(std::string_view refresh_token) {
  if (!refresh_token.starts_with(kRefreshPrefix)) return core::Status::unauthenticated("not a refresh token");
  auto session = store_.sessionByRefreshHash(core::blake2bHex(refresh_token));
  if (!session) {
    if (session.error().code() == core::StatusCode::kNotFound) {
      return core::Status::unauthenticated("unknown or used refresh token");
    }
    return session.error();
  }
  store::SessionRecord s = std::move(session).value();
  const int64_t now = clock_.unixMillis();
  if (s.refresh_expires_ms <= now) {
    (void)store_.removeSession(s.id);
    return core::Status::unauthenticated("the refresh token has expired; log in again");
  }
  Tokens t = mint(s.id, now);
  s.access_hash = core::blake2bHex(t.access_token);
  s.access_expires_ms = t.access_expires_ms;
  s.refresh_hash = core::blake2bHex(t.refresh_token);
  s.refresh_expires_ms = t.refresh_expires_ms;
  HEARTH_RETURN_IF_ERROR(store_.replaceSessionTokens(s));
  return t;
}

core::Result<store::SessionRecord> Accounts::sessionOf(std::string_view access_token) {
  if (!access_token.starts_with(kAccessPrefix)) return core::Status::unauthenticated("not an access token");
  auto session = store_.sessionByAccessHash(core::blake2bHex(access_token));
  if (!session && session.error().code() == core::StatusCode::kNotFound) {
    return core::Status::unauthenticated("unknown token");
  }
  return session;
}

core::Result<store::SessionRecord> Accounts::liveSessionOf(std::string_view access_token) {
  auto session = sessionOf(access_token);
  if (session && session.value().access_expires_ms <= clock_.unixMillis()) {
    return core::Status::unauthenticated("the access token has expired; refresh it");
  }
  return session;
}

core::Result<std::pair<store::SessionRecord, store::UserRecord>> Accounts::signedIn(std::string_view access_token) {
  auto session = liveSessionOf(access_token);
  if (!session) return session.error();
  auto user = store_.userById(session.value().user_id);
  if (!user) {
    if (user.error().code() == core::StatusCode::kNotFound) return core::Status::unauthenticated("the account is gone");
    return user.error();
  }
  noteActive(user.value().id, clock_.unixMillis());
  return std::pair{std::move(session).value(), std::move(user).value()};
}

core::Result<store::UserRecord> Accounts::authenticate(std::string_view access_token) {
  auto in = signedIn(access_token);
  if (!in) return in.error();
  return std::move(in).value().second;
}

core::Result<store::SessionRecord> Accounts::authenticateSession(std::string_view access_token) {
  auto in = signedIn(access_token);
  if (!in) return in.error();
  return std::move(in).value().first;
}

core::Status Accounts::sessionLive(int64_t user_id, std::string_view session_id) {
  auto session = store_.sessionById(session_id);
  if (!session) {
    if (session.error().code() == core::StatusCode::kNotFound) return core::Status::unauthenticated("the session has ended");
    return session.error();
  }
  if (session.value().user_id != user_id || session.value().refresh_expires_ms <= clock_.unixMillis()) {
    return core::Status::unauthenticated("the session has ended");
  }
  return core::Status::ok();
}

void Accounts::noteActive(int64_t user_id, int64_t now) {
  constexpr int64_t kDayMs = 86'400'000;
  constexpr int64_t kKeptDays = 60;  // the month the figures look at, and some
  const int64_t day = now / kDayMs;
  bool new_day = false;
  {
    std::lock_guard lock(active_mu_);
    if (day != active_day_) {
      new_day = true;
      active_day_ = day;
      active_today_.clear();
    }
    if (!active_today_.insert(user_id).second) return;
  }
  // A lost record costs one user one day in the figures, never a request: errors are ignored.
  (void)store_.recordActivity(user_id, day);
  if (new_day) (void)store_.removeActivityBefore(day - kKeptDays);
}

core::Status Accounts::logout(std::string_view access_token) {
  // An expired access token still ends its session: logging out after a pause must not leave the
  // refresh token alive.
  auto session = sessionOf(access_token);
  if (!session) return session.error();
  HEARTH_RETURN_IF_ERROR(store_.removeSession(session.value().id));
  announce(access_, {session.value().user_id});
  return core::Status::ok();
}

core::Status Accounts::changePassword(std::string_view access_token, std::string_view old_password,
                                      std::string_view new_password) {
  auto session = liveSessionOf(access_token);
  if (!session) return session.error();
  auto user = store_.userById(session.value().user_id);
  if (!user) return user.error();
  if (!core::verifyPassword(user.value().password_hash, old_password)) return wrongCredentials();
  HEARTH_RETURN_IF_ERROR(checkPassword(new_password));
  auto hash = core::hashPassword(new_password, options_.cost);
  if (!hash) return hash.error();
  HEARTH_RETURN_IF_ERROR(store_.setPasswordHash(user.value().id, hash.value()));
  // Whoever else holds a session of this account keeps it no longer.
  auto removed = store_.removeSessionsOf(user.value().id, session.value().id);
  if (!removed) return removed.error();
  announce(access_, {user.value().id});
  return core::Status::ok();
}

}  // namespace hearth::home

// The accounts half of SqliteRegistry.
#include <string>

#include "store/sqlite/registry_impl.h"

namespace hearth::store {

namespace {

constexpr std::string_view kUserColumns = "id, email, password_hash, admin, created_at_ms";
constexpr std::string_view kSessionColumns =
    "id, user_id, access_hash, access_expires_ms, refresh_hash, refresh_expires_ms, created_at_ms";

UserRecord readUser(const sqlite::Statement& s) {
  return UserRecord{s.integer(0), s.text(1), s.text(2), s.integer(3) != 0, s.integer(4)};
}

SessionRecord readSession(const sqlite::Statement& s) {
  return SessionRecord{s.text(0), s.integer(1), s.text(2), s.integer(3), s.text(4), s.integer(5), s.integer(6)};
}

}  // namespace

core::Result<int64_t> SqliteRegistry::addUser(const UserRecord& user) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("INSERT INTO users (email, password_hash, admin, created_at_ms) VALUES (?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, user.email).bind(2, user.password_hash).bind(3, int64_t{user.admin ? 1 : 0}).bind(4, user.created_at_ms);
  s.step();
  if (s.status().code() == core::StatusCode::kAlreadyExists) {
    return core::Status::alreadyExists("an account for " + user.email + " exists already");
  }
  if (!s.status().isOk()) return s.status();
  return impl_->db->lastInsertRowid();
}

core::Result<UserRecord> SqliteRegistry::userById(int64_t id) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, id);
  if (stmt.value().step()) return readUser(stmt.value());
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return core::Status::notFound("no user " + std::to_string(id));
}

core::Result<UserRecord> SqliteRegistry::userByEmail(std::string_view email) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE email = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, email);
  if (stmt.value().step()) return readUser(stmt.value());
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return core::Status::notFound("no account for " + std::string(email));
}

core::Status SqliteRegistry::setPasswordHash(int64_t user_id, std::string_view hash) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("UPDATE users SET password_hash = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, hash).bind(2, user_id);
  stmt.value().step();
  if (!stmt.value().status().isOk()) return stmt.value().status();
  if (impl_->db->changes() == 0) return core::Status::notFound("no user " + std::to_string(user_id));
  return core::Status::ok();
}

core::Result<size_t> SqliteRegistry::countUsers() {
  std::lock_guard lock(impl_->mu);
  auto count = impl_->db->queryInteger("SELECT COUNT(*) FROM users");
  if (!count) return count.error();
  return static_cast<size_t>(count.value());
}

core::Result<std::vector<UserRecord>> SqliteRegistry::listUsers(int64_t after_id, size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE id > ? ORDER BY id LIMIT ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, after_id).bind(2, static_cast<int64_t>(limit));
  std::vector<UserRecord> out;
  while (stmt.value().step()) out.push_back(readUser(stmt.value()));
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return out;
}

core::Status SqliteRegistry::addSession(const SessionRecord& r) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("INSERT INTO sessions (" + std::string(kSessionColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, r.id).bind(2, r.user_id).bind(3, r.access_hash).bind(4, r.access_expires_ms).bind(5, r.refresh_hash);
  s.bind(6, r.refresh_expires_ms).bind(7, r.created_at_ms);
  s.step();
  return s.status();
}

core::Result<SessionRecord> SqliteRegistry::sessionByAccessHash(std::string_view hash) {
  return sessionWhere("access_hash", hash);
}

core::Result<SessionRecord> SqliteRegistry::sessionByRefreshHash(std::string_view hash) {
  return sessionWhere("refresh_hash", hash);
}

core::Result<SessionRecord> SqliteRegistry::sessionById(std::string_view id) { return sessionWhere("id", id); }

core::Result<SessionRecord> SqliteRegistry::sessionWhere(std::string_view column, std::string_view hash) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kSessionColumns) + " FROM sessions WHERE " +
                                 std::string(column) + " = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, hash);
  if (stmt.value().step()) return readSession(stmt.value());
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return core::Status::notFound("no such session");
}

core::Status SqliteRegistry::replaceSessionTokens(const SessionRecord& r) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare(
      "UPDATE sessions SET access_hash = ?, access_expires_ms = ?, refresh_hash = ?, refresh_expires_ms = ? "
      "WHERE id = ?");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, r.access_hash).bind(2, r.access_expires_ms).bind(3, r.refresh_hash).bind(4, r.refresh_expires_ms);
  s.bind(5, r.id);
  s.step();
  if (!s.status().isOk()) return s.status();
  if (impl_->db->changes() == 0) return core::Status::notFound("no such session");
  return core::Status::ok();
}

core::Status SqliteRegistry::removeSession(std::string_view id) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("DELETE FROM sessions WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, id);
  stmt.value().step();
  if (!stmt.value().status().isOk()) return stmt.value().status();
  if (impl_->db->changes() == 0) return core::Status::notFound("no such session");
  return core::Status::ok();
}

core::Result<size_t> SqliteRegistry::removeSessionsOf(int64_t user_id, std::string_view keep) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("DELETE FROM sessions WHERE user_id = ? AND id != ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, user_id).bind(2, keep);
  stmt.value().step();
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return static_cast<size_t>(impl_->db->changes());
}

}  // namespace hearth::store

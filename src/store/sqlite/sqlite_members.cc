// Members and invitations: the rest of SqliteRegistry's homes half (sqlite_homes.cc).
#include <string>

#include "store/sqlite/registry_impl.h"

namespace hearth::store {

namespace {

constexpr std::string_view kInvitationColumns = "id, home_id, email, role, until_ms, invited_by, created_at_ms";

core::Result<HomeRole> roleOf(const std::string& name) {
  if (auto role = homeRoleNamed(name)) return *role;
  return core::Status::corruption("unknown home role '" + name + "'");
}

core::Result<InvitationRecord> readInvitation(const sqlite::Statement& s) {
  auto role = roleOf(s.text(3));
  if (!role) return role.error();
  return InvitationRecord{s.integer(0), s.integer(1), s.text(2), role.value(), s.integer(4), s.integer(5), s.integer(6)};
}

}  // namespace

core::Result<std::vector<MemberRecord>> SqliteRegistry::members(int64_t home_id, int64_t after_user, size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare(
      "SELECT m.home_id, m.user_id, m.role, m.until_ms, m.added_at_ms, COALESCE(u.email, '') FROM home_members m "
      "LEFT JOIN users u ON u.id = m.user_id WHERE m.home_id = ? AND m.user_id > ? ORDER BY m.user_id LIMIT ?");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, home_id).bind(2, after_user).bind(3, static_cast<int64_t>(limit));
  std::vector<MemberRecord> out;
  while (s.step()) {
    auto role = roleOf(s.text(2));
    if (!role) return role.error();
    out.push_back(MemberRecord{s.integer(0), s.integer(1), role.value(), s.integer(3), s.integer(4), s.text(5)});
  }
  if (!s.status().isOk()) return s.status();
  return out;
}

core::Status SqliteRegistry::removeMember(int64_t home_id, int64_t user_id) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("DELETE FROM home_members WHERE home_id = ? AND user_id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, home_id).bind(2, user_id);
  stmt.value().step();
  if (!stmt.value().status().isOk()) return stmt.value().status();
  if (impl_->db->changes() == 0) return core::Status::notFound("no such member");
  return core::Status::ok();
}

core::Result<InvitationRecord> SqliteRegistry::addInvitation(const InvitationRecord& r) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare(
      "INSERT INTO invitations (home_id, email, role, until_ms, invited_by, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, r.home_id).bind(2, r.email).bind(3, homeRoleName(r.role)).bind(4, r.until_ms).bind(5, r.invited_by);
  s.bind(6, r.created_at_ms);
  s.step();
  if (s.status().code() == core::StatusCode::kAlreadyExists) {
    return core::Status::alreadyExists(r.email + " is invited to this home already");
  }
  if (!s.status().isOk()) return s.status();
  InvitationRecord out = r;
  out.id = impl_->db->lastInsertRowid();
  return out;
}

core::Result<InvitationRecord> SqliteRegistry::invitation(int64_t id) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kInvitationColumns) + " FROM invitations WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, id);
  if (stmt.value().step()) return readInvitation(stmt.value());
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return core::Status::notFound("no invitation " + std::to_string(id));
}

core::Result<std::vector<InvitationRecord>> SqliteRegistry::invitationsFor(std::string_view email, int64_t after_id,
                                                                     size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kInvitationColumns) +
                                 " FROM invitations WHERE email = ? AND id > ? ORDER BY id LIMIT ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, email).bind(2, after_id).bind(3, static_cast<int64_t>(limit));
  std::vector<InvitationRecord> out;
  while (stmt.value().step()) {
    auto r = readInvitation(stmt.value());
    if (!r) return r.error();
    out.push_back(std::move(r).value());
  }
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return out;
}

core::Status SqliteRegistry::acceptInvitation(int64_t id, int64_t user_id, int64_t now_ms) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto insert = db.prepare(
      "INSERT INTO home_members (home_id, user_id, role, until_ms, added_at_ms) "
      "SELECT home_id, ?, role, until_ms, ? FROM invitations WHERE id = ?");
  if (!insert) return insert.error();
  insert.value().bind(1, user_id).bind(2, now_ms).bind(3, id);
  insert.value().step();
  if (insert.value().status().code() == core::StatusCode::kAlreadyExists) {
    return core::Status::alreadyExists("already a member of this home");
  }
  if (!insert.value().status().isOk()) return insert.value().status();
  if (db.changes() == 0) return core::Status::notFound("no invitation " + std::to_string(id));
  auto remove = db.prepare("DELETE FROM invitations WHERE id = ?");
  if (!remove) return remove.error();
  remove.value().bind(1, id);
  remove.value().step();
  if (!remove.value().status().isOk()) return remove.value().status();
  return tx.commit();
}

core::Status SqliteRegistry::removeInvitation(int64_t id) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("DELETE FROM invitations WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, id);
  stmt.value().step();
  if (!stmt.value().status().isOk()) return stmt.value().status();
  if (impl_->db->changes() == 0) return core::Status::notFound("no invitation " + std::to_string(id));
  return core::Status::ok();
}

}  // namespace hearth::store

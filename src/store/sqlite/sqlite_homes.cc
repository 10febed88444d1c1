// The homes half of SqliteRegistry.
#include <optional>
#include <string>

#include "store/sqlite/registry_impl.h"

namespace hearth::store {

namespace {

constexpr std::string_view kHomeColumns = "h.id, h.name, h.owner_id, h.created_at_ms";
constexpr std::string_view kMemberColumns = "m.home_id, m.user_id, m.role, m.until_ms, m.added_at_ms";
constexpr std::string_view kRoomColumns = "id, home_id, name, created_at_ms";

HomeRecord readHome(const sqlite::Statement& s, int first = 0) {
  return HomeRecord{s.integer(first), s.text(first + 1), s.integer(first + 2), s.integer(first + 3)};
}

core::Result<MemberRecord> readMember(const sqlite::Statement& s, int first = 0) {
  auto role = homeRoleNamed(s.text(first + 2));
  if (!role) return core::Status::corruption("unknown home role '" + s.text(first + 2) + "'");
  return MemberRecord{s.integer(first), s.integer(first + 1), *role, s.integer(first + 3), s.integer(first + 4)};
}

RoomRecord readRoom(const sqlite::Statement& s) {
  return RoomRecord{s.integer(0), s.integer(1), s.text(2), s.integer(3)};
}

}  // namespace

core::Result<HomeRecord> SqliteRegistry::createHome(const HomeRecord& home) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto insert = db.prepare("INSERT INTO homes (name, owner_id, created_at_ms) VALUES (?, ?, ?)");
  if (!insert) return insert.error();
  insert.value().bind(1, home.name).bind(2, home.owner_id).bind(3, home.created_at_ms);
  insert.value().step();
  if (!insert.value().status().isOk()) return insert.value().status();
  HomeRecord out = home;
  out.id = db.lastInsertRowid();
  auto owner = db.prepare("INSERT INTO home_members (home_id, user_id, role, until_ms, added_at_ms) VALUES (?, ?, ?, 0, ?)");
  if (!owner) return owner.error();
  owner.value().bind(1, out.id).bind(2, home.owner_id).bind(3, homeRoleName(HomeRole::kOwner)).bind(4, home.created_at_ms);
  owner.value().step();
  if (!owner.value().status().isOk()) return owner.value().status();
  HEARTH_RETURN_IF_ERROR(tx.commit());
  return out;
}

core::Result<HomeRecord> SqliteRegistry::home(int64_t id) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kHomeColumns) + " FROM homes h WHERE h.id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, id);
  if (stmt.value().step()) return readHome(stmt.value());
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return core::Status::notFound("no home " + std::to_string(id));
}

core::Result<std::vector<std::pair<HomeRecord, MemberRecord>>> SqliteRegistry::homesOf(int64_t user_id,
                                                                                     int64_t after_id, size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kHomeColumns) + ", " + std::string(kMemberColumns) +
                                 " FROM home_members m JOIN homes h ON h.id = m.home_id"
                                 " WHERE m.user_id = ? AND h.id > ? ORDER BY h.id LIMIT ?");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, user_id).bind(2, after_id).bind(3, static_cast<int64_t>(limit));
  std::vector<std::pair<HomeRecord, MemberRecord>> out;
  while (s.step()) {
    auto member = readMember(s, 4);
    if (!member) return member.error();
    out.emplace_back(readHome(s), std::move(member).value());
  }
  if (!s.status().isOk()) return s.status();
  return out;
}

core::Status SqliteRegistry::renameHome(int64_t id, std::string_view name) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("UPDATE homes SET name = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, name).bind(2, id);
  stmt.value().step();
  if (!stmt.value().status().isOk()) return stmt.value().status();
  if (impl_->db->changes() == 0) return core::Status::notFound("no home " + std::to_string(id));
  return core::Status::ok();
}

core::Result<std::vector<std::string>> SqliteRegistry::deleteHome(int64_t id) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto removed = db.run("DELETE FROM homes WHERE id = ?", id);
  if (!removed) return removed.error();
  if (removed.value() == 0) return core::Status::notFound("no home " + std::to_string(id));
  auto select = db.prepare("SELECT did FROM devices WHERE home_id = ? ORDER BY did");
  if (!select) return select.error();
  select.value().bind(1, id);
  std::vector<std::string> released;
  while (select.value().step()) released.push_back(select.value().text(0));
  if (!select.value().status().isOk()) return select.value().status();
  // Its devices leave it as one unbound does (unbindDevice).
  HEARTH_RETURN_IF_ERROR(forgetHousehold(db, "home_id = ?1", id));
  for (const char* sql :
       {"DELETE FROM rooms WHERE home_id = ?1", "DELETE FROM home_members WHERE home_id = ?1",
        "DELETE FROM invitations WHERE home_id = ?1",
        "UPDATE devices SET home_id = 0, room_id = 0, name = '', bound_at_ms = 0 WHERE home_id = ?1"}) {
    if (auto done = db.run(sql, id); !done) return done.error();
  }
  HEARTH_RETURN_IF_ERROR(tx.commit());
  return released;
}

core::Result<MemberRecord> SqliteRegistry::member(int64_t home_id, int64_t user_id) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kMemberColumns) +
                                 " FROM home_members m WHERE m.home_id = ? AND m.user_id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, home_id).bind(2, user_id);
  if (stmt.value().step()) return readMember(stmt.value());
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return core::Status::notFound("no such member");
}

core::Status SqliteRegistry::addMember(const MemberRecord& m) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare(
      "INSERT INTO home_members (home_id, user_id, role, until_ms, added_at_ms) VALUES (?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, m.home_id).bind(2, m.user_id).bind(3, homeRoleName(m.role)).bind(4, m.until_ms);
  stmt.value().bind(5, m.added_at_ms);
  stmt.value().step();
  if (stmt.value().status().code() == core::StatusCode::kAlreadyExists) {
    return core::Status::alreadyExists("already a member of home " + std::to_string(m.home_id));
  }
  return stmt.value().status();
}

core::Result<RoomRecord> SqliteRegistry::addRoom(const RoomRecord& room) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("INSERT INTO rooms (home_id, name, created_at_ms) VALUES (?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, room.home_id).bind(2, room.name).bind(3, room.created_at_ms);
  stmt.value().step();
  if (!stmt.value().status().isOk()) return stmt.value().status();
  RoomRecord out = room;
  out.id = impl_->db->lastInsertRowid();
  return out;
}

core::Result<RoomRecord> SqliteRegistry::room(int64_t id) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kRoomColumns) + " FROM rooms WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, id);
  if (stmt.value().step()) return readRoom(stmt.value());
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return core::Status::notFound("no room " + std::to_string(id));
}

core::Result<std::vector<RoomRecord>> SqliteRegistry::rooms(int64_t home_id) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kRoomColumns) + " FROM rooms WHERE home_id = ? ORDER BY id");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, home_id);
  std::vector<RoomRecord> out;
  while (stmt.value().step()) out.push_back(readRoom(stmt.value()));
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return out;
}

core::Status SqliteRegistry::renameRoom(int64_t id, std::string_view name) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("UPDATE rooms SET name = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, name).bind(2, id);
  stmt.value().step();
  if (!stmt.value().status().isOk()) return stmt.value().status();
  if (impl_->db->changes() == 0) return core::Status::notFound("no room " + std::to_string(id));
  return core::Status::ok();
}

core::Status SqliteRegistry::deleteRoom(int64_t id) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto removed = db.run("DELETE FROM rooms WHERE id = ?", id);
  if (!removed) return removed.error();
  if (removed.value() == 0) return core::Status::notFound("no room " + std::to_string(id));
  // Its devices stay in the home, in no room.
  if (auto moved = db.run("UPDATE devices SET room_id = 0 WHERE room_id = ?", id); !moved) return moved.error();
  return tx.commit();
}

}  // namespace hearth::store

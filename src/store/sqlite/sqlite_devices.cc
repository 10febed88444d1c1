// The device half of SqliteRegistry.
#include <string>

#include "store/sqlite/registry_impl.h"

namespace hearth::store {

namespace {

constexpr std::string_view kDeviceColumns =
    "did, model, secret_hash, name, created_at_ms, online, presence_changed_ms, firmware_revision, serial_number, "
    "bind_code_hash, home_id, room_id, bound_at_ms";

DeviceRecord readDevice(const sqlite::Statement& s) {
  return DeviceRecord{s.text(0),     s.text(1),          s.text(2),     s.text(3),     s.integer(4),
                      s.integer(5) != 0, s.integer(6),    {s.text(7), s.text(8)},      s.text(9),
                      s.integer(10), s.integer(11),      s.integer(12)};
}

core::Status notFoundIfNone(core::Result<int64_t> changed, std::string_view did) {
  if (!changed) return changed.error();
  if (changed.value() == 0) return core::Status::notFound("no device " + std::string(did));
  return core::Status::ok();
}

}  // namespace

template <typename... Args>
core::Result<std::vector<DeviceRecord>> SqliteRegistry::selectDevices(std::string_view sql, const Args&... binds) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare(sql);
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  int index = 0;
  (s.bind(++index, binds), ...);
  std::vector<DeviceRecord> out;
  while (s.step()) out.push_back(readDevice(s));
  if (!s.status().isOk()) return s.status();
  return out;
}

core::Status SqliteRegistry::addDevices(const std::vector<DeviceRecord>& devices) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto stmt = db.prepare("INSERT INTO devices (" + std::string(kDeviceColumns) +
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  for (const DeviceRecord& d : devices) {
    s.reset();
    s.bind(1, d.did).bind(2, d.model).bind(3, d.secret_hash).bind(4, d.name).bind(5, d.created_at_ms);
    s.bind(6, int64_t{d.online ? 1 : 0}).bind(7, d.presence_changed_ms);
    s.bind(8, d.info.firmware_revision).bind(9, d.info.serial_number).bind(10, d.bind_code_hash);
    s.bind(11, d.home_id).bind(12, d.room_id).bind(13, d.bound_at_ms);
    s.step();
    if (!s.status().isOk()) {
      if (s.status().code() == core::StatusCode::kAlreadyExists) {
        return core::Status::alreadyExists("device " + d.did + " is registered already");
      }
      return s.status();
    }
  }
  return tx.commit();
}

core::Result<DeviceRecord> SqliteRegistry::device(std::string_view did) {
  auto found = selectDevices("SELECT " + std::string(kDeviceColumns) + " FROM devices WHERE did = ?", did);
  if (!found) return found.error();
  if (found.value().empty()) return core::Status::notFound("no device " + std::string(did));
  return std::move(found.value().front());
}

core::Result<std::vector<DeviceRecord>> SqliteRegistry::listDevices(std::string_view after, size_t limit,
                                                                    std::string_view model) {
  return selectDevices("SELECT " + std::string(kDeviceColumns) +
                           " FROM devices WHERE did > ?1 AND (?2 = '' OR model = ?2) ORDER BY did LIMIT ?3",
                       after, model, static_cast<int64_t>(limit));
}

core::Status SqliteRegistry::removeDevice(std::string_view did) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  HEARTH_RETURN_IF_ERROR(forgetHousehold(db, "did = ?1", did));
  HEARTH_RETURN_IF_ERROR(notFoundIfNone(db.run("DELETE FROM devices WHERE did = ?", did), did));
  return tx.commit();
}

core::Status SqliteRegistry::setPresence(const std::vector<PresenceChange>& changes) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto stmt = db.prepare("UPDATE devices SET online = ?, presence_changed_ms = ? WHERE did = ?");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  for (const PresenceChange& c : changes) {
    s.reset();
    s.bind(1, int64_t{c.online ? 1 : 0}).bind(2, c.at_ms).bind(3, c.did);
    s.step();
    if (!s.status().isOk()) return s.status();
  }
  return tx.commit();
}

core::Status SqliteRegistry::setDeviceInfo(std::string_view did, const DeviceInfo& info) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("UPDATE devices SET firmware_revision = ?, serial_number = ? WHERE did = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, info.firmware_revision).bind(2, info.serial_number).bind(3, did);
  stmt.value().step();
  if (!stmt.value().status().isOk()) return stmt.value().status();
  if (impl_->db->changes() == 0) return core::Status::notFound("no device " + std::string(did));
  return core::Status::ok();
}

core::Result<std::vector<std::string>> SqliteRegistry::markAllOffline(int64_t at_ms) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto select = db.prepare("SELECT did FROM devices WHERE online = 1 ORDER BY did");
  if (!select) return select.error();
  std::vector<std::string> dids;
  while (select.value().step()) dids.push_back(select.value().text(0));
  if (!select.value().status().isOk()) return select.value().status();
  auto update = db.prepare("UPDATE devices SET online = 0, presence_changed_ms = ? WHERE online = 1");
  if (!update) return update.error();
  update.value().bind(1, at_ms);
  update.value().step();
  if (!update.value().status().isOk()) return update.value().status();
  HEARTH_RETURN_IF_ERROR(tx.commit());
  return dids;
}

core::Result<size_t> SqliteRegistry::countDevices() {
  std::lock_guard lock(impl_->mu);
  auto count = impl_->db->queryInteger("SELECT COUNT(*) FROM devices");
  if (!count) return count.error();
  return static_cast<size_t>(count.value());
}

core::Result<DeviceRecord> SqliteRegistry::deviceWithBindCode(std::string_view code_hash) {
  auto found =
      selectDevices("SELECT " + std::string(kDeviceColumns) + " FROM devices WHERE bind_code_hash = ?", code_hash);
  if (!found) return found.error();
  if (found.value().empty() || code_hash.empty()) return core::Status::notFound("no device with that bind code");
  return std::move(found.value().front());
}

core::Status SqliteRegistry::setBindCode(std::string_view did, std::string_view code_hash) {
  std::lock_guard lock(impl_->mu);
  return notFoundIfNone(impl_->db->run("UPDATE devices SET bind_code_hash = ? WHERE did = ?", code_hash, did), did);
}

core::Status SqliteRegistry::bindDevice(std::string_view did, int64_t home_id, int64_t room_id, std::string_view name,
                                        int64_t at_ms) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto pending = db.prepare("SELECT 1 FROM device_erasures WHERE did = ? AND erased = 0");
  if (!pending) return pending.error();
  pending.value().bind(1, did);
  if (pending.value().step()) {
    return core::Status::failedPrecondition("the history of device " + std::string(did) +
                                            " from its previous home is not erased yet");
  }
  if (!pending.value().status().isOk()) return pending.value().status();
  auto changed = db.run(
      "UPDATE devices SET home_id = ?, room_id = ?, name = ?, bound_at_ms = ? WHERE did = ? AND home_id = 0", home_id,
      room_id, name, at_ms, did);
  if (!changed) return changed.error();
  if (changed.value() == 1) {
    if (auto done = db.run("DELETE FROM device_erasures WHERE did = ?", did); !done) return done.error();
    return tx.commit();
  }
  auto exists = db.prepare("SELECT 1 FROM devices WHERE did = ?");
  if (!exists) return exists.error();
  exists.value().bind(1, did);
  if (exists.value().step()) return core::Status::failedPrecondition("device " + std::string(did) + " is bound already");
  if (!exists.value().status().isOk()) return exists.value().status();
  return core::Status::notFound("no device " + std::string(did));
}

core::Status SqliteRegistry::unbindDevice(std::string_view did) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  HEARTH_RETURN_IF_ERROR(forgetHousehold(db, "did = ?1 AND home_id != 0", did));
  HEARTH_RETURN_IF_ERROR(notFoundIfNone(
      db.run("UPDATE devices SET home_id = 0, room_id = 0, name = '', bound_at_ms = 0 WHERE did = ?", did), did));
  return tx.commit();
}

core::Result<std::vector<std::string>> SqliteRegistry::pendingErasures(size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT did FROM device_erasures WHERE erased = 0 ORDER BY did LIMIT ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, static_cast<int64_t>(limit));
  std::vector<std::string> dids;
  while (stmt.value().step()) dids.push_back(stmt.value().text(0));
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return dids;
}

core::Result<bool> SqliteRegistry::hasErasure(std::string_view did) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT 1 FROM device_erasures WHERE did = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, did);
  if (stmt.value().step()) return true;
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return false;
}

core::Status SqliteRegistry::erasureDone(std::string_view did) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  // A removed device is never bound again: its request is done with.
  for (const char* sql :
       {"UPDATE device_erasures SET erased = 1 WHERE did = ?1",
        "DELETE FROM device_erasures WHERE did = ?1 AND NOT EXISTS (SELECT 1 FROM devices WHERE did = ?1)"}) {
    if (auto done = db.run(sql, did); !done) return done.error();
  }
  return tx.commit();
}

core::Status SqliteRegistry::setDeviceRoom(std::string_view did, int64_t room_id) {
  std::lock_guard lock(impl_->mu);
  return notFoundIfNone(impl_->db->run("UPDATE devices SET room_id = ? WHERE did = ?", room_id, did), did);
}

core::Status SqliteRegistry::renameDevice(std::string_view did, std::string_view name) {
  std::lock_guard lock(impl_->mu);
  return notFoundIfNone(impl_->db->run("UPDATE devices SET name = ? WHERE did = ?", name, did), did);
}

core::Result<std::vector<DeviceRecord>> SqliteRegistry::devicesInHome(int64_t home_id, int64_t room_id,
                                                                      std::string_view after, size_t limit) {
  return selectDevices("SELECT " + std::string(kDeviceColumns) +
                           " FROM devices WHERE home_id = ?1 AND did > ?2 AND (?3 = 0 OR room_id = ?3) "
                           "ORDER BY did LIMIT ?4",
                       home_id, after, room_id, static_cast<int64_t>(limit));
}

}  // namespace hearth::store

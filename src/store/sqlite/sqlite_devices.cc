// The device half of SqliteRegistry.
#include <string>

#include "store/sqlite/registry_impl.h"

namespace hearth::store {

namespace {

constexpr std::string_view kDeviceColumns =
    "did, model, secret_hash, name, created_at_ms, online, presence_changed_ms, firmware_revision, serial_number";

DeviceRecord readDevice(const sqlite::Statement& s) {
  return DeviceRecord{s.text(0),    s.text(1),           s.text(2), s.text(3), s.integer(4), s.integer(5) != 0,
                      s.integer(6), {s.text(7), s.text(8)}};
}

}  // namespace

core::Status SqliteRegistry::addDevices(const std::vector<DeviceRecord>& devices) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto stmt = db.prepare("INSERT INTO devices (" + std::string(kDeviceColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  for (const DeviceRecord& d : devices) {
    s.reset();
    s.bind(1, d.did).bind(2, d.model).bind(3, d.secret_hash).bind(4, d.name).bind(5, d.created_at_ms);
    s.bind(6, int64_t{d.online ? 1 : 0}).bind(7, d.presence_changed_ms);
    s.bind(8, d.info.firmware_revision).bind(9, d.info.serial_number);
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
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kDeviceColumns) + " FROM devices WHERE did = ?");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, did);
  if (s.step()) return readDevice(s);
  if (!s.status().isOk()) return s.status();
  return core::Status::notFound("no device " + std::string(did));
}

core::Result<std::vector<DeviceRecord>> SqliteRegistry::listDevices(std::string_view after, size_t limit,
                                                                    std::string_view model) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kDeviceColumns) +
                                 " FROM devices WHERE did > ?1 AND (?2 = '' OR model = ?2) ORDER BY did LIMIT ?3");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, after).bind(2, model).bind(3, static_cast<int64_t>(limit));
  std::vector<DeviceRecord> out;
  while (s.step()) out.push_back(readDevice(s));
  if (!s.status().isOk()) return s.status();
  return out;
}

core::Status SqliteRegistry::removeDevice(std::string_view did) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto stmt = db.prepare("DELETE FROM devices WHERE did = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, did);
  stmt.value().step();
  if (!stmt.value().status().isOk()) return stmt.value().status();
  if (db.changes() == 0) return core::Status::notFound("no device " + std::string(did));
  auto outbox = db.prepare("DELETE FROM outbox WHERE did = ?");
  if (!outbox) return outbox.error();
  outbox.value().bind(1, did);
  outbox.value().step();
  if (!outbox.value().status().isOk()) return outbox.value().status();
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

}  // namespace hearth::store

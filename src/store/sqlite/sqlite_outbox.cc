// The command-outbox half of SqliteRegistry.
#include <string>

#include "store/sqlite/registry_impl.h"

namespace hearth::store {

core::Status SqliteRegistry::enqueue(const OutboxEntry& e) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare(
      "INSERT INTO outbox (did, request_id, payload, queued_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, e.did).bind(2, static_cast<int64_t>(e.request_id)).bind(3, e.payload).bind(4, e.queued_at_ms);
  s.bind(5, e.expires_at_ms);
  s.step();
  return s.status();
}

core::Result<OutboxClaim> SqliteRegistry::claim(std::string_view did, int64_t now_ms, uint32_t max_deliveries) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto select = db.prepare(
      "SELECT did, request_id, payload, queued_at_ms, expires_at_ms, deliveries FROM outbox "
      "WHERE did = ?1 AND expires_at_ms > ?2 AND failed = 0 ORDER BY seq");
  if (!select) return select.error();
  sqlite::Statement& s = select.value();
  s.bind(1, did).bind(2, now_ms);
  OutboxClaim out;
  while (s.step()) {
    OutboxEntry e{s.text(0), static_cast<uint64_t>(s.integer(1)), s.text(2), s.integer(3), s.integer(4),
                  static_cast<uint32_t>(s.integer(5))};
    if (e.deliveries >= max_deliveries) {
      out.failed.push_back(std::move(e));
    } else {
      ++e.deliveries;
      out.deliver.push_back(std::move(e));
    }
  }
  if (!s.status().isOk()) return s.status();
  // Failed first: the entries still counted below are those handed out now.
  auto failed = db.run(
      "UPDATE outbox SET failed = 1 WHERE did = ?1 AND expires_at_ms > ?2 AND failed = 0 AND deliveries >= ?3", did,
      now_ms, static_cast<int64_t>(max_deliveries));
  if (!failed) return failed.error();
  auto counted = db.run(
      "UPDATE outbox SET deliveries = deliveries + 1 WHERE did = ?1 AND expires_at_ms > ?2 AND failed = 0", did,
      now_ms);
  if (!counted) return counted.error();
  HEARTH_RETURN_IF_ERROR(tx.commit());
  return out;
}

core::Status SqliteRegistry::acknowledge(std::string_view did, uint64_t request_id) {
  std::lock_guard lock(impl_->mu);
  auto done = impl_->db->run("DELETE FROM outbox WHERE did = ?1 AND request_id = ?2", did,
                             static_cast<int64_t>(request_id));
  return done ? core::Status::ok() : done.error();
}

core::Result<size_t> SqliteRegistry::removeExpired(int64_t now_ms) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("DELETE FROM outbox WHERE expires_at_ms <= ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, now_ms);
  stmt.value().step();
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return static_cast<size_t>(impl_->db->changes());
}

core::Result<std::vector<std::string>> SqliteRegistry::devicesWithEntries() {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT DISTINCT did FROM outbox WHERE failed = 0 ORDER BY did");
  if (!stmt) return stmt.error();
  std::vector<std::string> dids;
  while (stmt.value().step()) dids.push_back(stmt.value().text(0));
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return dids;
}

}  // namespace hearth::store

// The audit log: SqliteRegistry's AuditStore half.
#include <string>

#include "store/sqlite/registry_impl.h"

namespace hearth::store {

core::Status SqliteRegistry::appendAudit(const std::vector<AuditRecord>& records) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto stmt =
      db.prepare("INSERT INTO audit_log (did, ts_ms, actor, action, detail, result) VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  for (const AuditRecord& r : records) {
    s.reset();
    s.bind(1, r.did).bind(2, r.ts_ms).bind(3, r.actor).bind(4, r.action).bind(5, r.detail_json).bind(6, r.result_json);
    s.step();
    if (!s.status().isOk()) return s.status();
  }
  return tx.commit();
}

core::Result<std::vector<AuditRecord>> SqliteRegistry::audit(std::string_view did, int64_t from_ms, int64_t to_ms,
                                                             size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare(
      "SELECT did, ts_ms, actor, action, detail, result FROM audit_log WHERE did = ? AND ts_ms >= ? AND ts_ms < ? "
      "ORDER BY ts_ms, id LIMIT ?");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, did).bind(2, from_ms).bind(3, to_ms).bind(4, static_cast<int64_t>(limit));
  std::vector<AuditRecord> out;
  while (s.step()) out.push_back(AuditRecord{s.text(0), s.integer(1), s.text(2), s.text(3), s.text(4), s.text(5)});
  if (!s.status().isOk()) return s.status();
  return out;
}

}  // namespace hearth::store

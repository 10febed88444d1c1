// Device shares: SqliteRegistry's ShareStore half.
#include <string>

#include "store/sqlite/registry_impl.h"

namespace hearth::store {

namespace {

constexpr std::string_view kShareColumns = "did, user_id, shared_by, until_ms, created_at_ms";

core::Result<std::vector<ShareRecord>> readShares(sqlite::Statement& s) {
  std::vector<ShareRecord> out;
  while (s.step()) out.push_back(ShareRecord{s.text(0), s.integer(1), s.integer(2), s.integer(3), s.integer(4)});
  if (!s.status().isOk()) return s.status();
  return out;
}

}  // namespace

core::Status SqliteRegistry::putShare(const ShareRecord& r) {
  std::lock_guard lock(impl_->mu);
  auto done = impl_->db->run("INSERT INTO device_shares (" + std::string(kShareColumns) +
                                 ") VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (did, user_id) DO UPDATE SET "
                                 "shared_by = ?3, until_ms = ?4, created_at_ms = ?5",
                             r.did, r.user_id, r.shared_by, r.until_ms, r.created_at_ms);
  return done ? core::Status::ok() : done.error();
}

core::Result<ShareRecord> SqliteRegistry::share(std::string_view did, int64_t user_id) {
  std::lock_guard lock(impl_->mu);
  auto stmt =
      impl_->db->prepare("SELECT " + std::string(kShareColumns) + " FROM device_shares WHERE did = ? AND user_id = ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, did).bind(2, user_id);
  auto found = readShares(stmt.value());
  if (!found) return found.error();
  if (found.value().empty()) return core::Status::notFound("no such share");
  return std::move(found.value().front());
}

core::Result<std::vector<ShareRecord>> SqliteRegistry::sharesOf(std::string_view did, int64_t after_user,
                                                                size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kShareColumns) +
                                 " FROM device_shares WHERE did = ? AND user_id > ? ORDER BY user_id LIMIT ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, did).bind(2, after_user).bind(3, static_cast<int64_t>(limit));
  return readShares(stmt.value());
}

core::Result<std::vector<ShareRecord>> SqliteRegistry::sharesWith(int64_t user_id, std::string_view after,
                                                                  size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT " + std::string(kShareColumns) +
                                 " FROM device_shares WHERE user_id = ? AND did > ? ORDER BY did LIMIT ?");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, user_id).bind(2, after).bind(3, static_cast<int64_t>(limit));
  return readShares(stmt.value());
}

core::Status SqliteRegistry::removeShare(std::string_view did, int64_t user_id) {
  std::lock_guard lock(impl_->mu);
  auto done = impl_->db->run("DELETE FROM device_shares WHERE did = ? AND user_id = ?", did, user_id);
  if (!done) return done.error();
  if (done.value() == 0) return core::Status::notFound("no such share");
  return core::Status::ok();
}

}  // namespace hearth::store

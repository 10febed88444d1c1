// Activity and the operators' figures: SqliteRegistry's StatsStore half.
#include <string>

#include "store/sqlite/registry_impl.h"

namespace hearth::store {

namespace {

constexpr int64_t kMonthDays = 30;

}  // namespace

core::Status SqliteRegistry::recordActivity(int64_t user_id, int64_t day) {
  std::lock_guard lock(impl_->mu);
  auto done = impl_->db->run("INSERT OR IGNORE INTO user_activity (day, user_id) VALUES (?, ?)", day, user_id);
  return done ? core::Status::ok() : done.error();
}

core::Status SqliteRegistry::removeActivityBefore(int64_t day) {
  std::lock_guard lock(impl_->mu);
  auto done = impl_->db->run("DELETE FROM user_activity WHERE day < ?", day);
  return done ? core::Status::ok() : done.error();
}

core::Result<PlatformCounts> SqliteRegistry::platformCounts(int64_t day) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  PlatformCounts out;
  // One read transaction: the figures agree with each other.
  HEARTH_RETURN_IF_ERROR(db.exec("BEGIN"));
  auto integer = [&db](std::string_view sql, uint64_t& into) -> core::Status {
    auto n = db.queryInteger(sql);
    if (!n) return n.error();
    into = static_cast<uint64_t>(n.value());
    return core::Status::ok();
  };
  core::Status s = integer("SELECT COUNT(*) FROM devices", out.devices);
  if (s.isOk()) s = integer("SELECT COUNT(*) FROM devices WHERE online = 1", out.devices_online);
  if (s.isOk()) s = integer("SELECT COUNT(*) FROM devices WHERE home_id != 0", out.devices_bound);
  if (s.isOk()) s = integer("SELECT COUNT(*) FROM users", out.users);
  if (s.isOk()) s = integer("SELECT COUNT(*) FROM homes", out.homes);
  if (s.isOk()) {
    s = integer(
        "SELECT COUNT(*) FROM (SELECT m.user_id FROM home_members m JOIN devices d ON d.home_id = m.home_id "
        "GROUP BY m.user_id HAVING COUNT(*) >= 5)",
        out.users_with_5_devices);
  }
  if (s.isOk()) {
    s = integer("SELECT COUNT(*) FROM user_activity WHERE day = " + std::to_string(day), out.daily_active_users);
  }
  if (s.isOk()) {
    s = integer("SELECT COUNT(DISTINCT user_id) FROM user_activity WHERE day > " + std::to_string(day - kMonthDays) +
                    " AND day <= " + std::to_string(day),
                out.monthly_active_users);
  }
  if (s.isOk()) {
    // A product's device type is the same in all its versions (its URN names it).
    auto stmt = db.prepare(
        "SELECT p.device_type, COUNT(*) FROM devices d JOIN (SELECT DISTINCT model, device_type FROM "
        "product_versions) p ON p.model = d.model GROUP BY p.device_type ORDER BY p.device_type");
    if (!stmt) {
      s = stmt.error();
    } else {
      while (stmt.value().step()) {
        out.devices_by_type.emplace_back(stmt.value().text(0), static_cast<uint64_t>(stmt.value().integer(1)));
      }
      s = stmt.value().status();
    }
  }
  (void)db.exec("COMMIT");
  if (!s.isOk()) return s;
  return out;
}

}  // namespace hearth::store

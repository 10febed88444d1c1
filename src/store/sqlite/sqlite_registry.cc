#include "hearth/store/sqlite_registry.h"

#include <mutex>
#include <optional>
#include <string>

#include "store/sqlite/registry_impl.h"

namespace hearth::store {

namespace {

constexpr const char* kAutoincrementMigration = R"sql(
    CREATE TABLE users_new (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      password_hash TEXT NOT NULL,
      admin INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL
    );
    INSERT INTO users_new SELECT id, email, password_hash, admin, created_at_ms FROM users;
    DROP TABLE users;
    ALTER TABLE users_new RENAME TO users;

    CREATE TABLE homes_new (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      owner_id INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL
    );
    INSERT INTO homes_new SELECT id, name, owner_id, created_at_ms FROM homes;
    DROP TABLE homes;
    ALTER TABLE homes_new RENAME TO homes;

    CREATE TABLE rooms_new (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      home_id INTEGER NOT NULL,
      name TEXT NOT NULL,
      created_at_ms INTEGER NOT NULL
    );
    INSERT INTO rooms_new SELECT id, home_id, name, created_at_ms FROM rooms;
    DROP TABLE rooms;
    ALTER TABLE rooms_new RENAME TO rooms;
    CREATE INDEX rooms_by_home ON rooms (home_id, id);

    CREATE TABLE invitations_new (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      home_id INTEGER NOT NULL,
      email TEXT NOT NULL,
      role TEXT NOT NULL,
      until_ms INTEGER NOT NULL,
      invited_by INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL,
      UNIQUE (home_id, email)
    );
    INSERT INTO invitations_new SELECT id, home_id, email, role, until_ms, invited_by, created_at_ms FROM invitations;
    DROP TABLE invitations;
    ALTER TABLE invitations_new RENAME TO invitations;
    CREATE INDEX invitations_by_email ON invitations (email, id);

    CREATE TABLE audit_log_new (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      did TEXT NOT NULL,
      ts_ms INTEGER NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      detail TEXT NOT NULL,
      result TEXT NOT NULL
    );
    INSERT INTO audit_log_new SELECT id, did, ts_ms, actor, action, detail, result FROM audit_log;
    DROP TABLE audit_log;
    ALTER TABLE audit_log_new RENAME TO audit_log;
    CREATE INDEX audit_by_device ON audit_log (did, ts_ms, id);

    DELETE FROM sqlite_sequence WHERE name IN ('users', 'homes', 'rooms', 'invitations', 'audit_log');
    INSERT INTO sqlite_sequence (name, seq) SELECT 'users', MAX(id) FROM (
      SELECT COALESCE(MAX(id), 0) AS id FROM users UNION ALL SELECT MAX(user_id) FROM sessions
      UNION ALL SELECT MAX(user_id) FROM home_members UNION ALL SELECT MAX(owner_id) FROM homes
      UNION ALL SELECT MAX(invited_by) FROM invitations UNION ALL SELECT MAX(user_id) FROM device_shares
      UNION ALL SELECT MAX(shared_by) FROM device_shares UNION ALL SELECT MAX(user_id) FROM user_activity);
    INSERT INTO sqlite_sequence (name, seq) SELECT 'homes', MAX(id) FROM (
      SELECT COALESCE(MAX(id), 0) AS id FROM homes UNION ALL SELECT MAX(home_id) FROM home_members
      UNION ALL SELECT MAX(home_id) FROM rooms UNION ALL SELECT MAX(home_id) FROM invitations
      UNION ALL SELECT MAX(home_id) FROM devices);
    INSERT INTO sqlite_sequence (name, seq) SELECT 'rooms', MAX(id) FROM (
      SELECT COALESCE(MAX(id), 0) AS id FROM rooms UNION ALL SELECT MAX(room_id) FROM devices);
    INSERT INTO sqlite_sequence (name, seq) SELECT 'invitations', COALESCE(MAX(id), 0) FROM invitations;
    INSERT INTO sqlite_sequence (name, seq) SELECT 'audit_log', COALESCE(MAX(id), 0) FROM audit_log;
    )sql";

// Each entry brings the schema from version i to i + 1; the file's PRAGMA user_version says how
// many have run. Entries are only ever appended.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE product_versions (
      model TEXT NOT NULL,
      version INTEGER NOT NULL,
      vendor TEXT NOT NULL,
      device_type TEXT NOT NULL,
      type_urn TEXT NOT NULL,
      instance_json TEXT NOT NULL,
      registered_at_ms INTEGER NOT NULL,
      PRIMARY KEY (model, version)
    ) WITHOUT ROWID;
    CREATE INDEX product_versions_by_type ON product_versions (device_type, model);
    )sql",
    R"sql(
    CREATE TABLE devices (
      did TEXT PRIMARY KEY,
      model TEXT NOT NULL,
      secret_hash TEXT NOT NULL,
      name TEXT NOT NULL,
      created_at_ms INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX devices_by_model ON devices (model, did);
    )sql",
    R"sql(
    ALTER TABLE devices ADD COLUMN online INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE devices ADD COLUMN presence_changed_ms INTEGER NOT NULL DEFAULT 0;
    )sql",
    R"sql(
    CREATE TABLE outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      did TEXT NOT NULL,
      request_id INTEGER NOT NULL,
      payload TEXT NOT NULL,
      queued_at_ms INTEGER NOT NULL,
      expires_at_ms INTEGER NOT NULL
    );
    CREATE INDEX outbox_by_device ON outbox (did, seq);
    CREATE INDEX outbox_by_expiry ON outbox (expires_at_ms);
    )sql",
    R"sql(
    CREATE TABLE product_retention (
      model TEXT PRIMARY KEY,
      days INTEGER NOT NULL
    ) WITHOUT ROWID;
    )sql",
    R"sql(
    ALTER TABLE devices ADD COLUMN firmware_revision TEXT NOT NULL DEFAULT '';
    ALTER TABLE devices ADD COLUMN serial_number TEXT NOT NULL DEFAULT '';
    )sql",
    R"sql(
    CREATE TABLE users (
      id INTEGER PRIMARY KEY,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      password_hash TEXT NOT NULL,
      admin INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL
    );
    CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      user_id INTEGER NOT NULL,
      access_hash TEXT NOT NULL UNIQUE,
      access_expires_ms INTEGER NOT NULL,
      refresh_hash TEXT NOT NULL UNIQUE,
      refresh_expires_ms INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_by_user ON sessions (user_id);
    )sql",
    R"sql(
    CREATE TABLE homes (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      owner_id INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL
    );
    CREATE TABLE home_members (
      home_id INTEGER NOT NULL,
      user_id INTEGER NOT NULL,
      role TEXT NOT NULL,
      until_ms INTEGER NOT NULL,
      added_at_ms INTEGER NOT NULL,
      PRIMARY KEY (home_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX home_members_by_user ON home_members (user_id, home_id);
    CREATE TABLE rooms (
      id INTEGER PRIMARY KEY,
      home_id INTEGER NOT NULL,
      name TEXT NOT NULL,
      created_at_ms INTEGER NOT NULL
    );
    CREATE INDEX rooms_by_home ON rooms (home_id, id);
    )sql",
    R"sql(
    CREATE TABLE invitations (
      id INTEGER PRIMARY KEY,
      home_id INTEGER NOT NULL,
      email TEXT NOT NULL,
      role TEXT NOT NULL,
      until_ms INTEGER NOT NULL,
      invited_by INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL,
      UNIQUE (home_id, email)
    );
    CREATE INDEX invitations_by_email ON invitations (email, id);
    )sql",
    R"sql(
    ALTER TABLE devices ADD COLUMN bind_code_hash TEXT NOT NULL DEFAULT '';
    ALTER TABLE devices ADD COLUMN home_id INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE devices ADD COLUMN room_id INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE devices ADD COLUMN bound_at_ms INTEGER NOT NULL DEFAULT 0;
    CREATE UNIQUE INDEX devices_by_bind_code ON devices (bind_code_hash) WHERE bind_code_hash != '';
    CREATE INDEX devices_by_home ON devices (home_id, did) WHERE home_id != 0;
    CREATE TABLE device_shares (
      did TEXT NOT NULL,
      user_id INTEGER NOT NULL,
      shared_by INTEGER NOT NULL,
      until_ms INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL,
      PRIMARY KEY (did, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX device_shares_by_user ON device_shares (user_id, did);
    )sql",
    R"sql(
    CREATE TABLE user_activity (
      day INTEGER NOT NULL,
      user_id INTEGER NOT NULL,
      PRIMARY KEY (day, user_id)
    ) WITHOUT ROWID;
    )sql",
    R"sql(
    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      did TEXT NOT NULL,
      ts_ms INTEGER NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      detail TEXT NOT NULL,
      result TEXT NOT NULL
    );
    CREATE INDEX audit_by_device ON audit_log (did, ts_ms, id);
    )sql",
    // Ids are never reused: tokens, invitations, caches and audit records name people, homes and
    // rooms by id, and a plain INTEGER PRIMARY KEY hands a deleted row's id to the next insert.
    // SQLite cannot alter a key to AUTOINCREMENT, so each table is rebuilt with its rows. The
    // counters then start above every id the registry still mentions anywhere, since rows deleted
    // before this version may live on as references.
    kAutoincrementMigration,
    // Leaving a home erases the device's history in another store, possibly another process:
    // the request is recorded with the registry change and kept until the device is bound again
    // (home::DeviceRelease). Devices unbound before this version may still carry a deleted
    // home's history (deleting a home did not erase it): each gets a request.
    R"sql(
    CREATE TABLE device_erasures (
      did TEXT PRIMARY KEY,
      erased INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO device_erasures (did, erased) SELECT did, 0 FROM devices WHERE home_id = 0;
    )sql",
    // Queued commands are claimed, delivered and deleted when the device answers; a claim that
    // was never answered is delivered again, up to a bound, then marked failed.
    R"sql(
    ALTER TABLE outbox ADD COLUMN deliveries INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE outbox ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
    )sql",
};

core::Status migrate(sqlite::Database& db) {
  auto current = db.userVersion();
  if (!current) return current.error();
  const int64_t target = static_cast<int64_t>(std::size(kMigrations));
  if (current.value() > target) {
    return core::Status::failedPrecondition("the registry was written by a newer Hearth (schema " +
                                            std::to_string(current.value()) + ")");
  }
  for (int64_t v = current.value(); v < target; ++v) {
    sqlite::Transaction tx(db);
    if (!tx.begun().isOk()) return tx.begun();
    HEARTH_RETURN_IF_ERROR(db.exec(kMigrations[v]));
    HEARTH_RETURN_IF_ERROR(db.exec("PRAGMA user_version = " + std::to_string(v + 1)));
    HEARTH_RETURN_IF_ERROR(tx.commit());
  }
  return core::Status::ok();
}

constexpr std::string_view kVersionColumns =
    "model, version, vendor, device_type, type_urn, instance_json, registered_at_ms";

ProductVersion readVersion(const sqlite::Statement& s) {
  return ProductVersion{s.text(0), static_cast<uint32_t>(s.integer(1)), s.text(2), s.text(3), s.text(4), s.text(5),
                        s.integer(6)};
}

}  // namespace

core::Result<ProductVersion> SqliteRegistry::Impl::oneVersion(std::string_view sql, std::string_view model,
                                                            std::optional<uint32_t> version) {
  std::lock_guard lock(mu);
  auto stmt = db->prepare(sql);
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, model);
  if (version) s.bind(2, static_cast<int64_t>(*version));
  if (s.step()) return readVersion(s);
  if (!s.status().isOk()) return s.status();
  return core::Status::notFound("no product " + std::string(model) +
                                (version ? " version " + std::to_string(*version) : std::string()));
}

SqliteRegistry::SqliteRegistry(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteRegistry::~SqliteRegistry() = default;

core::Result<std::unique_ptr<SqliteRegistry>> SqliteRegistry::open(const std::filesystem::path& path) {
  auto db = sqlite::Database::open(path.string());
  if (!db) return core::Status(db.error().code(), path.string() + ": " + db.error().message());
  core::Status migrated = migrate(*db.value());
  if (!migrated.isOk()) return core::Status(migrated.code(), path.string() + ": " + migrated.message());
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db).value();
  return std::unique_ptr<SqliteRegistry>(new SqliteRegistry(std::move(impl)));
}

core::Status SqliteRegistry::addVersions(const std::vector<ProductVersion>& versions) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  sqlite::Transaction tx(db);
  if (!tx.begun().isOk()) return tx.begun();
  auto stmt = db.prepare("INSERT INTO product_versions (" + std::string(kVersionColumns) +
                         ") VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  for (const ProductVersion& v : versions) {
    s.reset();
    s.bind(1, v.model).bind(2, static_cast<int64_t>(v.version)).bind(3, v.vendor).bind(4, v.device_type);
    s.bind(5, v.type_urn).bind(6, v.instance_json).bind(7, v.registered_at_ms);
    s.step();
    if (!s.status().isOk()) {
      if (s.status().code() == core::StatusCode::kAlreadyExists) {
        return core::Status::alreadyExists("product " + v.model + " version " + std::to_string(v.version) +
                                           " is registered already");
      }
      return s.status();
    }
  }
  return tx.commit();
}

core::Result<ProductVersion> SqliteRegistry::latest(std::string_view model) {
  return impl_->oneVersion("SELECT " + std::string(kVersionColumns) +
                               " FROM product_versions WHERE model = ? ORDER BY version DESC LIMIT 1",
                           model, std::nullopt);
}

core::Result<uint32_t> SqliteRegistry::latestVersionNumber(std::string_view model) {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT version FROM product_versions WHERE model = ? ORDER BY version DESC LIMIT 1");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, model);
  if (stmt.value().step()) return static_cast<uint32_t>(stmt.value().integer(0));
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return core::Status::notFound("no product " + std::string(model));
}

core::Result<ProductVersion> SqliteRegistry::version(std::string_view model, uint32_t version) {
  return impl_->oneVersion(
      "SELECT " + std::string(kVersionColumns) + " FROM product_versions WHERE model = ? AND version = ?", model,
      version);
}

core::Result<std::vector<ProductSummary>> SqliteRegistry::list(std::string_view after, size_t limit) {
  std::lock_guard lock(impl_->mu);
  // With MAX(), SQLite takes the other bare columns from the row holding the maximum: the
  // latest version's vendor and type.
  auto stmt = impl_->db->prepare(
      "SELECT model, vendor, device_type, MAX(version), COUNT(*) FROM product_versions WHERE model > ? "
      "GROUP BY model ORDER BY model LIMIT ?");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  s.bind(1, after).bind(2, static_cast<int64_t>(limit));
  std::vector<ProductSummary> out;
  while (s.step()) {
    out.push_back(ProductSummary{s.text(0), s.text(1), s.text(2), static_cast<uint32_t>(s.integer(3)),
                                 static_cast<uint32_t>(s.integer(4))});
  }
  if (!s.status().isOk()) return s.status();
  return out;
}

core::Result<size_t> SqliteRegistry::countProducts() {
  std::lock_guard lock(impl_->mu);
  auto count = impl_->db->queryInteger("SELECT COUNT(DISTINCT model) FROM product_versions");
  if (!count) return count.error();
  return static_cast<size_t>(count.value());
}

core::Result<std::vector<std::pair<std::string, size_t>>> SqliteRegistry::countByDeviceType() {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare(
      "SELECT device_type, COUNT(DISTINCT model) FROM product_versions GROUP BY device_type ORDER BY device_type");
  if (!stmt) return stmt.error();
  sqlite::Statement& s = stmt.value();
  std::vector<std::pair<std::string, size_t>> out;
  while (s.step()) out.emplace_back(s.text(0), static_cast<size_t>(s.integer(1)));
  if (!s.status().isOk()) return s.status();
  return out;
}

core::Status SqliteRegistry::setRetentionDays(std::string_view model, std::optional<uint32_t> days) {
  std::lock_guard lock(impl_->mu);
  sqlite::Database& db = *impl_->db;
  auto known = db.prepare("SELECT 1 FROM product_versions WHERE model = ? LIMIT 1");
  if (!known) return known.error();
  known.value().bind(1, model);
  if (!known.value().step()) {
    if (!known.value().status().isOk()) return known.value().status();
    return core::Status::notFound("no product " + std::string(model));
  }
  auto stmt = days ? db.prepare("INSERT INTO product_retention (model, days) VALUES (?1, ?2) "
                                "ON CONFLICT (model) DO UPDATE SET days = ?2")
                   : db.prepare("DELETE FROM product_retention WHERE model = ?1");
  if (!stmt) return stmt.error();
  stmt.value().bind(1, model);
  if (days) stmt.value().bind(2, static_cast<int64_t>(*days));
  stmt.value().step();
  return stmt.value().status();
}

core::Result<std::vector<std::pair<std::string, uint32_t>>> SqliteRegistry::retentionOverrides() {
  std::lock_guard lock(impl_->mu);
  auto stmt = impl_->db->prepare("SELECT model, days FROM product_retention ORDER BY model");
  if (!stmt) return stmt.error();
  std::vector<std::pair<std::string, uint32_t>> out;
  while (stmt.value().step()) out.emplace_back(stmt.value().text(0), static_cast<uint32_t>(stmt.value().integer(1)));
  if (!stmt.value().status().isOk()) return stmt.value().status();
  return out;
}

std::filesystem::path registryPath(const std::filesystem::path& data_dir) { return data_dir / "registry.sqlite3"; }

}  // namespace hearth::store

#include "store/sqlite/database.h"

#include <string>

namespace hearth::store::sqlite {

namespace {

core::Status statusOf(sqlite3* db, int code) {
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return core::Status::corruption("sqlite: " + message);
    case SQLITE_CONSTRAINT: return core::Status::alreadyExists("sqlite: " + message);
    default: return core::Status::ioError("sqlite: " + message);
  }
}

}  // namespace

Statement& Statement::bind(int index, std::string_view text) {
  // SQLite binds a null pointer as NULL, not as "": an empty view may have one.
  const char* data = text.data() == nullptr ? "" : text.data();
  int rc = sqlite3_bind_text(stmt_.get(), index, data, static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && status_.isOk()) status_ = statusOf(db_, rc);
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  if (rc != SQLITE_OK && status_.isOk()) status_ = statusOf(db_, rc);
  return *this;
}

Statement& Statement::bindReal(int index, double value) {
  int rc = sqlite3_bind_double(stmt_.get(), index, value);
  if (rc != SQLITE_OK && status_.isOk()) status_ = statusOf(db_, rc);
  return *this;
}

Statement& Statement::bindNull(int index) {
  int rc = sqlite3_bind_null(stmt_.get(), index);
  if (rc != SQLITE_OK && status_.isOk()) status_ = statusOf(db_, rc);
  return *this;
}

bool Statement::step() {
  if (!status_.isOk()) return false;
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = statusOf(db_, rc);
  return false;
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  status_ = core::Status::ok();
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_.get(), column); }

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), column));
  return data != nullptr ? std::string(data, static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), column)))
                         : std::string();
}

double Statement::real(int column) const { return sqlite3_column_double(stmt_.get(), column); }

core::Result<std::unique_ptr<Database>> Database::open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  std::unique_ptr<Database> db(new Database(raw));
  if (rc != SQLITE_OK) return statusOf(raw, rc);
  sqlite3_busy_timeout(raw, 5000);  // another process (the CLI) may hold the write lock briefly
  sqlite3_extended_result_codes(raw, 1);
  core::Status s = db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  if (!s.isOk()) return s;
  return db;
}

core::Status Database::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return core::Status::ok();
  core::Status s = statusOf(db_.get(), rc);
  sqlite3_free(message);
  return s;
}

core::Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return statusOf(db_.get(), rc);
  return Statement(db_.get(), stmt);
}

core::Result<int64_t> Database::queryInteger(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  if (!stmt.value().step()) {
    if (!stmt.value().status().isOk()) return stmt.value().status();
    return core::Status::internal("no row from " + std::string(sql));
  }
  return stmt.value().integer(0);
}

Transaction::Transaction(Database& db) : db_(db), begun_(db.exec("BEGIN IMMEDIATE")) {}

Transaction::~Transaction() {
  if (begun_.isOk() && !done_) (void)db_.exec("ROLLBACK");
}

core::Status Transaction::commit() {
  if (!begun_.isOk()) return begun_;
  core::Status s = db_.exec("COMMIT");
  if (s.isOk()) done_ = true;
  return s;
}

}  // namespace hearth::store::sqlite

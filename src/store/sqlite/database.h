// A thin RAII layer over the SQLite C API: a connection, prepared statements with typed binds,
// and transactions. Only what Hearth's embedded stores use.
//
// Ownership: Database owns its sqlite3 handle; a Statement must not outlive its Database.
// Thread-safety: none; callers serialise access to one Database (the stores hold a mutex).
// Errors: Status with kIoError (kCorruption for SQLITE_CORRUPT/NOTADB, kAlreadyExists for a
// constraint violation) and SQLite's message; never throws.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "hearth/core/status.h"

namespace hearth::store::sqlite {

class Statement {
 public:
  Statement() = default;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, int64_t value);
  // Named apart from bind(): an overload on double would make bind(i, uint32_t) ambiguous.
  Statement& bindReal(int index, double value);
  Statement& bindNull(int index);
  // Runs to the next row: true with a row to read, false when done; errors in status().
  bool step();
  // Resets for another run with new binds; keeps the compiled statement.
  void reset();
  const core::Status& status() const { return status_; }

  int64_t integer(int column) const;
  std::string text(int column) const;
  double real(int column) const;

 private:
  friend class Database;
  struct Finalize {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  sqlite3* db_ = nullptr;
  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
  core::Status status_;
};

class Database {
 public:
  // Opens (creating) the file in WAL mode with synchronous=NORMAL: a commit survives a process
  // crash, and the last commits before a power loss may be lost but never corrupt the file.
  static core::Result<std::unique_ptr<Database>> open(const std::string& path);

  // Runs one or more statements without results (schema, pragmas).
  core::Status exec(std::string_view sql);
  core::Result<Statement> prepare(std::string_view sql);

  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t changes() const { return sqlite3_changes64(db_.get()); }
  int64_t lastInsertRowid() const { return sqlite3_last_insert_rowid(db_.get()); }

  // Prepares `sql`, binds `args` (strings or int64_t) to ?1, ?2, ... in order and runs it to the
  // end: for an INSERT, UPDATE or DELETE. The number of rows it changed.
  template <typename... Args>
  core::Result<int64_t> run(std::string_view sql, const Args&... args) {
    auto stmt = prepare(sql);
    if (!stmt) return stmt.error();
    int index = 0;
    (stmt.value().bind(++index, args), ...);
    stmt.value().step();
    if (!stmt.value().status().isOk()) return stmt.value().status();
    return changes();
  }

  // The first column of the one row `sql` returns (a COUNT, a PRAGMA); kInternal if no row.
  core::Result<int64_t> queryInteger(std::string_view sql);
  // PRAGMA user_version: the schema version the stores' migrations keep.
  core::Result<int64_t> userVersion() { return queryInteger("PRAGMA user_version"); }

 private:
  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  explicit Database(sqlite3* db) : db_(db) {}

  std::unique_ptr<sqlite3, Close> db_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const core::Status& begun() const { return begun_; }
  core::Status commit();

 private:
  Database& db_;
  core::Status begun_;
  bool done_ = false;
};

}  // namespace hearth::store::sqlite

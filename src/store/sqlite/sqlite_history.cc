// The SQLite history engine: one WAL-mode file, samples clustered by (did, siid, piid, ts) so a
// property's series is one contiguous b-tree range, and an index on ts for global retention.
//
// Two connections: the writer thread's (also used by retention, under write_mu_) and the
// queries' (under read_mu_). WAL lets queries read a consistent snapshot while a batch commits.
#include <algorithm>
#include <limits>
#include <mutex>
#include <utility>

#include "hearth/store/embedded_history.h"
#include "store/history/downsample.h"
#include "store/history/append_writer.h"
#include "store/sqlite/database.h"

namespace hearth::store {
namespace {

using sqlite::Database;
using sqlite::Statement;

constexpr int64_t kSchemaVersion = 1;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS samples(
  did TEXT NOT NULL, siid INTEGER NOT NULL, piid INTEGER NOT NULL, ts INTEGER NOT NULL,
  num REAL, value TEXT NOT NULL,
  PRIMARY KEY (did, siid, piid, ts)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS samples_ts ON samples(ts);
CREATE TABLE IF NOT EXISTS events(
  did TEXT NOT NULL, ts INTEGER NOT NULL, siid INTEGER NOT NULL, eiid INTEGER NOT NULL,
  arguments TEXT NOT NULL,
  PRIMARY KEY (did, ts, siid, eiid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_ts ON events(ts);
CREATE TABLE IF NOT EXISTS latest(
  did TEXT NOT NULL, siid INTEGER NOT NULL, piid INTEGER NOT NULL, ts INTEGER NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (did, siid, piid)) WITHOUT ROWID;
PRAGMA user_version = 1;
)sql";

// SQLite binds signed 64-bit integers; a limit beyond that is "no limit".
int64_t sqlLimit(size_t limit) {
  return static_cast<int64_t>(std::min<size_t>(limit, std::numeric_limits<int64_t>::max()));
}

std::string_view synchronousPragma(HistoryDurability durability) {
  switch (durability) {
    case HistoryDurability::kAsync: return "PRAGMA synchronous=OFF";
    case HistoryDurability::kCommit: return "PRAGMA synchronous=NORMAL";
    case HistoryDurability::kFsync: return "PRAGMA synchronous=FULL";
  }
  return "PRAGMA synchronous=NORMAL";
}

// Resets a cached statement when a query ends, so it stops holding its read snapshot (which would
// keep WAL checkpoints from completing) even when the query stopped early.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& stmt) : stmt_(stmt) { stmt_.reset(); }
  ~ResetOnExit() { stmt_.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement& stmt_;
};

struct WriteStatements {
  Statement insert_sample;
  Statement upsert_latest;
  Statement insert_event;
  Statement delete_samples;
  Statement delete_events;
  Statement delete_device_samples;
  Statement delete_device_events;
  Statement forget_samples;
  Statement forget_events;
  Statement forget_latest;
};

struct ReadStatements {
  Statement range;
  Statement latest;
  Statement downsample;
  Statement events;
};

core::Status prepareInto(Database& db, Statement& into, std::string_view sql) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.error();
  into = std::move(stmt).value();
  return core::Status::ok();
}

core::Result<WriteStatements> prepareWrites(Database& db) {
  WriteStatements w;
  HEARTH_RETURN_IF_ERROR(prepareInto(db, w.insert_sample,
                                     "INSERT OR REPLACE INTO samples(did, siid, piid, ts, num, value) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, w.upsert_latest,
                                     "INSERT OR REPLACE INTO latest(did, siid, piid, ts, value) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5)"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, w.insert_event,
                                     "INSERT OR REPLACE INTO events(did, ts, siid, eiid, arguments) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5)"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, w.delete_samples, "DELETE FROM samples WHERE ts < ?1"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, w.delete_events, "DELETE FROM events WHERE ts < ?1"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, w.delete_device_samples, "DELETE FROM samples WHERE did = ?1 AND ts < ?2"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, w.delete_device_events, "DELETE FROM events WHERE did = ?1 AND ts < ?2"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, w.forget_samples, "DELETE FROM samples WHERE did = ?1"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, w.forget_events, "DELETE FROM events WHERE did = ?1"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, w.forget_latest, "DELETE FROM latest WHERE did = ?1"));
  return w;
}

core::Result<ReadStatements> prepareReads(Database& db) {
  ReadStatements r;
  HEARTH_RETURN_IF_ERROR(prepareInto(db, r.range,
                                     "SELECT ts, value FROM samples WHERE did = ?1 AND siid = ?2 AND piid = ?3 "
                                     "AND ts >= ?4 AND ts < ?5 ORDER BY ts LIMIT ?6"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, r.latest,
                                     "SELECT siid, piid, ts, value FROM latest WHERE did = ?1 ORDER BY siid, piid"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, r.downsample,
                                     "SELECT ts, num FROM samples WHERE did = ?1 AND siid = ?2 AND piid = ?3 "
                                     "AND ts >= ?4 AND ts < ?5 AND num IS NOT NULL ORDER BY ts"));
  HEARTH_RETURN_IF_ERROR(prepareInto(db, r.events,
                                     "SELECT ts, siid, eiid, arguments FROM events WHERE did = ?1 "
                                     "AND ts >= ?2 AND ts < ?3 ORDER BY ts, siid, eiid LIMIT ?4"));
  return r;
}

class SqliteHistory final : public HistoryStore {
 public:
  SqliteHistory(std::unique_ptr<Database> write_db, WriteStatements writes, std::unique_ptr<Database> read_db,
                ReadStatements reads)
      : write_db_(std::move(write_db)),
        writes_(std::move(writes)),
        read_db_(std::move(read_db)),
        reads_(std::move(reads)),
        writer_([this](const std::vector<history::PendingAppend>& batch) { return commit(batch); }) {}

  void append(std::vector<PropertySample> samples, std::vector<EventRecord> events, Done done) override {
    writer_.submit(history::PendingAppend{std::move(samples), std::move(events), std::move(done)});
  }

  core::Result<std::vector<PropertySample>> range(std::string_view did, uint32_t siid, uint32_t piid, int64_t from_ms,
                                                  int64_t to_ms, size_t limit) override {
    std::lock_guard lock(read_mu_);
    Statement& q = reads_.range;
    ResetOnExit reset(q);
    q.bind(1, did)
        .bind(2, int64_t{siid})
        .bind(3, int64_t{piid})
        .bind(4, from_ms)
        .bind(5, to_ms)
        .bind(6, sqlLimit(limit));
    std::vector<PropertySample> out;
    while (q.step()) out.push_back(PropertySample{std::string(did), siid, piid, q.integer(0), q.text(1)});
    if (!q.status().isOk()) return q.status();
    return out;
  }

  core::Result<std::vector<Bucket>> downsample(std::string_view did, uint32_t siid, uint32_t piid, int64_t from_ms,
                                               int64_t to_ms, uint32_t points) override {
    auto sampler = history::Downsampler::make(from_ms, to_ms, points);
    if (!sampler) return sampler.error();
    std::lock_guard lock(read_mu_);
    Statement& q = reads_.downsample;
    ResetOnExit reset(q);
    q.bind(1, did).bind(2, int64_t{siid}).bind(3, int64_t{piid}).bind(4, from_ms).bind(5, to_ms);
    while (q.step()) sampler->add(q.integer(0), q.real(1));
    if (!q.status().isOk()) return q.status();
    return std::move(sampler).value().finish();
  }

  core::Result<std::vector<PropertySample>> latest(std::string_view did) override {
    std::lock_guard lock(read_mu_);
    Statement& q = reads_.latest;
    ResetOnExit reset(q);
    q.bind(1, did);
    std::vector<PropertySample> out;
    while (q.step()) {
      out.push_back(PropertySample{std::string(did), static_cast<uint32_t>(q.integer(0)),
                                   static_cast<uint32_t>(q.integer(1)), q.integer(2), q.text(3)});
    }
    if (!q.status().isOk()) return q.status();
    return out;
  }

  core::Result<std::vector<EventRecord>> events(std::string_view did, int64_t from_ms, int64_t to_ms,
                                                size_t limit) override {
    std::lock_guard lock(read_mu_);
    Statement& q = reads_.events;
    ResetOnExit reset(q);
    q.bind(1, did).bind(2, from_ms).bind(3, to_ms).bind(4, sqlLimit(limit));
    std::vector<EventRecord> out;
    while (q.step()) {
      out.push_back(EventRecord{std::string(did), static_cast<uint32_t>(q.integer(1)),
                                static_cast<uint32_t>(q.integer(2)), q.integer(0), q.text(3)});
    }
    if (!q.status().isOk()) return q.status();
    return out;
  }

  core::Status deleteBefore(int64_t cutoff_ms) override {
    std::lock_guard lock(write_mu_);
    sqlite::Transaction tx(*write_db_);
    HEARTH_RETURN_IF_ERROR(tx.begun());
    for (Statement* stmt : {&writes_.delete_samples, &writes_.delete_events}) {
      ResetOnExit reset(*stmt);
      stmt->bind(1, cutoff_ms).step();
      HEARTH_RETURN_IF_ERROR(stmt->status());
    }
    return tx.commit();
  }

  core::Status deleteBefore(std::string_view did, int64_t cutoff_ms) override {
    std::lock_guard lock(write_mu_);
    sqlite::Transaction tx(*write_db_);
    HEARTH_RETURN_IF_ERROR(tx.begun());
    for (Statement* stmt : {&writes_.delete_device_samples, &writes_.delete_device_events}) {
      ResetOnExit reset(*stmt);
      stmt->bind(1, did).bind(2, cutoff_ms).step();
      HEARTH_RETURN_IF_ERROR(stmt->status());
    }
    return tx.commit();
  }

  core::Status removeDevice(std::string_view did) override {
    std::lock_guard lock(write_mu_);
    sqlite::Transaction tx(*write_db_);
    HEARTH_RETURN_IF_ERROR(tx.begun());
    for (Statement* stmt : {&writes_.forget_samples, &writes_.forget_events, &writes_.forget_latest}) {
      ResetOnExit reset(*stmt);
      stmt->bind(1, did).step();
      HEARTH_RETURN_IF_ERROR(stmt->status());
    }
    return tx.commit();
  }

 private:
  // Runs on the writer thread: the whole batch in one transaction, so one WAL commit covers it.
  core::Status commit(const std::vector<history::PendingAppend>& batch) {
    std::lock_guard lock(write_mu_);
    sqlite::Transaction tx(*write_db_);
    HEARTH_RETURN_IF_ERROR(tx.begun());
    Statement& sample = writes_.insert_sample;
    Statement& event = writes_.insert_event;
    for (const history::PendingAppend& append : batch) {
      for (const PropertySample& s : append.samples) {
        ResetOnExit reset(sample);
        sample.bind(1, s.did).bind(2, int64_t{s.siid}).bind(3, int64_t{s.piid}).bind(4, s.ts_ms).bind(6, s.value_json);
        if (auto number = history::numericValue(s.value_json)) {
          sample.bindReal(5, *number);
        } else {
          sample.bindNull(5);
        }
        sample.step();
        HEARTH_RETURN_IF_ERROR(sample.status());
        Statement& latest = writes_.upsert_latest;
        ResetOnExit reset_latest(latest);
        latest.bind(1, s.did).bind(2, int64_t{s.siid}).bind(3, int64_t{s.piid}).bind(4, s.ts_ms).bind(5, s.value_json);
        latest.step();
        HEARTH_RETURN_IF_ERROR(latest.status());
      }
      for (const EventRecord& e : append.events) {
        ResetOnExit reset(event);
        event.bind(1, e.did)
            .bind(2, e.ts_ms)
            .bind(3, int64_t{e.siid})
            .bind(4, int64_t{e.eiid})
            .bind(5, e.arguments_json);
        event.step();
        HEARTH_RETURN_IF_ERROR(event.status());
      }
    }
    return tx.commit();
  }

  std::mutex write_mu_;
  std::unique_ptr<Database> write_db_;
  WriteStatements writes_;
  std::mutex read_mu_;
  std::unique_ptr<Database> read_db_;
  ReadStatements reads_;
  history::AppendWriter writer_;  // last: destroyed first, finishing queued appends
};

core::Status migrate(Database& db) {
  auto version = db.userVersion();
  if (!version) return version.error();
  if (version.value() > kSchemaVersion) {
    return core::Status::failedPrecondition("history schema version " + std::to_string(version.value()) +
                                            " is newer than this Hearth's " + std::to_string(kSchemaVersion));
  }
  if (version.value() == kSchemaVersion) return core::Status::ok();
  sqlite::Transaction tx(db);
  HEARTH_RETURN_IF_ERROR(tx.begun());
  HEARTH_RETURN_IF_ERROR(db.exec(kSchema));
  return tx.commit();
}

}  // namespace

core::Result<std::unique_ptr<HistoryStore>> openSqliteHistory(const std::string& path, const HistoryOptions& options) {
  auto write_db = Database::open(path);
  if (!write_db) return write_db.error();
  HEARTH_RETURN_IF_ERROR(write_db.value()->exec(synchronousPragma(options.durability)));
  HEARTH_RETURN_IF_ERROR(migrate(*write_db.value()));
  auto writes = prepareWrites(*write_db.value());
  if (!writes) return writes.error();
  auto read_db = Database::open(path);
  if (!read_db) return read_db.error();
  auto reads = prepareReads(*read_db.value());
  if (!reads) return reads.error();
  return std::unique_ptr<HistoryStore>(new SqliteHistory(std::move(write_db).value(), std::move(writes).value(),
                                                         std::move(read_db).value(), std::move(reads).value()));
}

}  // namespace hearth::store

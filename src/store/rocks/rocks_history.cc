// The RocksDB history engine: one directory, keys laid out (history_keys.h) so that every query is
// one bounded forward scan and retention is one DeleteRange per series.
//
// RocksDB is thread-safe: queries read the latest committed state without a lock while the
// writer thread commits batches; retention writes its range deletions from the caller's thread.
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <limits>
#include <utility>

#include "hearth/store/embedded_history.h"
#include "store/history/downsample.h"
#include "store/history/group_commit.h"
#include "store/rocks/history_keys.h"

namespace hearth::store {
namespace {

using rocks::appendTimestamp;

core::Status statusOf(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return core::Status::ok();
  std::string message = "history " + std::string(what) + ": " + s.ToString();
  return s.IsCorruption() ? core::Status::corruption(std::move(message)) : core::Status::ioError(std::move(message));
}

// A scan over [begin, end): the upper bound lets RocksDB stop at the end of the series instead of
// reading on into the next one (and skip range tombstones beyond it).
class Scan {
 public:
  Scan(rocksdb::DB& db, std::string begin, std::string end) : begin_(std::move(begin)), end_(std::move(end)) {
    bound_ = rocksdb::Slice(end_);
    rocksdb::ReadOptions options;
    options.iterate_upper_bound = &bound_;
    it_.reset(db.NewIterator(options));
    it_->Seek(begin_);
  }

  bool valid() const { return it_->Valid(); }
  void next() { it_->Next(); }
  void seek(const std::string& key) { it_->Seek(key); }
  std::string_view key() const { return {it_->key().data(), it_->key().size()}; }
  std::string_view value() const { return {it_->value().data(), it_->value().size()}; }
  core::Status status() const { return statusOf(it_->status(), "scan"); }

 private:
  std::string begin_;
  std::string end_;
  rocksdb::Slice bound_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

std::string seriesKey(std::string_view did, uint32_t siid, uint32_t piid, int64_t ts_ms) {
  std::string key = rocks::seriesPrefix(did, siid, piid);
  appendTimestamp(key, ts_ms);
  return key;
}

std::string eventKey(std::string_view did, int64_t ts_ms) {
  std::string key = rocks::devicePrefix(rocks::kEventTag, did);
  appendTimestamp(key, ts_ms);
  return key;
}

class RocksHistory final : public HistoryStore {
 public:
  RocksHistory(std::unique_ptr<rocksdb::DB> db, HistoryDurability durability)
      : db_(std::move(db)),
        durability_(durability),
        writer_([this](const std::deque<history::PendingAppend>& batch) { return commit(batch); }) {}

  void append(std::vector<PropertySample> samples, std::vector<EventRecord> events, Done done) override {
    writer_.submit(history::PendingAppend{std::move(samples), std::move(events), std::move(done)});
  }

  core::Result<std::vector<PropertySample>> range(std::string_view did, uint32_t siid, uint32_t piid, int64_t from_ms,
                                                  int64_t to_ms, size_t limit) override {
    std::vector<PropertySample> out;
    if (to_ms <= from_ms) return out;
    Scan scan(*db_, seriesKey(did, siid, piid, from_ms), seriesKey(did, siid, piid, to_ms));
    for (; scan.valid() && out.size() < limit; scan.next()) {
      std::optional<double> number;
      std::string_view value;
      if (!rocks::decodeSampleValue(scan.value(), number, value)) return corrupt(scan.key());
      out.push_back(PropertySample{std::string(did), siid, piid, rocks::timestampAt(scan.key(), scan.key().size() - 8),
                                   std::string(value)});
    }
    HEARTH_RETURN_IF_ERROR(scan.status());
    return out;
  }

  core::Result<std::vector<Bucket>> downsample(std::string_view did, uint32_t siid, uint32_t piid, int64_t from_ms,
                                               int64_t to_ms, uint32_t points) override {
    auto sampler = history::Downsampler::make(from_ms, to_ms, points);
    if (!sampler) return sampler.error();
    if (to_ms <= from_ms) return std::vector<Bucket>();
    Scan scan(*db_, seriesKey(did, siid, piid, from_ms), seriesKey(did, siid, piid, to_ms));
    for (; scan.valid(); scan.next()) {
      std::optional<double> number;
      std::string_view value;
      if (!rocks::decodeSampleValue(scan.value(), number, value)) return corrupt(scan.key());
      if (number) sampler->add(rocks::timestampAt(scan.key(), scan.key().size() - 8), *number);
    }
    HEARTH_RETURN_IF_ERROR(scan.status());
    return std::move(sampler).value().finish();
  }

  core::Result<std::vector<EventRecord>> events(std::string_view did, int64_t from_ms, int64_t to_ms,
                                                size_t limit) override {
    std::vector<EventRecord> out;
    if (to_ms <= from_ms) return out;
    Scan scan(*db_, eventKey(did, from_ms), eventKey(did, to_ms));
    for (; scan.valid() && out.size() < limit; scan.next()) {
      std::string_view key = scan.key();
      if (key.size() != 2 + did.size() + 16) return corrupt(key);
      const size_t pos = 2 + did.size();
      out.push_back(EventRecord{std::string(did), rocks::u32At(key, pos + 8), rocks::u32At(key, pos + 12),
                                rocks::timestampAt(key, pos), std::string(scan.value())});
    }
    HEARTH_RETURN_IF_ERROR(scan.status());
    return out;
  }

  core::Status deleteBefore(int64_t cutoff_ms) override {
    rocksdb::WriteBatch batch;
    HEARTH_RETURN_IF_ERROR(deleteSeriesBefore(std::string(1, rocks::kSampleTag), cutoff_ms, batch));
    HEARTH_RETURN_IF_ERROR(deleteEventsBefore(cutoff_ms, batch));
    return write(batch);
  }

  core::Status deleteBefore(std::string_view did, int64_t cutoff_ms) override {
    rocksdb::WriteBatch batch;
    HEARTH_RETURN_IF_ERROR(deleteSeriesBefore(rocks::devicePrefix(rocks::kSampleTag, did), cutoff_ms, batch));
    batch.DeleteRange(eventKey(did, std::numeric_limits<int64_t>::min()), eventKey(did, cutoff_ms));
    return write(batch);
  }

 private:
  static core::Status corrupt(std::string_view key) {
    return core::Status::corruption("history: malformed record at key of " + std::to_string(key.size()) + " bytes");
  }

  // One DeleteRange per series under `prefix` whose oldest sample is older than the cutoff. The
  // scan visits each series once: it reads its oldest key, then seeks past the whole series.
  core::Status deleteSeriesBefore(const std::string& prefix, int64_t cutoff_ms, rocksdb::WriteBatch& batch) {
    Scan scan(*db_, prefix, rocks::prefixEnd(prefix));
    while (scan.valid()) {
      std::string_view key = scan.key();
      if (key.size() < 2 + 16 || key.size() != 2u + static_cast<unsigned char>(key[1]) + 16u) return corrupt(key);
      std::string series(key.substr(0, key.size() - 8));
      if (rocks::timestampAt(key, key.size() - 8) < cutoff_ms) {
        std::string begin = series;
        appendTimestamp(begin, std::numeric_limits<int64_t>::min());
        std::string end = series;
        appendTimestamp(end, cutoff_ms);
        batch.DeleteRange(begin, end);
      }
      scan.seek(rocks::prefixEnd(series));
    }
    return scan.status();
  }

  // Events are keyed by device then time: one DeleteRange per device.
  core::Status deleteEventsBefore(int64_t cutoff_ms, rocksdb::WriteBatch& batch) {
    const std::string all(1, rocks::kEventTag);
    Scan scan(*db_, all, rocks::prefixEnd(all));
    while (scan.valid()) {
      std::string_view key = scan.key();
      if (key.size() < 2 || key.size() < 2u + static_cast<unsigned char>(key[1])) return corrupt(key);
      std::string_view did = key.substr(2, static_cast<unsigned char>(key[1]));
      batch.DeleteRange(eventKey(did, std::numeric_limits<int64_t>::min()), eventKey(did, cutoff_ms));
      scan.seek(rocks::prefixEnd(rocks::devicePrefix(rocks::kEventTag, did)));
    }
    return scan.status();
  }

  core::Status write(rocksdb::WriteBatch& batch) {
    if (batch.Count() == 0) return core::Status::ok();
    rocksdb::WriteOptions options;
    options.sync = durability_ == HistoryDurability::kFsync;
    return statusOf(db_->Write(options, &batch), "write");
  }

  // Runs on the writer thread: the whole batch as one WriteBatch, so one WAL write covers it.
  core::Status commit(const std::deque<history::PendingAppend>& appends) {
    rocksdb::WriteBatch batch;
    for (const history::PendingAppend& append : appends) {
      for (const PropertySample& s : append.samples) {
        batch.Put(seriesKey(s.did, s.siid, s.piid, s.ts_ms),
                  rocks::encodeSampleValue(s.value_json, history::numericValue(s.value_json)));
      }
      for (const EventRecord& e : append.events) {
        std::string key = eventKey(e.did, e.ts_ms);
        rocks::appendU32(key, e.siid);
        rocks::appendU32(key, e.eiid);
        batch.Put(key, e.arguments_json);
      }
    }
    return write(batch);
  }

  std::unique_ptr<rocksdb::DB> db_;
  const HistoryDurability durability_;
  history::GroupCommitWriter writer_;  // last: destroyed first, finishing queued appends
};

}  // namespace

core::Result<std::unique_ptr<HistoryStore>> openRocksHistory(const std::string& dir, const HistoryOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::Status::ioError("cannot create " + dir + ": " + ec.message());
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.IncreaseParallelism(2);
  // Ingest is a steady stream of small puts: a larger write buffer means fewer, larger flushes.
  db_options.write_buffer_size = 64 << 20;
  db_options.max_open_files = 512;
  rocksdb::DB* raw = nullptr;
  HEARTH_RETURN_IF_ERROR(statusOf(rocksdb::DB::Open(db_options, dir, &raw), "open " + dir));
  return std::unique_ptr<HistoryStore>(new RocksHistory(std::unique_ptr<rocksdb::DB>(raw), options.durability));
}

}  // namespace hearth::store

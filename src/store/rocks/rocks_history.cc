// The RocksDB history engine: one directory, keys laid out (history_keys.h) so that every query is
// one bounded forward scan, samples chunked by hour and appended with Merge.
//
// RocksDB is thread-safe: queries read the latest committed state without a lock while the
// writer thread commits batches. chunk_mu_ orders the one read-modify-write there is (retention
// trimming the chunk that straddles its cutoff) against the writer's merges into that chunk.
#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <deque>
#include <filesystem>
#include <functional>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "hearth/store/embedded_history.h"
#include "store/history/downsample.h"
#include "store/history/append_writer.h"
#include "store/rocks/history_keys.h"

namespace hearth::store {
namespace {

using rocks::appendI64;
using rocks::ChunkRecord;

core::Status statusOf(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return core::Status::ok();
  std::string message = "history " + std::string(what) + ": " + s.ToString();
  return s.IsCorruption() ? core::Status::corruption(std::move(message)) : core::Status::ioError(std::move(message));
}

core::Status corrupt(std::string_view key) {
  return core::Status::corruption("history: malformed record at a key of " + std::to_string(key.size()) + " bytes");
}

// Appending to a chunk is concatenating records: never needs the chunk read on write, and on
// read (or compaction) all pending appends are joined in one pass, not pairwise.
class ChunkAppend final : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    size_t size = in.existing_value != nullptr ? in.existing_value->size() : 0;
    for (const rocksdb::Slice& operand : in.operand_list) size += operand.size();
    out->new_value.clear();
    out->new_value.reserve(size);
    if (in.existing_value != nullptr) out->new_value.append(in.existing_value->data(), in.existing_value->size());
    for (const rocksdb::Slice& operand : in.operand_list) out->new_value.append(operand.data(), operand.size());
    return true;
  }

  bool PartialMergeMulti(const rocksdb::Slice&, const std::deque<rocksdb::Slice>& operands, std::string* merged,
                         rocksdb::Logger*) const override {
    merged->clear();
    for (const rocksdb::Slice& operand : operands) merged->append(operand.data(), operand.size());
    return true;
  }

  const char* Name() const override { return "hearth.history.ChunkAppend"; }
};

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

std::string chunkKey(std::string_view series, int64_t chunk) {
  std::string key(series);
  appendI64(key, chunk);
  return key;
}

std::string eventKey(std::string_view did, int64_t ts_ms) {
  std::string key = rocks::devicePrefix(rocks::kEventTag, did);
  appendI64(key, ts_ms);
  return key;
}

class RocksHistory final : public HistoryStore {
 public:
  RocksHistory(std::unique_ptr<rocksdb::DB> db, HistoryDurability durability)
      : db_(std::move(db)),
        durability_(durability),
        writer_([this](const std::vector<history::PendingAppend>& batch) { return commit(batch); }) {}

  void append(std::vector<PropertySample> samples, std::vector<EventRecord> events, Done done) override {
    writer_.submit(history::PendingAppend{std::move(samples), std::move(events), std::move(done)});
  }

  core::Result<std::vector<PropertySample>> range(std::string_view did, uint32_t siid, uint32_t piid, int64_t from_ms,
                                                  int64_t to_ms, size_t limit) override {
    std::vector<PropertySample> out;
    if (limit == 0) return out;
    HEARTH_RETURN_IF_ERROR(forEachSample(did, siid, piid, from_ms, to_ms, [&](const ChunkRecord& r) {
      out.push_back(PropertySample{std::string(did), siid, piid, r.ts_ms, std::string(r.value_json)});
      return out.size() < limit;
    }));
    return out;
  }

  core::Result<std::vector<Bucket>> downsample(std::string_view did, uint32_t siid, uint32_t piid, int64_t from_ms,
                                               int64_t to_ms, uint32_t points) override {
    auto sampler = history::Downsampler::make(from_ms, to_ms, points);
    if (!sampler) return sampler.error();
    HEARTH_RETURN_IF_ERROR(forEachSample(did, siid, piid, from_ms, to_ms, [&](const ChunkRecord& r) {
      if (r.number) sampler->add(r.ts_ms, *r.number);
      return true;
    }));
    return std::move(sampler).value().finish();
  }

  core::Result<std::vector<PropertySample>> latest(std::string_view did) override {
    const std::string prefix = rocks::devicePrefix(rocks::kLatestTag, did);
    std::vector<PropertySample> out;
    Scan scan(*db_, prefix, rocks::prefixEnd(prefix));
    for (; scan.valid(); scan.next()) {
      std::string_view key = scan.key();
      std::string_view value = scan.value();
      if (key.size() != prefix.size() + 8 || value.size() < 8) return corrupt(key);
      out.push_back(PropertySample{std::string(did), rocks::u32At(key, prefix.size()),
                                   rocks::u32At(key, prefix.size() + 4), rocks::i64At(value, 0),
                                   std::string(value.substr(8))});
    }
    HEARTH_RETURN_IF_ERROR(scan.status());
    return out;
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
                                rocks::i64At(key, pos), std::string(scan.value())});
    }
    HEARTH_RETURN_IF_ERROR(scan.status());
    return out;
  }

  core::Status deleteBefore(int64_t cutoff_ms) override {
    rocksdb::WriteBatch batch;
    std::vector<std::string> straddling;
    HEARTH_RETURN_IF_ERROR(deleteChunksBefore(std::string(1, rocks::kSampleTag), cutoff_ms, batch, straddling));
    HEARTH_RETURN_IF_ERROR(deleteEventsBefore(cutoff_ms, batch));
    return trimAndWrite(straddling, cutoff_ms, batch);
  }

  core::Status deleteBefore(std::string_view did, int64_t cutoff_ms) override {
    rocksdb::WriteBatch batch;
    std::vector<std::string> straddling;
    HEARTH_RETURN_IF_ERROR(
        deleteChunksBefore(rocks::devicePrefix(rocks::kSampleTag, did), cutoff_ms, batch, straddling));
    batch.DeleteRange(eventKey(did, std::numeric_limits<int64_t>::min()), eventKey(did, cutoff_ms));
    return trimAndWrite(straddling, cutoff_ms, batch);
  }

  core::Status removeDevice(std::string_view did) override {
    rocksdb::WriteBatch batch;
    for (char tag : {rocks::kSampleTag, rocks::kEventTag, rocks::kLatestTag}) {
      const std::string prefix = rocks::devicePrefix(tag, did);
      batch.DeleteRange(prefix, rocks::prefixEnd(prefix));
    }
    return write(batch);
  }

 private:
  // Calls fn(record) for each sample of the series with from_ms <= ts < to_ms, oldest first,
  // until fn returns false.
  core::Status forEachSample(std::string_view did, uint32_t siid, uint32_t piid, int64_t from_ms, int64_t to_ms,
                             const std::function<bool(const ChunkRecord&)>& fn) {
    if (to_ms <= from_ms) return core::Status::ok();
    const std::string series = rocks::seriesPrefix(did, siid, piid);
    Scan scan(*db_, chunkKey(series, rocks::chunkOf(from_ms)), chunkKey(series, rocks::chunkOf(to_ms - 1) + 1));
    std::vector<ChunkRecord> records;
    for (; scan.valid(); scan.next()) {
      if (!rocks::decodeChunk(scan.value(), records)) return corrupt(scan.key());
      for (const ChunkRecord& r : records) {
        if (r.ts_ms < from_ms) continue;
        if (r.ts_ms >= to_ms) break;
        if (!fn(r)) return core::Status::ok();
      }
    }
    return scan.status();
  }

  // For each series under `prefix` (a device's, or all): one DeleteRange over its chunks wholly
  // before the cutoff, and the key of the chunk holding the cutoff, which needs trimming. The scan
  // visits each series once: it reads its oldest chunk, then seeks past the whole series.
  core::Status deleteChunksBefore(const std::string& prefix, int64_t cutoff_ms, rocksdb::WriteBatch& batch,
                                  std::vector<std::string>& straddling) {
    const int64_t cut_chunk = rocks::chunkOf(cutoff_ms);
    Scan scan(*db_, prefix, rocks::prefixEnd(prefix));
    while (scan.valid()) {
      std::string_view key = scan.key();
      if (key.size() < 2 || key.size() != 2u + static_cast<unsigned char>(key[1]) + 16u) return corrupt(key);
      const std::string series(key.substr(0, key.size() - 8));
      const int64_t oldest = rocks::i64At(key, key.size() - 8);
      if (oldest < cut_chunk) batch.DeleteRange(chunkKey(series, oldest), chunkKey(series, cut_chunk));
      if (oldest <= cut_chunk) straddling.push_back(chunkKey(series, cut_chunk));
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

  // Rewrites each chunk holding the cutoff without its older samples, and writes the batch, under
  // chunk_mu_ so that no merge lands between reading a chunk and replacing it.
  core::Status trimAndWrite(const std::vector<std::string>& straddling, int64_t cutoff_ms, rocksdb::WriteBatch& batch) {
    std::lock_guard lock(chunk_mu_);
    std::vector<ChunkRecord> records;
    std::string chunk;
    for (const std::string& key : straddling) {
      rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), key, &chunk);
      if (s.IsNotFound()) continue;
      HEARTH_RETURN_IF_ERROR(statusOf(s, "read"));
      if (!rocks::decodeChunk(chunk, records)) return corrupt(key);
      if (records.empty() || records.front().ts_ms >= cutoff_ms) continue;
      std::string kept;
      for (const ChunkRecord& r : records) {
        if (r.ts_ms >= cutoff_ms) rocks::appendChunkRecord(kept, r.ts_ms, r.number, r.value_json);
      }
      if (kept.empty()) {
        batch.Delete(key);
      } else {
        batch.Put(key, kept);
      }
    }
    return write(batch);
  }

  core::Status write(rocksdb::WriteBatch& batch) {
    if (batch.Count() == 0) return core::Status::ok();
    rocksdb::WriteOptions options;
    options.sync = durability_ == HistoryDurability::kFsync;
    return statusOf(db_->Write(options, &batch), "write");
  }

  // Runs on the writer thread: the whole batch as one WriteBatch, so one WAL write covers it.
  core::Status commit(const std::vector<history::PendingAppend>& appends) {
    // Samples of one chunk in this batch (a device uploading what it buffered offline, an import)
    // become one merge operand, in arrival order, so reads have fewer operands to join.
    std::unordered_map<std::string, std::string> chunks;
    for (const history::PendingAppend& append : appends) {
      for (const PropertySample& s : append.samples) {
        rocks::appendChunkRecord(chunks[chunkKey(rocks::seriesPrefix(s.did, s.siid, s.piid), rocks::chunkOf(s.ts_ms))],
                                 s.ts_ms, history::numericValue(s.value_json), s.value_json);
      }
    }
    rocksdb::WriteBatch batch;
    for (const auto& [key, records] : chunks) batch.Merge(key, records);
    // The shadow: a Put per property, in arrival order, so the last one of the batch wins.
    for (const history::PendingAppend& append : appends) {
      for (const PropertySample& s : append.samples) {
        std::string key = rocks::devicePrefix(rocks::kLatestTag, s.did);
        rocks::appendU32(key, s.siid);
        rocks::appendU32(key, s.piid);
        std::string value;
        rocks::appendI64(value, s.ts_ms);
        value += s.value_json;
        batch.Put(key, value);
      }
    }
    for (const history::PendingAppend& append : appends) {
      for (const EventRecord& e : append.events) {
        std::string key = eventKey(e.did, e.ts_ms);
        rocks::appendU32(key, e.siid);
        rocks::appendU32(key, e.eiid);
        batch.Put(key, e.arguments_json);
      }
    }
    std::lock_guard lock(chunk_mu_);
    return write(batch);
  }

  std::unique_ptr<rocksdb::DB> db_;
  const HistoryDurability durability_;
  std::mutex chunk_mu_;
  history::AppendWriter writer_;  // last: destroyed first, finishing queued appends
};

}  // namespace

core::Result<std::unique_ptr<HistoryStore>> openRocksHistory(const std::string& dir, const HistoryOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::Status::ioError("cannot create " + dir + ": " + ec.message());
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.IncreaseParallelism(2);
  db_options.merge_operator = std::make_shared<ChunkAppend>();
  // Ingest is a steady stream of small merges: a larger write buffer means fewer, larger flushes.
  db_options.write_buffer_size = 64 << 20;
  db_options.max_open_files = 512;
  rocksdb::DB* raw = nullptr;
  HEARTH_RETURN_IF_ERROR(statusOf(rocksdb::DB::Open(db_options, dir, &raw), "open " + dir));
  return std::unique_ptr<HistoryStore>(new RocksHistory(std::unique_ptr<rocksdb::DB>(raw), options.durability));
}

}  // namespace hearth::store

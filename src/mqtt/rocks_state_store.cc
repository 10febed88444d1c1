// The embedded StateStore: RocksDB behind the project's group-commit writer.
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <filesystem>

#include "hearth/core/group_commit_writer.h"
#include "hearth/mqtt/state_store.h"

namespace hearth::mqtt {
namespace {

struct Item {
  std::vector<StateWrite> writes;
  StateStore::Done done;
};

size_t bytesOf(const Item& item) {
  size_t n = sizeof item;
  for (const StateWrite& w : item.writes) n += sizeof w + w.key.size() + w.value.size();
  return n;
}

core::GroupCommitWriter<Item>::Options writerOptions() {
  core::GroupCommitWriter<Item>::Options o;
  o.name = "mqtt state store";
  o.limits = kStateStoreLimits;
  o.size_of = bytesOf;
  o.finish = [](std::vector<Item>& batch, const core::Status& outcome) {
    for (Item& item : batch) {
      if (item.done) item.done(outcome);
    }
  };
  return o;
}

class RocksStateStore final : public StateStore {
 public:
  RocksStateStore(std::unique_ptr<rocksdb::DB> db, Durability durability)
      : db_(std::move(db)),
        durability_(durability),
        writer_(writerOptions(), [this](std::vector<Item>& batch) { return commit(batch); }) {}

  core::Status write(std::vector<StateWrite> writes, Done done) override {
    Item item{std::move(writes), std::move(done)};
    core::Status admitted = writer_.push(std::move(item));
    if (!admitted.isOk() && item.done) item.done(admitted);  // not moved from: refused
    return admitted;
  }

  core::Status scan(std::string_view prefix,
                    const std::function<void(std::string_view, std::string_view)>& fn) override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
      std::string_view key(it->key().data(), it->key().size());
      if (key.substr(0, prefix.size()) != prefix) break;
      fn(key, std::string_view(it->value().data(), it->value().size()));
    }
    if (!it->status().ok()) return core::Status::ioError("state store scan: " + it->status().ToString());
    return core::Status::ok();
  }

  void flush() override { writer_.flush(); }

  Durability durability() const override { return durability_; }

 private:
  // Runs on the writer thread: the whole batch as one WriteBatch, so one WAL write covers it.
  core::Status commit(const std::vector<Item>& batch) {
    rocksdb::WriteBatch wb;
    for (const Item& item : batch) {
      for (const StateWrite& w : item.writes) {
        switch (w.kind) {
          case StateWrite::Kind::kPut: wb.Put(w.key, w.value); break;
          case StateWrite::Kind::kDelete: wb.Delete(w.key); break;
          case StateWrite::Kind::kDeleteRange: wb.DeleteRange(w.key, w.value); break;
        }
      }
    }
    if (wb.Count() == 0) return core::Status::ok();
    rocksdb::WriteOptions options;
    options.sync = durability_ == Durability::kFsync;
    rocksdb::Status s = db_->Write(options, &wb);
    return s.ok() ? core::Status::ok() : core::Status::ioError("state store write: " + s.ToString());
  }

  std::unique_ptr<rocksdb::DB> db_;
  const Durability durability_;
  core::GroupCommitWriter<Item> writer_;  // last: stopped first, writing what is queued
};

}  // namespace

core::Result<std::unique_ptr<StateStore>> openRocksStateStore(const std::string& dir, Durability durability) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::Status::ioError("cannot create " + dir + ": " + ec.message());
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  // Broker state is small and churns (messages are written, then deleted when acknowledged):
  // a modest write buffer keeps memory bounded while still batching deletes away in memory.
  options.write_buffer_size = 16 << 20;
  options.max_open_files = 256;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, &raw);
  if (!s.ok()) {
    return s.IsCorruption() ? core::Status::corruption("state store " + dir + ": " + s.ToString())
                            : core::Status::ioError("state store " + dir + ": " + s.ToString());
  }
  return std::unique_ptr<StateStore>(new RocksStateStore(std::unique_ptr<rocksdb::DB>(raw), durability));
}

}  // namespace hearth::mqtt

// The embedded StateStore: RocksDB with one writer thread doing group commit.
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "hearth/mqtt/state_store.h"

namespace hearth::mqtt {
namespace {

class RocksStateStore final : public StateStore {
 public:
  RocksStateStore(std::unique_ptr<rocksdb::DB> db, Durability durability)
      : db_(std::move(db)), durability_(durability), writer_([this] { run(); }) {}

  ~RocksStateStore() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    writer_.join();
  }

  void write(std::vector<StateWrite> writes, Done done) override {
    {
      std::lock_guard lock(mu_);
      pending_.push_back(Item{std::move(writes), std::move(done)});
      ++submitted_;
    }
    cv_.notify_one();
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

  void flush() override {
    std::unique_lock lock(mu_);
    const uint64_t target = submitted_;
    done_cv_.wait(lock, [&] { return completed_ >= target; });
  }

  Durability durability() const override { return durability_; }

 private:
  struct Item {
    std::vector<StateWrite> writes;
    Done done;
  };

  void run() {
    std::deque<Item> batch;
    while (true) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
        if (pending_.empty() && stopping_) return;
        batch.swap(pending_);
      }
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
      rocksdb::WriteOptions options;
      options.sync = durability_ == Durability::kFsync;
      core::Status status;
      if (wb.Count() > 0) {
        rocksdb::Status s = db_->Write(options, &wb);
        if (!s.ok()) {
          status = core::Status::ioError("state store write: " + s.ToString());
          spdlog::error("mqtt: {}", status.message());
        }
      }
      for (Item& item : batch) {
        if (item.done) item.done(status);
      }
      const size_t n = batch.size();
      batch.clear();
      {
        std::lock_guard lock(mu_);
        completed_ += n;
      }
      done_cv_.notify_all();
    }
  }

  std::unique_ptr<rocksdb::DB> db_;
  const Durability durability_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable done_cv_;
  std::deque<Item> pending_;
  uint64_t submitted_ = 0;
  uint64_t completed_ = 0;
  bool stopping_ = false;
  std::thread writer_;  // last: starts after everything it uses exists
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

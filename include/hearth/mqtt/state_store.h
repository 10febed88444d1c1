// Durable storage for the broker's state: persistent sessions, their queued and in-flight
// messages, and retained messages, as ordered key-value records.
//
// The broker decides the keys (src/mqtt/persistence.h); a store only keeps them. The embedded
// implementation is RocksDB (openRocksStateStore); a distributed one can implement the same
// interface.
//
// Thread-safety: every method may be called from any thread. Writes are applied in the order they
// were submitted, across all threads, and grouped into batches (group commit): whatever arrives
// while one batch is being written goes into the next.
//
// Bounded: writes come from the broker's event loops, which must never wait for the disk, so past
// kStateStoreLimits queued writes are refused at once (kResourceExhausted) rather than waited for
// or queued without bound. What a refusal costs is the broker's to decide (Persistence): an
// acknowledgement that depends on it is withheld; the state on disk is behind until later writes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/group_commit_writer.h"
#include "hearth/core/status.h"

namespace hearth::mqtt {

struct StateWrite {
  enum class Kind : uint8_t { kPut, kDelete, kDeleteRange };
  Kind kind = Kind::kPut;
  std::string key;
  std::string value;  // kPut: the value; kDeleteRange: the end key (exclusive)
};

// How far a write must get before its completion runs.
enum class Durability : uint8_t {
  kAsync,   // handed to the writer: acknowledgements do not wait; a crash loses the last batch
  kCommit,  // in the store's write-ahead log: survives a crash of the process, not of the machine
  kFsync,   // flushed to the device: survives power loss
};

// About 64 MiB of queued writes: seconds of a disk's work, far more than it should hold in memory.
inline constexpr core::GroupCommitLimits kStateStoreLimits{.max_queued_items = 200'000,
                                                           .max_queued_bytes = 64u << 20,
                                                           .max_batch_items = 10'000,
                                                           .max_batch_bytes = 16u << 20};

class StateStore {
 public:
  using Done = std::function<void(const core::Status&)>;

  virtual ~StateStore() = default;

  // Queues `writes` for the next batch. `done`, if set, runs on the store's writer thread once
  // the batch is as durable as the store's Durability says (with kAsync: once written).
  // An I/O error is logged, counted and passed to `done`; later writes are still attempted.
  // Never waits: when the store is overloaded the writes are refused, and the refusal is both
  // returned and passed to `done` (at once, on the caller's thread).
  virtual core::Status write(std::vector<StateWrite> writes, Done done) = 0;

  // Every record whose key starts with `prefix`, in key order. Start-up only: must not run
  // concurrently with writes.
  virtual core::Status scan(std::string_view prefix,
                            const std::function<void(std::string_view key, std::string_view value)>& fn) = 0;

  // Blocks until everything submitted so far has been written.
  virtual void flush() = 0;

  virtual Durability durability() const = 0;
};

// Opens (creating if needed) a RocksDB store in `dir`. Fails with kIoError or kCorruption.
core::Result<std::unique_ptr<StateStore>> openRocksStateStore(const std::string& dir, Durability durability);

}  // namespace hearth::mqtt

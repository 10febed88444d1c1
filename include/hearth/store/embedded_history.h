// The embedded history stores, one per engine; docs/architecture.md ("History") says which one
// hearthd uses and why. Both keep the HistoryStore contract exactly, so tests and the benchmark
// run the same code against either.
//
// Errors: open returns kIoError when the path cannot be created or opened, kCorruption for a
// damaged file, kFailedPrecondition for a file written by a newer Hearth; never throws.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hearth/core/status.h"
#include "hearth/store/history_store.h"

namespace hearth::store {

// Durability: a commit writes the engine's WAL to the OS (a crash of the process loses nothing);
// kFsync adds a sync of it per batch. kAsync differs little from kCommit in these engines: SQLite
// skips the syncs at checkpoints too (synchronous=OFF), RocksDB writes as for kCommit. A caller
// that acknowledges without waiting for the store simply does not wait for `done`.

// One SQLite file (created if missing) in WAL mode.
core::Result<std::unique_ptr<HistoryStore>> openSqliteHistory(const std::string& path,
                                                              const HistoryOptions& options = {});

// One RocksDB directory (created if missing).
core::Result<std::unique_ptr<HistoryStore>> openRocksHistory(const std::string& dir,
                                                             const HistoryOptions& options = {});

// Under a server's data directory: RocksDB in <data_dir>/history, SQLite in
// <data_dir>/history.sqlite3 (hearthd's history.engine option).
enum class HistoryEngine : uint8_t { kRocksDb, kSqlite };
std::optional<HistoryEngine> historyEngineNamed(std::string_view name);  // "rocksdb", "sqlite"
core::Result<std::unique_ptr<HistoryStore>> openHistoryIn(const std::string& data_dir, HistoryEngine engine,
                                                           const HistoryOptions& options = {});
// For tools that open a stopped server's data: the engine whose files exist under data_dir
// (RocksDB when neither does).
HistoryEngine historyEngineIn(const std::string& data_dir);

}  // namespace hearth::store

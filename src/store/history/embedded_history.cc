#include "hearth/store/embedded_history.h"

#include <filesystem>

namespace hearth::store {

namespace {

std::string pathOf(const std::string& data_dir, HistoryEngine engine) {
  const std::filesystem::path dir(data_dir);
  return (engine == HistoryEngine::kRocksDb ? dir / "history" : dir / "history.sqlite3").string();
}

}  // namespace

std::optional<HistoryEngine> historyEngineNamed(std::string_view name) {
  if (name == "rocksdb") return HistoryEngine::kRocksDb;
  if (name == "sqlite") return HistoryEngine::kSqlite;
  return std::nullopt;
}

core::Result<std::unique_ptr<HistoryStore>> openHistoryIn(const std::string& data_dir, HistoryEngine engine,
                                                           const HistoryOptions& options) {
  const std::string path = pathOf(data_dir, engine);
  return engine == HistoryEngine::kRocksDb ? openRocksHistory(path, options) : openSqliteHistory(path, options);
}

HistoryEngine historyEngineIn(const std::string& data_dir) {
  std::error_code ec;
  if (!std::filesystem::exists(pathOf(data_dir, HistoryEngine::kRocksDb), ec) &&
      std::filesystem::exists(pathOf(data_dir, HistoryEngine::kSqlite), ec)) {
    return HistoryEngine::kSqlite;
  }
  return HistoryEngine::kRocksDb;
}

}  // namespace hearth::store

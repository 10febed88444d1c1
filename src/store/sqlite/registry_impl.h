// SqliteRegistry's state, shared by its product and device halves (sqlite_registry.cc,
// sqlite_devices.cc).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "hearth/store/sqlite_registry.h"
#include "store/sqlite/database.h"

namespace hearth::store {

struct SqliteRegistry::Impl {
  std::mutex mu;  // one connection, used by one call at a time
  std::unique_ptr<sqlite::Database> db;

  // One product version by `sql`, which binds the model (and the version, if given).
  core::Result<ProductVersion> oneVersion(std::string_view sql, std::string_view model,
                                          std::optional<uint32_t> version);
};

}  // namespace hearth::store

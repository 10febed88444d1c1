// SqliteRegistry's state, shared by its product and device halves (sqlite_registry.cc,
// sqlite_devices.cc).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
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

// What the devices `where` selects (a condition on `devices` binding ?1 to `arg`) keep of the
// household they leave: their shares, queued commands and audit log go, and each gets an erasure
// request for its history (DeviceStore, "Erasure requests"). The one SQL half of leaving a home
// (unbinding, deleting the home, removing the device); run in the caller's transaction, before
// the devices themselves change.
template <typename Arg>
core::Status forgetHousehold(sqlite::Database& db, std::string_view where, const Arg& arg) {
  const std::string leaving = "(SELECT did FROM devices WHERE " + std::string(where) + ")";
  for (const std::string& sql :
       {"DELETE FROM device_shares WHERE did IN " + leaving, "DELETE FROM outbox WHERE did IN " + leaving,
        "DELETE FROM audit_log WHERE did IN " + leaving,
        "INSERT INTO device_erasures (did, erased) SELECT did, 0 FROM devices WHERE " + std::string(where) +
            " ON CONFLICT (did) DO UPDATE SET erased = 0"}) {
    if (auto done = db.run(sql, arg); !done) return done.error();
  }
  return core::Status::ok();
}

}  // namespace hearth::store

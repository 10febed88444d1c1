// Who did what to a device, and what came of it: every command that changes a device and every
// change of its settings, kept beside the device's own events (docs/api.md, "Devices").
//
// Ownership: implementations own their connections. Thread-safety: any thread. Errors: the
// storage engine's; never throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::store {

struct AuditRecord {
  std::string did;
  int64_t ts_ms = 0;
  std::string actor;        // "user:<id>", "operator"; later "automation:<id>", "assistant"
  std::string action;       // "set_properties", "action", "rename", "move", "share", "unshare"
  std::string detail_json;  // what was asked, as JSON
  std::string result_json;  // what came of it, as JSON
  friend bool operator==(const AuditRecord&, const AuditRecord&) = default;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  virtual core::Status appendAudit(const std::vector<AuditRecord>& records) = 0;
  // Of one device with from_ms <= ts_ms < to_ms, oldest first, at most `limit`.
  virtual core::Result<std::vector<AuditRecord>> audit(std::string_view did, int64_t from_ms, int64_t to_ms,
                                                       size_t limit) = 0;
};

}  // namespace hearth::store

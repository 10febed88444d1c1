#include "hearth/home/audit_log.h"

#include <spdlog/spdlog.h>

namespace hearth::home {

AuditLog::AuditLog(store::AuditStore& store, const core::Clock& clock)
    : store_(store),
      clock_(clock),
      writer_(
          [this](std::vector<store::AuditRecord>& batch) {
            if (core::Status s = store_.appendAudit(batch); !s.isOk()) {
              failed_ += batch.size();
              spdlog::warn("audit: {} records not stored: {}", batch.size(), s.toString());
            }
          },
          kMaxQueued) {}

void AuditLog::record(std::string did, std::string actor, std::string action, std::string detail_json,
                      std::string result_json) {
  writer_.push(store::AuditRecord{std::move(did), clock_.unixMillis(), std::move(actor), std::move(action),
                                  std::move(detail_json), std::move(result_json)});
}

}  // namespace hearth::home

#include "hearth/home/audit_log.h"

namespace hearth::home {

namespace {

core::GroupCommitWriter<store::AuditRecord>::Options writerOptions(const core::Clock& clock) {
  core::GroupCommitWriter<store::AuditRecord>::Options o;
  o.name = "audit";
  o.limits = AuditLog::kLimits;
  o.size_of = [](const store::AuditRecord& r) {
    return sizeof r + r.did.size() + r.actor.size() + r.action.size() + r.detail_json.size() + r.result_json.size();
  };
  o.clock = &clock;
  return o;
}

}  // namespace

AuditLog::AuditLog(store::AuditStore& store, const core::Clock& clock)
    : store_(store),
      clock_(clock),
      // The writer logs and counts what fails; the commands the records describe are done.
      writer_(writerOptions(clock), [this](std::vector<store::AuditRecord>& batch) { return store_.appendAudit(batch); }) {}

void AuditLog::record(std::string did, std::string actor, std::string action, std::string detail_json,
                      std::string result_json) {
  // Never waits (record() runs on event loops): a refused record is counted in dropped() and
  // logged by the writer; the change it describes has happened all the same.
  (void)writer_.push(store::AuditRecord{std::move(did), clock_.unixMillis(), std::move(actor), std::move(action),
                                        std::move(detail_json), std::move(result_json)});
}

}  // namespace hearth::home

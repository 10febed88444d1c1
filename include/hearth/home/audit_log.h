// Records who changed a device and what came of it (store::AuditStore), off the threads that
// learn of it: a device's answer arrives on an MQTT event loop, which must not wait for a disk
// write. record() queues; one writer thread writes what has queued as one batch.
//
// Past kLimits waiting records the newest are refused (core::GroupCommitWriter::push, which
// never waits) and counted: an audit log that cannot keep up must not take memory without bound
// or slow the commands it records. Records the store fails to write are logged and counted too.
//
// Ownership: borrows the store and the clock; owns its writer (core::GroupCommitWriter), joined
// after writing what is queued by stop() or the destructor. Thread-safety: any method from any
// thread.
#pragma once

#include <cstdint>
#include <string>

#include "hearth/core/group_commit_writer.h"
#include "hearth/core/clock.h"
#include "hearth/store/audit_store.h"

namespace hearth::home {

class AuditLog {
 public:
  static constexpr core::GroupCommitLimits kLimits{.max_queued_items = 100'000, .max_queued_bytes = 64u << 20};

  AuditLog(store::AuditStore& store, const core::Clock& clock);
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Stamps the record with the clock's time and queues it.
  void record(std::string did, std::string actor, std::string action, std::string detail_json,
              std::string result_json);
  void stop() { writer_.stop(); }

  // Records refused (overloaded) or not stored (the store failed).
  uint64_t dropped() const {
    const core::GroupCommitStats s = writer_.stats();
    return s.refused + s.failed_items;
  }

  // The actor name of a person.
  static std::string userActor(int64_t user_id) { return "user:" + std::to_string(user_id); }

 private:
  store::AuditStore& store_;
  const core::Clock& clock_;
  core::GroupCommitWriter<store::AuditRecord> writer_;  // last: stopped (and drained) first
};

}  // namespace hearth::home

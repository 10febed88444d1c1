#include "hearth/home/audit_log.h"

#include <spdlog/spdlog.h>

namespace hearth::home {

AuditLog::AuditLog(store::AuditStore& store, const core::Clock& clock) : store_(store), clock_(clock) {
  writer_ = std::thread([this] { writerLoop(); });
}

AuditLog::~AuditLog() { stop(); }

void AuditLog::record(std::string did, std::string actor, std::string action, std::string detail_json,
                      std::string result_json) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || pending_.size() >= kMaxQueued) {
      ++dropped_;
      return;
    }
    pending_.push_back(store::AuditRecord{std::move(did), clock_.unixMillis(), std::move(actor), std::move(action),
                                          std::move(detail_json), std::move(result_json)});
  }
  wake_.notify_one();
}

void AuditLog::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
}

void AuditLog::writerLoop() {
  std::vector<store::AuditRecord> batch;
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping, and everything is written
    batch.swap(pending_);
    lock.unlock();
    if (core::Status s = store_.appendAudit(batch); !s.isOk()) {
      dropped_ += batch.size();
      spdlog::warn("audit: {} records not stored: {}", batch.size(), s.toString());
    }
    batch.clear();
    lock.lock();
  }
}

}  // namespace hearth::home

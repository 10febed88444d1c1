// The writer both embedded history engines share: core::GroupCommitWriter over appends.
//
// Appends queue here; one thread hands what queued to the engine as one batch, so under load a
// single commit (and, with kFsync, a single sync) covers many appends, while a lone append is
// written at once. append() is called on MQTT event loops (device ingest), so it never waits:
// past kLimits an append is refused at once with kResourceExhausted, which ingest turns into a
// withheld acknowledgement (the device sends it again).
//
// Ownership: owns its writer; destroying it writes and finishes every accepted append.
// Thread-safety: submit() from any thread; the commit function runs only on the writer thread,
// one batch at a time. Errors: the commit's Status (or kInternal if it threw) goes to every `done`
// of its batch; a refused append's `done` is called at once, on the caller's thread.
#pragma once

#include <functional>
#include <vector>

#include "hearth/core/group_commit_writer.h"
#include "hearth/core/status.h"
#include "hearth/store/history_store.h"

namespace hearth::store::history {

struct PendingAppend {
  std::vector<PropertySample> samples;
  std::vector<EventRecord> events;
  HistoryStore::Done done;
};

class AppendWriter {
 public:
  // About 64 MiB of reports waiting: a few seconds of a fast disk's work, far more than a slow
  // one should be asked to hold in memory.
  static constexpr core::GroupCommitLimits kLimits{.max_queued_items = 100'000,
                                                   .max_queued_bytes = 64u << 20,
                                                   .max_batch_items = 10'000,
                                                   .max_batch_bytes = 16u << 20};

  // `commit` writes one batch (all or nothing) and returns when it is as durable as the engine
  // was opened for; it must outlive this writer.
  using Commit = std::function<core::Status(const std::vector<PendingAppend>&)>;

  explicit AppendWriter(Commit commit);

  // Refuses an append with an invalid did (HistoryStore::append's contract), or one the queue has
  // no room for, by calling its `done` at once.
  void submit(PendingAppend append);

 private:
  core::GroupCommitWriter<PendingAppend> writer_;
};

}  // namespace hearth::store::history

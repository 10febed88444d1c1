// The writer thread both embedded history engines share: group commit of appends.
//
// Appends queue here; one thread takes everything queued while it was writing the previous batch
// and hands it to the engine as one batch, so under load a single commit (and, with kFsync, a
// single sync) covers many appends, while a lone append is written at once.
//
// Ownership: owns its thread. Thread-safety: submit() from any thread; the commit function runs
// only on the writer thread, one batch at a time. Errors: the commit function's Status is given to
// every `done` of its batch.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "hearth/core/status.h"
#include "hearth/store/history_store.h"

namespace hearth::store::history {

struct PendingAppend {
  std::vector<PropertySample> samples;
  std::vector<EventRecord> events;
  HistoryStore::Done done;
};

class GroupCommitWriter {
 public:
  // `commit` writes one batch (all or nothing) and returns when it is as durable as the engine
  // was opened for; it must outlive this writer.
  using Commit = std::function<core::Status(const std::deque<PendingAppend>&)>;

  explicit GroupCommitWriter(Commit commit);
  // Writes whatever is still queued, calls its `done`s, then stops the thread.
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Refuses an append with an invalid did at once (HistoryStore::append's contract).
  void submit(PendingAppend append);

 private:
  void run();

  Commit commit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PendingAppend> pending_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace hearth::store::history

#include "store/history/group_commit.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace hearth::store::history {

GroupCommitWriter::GroupCommitWriter(Commit commit) : commit_(std::move(commit)), thread_([this] { run(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

namespace {

bool validDid(std::string_view did) { return !did.empty() && did.size() <= kMaxDidBytes; }

}  // namespace

void GroupCommitWriter::submit(PendingAppend append) {
  const bool valid =
      std::all_of(append.samples.begin(), append.samples.end(),
                  [](const PropertySample& s) { return validDid(s.did); }) &&
      std::all_of(append.events.begin(), append.events.end(), [](const EventRecord& e) { return validDid(e.did); });
  if (!valid) {
    if (append.done) append.done(core::Status::invalidArgument("history: a did must be 1 to 255 bytes"));
    return;
  }
  {
    std::lock_guard lock(mu_);
    pending_.push_back(std::move(append));
  }
  cv_.notify_one();
}

void GroupCommitWriter::run() {
  std::deque<PendingAppend> batch;
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, and nothing left to write
      batch.swap(pending_);
    }
    core::Status status = commit_(batch);
    for (PendingAppend& append : batch) {
      if (append.done) append.done(status);
    }
    batch.clear();
  }
}

}  // namespace hearth::store::history

#include "store/history/append_writer.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace hearth::store::history {

namespace {

bool validDid(std::string_view did) { return !did.empty() && did.size() <= kMaxDidBytes; }

size_t bytesOf(const PendingAppend& append) {
  size_t n = sizeof append;
  for (const PropertySample& s : append.samples) n += sizeof s + s.did.size() + s.value_json.size();
  for (const EventRecord& e : append.events) n += sizeof e + e.did.size() + e.arguments_json.size();
  return n;
}

core::GroupCommitWriter<PendingAppend>::Options options() {
  core::GroupCommitWriter<PendingAppend>::Options o;
  o.name = "history";
  o.limits = AppendWriter::kLimits;
  o.size_of = bytesOf;
  o.finish = [](std::vector<PendingAppend>& batch, const core::Status& outcome) {
    for (PendingAppend& append : batch) {
      if (append.done) append.done(outcome);
    }
  };
  return o;
}

}  // namespace

AppendWriter::AppendWriter(Commit commit)
    : writer_(options(), [commit = std::move(commit)](std::vector<PendingAppend>& batch) { return commit(batch); }) {}

void AppendWriter::submit(PendingAppend append) {
  const bool valid =
      std::all_of(append.samples.begin(), append.samples.end(),
                  [](const PropertySample& s) { return validDid(s.did); }) &&
      std::all_of(append.events.begin(), append.events.end(), [](const EventRecord& e) { return validDid(e.did); });
  if (!valid) {
    if (append.done) append.done(core::Status::invalidArgument("history: a did must be 1 to 255 bytes"));
    return;
  }
  if (core::Status admitted = writer_.push(std::move(append)); !admitted.isOk() && append.done) {
    append.done(admitted);  // not moved from: refused
  }
}

}  // namespace hearth::store::history

#include "hearth/core/group_commit_writer.h"

#include <spdlog/spdlog.h>

namespace hearth::core::detail {

namespace {
// One line per writer per interval: enough to see that it happens, and what, without a flood.
constexpr Clock::Duration kLogInterval = std::chrono::seconds(10);

std::string more(uint64_t suppressed) {
  return suppressed == 0 ? "" : " (and " + std::to_string(suppressed) + " more since the last line)";
}
}  // namespace

bool WriterLog::due(const Clock& clock, uint64_t& suppressed) {
  std::lock_guard lock(mu_);
  const Clock::TimePoint now = clock.now();
  if (logged_ && now - last_ < kLogInterval) {
    ++suppressed_;
    return false;
  }
  logged_ = true;
  last_ = now;
  suppressed = suppressed_;
  suppressed_ = 0;
  return true;
}

void WriterLog::refused(const Clock& clock, const Status& why) {
  uint64_t suppressed = 0;
  if (due(clock, suppressed)) spdlog::warn("{}{}", why.message(), more(suppressed));
}

void WriterLog::failed(const Clock& clock, size_t items, const Status& why) {
  uint64_t suppressed = 0;
  if (due(clock, suppressed)) {
    spdlog::error("{}: a batch of {} items was not written: {}{}", name_, items, why.toString(), more(suppressed));
  }
}

void WriterLog::finishThrew(const Clock& clock, const std::string& what) {
  uint64_t suppressed = 0;
  if (due(clock, suppressed)) {
    spdlog::error("{}: finishing a batch threw: {}{}", name_, what, more(suppressed));
  }
}

}  // namespace hearth::core::detail

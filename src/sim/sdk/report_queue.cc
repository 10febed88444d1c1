#include "hearth/sim/report_queue.h"

#include <algorithm>

namespace hearth::sim {

namespace {

template <class Deque>
void trim(Deque& pending, size_t capacity, uint64_t& dropped) {
  while (pending.size() > capacity) {
    pending.pop_front();
    ++dropped;
  }
}

}  // namespace

void ReportQueue::push(std::string payload, int64_t made_ns) {
  pending_.push_back({std::move(payload), made_ns});
  trim(pending_, capacity_, dropped_);
}

std::optional<std::string> ReportQueue::sendNext(uint16_t packet_id) {
  if (pending_.empty()) return std::nullopt;
  in_flight_.push_back({packet_id, std::move(pending_.front())});
  pending_.pop_front();
  return in_flight_.back().report.payload;
}

std::optional<int64_t> ReportQueue::acknowledge(uint16_t packet_id) {
  const auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                               [packet_id](const Sent& sent) { return sent.packet_id == packet_id; });
  if (it == in_flight_.end()) return std::nullopt;
  const int64_t made_ns = it->report.made_ns;
  in_flight_.erase(it);
  return made_ns;
}

void ReportQueue::requeueInFlight() {
  for (auto it = in_flight_.rbegin(); it != in_flight_.rend(); ++it) pending_.push_front(std::move(it->report));
  in_flight_.clear();
  trim(pending_, capacity_, dropped_);
}

bool ReportQueue::inFlight(uint16_t packet_id) const {
  return std::any_of(in_flight_.begin(), in_flight_.end(),
                     [packet_id](const Sent& sent) { return sent.packet_id == packet_id; });
}

}  // namespace hearth::sim

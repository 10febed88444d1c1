#include "hearth/sim/report_queue.h"

#include <algorithm>

namespace hearth::sim {

namespace {

void trim(std::deque<std::string>& pending, size_t capacity, uint64_t& dropped) {
  while (pending.size() > capacity) {
    pending.pop_front();
    ++dropped;
  }
}

}  // namespace

void ReportQueue::push(std::string payload) {
  pending_.push_back(std::move(payload));
  trim(pending_, capacity_, dropped_);
}

std::optional<std::string> ReportQueue::sendNext(uint16_t packet_id) {
  if (pending_.empty()) return std::nullopt;
  std::string payload = std::move(pending_.front());
  pending_.pop_front();
  in_flight_.emplace_back(packet_id, payload);
  return payload;
}

bool ReportQueue::acknowledge(uint16_t packet_id) {
  const auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                               [packet_id](const auto& entry) { return entry.first == packet_id; });
  if (it == in_flight_.end()) return false;
  in_flight_.erase(it);
  return true;
}

void ReportQueue::requeueInFlight() {
  for (auto it = in_flight_.rbegin(); it != in_flight_.rend(); ++it) pending_.push_front(std::move(it->second));
  in_flight_.clear();
  trim(pending_, capacity_, dropped_);
}

bool ReportQueue::inFlight(uint16_t packet_id) const {
  return std::any_of(in_flight_.begin(), in_flight_.end(),
                     [packet_id](const auto& entry) { return entry.first == packet_id; });
}

}  // namespace hearth::sim

// The device SDK's memory of its last answers, by request id. The cloud delivers a queued command
// again, with the same id, until it has the device's answer (platform::CommandService): a device
// that answered once and lost the connection, or whose answer the server never stored, gets it
// again and must not act twice. The SDK answers a repeat with the reply it sent, without calling
// the handlers.
//
// Value type, not thread-safe: the DeviceClient that owns it touches it on its own thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>

namespace hearth::sim {

class RecentReplies {
 public:
  // Answers kept: more than the commands a device gets queued while offline, in practice.
  static constexpr size_t kKept = 64;

  // The reply sent to request `id`, if it is among the last kKept; null otherwise.
  const std::string* find(uint64_t id) const;
  // The newest replaces the oldest once kKept are kept.
  void add(uint64_t id, std::string payload);

 private:
  std::deque<std::pair<uint64_t, std::string>> replies_;  // oldest first
};

}  // namespace hearth::sim

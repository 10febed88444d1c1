// The device SDK's outgoing reports: what waits to be sent and what the broker has not yet
// acknowledged, so that nothing a device said is lost across a reconnect and a device that is
// offline for long holds a bounded amount of memory.
//
// Reports (serialised properties_changed / event_occured messages) wait in `pending` in the order
// they were made. Sending one moves it to `in flight` under an MQTT packet id; its PUBACK removes
// it. When the connection drops, the reports in flight go back to the front of `pending`, in
// their order, to be sent again (at least once, as MQTT QoS 1 promises). When `pending` is over
// its capacity the oldest report is dropped and counted: a device's newest state matters most.
//
// Value type, not thread-safe: the DeviceClient that owns it touches it on its own thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace hearth::sim {

class ReportQueue {
 public:
  // `capacity`: reports kept waiting, at least 1.
  explicit ReportQueue(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // `made_ns`: when the device made the report (steady clock), returned by acknowledge().
  void push(std::string payload, int64_t made_ns = 0);
  // The next report to send, now in flight under `packet_id`; nullopt when none waits.
  std::optional<std::string> sendNext(uint16_t packet_id);
  // A PUBACK: when the acknowledged report was made; nullopt when no report was in flight under
  // that id (a late or duplicate ack).
  std::optional<int64_t> acknowledge(uint16_t packet_id);
  // The connection dropped: every report in flight waits again, first in line.
  void requeueInFlight();
  // True when a report is in flight under `packet_id` (so a new one must not use it).
  bool inFlight(uint16_t packet_id) const;

  size_t pending() const { return pending_.size(); }
  size_t inFlightCount() const { return in_flight_.size(); }
  uint64_t dropped() const { return dropped_; }
  size_t capacity() const { return capacity_; }

 private:
  struct Report {
    std::string payload;
    int64_t made_ns = 0;
  };
  struct Sent {
    uint16_t packet_id = 0;
    Report report;
  };

  const size_t capacity_;
  std::deque<Report> pending_;
  std::deque<Sent> in_flight_;  // in the order sent
  uint64_t dropped_ = 0;
};

}  // namespace hearth::sim

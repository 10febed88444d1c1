// The command outbox: commands for devices that were offline when they were sent, kept until the
// device has them or their time to live ends (platform::CommandService).
//
// Delivery is claim, deliver, acknowledge: claim() hands out a device's entries and counts the
// delivery, the caller sends them, and acknowledge() removes one once the device has it. An entry
// claimed and never acknowledged (the server crashed, the device went away) is claimed again,
// in its place and with its request id, by the next claim(); after `max_deliveries` claims it is
// marked failed instead and never handed out again. Entries of one device come back in the order
// they were added. The store keeps them across restarts; an entry is removed when acknowledged,
// when it expires (failed ones too) or when its device leaves its home.
//
// Ownership: implementations own their connections. Thread-safety: every method may be called
// from any thread. Errors: kIoError/kCorruption from the storage engine; never throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::store {

struct OutboxEntry {
  std::string did;
  uint64_t request_id = 0;  // the id of the down message, to match the device's reply
  std::string payload;      // the message for device/<did>/down, as it will be sent
  int64_t queued_at_ms = 0;
  int64_t expires_at_ms = 0;
  uint32_t deliveries = 0;  // claims so far, this one included when claim() returns it
  friend bool operator==(const OutboxEntry&, const OutboxEntry&) = default;
};

struct OutboxClaim {
  std::vector<OutboxEntry> deliver;  // to send now, oldest first
  std::vector<OutboxEntry> failed;   // delivered max_deliveries times already: marked failed now
};

class CommandOutbox {
 public:
  virtual ~CommandOutbox() = default;

  virtual core::Status enqueue(const OutboxEntry& entry) = 0;
  // The device's entries that have not expired at `now_ms` and have not failed, in one
  // transaction: those claimed fewer than `max_deliveries` times get one more claim and are to be
  // delivered, the others are marked failed.
  virtual core::Result<OutboxClaim> claim(std::string_view did, int64_t now_ms, uint32_t max_deliveries) = 0;
  // The device has the command: its entry goes. Ok if there is none (acknowledged already).
  virtual core::Status acknowledge(std::string_view did, uint64_t request_id) = 0;
  // Removes every entry that has expired at `now_ms`; returns how many.
  virtual core::Result<size_t> removeExpired(int64_t now_ms) = 0;
  // The dids with entries still to deliver (expired or not, not failed), for a server starting
  // with a non-empty outbox.
  virtual core::Result<std::vector<std::string>> devicesWithEntries() = 0;
};

}  // namespace hearth::store

// The command outbox: commands for devices that were offline when they were sent, kept until the
// device is back or their time to live ends (platform::CommandService).
//
// Entries of one device come back in the order they were added. The store keeps them across
// restarts; an entry is removed when it is taken for delivery, when it expires or when its
// device is removed.
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
  friend bool operator==(const OutboxEntry&, const OutboxEntry&) = default;
};

class CommandOutbox {
 public:
  virtual ~CommandOutbox() = default;

  virtual core::Status enqueue(const OutboxEntry& entry) = 0;
  // Removes and returns the device's entries that have not expired at `now_ms`, oldest first;
  // its expired entries are removed too.
  virtual core::Result<std::vector<OutboxEntry>> take(std::string_view did, int64_t now_ms) = 0;
  // Removes every entry that has expired at `now_ms`; returns how many.
  virtual core::Result<size_t> removeExpired(int64_t now_ms) = 0;
  // The dids that have entries (expired or not), for a server starting with a non-empty outbox.
  virtual core::Result<std::vector<std::string>> devicesWithEntries() = 0;
};

}  // namespace hearth::store

// CommandService's private types, shared by command_service.cc and command_check.cc.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "hearth/platform/command_service.h"
#include "hearth/spec/product_view.h"

namespace hearth::platform {

// A command after the spec check: what goes to the device, and the caller's answer so far.
struct CommandService::Prepared {
  std::shared_ptr<const spec::ProductView> view;
  DeviceRequest request;             // only the items to send; its id is set when it is sent
  DeviceResponse answer;             // every item, in the caller's order
  std::vector<size_t> sent;          // positions in `answer` of the items in `request`

  bool nothingToSend() const { return sent.empty(); }
  // Gives every sent item `code`.
  void fillSent(int32_t code);
  // Takes the device's reply into `answer` (command_check.cc has the rules).
  void applyReply(const DeviceResponse& reply);
};

struct CommandService::Pending {
  Prepared prepared;
  int64_t deadline_ms = 0;  // clock_.unixMillis() after which it times out
  int64_t sent_ms = 0;
  CommandCallback done;
};

struct CommandService::Counters {
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> answered{0};
  std::atomic<uint64_t> timed_out{0};
  std::atomic<uint64_t> offline{0};        // refused at once, or the device left before answering
  std::atomic<uint64_t> refused{0};        // nothing to send: the spec check refused every item
  std::atomic<uint64_t> queued{0};
  std::atomic<uint64_t> outbox_delivered{0};
  std::atomic<uint64_t> outbox_expired{0};
  std::atomic<uint64_t> outbox_acknowledged{0};
  std::atomic<uint64_t> outbox_failed{0};  // delivered CommandService::kMaxDeliveries times, never answered
  std::atomic<uint64_t> unmatched_replies{0};
  std::atomic<uint64_t> round_trip_ms_sum{0};  // of answered commands
};

}  // namespace hearth::platform

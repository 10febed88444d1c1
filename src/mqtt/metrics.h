// Broker counters, exported in Prometheus text format.
//
// Each event loop counts into its own cache-line-aligned block, so counting never contends
// across cores; a scrape sums the blocks. Code running off the loops counts into a shared block.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "hearth/mqtt/broker.h"

namespace hearth::mqtt {

enum class Counter : size_t {
  kConnectionsAccepted,
  kConnectsAccepted,
  kConnectsRejected,
  kAuthFailures,
  kDisconnects,
  kKeepAliveTimeouts,
  kProtocolErrors,
  kMessagesInQos0,
  kMessagesInQos1,
  kMessagesInQos2,
  kMessagesOutQos0,
  kMessagesOutQos1,
  kMessagesOutQos2,
  kBytesIn,
  kBytesOut,
  kDropQueueFull,
  kDropQos0Offline,
  kDropExpired,
  kDropPacketTooLarge,
  kDropNotAuthorized,
  kSubscribeDenied,
  kAckStoreFailures,
  kWithheld,
  kCount,
};

class Metrics {
 public:
  struct alignas(64) Block {
    std::array<std::atomic<uint64_t>, static_cast<size_t>(Counter::kCount)> values{};
  };

  // The block this thread counts into (an event loop's own, or the shared one).
  static void setThreadBlock(Block* block);
  static void add(Counter c, uint64_t n = 1);

  void registerBlock(Block* block) { blocks_.push_back(block); }
  uint64_t total(Counter c) const;

  // Gauges are read at scrape time from whoever owns the state.
  struct Gauges {
    uint64_t connections = 0;
    uint64_t sessions = 0;
    uint64_t subscriptions = 0;
    uint64_t retained = 0;
  };
  // `clients`: the per-client drop counts to export (SlowSubscribers::worst).
  std::string prometheusText(const Gauges& gauges, const std::vector<ClientDrops>& clients) const;

 private:
  std::vector<Block*> blocks_;
};

}  // namespace hearth::mqtt

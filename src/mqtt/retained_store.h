// Retained messages, one per topic (MQTT section 3.3.1.3).
//
// Thread-safety: any thread. Sharded by topic so that publishers on different loops do not
// contend. Matching a wildcard filter visits every shard; it runs on SUBSCRIBE, not per publish.
#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mqtt/message.h"

namespace hearth::mqtt {

class RetainedStore {
 public:
  explicit RetainedStore(size_t shards = 64);

  // Stores `message` for its topic, or deletes the topic's retained message when the payload is
  // empty (MQTT 3.3.1.3).
  void put(const MessagePtr& message);
  // Every unexpired retained message whose topic matches `filter`.
  std::vector<MessagePtr> match(std::string_view filter, core::Clock::TimePoint now) const;
  size_t size() const;

 private:
  struct Shard {
    mutable std::shared_mutex mu;
    std::unordered_map<std::string, MessagePtr> messages;
  };
  Shard& shardFor(std::string_view topic) const;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace hearth::mqtt

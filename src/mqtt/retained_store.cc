#include "mqtt/retained_store.h"

#include <mutex>

#include "hearth/mqtt/topic.h"

namespace hearth::mqtt {

RetainedStore::RetainedStore(size_t shards) {
  for (size_t i = 0; i < shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

RetainedStore::Shard& RetainedStore::shardFor(std::string_view topic) const {
  return *shards_[std::hash<std::string_view>{}(topic) % shards_.size()];
}

void RetainedStore::put(const MessagePtr& message) {
  Shard& shard = shardFor(message->topic);
  std::unique_lock lock(shard.mu);
  if (message->payload.empty()) {
    shard.messages.erase(message->topic);
  } else {
    shard.messages.insert_or_assign(message->topic, message);
  }
}

std::vector<MessagePtr> RetainedStore::match(std::string_view filter, core::Clock::TimePoint now) const {
  std::vector<MessagePtr> out;
  if (filter.find_first_of("+#") == std::string_view::npos) {
    Shard& shard = shardFor(filter);
    std::shared_lock lock(shard.mu);
    auto it = shard.messages.find(std::string(filter));
    if (it != shard.messages.end() && !it->second->expired(now)) out.push_back(it->second);
    return out;
  }
  for (const auto& shard : shards_) {
    std::shared_lock lock(shard->mu);
    for (const auto& [topic, message] : shard->messages) {
      if (!message->expired(now) && topicMatches(filter, topic)) out.push_back(message);
    }
  }
  return out;
}

size_t RetainedStore::size() const {
  size_t n = 0;
  for (const auto& shard : shards_) {
    std::shared_lock lock(shard->mu);
    n += shard->messages.size();
  }
  return n;
}

}  // namespace hearth::mqtt

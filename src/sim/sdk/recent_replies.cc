#include "hearth/sim/recent_replies.h"

#include <algorithm>

namespace hearth::sim {

const std::string* RecentReplies::find(uint64_t id) const {
  auto it = std::find_if(replies_.rbegin(), replies_.rend(), [id](const auto& r) { return r.first == id; });
  return it == replies_.rend() ? nullptr : &it->second;
}

void RecentReplies::add(uint64_t id, std::string payload) {
  if (replies_.size() == kKept) replies_.pop_front();
  replies_.emplace_back(id, std::move(payload));
}

}  // namespace hearth::sim

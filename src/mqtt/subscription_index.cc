#include "mqtt/subscription_index.h"

#include <algorithm>
#include <mutex>

#include "hearth/mqtt/topic.h"
#include "mqtt/session.h"
#include "mqtt/string_hash.h"

namespace hearth::mqtt {
namespace {

bool hasWildcard(std::string_view filter) {
  return filter.find_first_of("+#") != std::string_view::npos;
}

struct SharedGroup {
  std::string name;
  std::vector<SubscriptionEntry> members;
  // Round-robin cursor; advanced by concurrent readers, so atomic. Exactness is not required.
  std::unique_ptr<std::atomic<uint32_t>> next = std::make_unique<std::atomic<uint32_t>>(0);
};

struct Subscribers {
  std::vector<SubscriptionEntry> direct;
  std::vector<SharedGroup> groups;

  bool empty() const { return direct.empty() && groups.empty(); }

  bool add(std::string_view group, const SubscriptionEntry& entry) {
    std::vector<SubscriptionEntry>* list = &direct;
    if (!group.empty()) {
      auto g = std::find_if(groups.begin(), groups.end(), [&](const SharedGroup& x) { return x.name == group; });
      if (g == groups.end()) {
        groups.push_back(SharedGroup{std::string(group), {}});
        g = groups.end() - 1;
      }
      list = &g->members;
    }
    for (auto& e : *list) {
      if (e.session == entry.session) {
        e = entry;
        return false;
      }
    }
    list->push_back(entry);
    return true;
  }

  bool remove(std::string_view group, Session* session) {
    std::vector<SubscriptionEntry>* list = &direct;
    auto g = groups.end();
    if (!group.empty()) {
      g = std::find_if(groups.begin(), groups.end(), [&](const SharedGroup& x) { return x.name == group; });
      if (g == groups.end()) return false;
      list = &g->members;
    }
    auto it = std::find_if(list->begin(), list->end(), [&](const SubscriptionEntry& e) { return e.session == session; });
    if (it == list->end()) return false;
    *it = list->back();
    list->pop_back();
    if (g != groups.end() && g->members.empty()) groups.erase(g);
    return true;
  }

  void visit(SubscriptionIndex::Visitor fn, void* ctx) const {
    for (const auto& e : direct) fn(ctx, e);
    for (const auto& g : groups) {
      const size_t n = g.members.size();
      const uint32_t start = g.next->fetch_add(1, std::memory_order_relaxed);
      // Prefer a member with a live connection; fall back to the round-robin pick, whose session
      // queues the message until it reconnects.
      const SubscriptionEntry* pick = &g.members[start % n];
      for (size_t i = 0; i < n; ++i) {
        const SubscriptionEntry& candidate = g.members[(start + i) % n];
        if (candidate.session->online()) {
          pick = &candidate;
          break;
        }
      }
      fn(ctx, *pick);
    }
  }
};

}  // namespace

struct SubscriptionIndex::Node {
  std::unordered_map<std::string, std::unique_ptr<Node>, StringHash, std::equal_to<>> children;
  std::unique_ptr<Node> plus;
  std::unique_ptr<Node> hash;
  Subscribers subscribers;

  bool empty() const { return children.empty() && !plus && !hash && subscribers.empty(); }

  Node* child(std::string_view level, bool create) {
    std::unique_ptr<Node>* slot = nullptr;
    if (level == "+") {
      slot = &plus;
    } else if (level == "#") {
      slot = &hash;
    } else {
      auto it = children.find(level);
      if (it != children.end()) return it->second.get();
      if (!create) return nullptr;
      return children.emplace(std::string(level), std::make_unique<Node>()).first->second.get();
    }
    if (!*slot && create) *slot = std::make_unique<Node>();
    return slot->get();
  }

  // Removes empty child `level` after an unsubscribe, so the trie does not keep dead branches.
  void prune(std::string_view level) {
    if (level == "+") {
      if (plus && plus->empty()) plus.reset();
    } else if (level == "#") {
      if (hash && hash->empty()) hash.reset();
    } else {
      auto it = children.find(level);
      if (it != children.end() && it->second->empty()) children.erase(it);
    }
  }
};

struct SubscriptionIndex::Shard {
  mutable std::shared_mutex mu;
  std::unordered_map<std::string, Subscribers, StringHash, std::equal_to<>> exact;
  Node root;
};

namespace {

// Splits "a/b/c" into levels without allocating per level beyond the vector.
void splitLevels(std::string_view topic, std::vector<std::string_view>& out) {
  size_t start = 0;
  while (true) {
    size_t slash = topic.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(topic.substr(start));
      return;
    }
    out.push_back(topic.substr(start, slash - start));
    start = slash + 1;
  }
}

}  // namespace

SubscriptionIndex::SubscriptionIndex(size_t shards) : wild_root_(std::make_unique<Shard>()) {
  shards_.reserve(shards);
  for (size_t i = 0; i < shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

SubscriptionIndex::~SubscriptionIndex() = default;

SubscriptionIndex::Shard& SubscriptionIndex::exactShard(std::string_view filter) {
  return *shards_[std::hash<std::string_view>{}(filter) % shards_.size()];
}

SubscriptionIndex::Shard& SubscriptionIndex::trieShard(std::string_view first_level) {
  if (first_level == "+" || first_level == "#") return *wild_root_;
  // A different mix than exactShard, so one hot first level does not pin one shard for both.
  return *shards_[(std::hash<std::string_view>{}(first_level) * 0x9E3779B97F4A7C15ull >> 32) % shards_.size()];
}

bool SubscriptionIndex::add(Session* session, std::string_view filter,
                            const SubscriptionOptions& options, uint32_t subscription_id) {
  std::string_view group;
  std::string_view topic_filter = filter;
  parseSharedSubscription(filter, group, topic_filter);
  SubscriptionEntry entry{session, options, subscription_id};
  bool added = false;
  if (!hasWildcard(topic_filter)) {
    Shard& shard = exactShard(topic_filter);
    std::unique_lock lock(shard.mu);
    auto it = shard.exact.find(topic_filter);
    if (it == shard.exact.end()) it = shard.exact.emplace(std::string(topic_filter), Subscribers{}).first;
    added = it->second.add(group, entry);
  } else {
    std::vector<std::string_view> levels;
    splitLevels(topic_filter, levels);
    Shard& shard = trieShard(levels.front());
    std::unique_lock lock(shard.mu);
    Node* node = &shard.root;
    for (auto level : levels) node = node->child(level, true);
    added = node->subscribers.add(group, entry);
  }
  if (added) count_.fetch_add(1, std::memory_order_relaxed);
  return added;
}

bool SubscriptionIndex::remove(Session* session, std::string_view filter) {
  std::string_view group;
  std::string_view topic_filter = filter;
  parseSharedSubscription(filter, group, topic_filter);
  bool removed = false;
  if (!hasWildcard(topic_filter)) {
    Shard& shard = exactShard(topic_filter);
    std::unique_lock lock(shard.mu);
    auto it = shard.exact.find(topic_filter);
    if (it != shard.exact.end()) {
      removed = it->second.remove(group, session);
      if (it->second.empty()) shard.exact.erase(it);
    }
  } else {
    std::vector<std::string_view> levels;
    splitLevels(topic_filter, levels);
    Shard& shard = trieShard(levels.front());
    std::unique_lock lock(shard.mu);
    std::vector<Node*> path{&shard.root};
    for (auto level : levels) {
      Node* next = path.back()->child(level, false);
      if (next == nullptr) return false;
      path.push_back(next);
    }
    removed = path.back()->subscribers.remove(group, session);
    for (size_t i = levels.size(); i > 0; --i) path[i - 1]->prune(levels[i - 1]);
  }
  if (removed) count_.fetch_sub(1, std::memory_order_relaxed);
  return removed;
}

namespace {

struct TrieMatch {
  const std::vector<std::string_view>& levels;
  bool dollar;
  SubscriptionIndex::Visitor visit;
  void* ctx;
};

template <class NodeT>
void matchNode(const NodeT& node, size_t depth, const TrieMatch& m) {
  // A '#' matches the parent level too ("a/#" matches "a"), but a '$' topic is never matched by
  // a wildcard at its first level.
  const bool wildcard_ok = !(depth == 0 && m.dollar);
  if (node.hash && wildcard_ok) node.hash->subscribers.visit(m.visit, m.ctx);
  if (depth == m.levels.size()) {
    node.subscribers.visit(m.visit, m.ctx);
    return;
  }
  auto it = node.children.find(m.levels[depth]);
  if (it != node.children.end()) matchNode(*it->second, depth + 1, m);
  if (node.plus && wildcard_ok) matchNode(*node.plus, depth + 1, m);
}

}  // namespace

void SubscriptionIndex::matchImpl(std::string_view topic, Visitor visit, void* ctx) {
  {
    Shard& shard = exactShard(topic);
    std::shared_lock lock(shard.mu);
    auto it = shard.exact.find(topic);
    if (it != shard.exact.end()) it->second.visit(visit, ctx);
  }
  // Reused per thread so that matching allocates nothing in the steady state.
  thread_local std::vector<std::string_view> levels;
  levels.clear();
  splitLevels(topic, levels);
  TrieMatch m{levels, !topic.empty() && topic.front() == '$', visit, ctx};
  {
    Shard& shard = trieShard(levels.front());
    std::shared_lock lock(shard.mu);
    if (!shard.root.empty()) matchNode(shard.root, 0, m);
  }
  {
    std::shared_lock lock(wild_root_->mu);
    if (!wild_root_->root.empty()) matchNode(wild_root_->root, 0, m);
  }
}

}  // namespace hearth::mqtt

#include "hearth/home/access_changes.h"

namespace hearth::home {
namespace {

constexpr size_t kPage = 100;

}  // namespace

std::vector<int64_t> homeMemberIds(store::HomeStore& homes, int64_t home_id) {
  std::vector<int64_t> ids;
  for (int64_t after = 0;;) {
    auto page = homes.members(home_id, after, kPage);
    if (!page) return ids;
    for (const auto& m : page.value()) ids.push_back(m.user_id);
    if (page.value().size() < kPage) return ids;
    after = page.value().back().user_id;
  }
}

std::vector<int64_t> shareRecipientIds(store::ShareStore& shares, std::string_view did) {
  std::vector<int64_t> ids;
  for (int64_t after = 0;;) {
    auto page = shares.sharesOf(did, after, kPage);
    if (!page) return ids;
    for (const auto& s : page.value()) ids.push_back(s.user_id);
    if (page.value().size() < kPage) return ids;
    after = page.value().back().user_id;
  }
}

void announce(AccessListener* listener, const std::vector<int64_t>& user_ids) {
  if (listener == nullptr) return;
  for (int64_t id : user_ids) listener->onAccessChanged(id);
}

}  // namespace hearth::home

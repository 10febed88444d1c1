// What routes read from a request besides its body: who is signed in, ids in the path, and
// integers in the query. Each reader answers the HTTP error itself when the request is wrong.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "hearth/core/status.h"
#include "hearth/home/accounts.h"
#include "hearth/http/server.h"

namespace hearth::api {

// A positive decimal integer (an id in a path segment); nullopt for anything else.
std::optional<int64_t> positiveInt(std::string_view text);

// The query parameter `name` as a decimal integer in [min, max], or `fallback` when it is
// absent; a 400 naming the parameter otherwise.
core::Result<int64_t, http::Response> queryInt(const http::Request& request, std::string_view name, int64_t fallback,
                                               int64_t min, int64_t max);

// A page of a list (docs/api.md: every list pages alike): ?after=KEY&limit=N, limit 1..`max`
// (default kDefaultPage); no `after` is the first page. Lists keyed by did take `after` as sent,
// lists keyed by id as an id (a 400 when it is not one).
inline constexpr int64_t kDefaultPage = 50;
struct PageRequest {
  std::string_view after;
  size_t limit = kDefaultPage;
};
struct IdPageRequest {
  int64_t after = 0;
  size_t limit = kDefaultPage;
};
core::Result<PageRequest, http::Response> pageRequest(const http::Request& request, size_t max);
core::Result<IdPageRequest, http::Response> idPageRequest(const http::Request& request, size_t max);

// The answer of a page of at most `limit`: {"<name>": [...], "next_after": the last item's key
// when the page is full, else null}.
template <class Item, class Key, class ToJson>
http::Response pageResponse(std::string_view name, const std::vector<Item>& items, size_t limit, Key key,
                            ToJson to_json) {
  boost::json::array list;
  for (const Item& item : items) list.push_back(to_json(item));
  boost::json::value next = nullptr;
  if (!items.empty() && items.size() == limit) next = key(items.back());
  return http::Response{200, "application/json",
                        boost::json::serialize(boost::json::object{{name, std::move(list)}, {"next_after", next}})};
}

// The account of the request's access token (Authorization: Bearer), or the 401.
core::Result<store::UserRecord, http::Response> signedIn(const http::Request& request, home::Accounts& accounts);

}  // namespace hearth::api

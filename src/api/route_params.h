// What routes read from a request besides its body: who is signed in, ids in the path, and
// integers in the query. Each reader answers the HTTP error itself when the request is wrong.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

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

// The account of the request's access token (Authorization: Bearer), or the 401.
core::Result<store::UserRecord, http::Response> signedIn(const http::Request& request, home::Accounts& accounts);

}  // namespace hearth::api

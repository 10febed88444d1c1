#include "api/route_params.h"

#include <fmt/format.h>

#include <charconv>

#include "hearth/api/status_response.h"

namespace hearth::api {

namespace {

std::optional<int64_t> integerOf(std::string_view text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

std::optional<int64_t> positiveInt(std::string_view text) {
  auto n = integerOf(text);
  if (!n || *n <= 0) return std::nullopt;
  return n;
}

core::Result<int64_t, http::Response> queryInt(const http::Request& request, std::string_view name, int64_t fallback,
                                               int64_t min, int64_t max) {
  std::string_view text = request.queryParam(name);
  if (text.empty()) return fallback;
  auto n = integerOf(text);
  if (!n || *n < min || *n > max) {
    return http::errorResponse(400, fmt::format("{}: an integer from {} to {}", name, min, max), "invalid_argument");
  }
  return *n;
}

core::Result<PageRequest, http::Response> pageRequest(const http::Request& request, size_t max) {
  auto limit = queryInt(request, "limit", kDefaultPage, 1, static_cast<int64_t>(max));
  if (!limit) return limit.error();
  return PageRequest{request.queryParam("after"), static_cast<size_t>(limit.value())};
}

core::Result<IdPageRequest, http::Response> idPageRequest(const http::Request& request, size_t max) {
  auto page = pageRequest(request, max);
  if (!page) return page.error();
  if (page.value().after.empty()) return IdPageRequest{0, page.value().limit};
  auto id = positiveInt(page.value().after);
  if (!id) return http::errorResponse(400, "after: the next_after of the previous page", "invalid_argument");
  return IdPageRequest{*id, page.value().limit};
}

core::Result<store::UserRecord, http::Response> signedIn(const http::Request& request, home::Accounts& accounts) {
  auto user = accounts.authenticate(request.bearerToken());
  if (!user) return responseFor(user.error());
  return std::move(user).value();
}

}  // namespace hearth::api

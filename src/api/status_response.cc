#include "hearth/api/status_response.h"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

namespace hearth::api {

ErrorCode errorCodeFor(const core::Status& status) {
  using core::StatusCode;
  switch (status.code()) {
    case StatusCode::kInvalidArgument: return {400, "invalid_argument"};
    case StatusCode::kUnauthenticated: return {401, http::statusCode(401)};
    case StatusCode::kPermissionDenied: return {403, http::statusCode(403)};
    case StatusCode::kNotFound: return {404, http::statusCode(404)};
    case StatusCode::kAlreadyExists: return {409, "already_exists"};
    case StatusCode::kFailedPrecondition: return {409, "failed_precondition"};
    case StatusCode::kResourceExhausted: return {429, http::statusCode(429)};
    case StatusCode::kUnavailable: return {503, http::statusCode(503)};
    default: return {500, http::statusCode(500)};
  }
}

http::Response responseFor(const core::Status& status) {
  const ErrorCode error = errorCodeFor(status);
  if (error.status == 500) {
    // Details go to the log, not the client.
    spdlog::error("api: {}", status.toString());
    return http::errorResponse(500, "internal error");
  }
  return http::errorResponse(error.status, status.message(), error.code);
}

http::Response jsonResponse(const boost::json::object& body, int status) {
  return http::Response{status, "application/json", boost::json::serialize(body)};
}

http::Response noContent() { return http::Response{204, "application/json", ""}; }

}  // namespace hearth::api

#include "hearth/api/status_response.h"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

namespace hearth::api {

http::Response responseFor(const core::Status& status) {
  using core::StatusCode;
  const std::string& message = status.message();
  switch (status.code()) {
    case StatusCode::kInvalidArgument: return http::errorResponse(400, message, "invalid_argument");
    case StatusCode::kUnauthenticated: return http::errorResponse(401, message);
    case StatusCode::kPermissionDenied: return http::errorResponse(403, message);
    case StatusCode::kNotFound: return http::errorResponse(404, message);
    case StatusCode::kAlreadyExists: return http::errorResponse(409, message, "already_exists");
    case StatusCode::kFailedPrecondition: return http::errorResponse(409, message, "failed_precondition");
    case StatusCode::kResourceExhausted: return http::errorResponse(429, message);
    case StatusCode::kUnavailable: return http::errorResponse(503, message);
    default:
      spdlog::error("api: {}", status.toString());
      return http::errorResponse(500, "internal error");
  }
}

http::Response jsonResponse(const boost::json::object& body, int status) {
  return http::Response{status, "application/json", boost::json::serialize(body)};
}

http::Response noContent() { return http::Response{204, "application/json", ""}; }

}  // namespace hearth::api

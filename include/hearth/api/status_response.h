// The API's answers in one place. A service's Status becomes the HTTP error: kInvalidArgument 400
// "invalid_argument", kUnauthenticated 401, kPermissionDenied 403, kNotFound 404, kAlreadyExists
// 409 "already_exists", kFailedPrecondition 409 "failed_precondition", kResourceExhausted 429,
// kUnavailable 503; anything else 500 "internal", whose details go to the log, not the client.
#pragma once

#include <boost/json/object.hpp>

#include "hearth/core/status.h"
#include "hearth/http/server.h"

namespace hearth::api {

http::Response responseFor(const core::Status& status);

// The HTTP status and error code of a Status, as responseFor() answers them; for answers that
// are not HTTP responses (WebSocket errors).
struct ErrorCode {
  int status = 500;
  std::string_view code;
};
ErrorCode errorCodeFor(const core::Status& status);

// The API's successful answers: a JSON object with `status`, or 204 with no body.
http::Response jsonResponse(const boost::json::object& body, int status = 200);
http::Response noContent();

}  // namespace hearth::api

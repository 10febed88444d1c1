// One place that turns a service's Status into the API's HTTP error: kInvalidArgument 400
// "invalid_argument", kUnauthenticated 401, kPermissionDenied 403, kNotFound 404, kAlreadyExists
// 409 "already_exists", kFailedPrecondition 409 "failed_precondition", kResourceExhausted 429,
// kUnavailable 503; anything else 500 "internal", whose details go to the log, not the client.
#pragma once

#include "hearth/core/status.h"
#include "hearth/http/server.h"

namespace hearth::api {

http::Response responseFor(const core::Status& status);

}  // namespace hearth::api

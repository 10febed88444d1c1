// The operator's command route, the HTTP face of platform::CommandService (docs/api.md):
//
//   POST /api/v1/devices/{did}/commands
//   {"method":"set_properties","params":[{"siid":2,"piid":1,"value":true}],
//    "timeout_ms":5000,"when_offline":"fail"|"queue","ttl_s":86400}
//   → 200 {"id":N,"result":[{"siid":2,"piid":1,"code":0}]}
//
// "method" and "params" are those of the device protocol (get_properties, set_properties,
// action); the answer is the CommandService's, per-item codes included. 401 without the
// operator token, 400 for a body that is not such a command (with the reason), 404 for an
// unknown device.
//
// Ownership: the routes borrow the service and the token, which must outlive the server.
#pragma once

#include "hearth/api/operator_token.h"
#include "hearth/http/server.h"
#include "hearth/platform/command_service.h"

namespace hearth::api {

void addCommandRoutes(http::Server& server, platform::CommandService& commands, const OperatorToken& token);

}  // namespace hearth::api

// The command route, the HTTP face of home::DeviceCommands (docs/api.md), for the operator and
// for people:
//
//   POST /api/v1/devices/{did}/commands
//   {"method":"set_properties","params":[{"siid":2,"piid":1,"value":true}],
//    "timeout_ms":5000,"when_offline":"fail"|"queue","ttl_s":86400}
//   → 200 {"id":N,"result":[{"siid":2,"piid":1,"code":0}]}
//
// "method" and "params" are those of the device protocol (get_properties, set_properties,
// action); the answer is the CommandService's, per-item codes included. The bearer token is the
// operator token (any device) or a person's access token: get_properties needs to see the device,
// set_properties and action to control it (home/access.h), else 404 or 403 as there; changes are
// audited with who sent them (the operator, or "user:<id>"). 401 without
// a valid token, 400 for a body that is not such a command (with the reason), 404 for an unknown
// device.
//
// Ownership: the routes borrow the services and the token, which must outlive the server.
#pragma once

#include "hearth/api/operator_token.h"
#include "hearth/home/accounts.h"
#include "hearth/home/device_commands.h"
#include "hearth/http/server.h"

namespace hearth::api {

void addCommandRoutes(http::Server& server, home::DeviceCommands& commands, const OperatorToken& token,
                      home::Accounts& accounts);

}  // namespace hearth::api

// The MIoT-compatible app endpoints (docs/api.md, "MIoT-compatible endpoints"): the request and
// response JSON of Xiaomi's cloud, so that clients written for it can point at Hearth.
//
//   POST /app/v2/miotspec/prop/get      live values from the devices, per-item codes
//   POST /app/v2/miotspec/prop/set      per-item codes
//   POST /app/v2/miotspec/action        the action's code and output
//   POST /app/v2/home/device_list_page  the devices the caller may see, a page at a time
//   POST /app/v2/homeroom/gethome       the caller's homes with their rooms and devices
//
// Every answer has Xiaomi's envelope {"code","message","result"}: code 0 with HTTP 200 when the
// request was understood (items carry their own codes, from platform/result_code.h), else the
// HTTP status and a MIoT code: 401 -704010000 without a valid access token (Bearer), 400
// -704000000 with the reason for a body that is not such a request. A device the caller may not
// see, or may not control, is -704042001 "device not found" per item, whether it exists or not.
//
// Ownership: the routes borrow the services, which must outlive the server.
#pragma once

#include "hearth/home/accounts.h"
#include "hearth/home/device_commands.h"
#include "hearth/home/devices.h"
#include "hearth/home/homes.h"
#include "hearth/http/server.h"

namespace hearth::api {

void addMiotRoutes(http::Server& server, home::Accounts& accounts, home::Homes& homes, home::Devices& devices,
                   home::DeviceCommands& commands);

}  // namespace hearth::api

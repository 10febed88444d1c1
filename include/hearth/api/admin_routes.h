// The operators' routes (docs/api.md, "Operators"), for accounts with the admin flag
// (`hearth user add EMAIL --admin`); anyone else gets 403.
//
//   GET /api/v1/admin/stats → {"devices","devices_online","devices_bound","devices_by_type":{…},
//                              "users","homes","users_with_5_devices","daily_active_users",
//                              "monthly_active_users"}
//
// Ownership: the routes borrow the services, which must outlive the server.
#pragma once

#include "hearth/home/accounts.h"
#include "hearth/home/platform_stats.h"
#include "hearth/http/server.h"

namespace hearth::api {

void addAdminRoutes(http::Server& server, home::Accounts& accounts, home::PlatformStats& stats);

}  // namespace hearth::api

// The operators' routes (docs/api.md, "Operators"), for accounts with the admin flag
// (`hearth user add EMAIL --admin`); anyone else gets 403.
//
//   GET /api/v1/admin/stats → {"devices","devices_online","devices_bound","devices_by_type":{…},
//                              "users","homes","users_with_5_devices","daily_active_users",
//                              "monthly_active_users"}
//   GET /api/v1/admin/mqtt/dropped → {"clients":[{"client_id","queue_full","last_drop_unix_ms"}]}:
//                              the kDroppedClients MQTT clients that lost most messages to a full
//                              queue, most first
//
// Ownership: the routes borrow the services, which must outlive the server.
#pragma once

#include "hearth/home/accounts.h"
#include "hearth/home/platform_stats.h"
#include "hearth/http/server.h"
#include "hearth/mqtt/broker.h"

namespace hearth::api {

inline constexpr size_t kDroppedClients = 100;

void addAdminRoutes(http::Server& server, home::Accounts& accounts, home::PlatformStats& stats,
                    const mqtt::Broker& broker);

}  // namespace hearth::api

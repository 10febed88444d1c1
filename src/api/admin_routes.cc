#include "hearth/api/admin_routes.h"

#include <boost/json.hpp>

#include <optional>

#include "api/route_params.h"
#include "hearth/api/status_response.h"

namespace hearth::api {

namespace {

// Null if the request comes from an admin; else the answer (401 or 403).
std::optional<http::Response> refuseUnlessAdmin(const http::Request& r, home::Accounts& accounts) {
  auto user = signedIn(r, accounts);
  if (!user) return user.error();
  if (!user.value().admin) return http::errorResponse(403, "for operators only");
  return std::nullopt;
}

}  // namespace

void addAdminRoutes(http::Server& server, home::Accounts& accounts, home::PlatformStats& stats,
                    const mqtt::Broker& broker) {
  server.addRoute("GET", "/api/v1/admin/stats", [&accounts, &stats](const http::Request& r) {
    if (auto refused = refuseUnlessAdmin(r, accounts)) return std::move(*refused);
    auto counts = stats.current();
    return counts ? jsonResponse(home::PlatformStats::toJson(counts.value())) : responseFor(counts.error());
  });
  server.addRoute("GET", "/api/v1/admin/mqtt/dropped", [&accounts, &broker](const http::Request& r) {
    if (auto refused = refuseUnlessAdmin(r, accounts)) return std::move(*refused);
    boost::json::array clients;
    for (const mqtt::ClientDrops& c : broker.droppedByClient(kDroppedClients)) {
      clients.push_back(boost::json::object{{"client_id", c.client_id},
                                            {"queue_full", c.queue_full},
                                            {"last_drop_unix_ms", c.last_drop_unix_ms}});
    }
    return jsonResponse(boost::json::object{{"clients", std::move(clients)}});
  });
}

}  // namespace hearth::api

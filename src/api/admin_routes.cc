#include "hearth/api/admin_routes.h"

#include "api/route_params.h"
#include "hearth/api/status_response.h"

namespace hearth::api {

void addAdminRoutes(http::Server& server, home::Accounts& accounts, home::PlatformStats& stats) {
  server.addRoute("GET", "/api/v1/admin/stats", [&accounts, &stats](const http::Request& r) {
    auto user = signedIn(r, accounts);
    if (!user) return user.error();
    if (!user.value().admin) return http::errorResponse(403, "for operators only");
    auto counts = stats.current();
    return counts ? jsonResponse(home::PlatformStats::toJson(counts.value())) : responseFor(counts.error());
  });
}

}  // namespace hearth::api

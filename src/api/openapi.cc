#include "hearth/api/openapi.h"

#include <string>

namespace hearth::api {

void addOpenApiRoute(http::Server& server) {
  server.addRoute("GET", "/api/openapi.json", [](const http::Request&) {
    return http::Response{200, "application/json", std::string(openApiDocument())};
  });
}

}  // namespace hearth::api

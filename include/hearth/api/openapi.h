// The OpenAPI 3 document of the HTTP API (docs/openapi.json, compiled in), served at
// GET /api/openapi.json without authentication. tests/integration/test_openapi.py checks it
// against the routes hearthd really serves, both ways.
#pragma once

#include <string_view>

#include "hearth/http/server.h"

namespace hearth::api {

std::string_view openApiDocument();

void addOpenApiRoute(http::Server& server);

}  // namespace hearth::api

// Homes and rooms for signed-in people (docs/api.md), the HTTP face of home::Homes. Every route
// needs an access token (Authorization: Bearer); what the user may do is home/access.h's answer:
// a home the user cannot see is 404 "no home N", a role that does not allow the change is 403.
//
//   GET    /api/v1/homes?after=ID&limit=N        → {"homes":[...],"next_after":ID|null}
//   POST   /api/v1/homes {"name"}                → 201 the home
//   GET    /api/v1/homes/{home}                  → the home with its rooms and the caller's role
//   PATCH  /api/v1/homes/{home} {"name"}         → 204
//   DELETE /api/v1/homes/{home}                  → 204 (the owner)
//   POST   /api/v1/homes/{home}/rooms {"name"}   → 201 the room
//   PATCH  /api/v1/homes/{home}/rooms/{room} {"name"} → 204
//   DELETE /api/v1/homes/{home}/rooms/{room}    → 204
//   GET    /api/v1/homes/{home}/members?after=USER&limit=N → {"members":[{"user_id","email","role",
//                                                 "until_ms","added_at_ms"}],"next_after"}
//   DELETE /api/v1/homes/{home}/members/{member} → 204 (leave, or remove someone; never the owner)
//   POST   /api/v1/homes/{home}/invitations {"email","role","until_ms"?} → 201 the invitation
//   GET    /api/v1/invitations?after=ID&limit=N → {"invitations":[...],"next_after"} for the caller's email
//   POST   /api/v1/invitations/{invitation}/accept | /decline → 204
//
// Ownership: the routes borrow the services, which must outlive the server.
#pragma once

#include "hearth/home/accounts.h"
#include "hearth/home/homes.h"
#include "hearth/http/server.h"

namespace hearth::api {

void addHomeRoutes(http::Server& server, home::Accounts& accounts, home::Homes& homes);

}  // namespace hearth::api

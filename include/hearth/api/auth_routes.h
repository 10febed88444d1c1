// People's sign-up, login and session routes (docs/api.md), the HTTP face of home::Accounts:
//
//   POST /api/v1/auth/signup   {"email","password"}          → 201 {"user":{...}}
//   POST /api/v1/auth/login    {"email","password"}          → 200 tokens
//   POST /api/v1/auth/refresh  {"refresh_token"}             → 200 tokens (the old pair stops working)
//   POST /api/v1/auth/logout   Authorization: Bearer <access> → 204
//   GET  /api/v1/users/me      Authorization: Bearer <access> → 200 {"id","email","admin","created_at_ms"}
//   POST /api/v1/users/me/password {"old_password","new_password"} + Bearer → 204
//
// tokens: {"token_type":"Bearer","session_id","access_token","access_expires_at_ms",
// "refresh_token","refresh_expires_at_ms"}. Errors (api/status_response.h): 400 for a body that is
// not such an object (unknown members included), 401 for wrong credentials or tokens, 409 for an
// email in use, 429 when failed logins exceed their limit.
//
// Password hashing is slow on purpose, so those requests run on `offload` (hearthd: a small
// thread pool), never on the HTTP thread. Ownership: the routes borrow `accounts`, which must
// outlive the server.
#pragma once

#include <functional>

#include "hearth/home/accounts.h"
#include "hearth/http/server.h"

namespace hearth::api {

// Runs a job on another thread (a pool); the job answers through its Responder.
using Offload = std::function<void(std::function<void()>)>;

// `open_signup` false (accounts.open_signup): sign-up answers 403; operators create accounts.
void addAuthRoutes(http::Server& server, home::Accounts& accounts, Offload offload, bool open_signup);

}  // namespace hearth::api

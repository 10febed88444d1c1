#include "hearth/api/auth_routes.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <memory>

#include "hearth/api/request_body.h"
#include "hearth/api/status_response.h"

namespace hearth::api {

namespace json = boost::json;

namespace {

json::object tokensJson(const home::Tokens& t) {
  return json::object{{"token_type", "Bearer"},
                      {"session_id", t.session_id},
                      {"access_token", t.access_token},
                      {"access_expires_at_ms", t.access_expires_ms},
                      {"refresh_token", t.refresh_token},
                      {"refresh_expires_at_ms", t.refresh_expires_ms}};
}

json::object userJson(const store::UserRecord& u) {
  return json::object{{"id", u.id}, {"email", u.email}, {"admin", u.admin}, {"created_at_ms", u.created_at_ms}};
}

}  // namespace

void addAuthRoutes(http::Server& server, home::Accounts& accounts, Offload offload, bool open_signup) {
  server.addAsyncRoute("POST", "/api/v1/auth/signup", [&accounts, offload, open_signup](const http::Request& r,
                                                                                        http::Responder respond) {
    if (!open_signup) return respond(http::errorResponse(403, "sign-up is closed here; ask an operator for an account"));
    auto in = readStringMembers(r.body, {"email", "password"});
    if (!in) return respond(http::errorResponse(400, in.error()));
    offload([&accounts, in = std::move(in).value(), respond = std::move(respond)] {
      auto user = accounts.signUp(in.string("email"), in.string("password"));
      respond(user ? jsonResponse(json::object{{"user", userJson(user.value())}}, 201) : responseFor(user.error()));
    });
  });

  server.addAsyncRoute("POST", "/api/v1/auth/login", [&accounts, offload](const http::Request& r, http::Responder respond) {
    auto in = readStringMembers(r.body, {"email", "password"});
    if (!in) return respond(http::errorResponse(400, in.error()));
    offload([&accounts, in = std::move(in).value(), address = r.remote_address, respond = std::move(respond)] {
      auto tokens = accounts.login(in.string("email"), in.string("password"), address);
      respond(tokens ? jsonResponse(tokensJson(tokens.value())) : responseFor(tokens.error()));
    });
  });

  // A token lookup, no password work: answered on the HTTP thread.
  server.addRoute("POST", "/api/v1/auth/refresh", [&accounts](const http::Request& r) {
    auto in = readStringMembers(r.body, {"refresh_token"});
    if (!in) return http::errorResponse(400, in.error());
    auto tokens = accounts.refresh(in.value().string("refresh_token"));
    return tokens ? jsonResponse(tokensJson(tokens.value())) : responseFor(tokens.error());
  });

  server.addRoute("POST", "/api/v1/auth/logout", [&accounts](const http::Request& r) {
    core::Status s = accounts.logout(r.bearerToken());
    return s.isOk() ? noContent() : responseFor(s);
  });

  server.addRoute("GET", "/api/v1/users/me", [&accounts](const http::Request& r) {
    auto user = accounts.authenticate(r.bearerToken());
    return user ? jsonResponse(userJson(user.value())) : responseFor(user.error());
  });

  server.addAsyncRoute(
      "POST", "/api/v1/users/me/password", [&accounts, offload](const http::Request& r, http::Responder respond) {
        auto in = readStringMembers(r.body, {"old_password", "new_password"});
        if (!in) return respond(http::errorResponse(400, in.error()));
        offload([&accounts, in = std::move(in).value(), token = std::string(r.bearerToken()),
                 respond = std::move(respond)] {
          core::Status s = accounts.changePassword(token, in.string("old_password"), in.string("new_password"));
          respond(s.isOk() ? noContent() : responseFor(s));
        });
      });
}

}  // namespace hearth::api

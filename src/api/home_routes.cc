#include "hearth/api/home_routes.h"

#include <boost/json.hpp>

#include "hearth/api/request_body.h"
#include "hearth/api/status_response.h"
#include "api/route_params.h"

namespace hearth::api {

namespace json = boost::json;

namespace {

json::object homeJson(const store::HomeRecord& h, store::HomeRole role) {
  return json::object{{"id", h.id},
                      {"name", h.name},
                      {"owner_id", h.owner_id},
                      {"role", store::homeRoleName(role)},
                      {"created_at_ms", h.created_at_ms}};
}

json::object invitationJson(const store::InvitationRecord& i) {
  return json::object{{"id", i.id},
                      {"home_id", i.home_id},
                      {"home_name", i.home_name},
                      {"email", i.email},
                      {"role", store::homeRoleName(i.role)},
                      {"until_ms", i.until_ms},
                      {"invited_by", i.invited_by},
                      {"created_at_ms", i.created_at_ms}};
}

json::object roomJson(const store::RoomRecord& r) {
  return json::object{{"id", r.id}, {"home_id", r.home_id}, {"name", r.name}, {"created_at_ms", r.created_at_ms}};
}

// What every route does first: who is asking, and which home (and room) the path names.
struct Call {
  int64_t user = 0;
  std::string email;
  int64_t home = 0;
  int64_t room = 0;
  int64_t id = 0;  // {member} or {invitation}
};

core::Result<Call, http::Response> begin(const http::Request& r, home::Accounts& accounts) {
  auto user = signedIn(r, accounts);
  if (!user) return user.error();
  Call call{user.value().id, user.value().email, 0, 0, 0};
  if (std::string_view h = r.param("home"); !h.empty()) {
    auto id = positiveInt(h);
    if (!id) return http::errorResponse(404, "no home " + std::string(h));
    call.home = *id;
  }
  if (std::string_view room = r.param("room"); !room.empty()) {
    auto id = positiveInt(room);
    if (!id) return http::errorResponse(404, "no room " + std::string(room));
    call.room = *id;
  }
  for (std::string_view kind : {"member", "invitation"}) {
    if (std::string_view text = r.param(kind); !text.empty()) {
      auto id = positiveInt(text);
      if (!id) return http::errorResponse(404, "no " + std::string(kind) + " " + std::string(text));
      call.id = *id;
    }
  }
  return call;
}

}  // namespace

void addHomeRoutes(http::Server& server, home::Accounts& accounts, home::Homes& homes) {
  server.addRoute("GET", "/api/v1/homes", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    auto want = idPageRequest(r, home::Homes::kMaxPage);
    if (!want) return want.error();
    auto page = homes.list(call.value().user, want.value().after, want.value().limit);
    if (!page) return responseFor(page.error());
    return pageResponse(
        "homes", page.value(), want.value().limit, [](const home::HomeSummary& h) { return h.home.id; },
        [](const home::HomeSummary& h) { return homeJson(h.home, h.role); });
  });

  server.addRoute("POST", "/api/v1/homes", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    auto in = readStringMembers(r.body, {"name"});
    if (!in) return http::errorResponse(400, in.error());
    auto home = homes.create(call.value().user, in.value().string("name"));
    return home ? jsonResponse(homeJson(home.value(), store::HomeRole::kOwner), 201) : responseFor(home.error());
  });

  server.addRoute("GET", "/api/v1/homes/{home}", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    auto detail = homes.get(call.value().user, call.value().home);
    if (!detail) return responseFor(detail.error());
    json::object out = homeJson(detail.value().home, detail.value().role);
    json::array rooms;
    for (const auto& room : detail.value().rooms) rooms.push_back(roomJson(room));
    out["rooms"] = std::move(rooms);
    return jsonResponse(out);
  });

  server.addRoute("PATCH", "/api/v1/homes/{home}", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    auto in = readStringMembers(r.body, {"name"});
    if (!in) return http::errorResponse(400, in.error());
    core::Status s = homes.rename(call.value().user, call.value().home, in.value().string("name"));
    return s.isOk() ? noContent() : responseFor(s);
  });

  server.addRoute("DELETE", "/api/v1/homes/{home}", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    core::Status s = homes.remove(call.value().user, call.value().home);
    return s.isOk() ? noContent() : responseFor(s);
  });

  server.addRoute("POST", "/api/v1/homes/{home}/rooms", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    auto in = readStringMembers(r.body, {"name"});
    if (!in) return http::errorResponse(400, in.error());
    auto room = homes.addRoom(call.value().user, call.value().home, in.value().string("name"));
    return room ? jsonResponse(roomJson(room.value()), 201) : responseFor(room.error());
  });

  server.addRoute("PATCH", "/api/v1/homes/{home}/rooms/{room}", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    auto in = readStringMembers(r.body, {"name"});
    if (!in) return http::errorResponse(400, in.error());
    core::Status s = homes.renameRoom(call.value().user, call.value().home, call.value().room, in.value().string("name"));
    return s.isOk() ? noContent() : responseFor(s);
  });

  server.addRoute("DELETE", "/api/v1/homes/{home}/rooms/{room}", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    core::Status s = homes.removeRoom(call.value().user, call.value().home, call.value().room);
    return s.isOk() ? noContent() : responseFor(s);
  });

  server.addRoute("GET", "/api/v1/homes/{home}/members", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    auto want = idPageRequest(r, home::Homes::kMaxPage);
    if (!want) return want.error();
    auto members = homes.members(call.value().user, call.value().home, want.value().after, want.value().limit);
    if (!members) return responseFor(members.error());
    return pageResponse(
        "members", members.value(), want.value().limit, [](const store::MemberRecord& m) { return m.user_id; },
        [](const store::MemberRecord& m) {
          return json::object{{"user_id", m.user_id},
                              {"email", m.email},
                              {"role", store::homeRoleName(m.role)},
                              {"until_ms", m.until_ms},
                              {"added_at_ms", m.added_at_ms}};
        });
  });

  server.addRoute("DELETE", "/api/v1/homes/{home}/members/{member}", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    core::Status s = homes.removeMember(call.value().user, call.value().home, call.value().id);
    return s.isOk() ? noContent() : responseFor(s);
  });

  server.addRoute("POST", "/api/v1/homes/{home}/invitations", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    using Type = MemberSpec::Type;
    auto in = readMembers(r.body, {{"email", Type::kString, true},
                                   {"role", Type::kString, true},
                                   {"until_ms", Type::kInteger, false}});
    if (!in) return http::errorResponse(400, in.error());
    auto role = store::homeRoleNamed(in.value().string("role"));
    if (!role) return http::errorResponse(400, "role: admin, member or guest", "invalid_argument");
    auto invitation = homes.invite(call.value().user, call.value().home, in.value().string("email"), *role,
                                   in.value().integer("until_ms").value_or(0));
    return invitation ? jsonResponse(invitationJson(invitation.value()), 201) : responseFor(invitation.error());
  });

  server.addRoute("GET", "/api/v1/invitations", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    auto want = idPageRequest(r, home::Homes::kMaxPage);
    if (!want) return want.error();
    auto pending = homes.invitationsFor(call.value().email, want.value().after, want.value().limit);
    if (!pending) return responseFor(pending.error());
    return pageResponse(
        "invitations", pending.value(), want.value().limit, [](const store::InvitationRecord& i) { return i.id; },
        invitationJson);
  });

  server.addRoute("POST", "/api/v1/invitations/{invitation}/accept", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    core::Status s = homes.accept(call.value().user, call.value().email, call.value().id);
    return s.isOk() ? noContent() : responseFor(s);
  });

  server.addRoute("POST", "/api/v1/invitations/{invitation}/decline", [&accounts, &homes](const http::Request& r) {
    auto call = begin(r, accounts);
    if (!call) return call.error();
    core::Status s = homes.decline(call.value().email, call.value().id);
    return s.isOk() ? noContent() : responseFor(s);
  });
}

}  // namespace hearth::api

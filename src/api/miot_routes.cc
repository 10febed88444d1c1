#include "hearth/api/miot_routes.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "api/route_params.h"
#include "hearth/api/miot_request.h"
#include "hearth/platform/result_code.h"

namespace hearth::api {

namespace json = boost::json;
namespace result = platform::result;

namespace {

constexpr size_t kMaxDeviceListPage = 300;

struct Context {
  home::Accounts& accounts;
  home::Homes& homes;
  home::Devices& devices;
  home::DeviceCommands& commands;
};

http::Response envelope(int status, int32_t code, std::string_view message, json::value result = nullptr) {
  json::object body{{"code", code}, {"message", message}};
  if (!result.is_null()) body["result"] = std::move(result);
  return http::Response{status, "application/json", json::serialize(body)};
}

http::Response ok(json::value result) { return envelope(200, 0, "ok", std::move(result)); }
http::Response malformed(std::string_view reason) { return envelope(400, result::kMalformed, reason); }

// The caller's account id, or the MIoT-style 401.
core::Result<int64_t, http::Response> caller(const Context& c, const http::Request& r) {
  auto user = c.accounts.authenticate(r.bearerToken());
  if (!user) return envelope(401, result::kUnauthorized, user.error().message());
  return user.value().id;
}

// Answers of several devices gathered into one array, in the request's order; the last device
// to answer sends the response. Callbacks may run on any thread, or before the call returns.
class Gather {
 public:
  Gather(size_t items, size_t devices, http::Responder respond)
      : results_(items), waiting_(devices), respond_(std::move(respond)) {}

  void set(size_t index, json::object item) {
    std::lock_guard lock(mu_);
    results_[index] = std::move(item);
  }

  // One device has answered (all of its items are set).
  void done() {
    json::array out;
    {
      std::lock_guard lock(mu_);
      if (--waiting_ != 0) return;
      out = std::move(results_);
    }
    respond_(ok(std::move(out)));
  }

 private:
  std::mutex mu_;
  json::array results_;
  size_t waiting_;
  http::Responder respond_;
};

json::object propertyItem(const MiotProperty& p, int32_t code) {
  return json::object{{"did", p.did}, {"siid", p.siid}, {"piid", p.piid}, {"code", code}};
}

// prop/get and prop/set: the items grouped by device, one command per device.
void properties(const Context& c, const http::Request& r, http::Responder respond, bool set) {
  auto user = caller(c, r);
  if (!user) return respond(user.error());
  auto read = readMiotProperties(r.body, set);
  if (!read) return respond(malformed(read.error()));
  std::vector<MiotProperty> items = std::move(read).value();
  std::map<std::string, std::vector<size_t>> by_device;
  for (size_t i = 0; i < items.size(); ++i) by_device[items[i].did].push_back(i);
  auto gather = std::make_shared<Gather>(items.size(), by_device.size(), std::move(respond));
  for (auto& [did, indexes] : by_device) {
    platform::DeviceRequest request;
    request.method = set ? platform::Method::kSetProperties : platform::Method::kGetProperties;
    for (size_t i : indexes) request.properties.push_back(platform::PropertyItem{items[i].siid, items[i].piid, items[i].value});
    auto answer = [gather, items, indexes](platform::DeviceResponse response) {
      const auto* results = std::get_if<std::vector<platform::PropertyResult>>(&response.body);
      const auto* error = std::get_if<platform::MessageError>(&response.body);
      for (size_t k = 0; k < indexes.size(); ++k) {
        const MiotProperty& p = items[indexes[k]];
        int32_t code = error != nullptr ? error->code : result::kInternal;
        json::object item = propertyItem(p, code);
        if (results != nullptr && k < results->size()) {
          item["code"] = (*results)[k].code;
          if ((*results)[k].value) item["value"] = *(*results)[k].value;
        }
        gather->set(indexes[k], std::move(item));
      }
      gather->done();
    };
    // A device the caller may not reach is "not found", whether it exists or not.
    if (!c.commands.send(home::Actor{user.value()}, did, std::move(request), {}, std::move(answer)).isOk()) {
      for (size_t i : indexes) gather->set(i, propertyItem(items[i], result::kDeviceNotFound));
      gather->done();
    }
  }
}

void action(const Context& c, const http::Request& r, http::Responder respond) {
  auto user = caller(c, r);
  if (!user) return respond(user.error());
  auto read = readMiotAction(r.body);
  if (!read) return respond(malformed(read.error()));
  MiotAction a = std::move(read).value();
  json::object item{{"did", a.did}, {"siid", a.siid}, {"aiid", a.aiid}};
  platform::DeviceRequest request;
  request.method = platform::Method::kAction;
  request.siid = a.siid;
  request.iid = a.aiid;
  request.in = std::move(a.in);
  core::Status sent = c.commands.send(home::Actor{user.value()}, a.did, std::move(request), {},
                                      [item, respond](platform::DeviceResponse response) mutable {
                                        if (const auto* out = std::get_if<platform::ActionResult>(&response.body)) {
                                          item["code"] = out->code;
                                          item["out"] = out->out;
                                        } else if (const auto* error =
                                                       std::get_if<platform::MessageError>(&response.body)) {
                                          item["code"] = error->code;
                                        } else {
                                          item["code"] = result::kInternal;
                                        }
                                        respond(ok(std::move(item)));
                                      });
  if (!sent.isOk()) {
    item["code"] = result::kDeviceNotFound;
    respond(ok(std::move(item)));
  }
}

// Every device the user may see: those of their homes (a guest's: those shared with them) and
// those shared with them from elsewhere, each once, with whether a share is how they see it.
core::Result<std::map<std::string, std::pair<store::DeviceRecord, bool>>> visibleDevices(const Context& c,
                                                                                        int64_t user) {
  std::map<std::string, std::pair<store::DeviceRecord, bool>> out;
  for (int64_t after_home = 0;;) {
    auto homes = c.homes.list(user, after_home, home::Homes::kMaxPage);
    if (!homes) return homes.error();
    for (const auto& h : homes.value()) {
      for (std::string after;;) {
        auto page = c.devices.list(user, h.home.id, 0, after, home::Devices::kMaxPage);
        if (!page) return page.error();
        for (auto& d : page.value()) out.emplace(d.did, std::make_pair(d, h.role == store::HomeRole::kGuest));
        if (page.value().size() < home::Devices::kMaxPage) break;
        after = page.value().back().did;
      }
    }
    if (homes.value().size() < home::Homes::kMaxPage) break;
    after_home = homes.value().back().home.id;
  }
  for (std::string after;;) {
    auto page = c.devices.sharedWith(user, after, home::Devices::kMaxPage);
    if (!page) return page.error();
    for (auto& d : page.value()) out.emplace(d.did, std::make_pair(d, true));
    if (page.value().size() < home::Devices::kMaxPage) break;
    after = page.value().back().did;
  }
  return out;
}

http::Response deviceListPage(const Context& c, const http::Request& r) {
  auto user = caller(c, r);
  if (!user) return user.error();
  auto page = readMiotPage(r.body, kMaxDeviceListPage);
  if (!page) return malformed(page.error());
  auto visible = visibleDevices(c, user.value());
  if (!visible) return envelope(500, result::kInternal, "internal error");
  json::array list;
  auto it = visible.value().upper_bound(page.value().start_did);
  for (; it != visible.value().end() && list.size() < page.value().limit; ++it) {
    const auto& [d, shared] = it->second;
    list.push_back(json::object{{"did", d.did},
                                {"name", d.name},
                                {"model", d.model},
                                {"isOnline", d.online},
                                {"shareFlag", shared ? 1 : 0},
                                {"home_id", d.home_id},
                                {"room_id", d.room_id},
                                {"extra", json::object{{"fw_version", d.info.firmware_revision}}}});
  }
  const bool more = it != visible.value().end();
  return ok(json::object{{"list", std::move(list)},
                         {"has_more", more},
                         {"next_start_did", more ? std::prev(it)->first : std::string()}});
}

http::Response getHome(const Context& c, const http::Request& r) {
  auto user = caller(c, r);
  if (!user) return user.error();
  auto homes = c.homes.list(user.value(), 0, home::Homes::kMaxPage);
  if (!homes) return envelope(500, result::kInternal, "internal error");
  json::array list;
  for (const auto& summary : homes.value()) {
    auto detail = c.homes.get(user.value(), summary.home.id);
    if (!detail) continue;  // left or removed meanwhile
    std::map<int64_t, json::array> dids_by_room;  // room 0: in no room
    for (std::string after;;) {
      auto page = c.devices.list(user.value(), summary.home.id, 0, after, home::Devices::kMaxPage);
      if (!page) return envelope(500, result::kInternal, "internal error");
      for (const auto& d : page.value()) dids_by_room[d.room_id].push_back(json::string(d.did));
      if (page.value().size() < home::Devices::kMaxPage) break;
      after = page.value().back().did;
    }
    json::array rooms;
    for (const auto& room : detail.value().rooms) {
      rooms.push_back(json::object{{"id", std::to_string(room.id)},
                                   {"name", room.name},
                                   {"parentid", std::to_string(summary.home.id)},
                                   {"dids", dids_by_room[room.id]},
                                   {"create_time", room.created_at_ms / 1000}});
    }
    list.push_back(json::object{{"id", std::to_string(summary.home.id)},
                                {"name", summary.home.name},
                                {"uid", summary.home.owner_id},
                                {"role", store::homeRoleName(summary.role)},
                                {"shareflag", summary.role == store::HomeRole::kOwner ? 0 : 1},
                                {"dids", dids_by_room[0]},
                                {"roomlist", std::move(rooms)},
                                {"create_time", summary.home.created_at_ms / 1000}});
  }
  const bool more = homes.value().size() == home::Homes::kMaxPage;
  return ok(json::object{{"homelist", std::move(list)}, {"has_more", more}});
}

}  // namespace

void addMiotRoutes(http::Server& server, home::Accounts& accounts, home::Homes& homes, home::Devices& devices,
                   home::DeviceCommands& commands) {
  const Context c{accounts, homes, devices, commands};
  server.addAsyncRoute("POST", "/app/v2/miotspec/prop/get", [c](const http::Request& r, http::Responder respond) {
    properties(c, r, std::move(respond), false);
  });
  server.addAsyncRoute("POST", "/app/v2/miotspec/prop/set", [c](const http::Request& r, http::Responder respond) {
    properties(c, r, std::move(respond), true);
  });
  server.addAsyncRoute("POST", "/app/v2/miotspec/action",
                       [c](const http::Request& r, http::Responder respond) { action(c, r, std::move(respond)); });
  server.addRoute("POST", "/app/v2/home/device_list_page", [c](const http::Request& r) { return deviceListPage(c, r); });
  server.addRoute("POST", "/app/v2/homeroom/gethome", [c](const http::Request& r) { return getHome(c, r); });
}

}  // namespace hearth::api

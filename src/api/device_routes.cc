#include "hearth/api/device_routes.h"

#include <boost/json.hpp>

#include <algorithm>

#include "api/route_params.h"
#include "hearth/api/request_body.h"
#include "hearth/core/json.h"
#include "hearth/api/status_response.h"
#include "hearth/spec/json.h"

namespace hearth::api {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxPoints = 2000;
constexpr int64_t kMaxEvents = 1000;

struct Context {
  home::Accounts& accounts;
  home::Devices& devices;
  platform::ProductRegistry& products;
  store::HistoryStore& history;
  store::AuditStore& audit;
};

json::object deviceJson(const Context& c, const store::DeviceRecord& d) {
  json::object out{{"did", d.did},
                   {"name", d.name},
                   {"model", d.model},
                   {"home_id", d.home_id},
                   {"room_id", d.room_id},
                   {"online", d.online},
                   {"presence_changed_ms", d.presence_changed_ms},
                   {"firmware_revision", d.info.firmware_revision},
                   {"bound_at_ms", d.bound_at_ms}};
  // What kind of device it is and what the product calls itself, from its spec; the full spec
  // is GET /api/v1/products/{model}.
  if (auto view = c.products.view(d.model)) {
    const spec::Instance& instance = view.value()->instance();
    out["type"] = instance.type.name();
    out["product_name"] = instance.description.text;
  }
  return out;
}

// A device's shadow as GET /api/v1/devices/{did}/properties lists it.
template <class Samples>
json::array propertiesJson(const Samples& samples) {
  json::array list;
  for (const auto& s : samples) {
    list.push_back(json::object{{"siid", s.siid}, {"piid", s.piid}, {"value", core::parseStoredJson(s.value_json)}, {"ts", s.ts_ms}});
  }
  return list;
}

// `with_properties`: each device with its shadow, so an app draws a home's cards from one page.
http::Response devicePage(const Context& c, const std::vector<store::DeviceRecord>& page, size_t limit,
                          bool with_properties = false) {
  return pageResponse(
      "devices", page, limit, [](const store::DeviceRecord& d) { return json::string(d.did); },
      [&c, with_properties](const store::DeviceRecord& d) {
        json::object out = deviceJson(c, d);
        if (with_properties) {
          auto latest = c.history.latest(d.did);
          out["properties"] = latest ? json::value(propertiesJson(latest.value())) : json::value(nullptr);
        }
        return out;
      });
}

// A route on one device: the caller and the device, if they may do `action` to it.
struct DeviceCall {
  store::UserRecord user;
  store::DeviceRecord device;
};

core::Result<DeviceCall, http::Response> beginDevice(const Context& c, const http::Request& r, home::HomeAction action) {
  auto user = signedIn(r, c.accounts);
  if (!user) return user.error();
  auto device = c.devices.authorize(user.value().id, r.param("did"), action);
  if (!device) return responseFor(device.error());
  return DeviceCall{std::move(user).value(), std::move(device).value()};
}

void addListRoutes(http::Server& server, const Context& c) {
  server.addRoute("POST", "/api/v1/homes/{home}/devices", [c](const http::Request& r) {
    auto user = signedIn(r, c.accounts);
    if (!user) return user.error();
    auto home = positiveInt(r.param("home"));
    if (!home) return http::errorResponse(404, "no home " + std::string(r.param("home")));
    using Type = MemberSpec::Type;
    auto in = readMembers(r.body, {{"bind_code", Type::kString, true},
                                   {"room_id", Type::kInteger, false},
                                   {"name", Type::kString, false}});
    if (!in) return http::errorResponse(400, in.error());
    auto bound = c.devices.bind(user.value().id, *home, in.value().string("bind_code"),
                                in.value().integer("room_id").value_or(0), in.value().string("name"));
    return bound ? jsonResponse(deviceJson(c, bound.value()), 201) : responseFor(bound.error());
  });

  server.addRoute("GET", "/api/v1/homes/{home}/devices", [c](const http::Request& r) {
    auto user = signedIn(r, c.accounts);
    if (!user) return user.error();
    auto home = positiveInt(r.param("home"));
    if (!home) return http::errorResponse(404, "no home " + std::string(r.param("home")));
    auto room = queryInt(r, "room", 0, 0, INT64_MAX);
    if (!room) return room.error();
    auto want = pageRequest(r, home::Devices::kMaxPage);
    if (!want) return want.error();
    auto page = c.devices.list(user.value().id, *home, room.value(), want.value().after, want.value().limit);
    return page ? devicePage(c, page.value(), want.value().limit, r.queryParam("properties") == "1")
                : responseFor(page.error());
  });

  server.addRoute("GET", "/api/v1/shares", [c](const http::Request& r) {
    auto user = signedIn(r, c.accounts);
    if (!user) return user.error();
    auto want = pageRequest(r, home::Devices::kMaxPage);
    if (!want) return want.error();
    auto page = c.devices.sharedWith(user.value().id, want.value().after, want.value().limit);
    return page ? devicePage(c, page.value(), want.value().limit) : responseFor(page.error());
  });
}

void addDeviceRoutesOn(http::Server& server, const Context& c) {
  server.addRoute("GET", "/api/v1/products/{model}", [c](const http::Request& r) {
    auto user = signedIn(r, c.accounts);
    if (!user) return user.error();
    auto view = c.products.view(r.param("model"));
    if (!view) return responseFor(view.error());
    const spec::Instance& instance = view.value()->instance();
    return jsonResponse(json::object{{"model", r.param("model")},
                                     {"type", instance.type.name()},
                                     {"spec", spec::toJson(instance)}});
  });

  server.addRoute("GET", "/api/v1/devices/{did}", [c](const http::Request& r) {
    auto call = beginDevice(c, r, home::HomeAction::kView);
    return call ? jsonResponse(deviceJson(c, call.value().device)) : call.error();
  });

  server.addRoute("PATCH", "/api/v1/devices/{did}", [c](const http::Request& r) {
    auto user = signedIn(r, c.accounts);
    if (!user) return user.error();
    using Type = MemberSpec::Type;
    auto in = readMembers(r.body, {{"name", Type::kString, false}, {"room_id", Type::kInteger, false}});
    if (!in) return http::errorResponse(400, in.error());
    if (in.value().size() == 0) return http::errorResponse(400, "nothing to change: name or room_id", "invalid_argument");
    if (in.value().has("name")) {
      core::Status s = c.devices.rename(user.value().id, r.param("did"), in.value().string("name"));
      if (!s.isOk()) return responseFor(s);
    }
    if (auto room = in.value().integer("room_id")) {
      core::Status s = c.devices.move(user.value().id, r.param("did"), *room);
      if (!s.isOk()) return responseFor(s);
    }
    return noContent();
  });

  server.addRoute("DELETE", "/api/v1/devices/{did}", [c](const http::Request& r) {
    auto user = signedIn(r, c.accounts);
    if (!user) return user.error();
    core::Status s = c.devices.unbind(user.value().id, r.param("did"));
    return s.isOk() ? noContent() : responseFor(s);
  });

  server.addRoute("GET", "/api/v1/devices/{did}/properties", [c](const http::Request& r) {
    auto call = beginDevice(c, r, home::HomeAction::kView);
    if (!call) return call.error();
    auto latest = c.history.latest(call.value().device.did);
    if (!latest) return responseFor(latest.error());
    return jsonResponse(json::object{{"properties", propertiesJson(latest.value())}});
  });

  server.addRoute("GET", "/api/v1/devices/{did}/history", [c](const http::Request& r) {
    auto call = beginDevice(c, r, home::HomeAction::kView);
    if (!call) return call.error();
    auto siid = queryInt(r, "siid", 0, 1, UINT32_MAX);
    auto piid = queryInt(r, "piid", 0, 1, UINT32_MAX);
    if (!siid || !piid || r.queryParam("siid").empty() || r.queryParam("piid").empty()) {
      return http::errorResponse(400, "siid and piid: the property, integers from 1", "invalid_argument");
    }
    auto to = queryInt(r, "to_ms", INT64_MAX, 0, INT64_MAX);
    if (!to) return to.error();
    auto from = queryInt(r, "from_ms", 0, 0, INT64_MAX);
    if (!from) return from.error();
    auto points = queryInt(r, "points", 100, 1, kMaxPoints);
    if (!points) return points.error();
    auto buckets = c.history.downsample(call.value().device.did, static_cast<uint32_t>(siid.value()),
                                        static_cast<uint32_t>(piid.value()), from.value(), to.value(),
                                        static_cast<uint32_t>(points.value()));
    if (!buckets) return responseFor(buckets.error());
    json::array list;
    for (const auto& b : buckets.value()) {
      list.push_back(json::object{{"start_ms", b.start_ms}, {"min", b.min},     {"max", b.max},
                                  {"avg", b.avg},           {"last", b.last},   {"count", b.count}});
    }
    return jsonResponse(json::object{{"buckets", std::move(list)}});
  });

  server.addRoute("GET", "/api/v1/devices/{did}/events", [c](const http::Request& r) {
    auto call = beginDevice(c, r, home::HomeAction::kView);
    if (!call) return call.error();
    auto from = queryInt(r, "from_ms", 0, 0, INT64_MAX);
    if (!from) return from.error();
    auto to = queryInt(r, "to_ms", INT64_MAX, 0, INT64_MAX);
    if (!to) return to.error();
    auto limit = queryInt(r, "limit", 100, 1, kMaxEvents);
    if (!limit) return limit.error();
    const std::string& did = call.value().device.did;
    const size_t n = static_cast<size_t>(limit.value());
    auto events = c.history.events(did, from.value(), to.value(), n);
    if (!events) return responseFor(events.error());
    // The audit log is written off the request threads and stamped by the server's clock: a
    // record of the device's previous home that lands after it left is older than this binding.
    const int64_t since_bound = std::max(from.value(), call.value().device.bound_at_ms);
    auto changes = c.audit.audit(did, since_bound, to.value(), n);
    if (!changes) return responseFor(changes.error());
    // Both oldest first: merged, the first `limit` of the two.
    json::array list;
    size_t e = 0, a = 0;
    while (list.size() < n && (e < events.value().size() || a < changes.value().size())) {
      const bool take_event = a == changes.value().size() ||
                              (e < events.value().size() && events.value()[e].ts_ms <= changes.value()[a].ts_ms);
      if (take_event) {
        const store::EventRecord& ev = events.value()[e++];
        list.push_back(json::object{{"kind", "event"},
                                    {"siid", ev.siid},
                                    {"eiid", ev.eiid},
                                    {"arguments", core::parseStoredJson(ev.arguments_json)},
                                    {"ts", ev.ts_ms}});
      } else {
        const store::AuditRecord& ch = changes.value()[a++];
        list.push_back(json::object{{"kind", "change"},
                                    {"actor", ch.actor},
                                    {"action", ch.action},
                                    {"detail", core::parseStoredJson(ch.detail_json)},
                                    {"result", core::parseStoredJson(ch.result_json)},
                                    {"ts", ch.ts_ms}});
      }
    }
    return jsonResponse(json::object{{"events", std::move(list)}});
  });
}

json::object shareJson(const store::ShareRecord& s) {
  return json::object{{"did", s.did},
                      {"user_id", s.user_id},
                      {"shared_by", s.shared_by},
                      {"until_ms", s.until_ms},
                      {"created_at_ms", s.created_at_ms}};
}

void addShareRoutes(http::Server& server, const Context& c) {
  server.addRoute("GET", "/api/v1/devices/{did}/shares", [c](const http::Request& r) {
    auto user = signedIn(r, c.accounts);
    if (!user) return user.error();
    auto want = idPageRequest(r, home::Devices::kMaxPage);
    if (!want) return want.error();
    auto shares = c.devices.shares(user.value().id, r.param("did"), want.value().after, want.value().limit);
    if (!shares) return responseFor(shares.error());
    return pageResponse(
        "shares", shares.value(), want.value().limit, [](const store::ShareRecord& s) { return s.user_id; }, shareJson);
  });

  server.addRoute("POST", "/api/v1/devices/{did}/shares", [c](const http::Request& r) {
    auto user = signedIn(r, c.accounts);
    if (!user) return user.error();
    using Type = MemberSpec::Type;
    auto in = readMembers(r.body, {{"email", Type::kString, true}, {"until_ms", Type::kInteger, false}});
    if (!in) return http::errorResponse(400, in.error());
    auto share = c.devices.share(user.value().id, r.param("did"), in.value().string("email"),
                                 in.value().integer("until_ms").value_or(0));
    return share ? jsonResponse(shareJson(share.value()), 201) : responseFor(share.error());
  });

  server.addRoute("DELETE", "/api/v1/devices/{did}/shares/{user}", [c](const http::Request& r) {
    auto user = signedIn(r, c.accounts);
    if (!user) return user.error();
    auto with = positiveInt(r.param("user"));
    if (!with) return http::errorResponse(404, "no such share");
    core::Status s = c.devices.unshare(user.value().id, r.param("did"), *with);
    return s.isOk() ? noContent() : responseFor(s);
  });
}

}  // namespace

void addDeviceRoutes(http::Server& server, home::Accounts& accounts, home::Devices& devices,
                     platform::ProductRegistry& products, store::HistoryStore& history, store::AuditStore& audit) {
  const Context c{accounts, devices, products, history, audit};
  addListRoutes(server, c);
  addDeviceRoutesOn(server, c);
  addShareRoutes(server, c);
}

}  // namespace hearth::api

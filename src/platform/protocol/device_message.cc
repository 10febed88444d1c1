#include "hearth/platform/device_message.h"


#include <limits>

#include "hearth/core/json.h"

namespace hearth::platform {

namespace json = boost::json;

namespace {

// Reads one message, remembering where it is for the failure's reason. Every read returns false
// after setting `failure_` once; the first failure wins.
class Reader {
 public:
  const std::optional<ParseFailure>& failure() const { return failure_; }

  bool fail(std::string_view where, std::string_view what) {
    if (!failure_) failure_ = ParseFailure{std::string(where) + (where.empty() ? "" : ": ") + std::string(what), id_};
    return false;
  }
  void setId(uint64_t id) { id_ = id; }

  const json::object* object(const json::value& v, std::string_view where) {
    if (const auto* o = v.if_object()) return o;
    fail(where, "not an object");
    return nullptr;
  }
  const json::array* array(const json::value& v, std::string_view where) {
    const auto* a = v.if_array();
    if (a == nullptr) {
      fail(where, "not an array");
      return nullptr;
    }
    if (a->size() > kMaxItems) {
      fail(where, "more than " + std::to_string(kMaxItems) + " items");
      return nullptr;
    }
    return a;
  }
  const json::value* member(const json::object& o, std::string_view name, std::string_view where, bool required) {
    const json::value* v = o.if_contains(name);
    if (v == nullptr && required) fail(where, "missing \"" + std::string(name) + "\"");
    return v;
  }
  bool uint64(const json::value& v, uint64_t& out, std::string_view where) {
    if (const auto* u = v.if_uint64()) {
      out = *u;
      return true;
    }
    if (const auto* i = v.if_int64(); i != nullptr && *i >= 0) {
      out = static_cast<uint64_t>(*i);
      return true;
    }
    return fail(where, "not an unsigned integer");
  }
  bool uint32(const json::object& o, std::string_view name, uint32_t& out, std::string_view where) {
    const json::value* v = member(o, name, where, true);
    uint64_t wide = 0;
    if (v == nullptr || !uint64(*v, wide, std::string(where) + "." + std::string(name))) return false;
    if (wide > std::numeric_limits<uint32_t>::max()) return fail(std::string(where) + "." + std::string(name), "too large");
    out = static_cast<uint32_t>(wide);
    return true;
  }
  bool int32(const json::object& o, std::string_view name, int32_t& out, std::string_view where) {
    const json::value* v = member(o, name, where, true);
    if (v == nullptr) return false;
    const std::string at = std::string(where) + "." + std::string(name);
    if (const auto* i = v->if_int64()) {
      if (*i < std::numeric_limits<int32_t>::min() || *i > std::numeric_limits<int32_t>::max()) return fail(at, "out of range");
      out = static_cast<int32_t>(*i);
      return true;
    }
    if (const auto* u = v->if_uint64(); u != nullptr && *u <= static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
      out = static_cast<int32_t>(*u);
      return true;
    }
    return fail(at, "not a 32-bit integer");
  }

 private:
  std::optional<ParseFailure> failure_;
  std::optional<uint64_t> id_;
};

std::optional<Method> methodOf(std::string_view name) {
  for (Method m : {Method::kPropertiesChanged, Method::kEventOccured, Method::kGetProperties, Method::kSetProperties,
                   Method::kAction}) {
    if (methodName(m) == name) return m;
  }
  return std::nullopt;
}

bool readProperties(Reader& r, const json::value& params, bool with_value, std::vector<PropertyItem>& out) {
  const json::array* items = r.array(params, "params");
  if (items == nullptr) return false;
  out.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string at = "params[" + std::to_string(i) + "]";
    const json::object* o = r.object((*items)[i], at);
    PropertyItem item;
    if (o == nullptr || !r.uint32(*o, "siid", item.siid, at) || !r.uint32(*o, "piid", item.piid, at)) return false;
    if (with_value) {
      const json::value* v = r.member(*o, "value", at, true);
      if (v == nullptr) return false;
      item.value = *v;
    }
    out.push_back(std::move(item));
  }
  return true;
}

bool readRequest(Reader& r, const json::object& top, std::string_view name, DeviceRequest& req) {
  auto method = methodOf(name);
  if (!method) return r.fail("method", "unknown method \"" + std::string(name) + "\"");
  req.method = *method;
  const json::value* params = r.member(top, "params", "", true);
  if (params == nullptr) return false;
  switch (req.method) {
    case Method::kPropertiesChanged:
    case Method::kSetProperties: return readProperties(r, *params, true, req.properties);
    case Method::kGetProperties: return readProperties(r, *params, false, req.properties);
    case Method::kEventOccured: {
      const json::object* o = r.object(*params, "params");
      if (o == nullptr || !r.uint32(*o, "siid", req.siid, "params") || !r.uint32(*o, "eiid", req.iid, "params")) {
        return false;
      }
      const json::value* args = r.member(*o, "arguments", "params", false);
      if (args == nullptr) return true;  // an event without arguments
      const json::array* list = r.array(*args, "params.arguments");
      if (list == nullptr) return false;
      for (size_t i = 0; i < list->size(); ++i) {
        const std::string at = "params.arguments[" + std::to_string(i) + "]";
        const json::object* a = r.object((*list)[i], at);
        EventArgument arg;
        if (a == nullptr || !r.uint32(*a, "piid", arg.piid, at)) return false;
        const json::value* v = r.member(*a, "value", at, true);
        if (v == nullptr) return false;
        arg.value = *v;
        req.arguments.push_back(std::move(arg));
      }
      return true;
    }
    case Method::kAction: {
      const json::object* o = r.object(*params, "params");
      if (o == nullptr || !r.uint32(*o, "siid", req.siid, "params") || !r.uint32(*o, "aiid", req.iid, "params")) {
        return false;
      }
      const json::value* in = r.member(*o, "in", "params", false);
      if (in == nullptr) return true;
      const json::array* values = r.array(*in, "params.in");
      if (values == nullptr) return false;
      req.in = *values;
      return true;
    }
  }
  return r.fail("method", "unknown method");
}

bool readResult(Reader& r, const json::value& result, DeviceResponse& resp) {
  if (const json::object* o = result.if_object()) {
    ActionResult a;
    if (!r.uint32(*o, "siid", a.siid, "result") || !r.uint32(*o, "aiid", a.aiid, "result") ||
        !r.int32(*o, "code", a.code, "result")) {
      return false;
    }
    if (const json::value* out = r.member(*o, "out", "result", false)) {
      const json::array* values = r.array(*out, "result.out");
      if (values == nullptr) return false;
      a.out = *values;
    }
    resp.body = std::move(a);
    return true;
  }
  const json::array* items = r.array(result, "result");
  if (items == nullptr) return false;
  std::vector<PropertyResult> results;
  results.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string at = "result[" + std::to_string(i) + "]";
    const json::object* o = r.object((*items)[i], at);
    PropertyResult p;
    if (o == nullptr || !r.uint32(*o, "siid", p.siid, at) || !r.uint32(*o, "piid", p.piid, at) ||
        !r.int32(*o, "code", p.code, at)) {
      return false;
    }
    if (const json::value* v = o->if_contains("value")) p.value = *v;
    results.push_back(std::move(p));
  }
  resp.body = std::move(results);
  return true;
}

bool readError(Reader& r, const json::value& error, DeviceResponse& resp) {
  const json::object* o = r.object(error, "error");
  MessageError e;
  if (o == nullptr || !r.int32(*o, "code", e.code, "error")) return false;
  if (const json::value* m = o->if_contains("message")) {
    const json::string* s = m->if_string();
    if (s == nullptr) return r.fail("error.message", "not a string");
    e.message = std::string(*s);
  }
  resp.body = std::move(e);
  return true;
}

}  // namespace

std::string_view methodName(Method method) {
  switch (method) {
    case Method::kPropertiesChanged: return "properties_changed";
    case Method::kEventOccured: return "event_occured";  // sic: MIoT's spelling
    case Method::kGetProperties: return "get_properties";
    case Method::kSetProperties: return "set_properties";
    case Method::kAction: return "action";
  }
  return "unknown";
}

core::Result<DeviceMessage, ParseFailure> parseDeviceMessage(std::string_view text) {
  // core::parseJson: its doubles are exact, so values check against ranges and
  // steps as the device wrote them, and a serialised message reads back bit for bit.
  auto parsed = core::parseJson(text);
  if (!parsed) return ParseFailure{"not JSON: " + parsed.error().message(), std::nullopt};
  const json::value doc = std::move(parsed).value();
  Reader r;
  const json::object* top = r.object(doc, "");
  if (top == nullptr) return *r.failure();
  uint64_t id = 0;
  const json::value* id_value = r.member(*top, "id", "", true);
  if (id_value == nullptr || !r.uint64(*id_value, id, "id")) return *r.failure();
  r.setId(id);

  if (const json::value* method = top->if_contains("method")) {
    DeviceRequest req;
    req.id = id;
    const json::string* name = method->if_string();
    if (name == nullptr) return ParseFailure{"method: not a string", id};
    if (!readRequest(r, *top, *name, req)) return *r.failure();
    return DeviceMessage(std::move(req));
  }
  DeviceResponse resp;
  resp.id = id;
  if (const json::value* result = top->if_contains("result")) {
    if (!readResult(r, *result, resp)) return *r.failure();
    return DeviceMessage(std::move(resp));
  }
  if (const json::value* error = top->if_contains("error")) {
    if (!readError(r, *error, resp)) return *r.failure();
    return DeviceMessage(std::move(resp));
  }
  return ParseFailure{"neither \"method\", \"result\" nor \"error\"", id};
}

core::Result<DeviceRequest, ParseFailure> parseRequestMembers(const json::object& members) {
  Reader r;
  const json::value* method = r.member(members, "method", "", true);
  if (method == nullptr) return *r.failure();
  const json::string* name = method->if_string();
  if (name == nullptr) return ParseFailure{"method: not a string", std::nullopt};
  DeviceRequest req;
  if (!readRequest(r, members, *name, req)) return *r.failure();
  return req;
}

namespace {

json::object propertyJson(const PropertyItem& p, bool with_value) {
  json::object o{{"siid", p.siid}, {"piid", p.piid}};
  if (with_value) o["value"] = p.value;
  return o;
}

json::value requestParams(const DeviceRequest& req) {
  switch (req.method) {
    case Method::kPropertiesChanged:
    case Method::kSetProperties:
    case Method::kGetProperties: {
      json::array items;
      for (const auto& p : req.properties) items.push_back(propertyJson(p, req.method != Method::kGetProperties));
      return items;
    }
    case Method::kEventOccured: {
      json::array args;
      for (const auto& a : req.arguments) args.push_back(json::object{{"piid", a.piid}, {"value", a.value}});
      return json::object{{"siid", req.siid}, {"eiid", req.iid}, {"arguments", std::move(args)}};
    }
    case Method::kAction: return json::object{{"siid", req.siid}, {"aiid", req.iid}, {"in", req.in}};
  }
  return nullptr;
}

struct ResponseBody {
  json::object& out;
  void operator()(const std::vector<PropertyResult>& results) const {
    json::array items;
    for (const auto& p : results) {
      json::object o{{"siid", p.siid}, {"piid", p.piid}, {"code", p.code}};
      if (p.value) o["value"] = *p.value;
      items.push_back(std::move(o));
    }
    out["result"] = std::move(items);
  }
  void operator()(const ActionResult& a) const {
    out["result"] = json::object{{"siid", a.siid}, {"aiid", a.aiid}, {"code", a.code}, {"out", a.out}};
  }
  void operator()(const MessageError& e) const {
    out["error"] = json::object{{"code", e.code}, {"message", e.message}};
  }
};

}  // namespace

std::string serializeDeviceMessage(const DeviceMessage& message) {
  json::object out;
  if (const auto* req = std::get_if<DeviceRequest>(&message)) {
    out["id"] = req->id;
    out["method"] = methodName(req->method);
    out["params"] = requestParams(*req);
  } else {
    const auto& resp = std::get<DeviceResponse>(message);
    out["id"] = resp.id;
    std::visit(ResponseBody{out}, resp.body);
  }
  return core::serializeJson(out);
}

}  // namespace hearth::platform

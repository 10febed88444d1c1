#include "hearth/api/miot_request.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>

#include "hearth/core/json.h"

namespace hearth::api {

namespace json = boost::json;

namespace {

core::Result<json::value, std::string> parseObject(std::string_view body) {
  auto doc = core::parseJson(body);
  if (!doc) return std::string("body: not JSON");
  if (!doc.value().is_object()) return std::string("body: not an object");
  return std::move(doc).value();
}

// The did as text, or nullopt when it is missing or not a device id.
std::optional<std::string> didOf(const json::object& item) {
  const json::value* did = item.if_contains("did");
  if (did != nullptr && did->is_string() && !did->get_string().empty()) return std::string(did->get_string());
  if (did != nullptr && did->is_int64() && did->get_int64() >= 0) return std::to_string(did->get_int64());
  if (did != nullptr && did->is_uint64()) return std::to_string(did->get_uint64());
  return std::nullopt;
}

std::string badDid(std::string_view where) { return fmt::format("{}.did: missing, or not a device id", where); }

core::Result<uint32_t, std::string> iidOf(const json::object& item, std::string_view name, std::string_view where) {
  const json::value* v = item.if_contains(name);
  if (v != nullptr && v->is_int64() && v->get_int64() >= 1 && v->get_int64() <= std::numeric_limits<uint32_t>::max()) {
    return static_cast<uint32_t>(v->get_int64());
  }
  return fmt::format("{}.{}: missing, or not an integer from 1", where, name);
}

}  // namespace

core::Result<std::vector<MiotProperty>, std::string> readMiotProperties(std::string_view body, bool with_values) {
  auto doc = parseObject(body);
  if (!doc) return doc.error();
  const json::value* params = doc.value().get_object().if_contains("params");
  if (params == nullptr || !params->is_array()) return std::string("params: missing, or not an array");
  const json::array& list = params->get_array();
  if (list.empty() || list.size() > kMaxMiotParams) {
    return fmt::format("params: 1 to {} properties", kMaxMiotParams);
  }
  std::vector<MiotProperty> out;
  out.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = fmt::format("params[{}]", i);
    const json::object* item = list[i].if_object();
    if (item == nullptr) return where + ": not an object";
    auto did = didOf(*item);
    if (!did) return badDid(where);
    auto siid = iidOf(*item, "siid", where);
    if (!siid) return siid.error();
    auto piid = iidOf(*item, "piid", where);
    if (!piid) return piid.error();
    MiotProperty p{std::move(*did), siid.value(), piid.value(), nullptr};
    if (with_values) {
      const json::value* value = item->if_contains("value");
      if (value == nullptr) return where + ".value: missing";
      p.value = *value;
    }
    out.push_back(std::move(p));
  }
  return out;
}

core::Result<MiotAction, std::string> readMiotAction(std::string_view body) {
  auto doc = parseObject(body);
  if (!doc) return doc.error();
  const json::value* params = doc.value().get_object().if_contains("params");
  if (params == nullptr || !params->is_object()) return std::string("params: missing, or not an object");
  const json::object& item = params->get_object();
  auto did = didOf(item);
  if (!did) return badDid("params");
  auto siid = iidOf(item, "siid", "params");
  if (!siid) return siid.error();
  auto aiid = iidOf(item, "aiid", "params");
  if (!aiid) return aiid.error();
  MiotAction action{std::move(*did), siid.value(), aiid.value(), {}};
  if (const json::value* in = item.if_contains("in")) {
    if (!in->is_array()) return std::string("params.in: not an array");
    action.in = in->get_array();
  }
  return action;
}

core::Result<MiotPage, std::string> readMiotPage(std::string_view body, size_t max_limit) {
  MiotPage page{std::min<size_t>(200, max_limit), ""};
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return page;
  auto doc = parseObject(body);
  if (!doc) return doc.error();
  const json::object& object = doc.value().get_object();
  if (const json::value* limit = object.if_contains("limit")) {
    if (!limit->is_int64() || limit->get_int64() < 1 || static_cast<uint64_t>(limit->get_int64()) > max_limit) {
      return fmt::format("limit: an integer from 1 to {}", max_limit);
    }
    page.limit = static_cast<size_t>(limit->get_int64());
  }
  if (const json::value* start = object.if_contains("start_did")) {
    if (!start->is_string()) return std::string("start_did: not a string");
    page.start_did = std::string(start->get_string());
  }
  return page;
}

}  // namespace hearth::api

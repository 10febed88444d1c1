// Instance → JSON, in the member order spec files use; extensions follow the known members.
#include <boost/json/serialize.hpp>

#include "hearth/spec/json.h"

namespace hearth::spec {
namespace json = boost::json;
namespace {

json::value toJson(const Number& n) {
  switch (n.kind()) {
    case Number::Kind::kInt64: return n.int64Value();
    case Number::Kind::kUint64: return n.uint64Value();
    case Number::Kind::kDouble: return n.doubleValue();
  }
  return nullptr;
}

json::value toJson(const Description& d) {
  if (!d.isLocalized()) return json::string(d.text);
  json::object map;
  for (const auto& [locale, text] : d.locales) map[locale] = text;
  return map;
}

json::array toJson(const std::vector<Argument>& arguments) {
  json::array out;
  for (const auto& a : arguments) {
    if (!a.repeat) {
      out.emplace_back(a.piid);
      continue;
    }
    json::object o;
    o["piid"] = a.piid;
    o["repeat"] = json::array{a.repeat->min, a.repeat->max};
    out.emplace_back(std::move(o));
  }
  return out;
}

void appendExtensions(json::object& o, const json::object& extensions) {
  for (const auto& m : extensions) o[m.key()] = m.value();
}

json::object toJson(const Property& p) {
  json::object o;
  o["iid"] = p.iid;
  o["type"] = p.type.text();
  o["description"] = toJson(p.description);
  o["format"] = formatName(p.format);
  json::array access;
  if (p.access.canRead()) access.emplace_back("read");
  if (p.access.canWrite()) access.emplace_back("write");
  if (p.access.canNotify()) access.emplace_back("notify");
  o["access"] = std::move(access);
  if (p.unit) o["unit"] = p.unit->name;
  if (p.value_range) {
    o["value-range"] =
        json::array{toJson(p.value_range->min), toJson(p.value_range->max), toJson(p.value_range->step)};
  }
  if (p.value_list) {
    json::array list;
    for (const auto& entry : *p.value_list) {
      json::object e;
      e["value"] = toJson(entry.value);
      e["description"] = toJson(entry.description);
      list.emplace_back(std::move(e));
    }
    o["value-list"] = std::move(list);
  }
  appendExtensions(o, p.extensions);
  return o;
}

json::object toJson(const Action& a) {
  json::object o;
  o["iid"] = a.iid;
  o["type"] = a.type.text();
  o["description"] = toJson(a.description);
  o["in"] = toJson(a.in);
  o["out"] = toJson(a.out);
  appendExtensions(o, a.extensions);
  return o;
}

json::object toJson(const Event& e) {
  json::object o;
  o["iid"] = e.iid;
  o["type"] = e.type.text();
  o["description"] = toJson(e.description);
  o["arguments"] = toJson(e.arguments);
  appendExtensions(o, e.extensions);
  return o;
}

json::object toJson(const Service& s);

template <class T>
json::array toJsonArray(const std::vector<T>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(toJson(item));
  return out;
}

json::object toJson(const Service& s) {
  json::object o;
  o["iid"] = s.iid;
  o["type"] = s.type.text();
  o["description"] = toJson(s.description);
  o["properties"] = toJsonArray(s.properties);
  // Most services have neither; files omit them then, and so do we.
  if (!s.actions.empty()) o["actions"] = toJsonArray(s.actions);
  if (!s.events.empty()) o["events"] = toJsonArray(s.events);
  appendExtensions(o, s.extensions);
  return o;
}

}  // namespace

json::value toJson(const Instance& instance) {
  json::object o;
  o["type"] = instance.type.text();
  o["description"] = toJson(instance.description);
  o["services"] = toJsonArray(instance.services);
  appendExtensions(o, instance.extensions);
  return o;
}

std::string serializeInstance(const Instance& instance) { return json::serialize(toJson(instance)); }

}  // namespace hearth::spec

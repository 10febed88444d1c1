#include <boost/json.hpp>

#include "hearth/assistant/interpreter.h"

namespace hearth::assistant {

boost::json::object toJson(const Interpretation& in) {
  namespace json = boost::json;
  json::object o;
  o["intent"] = intentName(in.intent);
  json::array targets;
  for (const auto& t : in.targets) targets.emplace_back(t);
  o["targets"] = std::move(targets);
  o["property"] = in.property.empty() ? json::value(nullptr) : json::value(in.property);
  json::value value = nullptr;
  if (in.value) {
    std::visit([&](const auto& v) { value = v; }, *in.value);
  }
  o["value"] = std::move(value);
  o["direction"] = in.intent == Intent::kAdjust ? json::value(in.direction) : json::value(nullptr);
  o["amount"] = in.amount ? json::value(*in.amount) : json::value(nullptr);
  o["action"] = in.action.empty() ? json::value(nullptr) : json::value(in.action);
  o["language"] = in.language;
  o["response"] = in.response;
  return o;
}

}  // namespace hearth::assistant

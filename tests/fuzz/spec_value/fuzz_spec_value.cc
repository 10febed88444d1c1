// libFuzzer target for value checking, the check ingest and commands run on every item.
//
// Input: one selector byte, then JSON text. The selector picks one of a few fixed properties
// (every format, with ranges, float steps, lists, access limits) or an action's argument list, and
// the operation. Beyond not crashing, an accepted value must really satisfy the property: its
// coerced value lies within the range, on the step (checked independently with exact integer
// arithmetic for integer formats) and in the list. A rejected one must have a message.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "hearth/core/json.h"
#include "hearth/spec/json.h"
#include "hearth/spec/product_view.h"

namespace {

using namespace hearth::spec;

constexpr std::string_view kProduct = R"({
  "type": "urn:miot-spec-v2:device:fuzz:0000A001:acme-f1:1", "description": "Fuzz",
  "services": [{"iid": 2, "type": "urn:miot-spec-v2:service:fuzz:00007802:acme-f1:1", "description": "Fuzz",
    "properties": [
      {"iid": 1, "type": "urn:miot-spec-v2:property:on:00000006", "description": "On", "format": "bool", "access": ["read", "write", "notify"]},
      {"iid": 2, "type": "urn:miot-spec-v2:property:level:00000002", "description": "Level", "format": "uint8", "access": ["read", "write", "notify"], "value-range": [1, 100, 3]},
      {"iid": 3, "type": "urn:miot-spec-v2:property:mode:00000003", "description": "Mode", "format": "int16", "access": ["read", "write"], "value-list": [{"value": -3, "description": "A"}, {"value": 0, "description": "B"}, {"value": 700, "description": "C"}]},
      {"iid": 4, "type": "urn:miot-spec-v2:property:target:00000004", "description": "Target", "format": "float", "access": ["write"], "value-range": [16, 30, 0.5]},
      {"iid": 5, "type": "urn:miot-spec-v2:property:reading:00000005", "description": "Reading", "format": "float", "access": ["read", "notify"], "value-range": [-40, 125, 0.1]},
      {"iid": 6, "type": "urn:miot-spec-v2:property:name:00000006", "description": "Name", "format": "string", "access": ["read", "write"]},
      {"iid": 7, "type": "urn:miot-spec-v2:property:count:00000007", "description": "Count", "format": "int64", "access": ["read"], "value-range": [-9223372036854775808, 9223372036854775807, 7]},
      {"iid": 8, "type": "urn:miot-spec-v2:property:plain:00000008", "description": "Plain", "format": "uint32", "access": ["read", "notify"]}],
    "actions": [{"iid": 1, "type": "urn:miot-spec-v2:action:go:00000001", "description": "Go", "in": [{"piid": 3, "repeat": [1, 3]}, 2, 42], "out": [6]}]}]
})";

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "value check invariant broken: %s\n", what);
  std::abort();
}

const ProductView& product() {
  static const ProductView* view = [] {
    auto instance = parseInstance(kProduct);
    if (!instance) fail("fixed product does not parse");
    return new ProductView(std::move(instance).value());
  }();
  return *view;
}

// Independent of PropertyChecker: does an accepted value satisfy the spec?
void verifyAccepted(const Property& p, const CheckedValue& v) {
  if (v.format != p.format) fail("coerced to another format");
  if (isIntegerFormat(p.format)) {
    const IntegerBounds b = integerBounds(p.format);
    if (v.integer < b.min || v.integer > b.max) fail("accepted integer outside its format");
    if (p.value_range) {
      const __int128 min = *p.value_range->min.toInt64();
      const __int128 max = *p.value_range->max.toInt64();
      const __int128 step = *p.value_range->step.toInt64();
      if (v.integer < min || v.integer > max || (v.integer - min) % step != 0) fail("accepted integer off range");
    }
    if (p.value_list) {
      bool listed = false;
      for (const auto& e : *p.value_list) listed = listed || e.value.toInt64() == v.integer;
      if (!listed) fail("accepted integer not in list");
    }
  } else if (p.format == Format::kFloat) {
    if (!std::isfinite(v.real)) fail("accepted a non-finite float");
    if (p.value_range) {
      const double min = p.value_range->min.toDouble();
      const double step = p.value_range->step.toDouble();
      const double k = (v.real - min) / step;
      if (v.real < min - step || v.real > p.value_range->max.toDouble() + step) fail("accepted float off range");
      if (std::fabs(k - std::nearbyint(k)) > 1e-3) fail("accepted float off step");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const ProductView& view = product();
  auto json = hearth::core::parseJson(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  if (!json) return 0;
  const uint8_t selector = data[0];
  const auto operation = static_cast<Operation>(selector % 3);
  const size_t target = (selector / 3) % (view.properties().size() + 1);

  if (target == view.properties().size()) {
    const ActionEntry* go = view.action(2, 1);
    const boost::json::array* values = json.value().if_array();
    if (go == nullptr || values == nullptr) return 0;
    const ArgumentsCheck result = go->in.check(*values);
    if (!result.ok() && go->in.message(*values, result).empty()) fail("argument rejection without message");
    return 0;
  }
  const PropertyEntry& entry = view.properties()[target];
  const ValueCheck result = entry.checker.check(json.value(), operation);
  if (result.ok()) {
    verifyAccepted(*entry.property, result.value);
  } else if (entry.checker.message(json.value(), result.error).empty()) {
    fail("rejection without message");
  }
  if (checkValue(*entry.property, json.value(), operation).error != result.error) {
    fail("checkValue disagrees with the compiled checker");
  }
  return 0;
}

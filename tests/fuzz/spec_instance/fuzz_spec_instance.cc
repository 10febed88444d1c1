// libFuzzer target for the MIoT-Spec instance parser.
//
// Input: JSON text, as a maker would upload it. Whatever parses must survive everything the
// platform does with a product: validation, the derived view (keys, hints, checkers), the upgrade
// check, and a round trip: serialize → parse gives an equal instance, and serialising that gives
// the same text. A mismatch aborts, so the fuzzer finds writer/reader disagreements, not only
// crashes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hearth/spec/compat.h"
#include "hearth/spec/json.h"
#include "hearth/spec/product_view.h"
#include "hearth/spec/validate.h"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "spec instance invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::spec;
  auto instance = parseInstance(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!instance) {
    if (instance.error().reason.empty()) fail("parse error without a reason");
    return 0;
  }
  const Instance& parsed = instance.value();
  for (const Finding& f : validate(parsed)) {
    if (f.message.empty() || (!f.pointer.empty() && f.pointer[0] != '/')) fail("malformed finding");
  }
  if (checkCompatibleUpgrade(parsed, parsed).empty()) fail("an upgrade to the same version passed");

  const std::string text = serializeInstance(parsed);
  auto again = parseInstance(text);
  if (!again) {
    std::fprintf(stderr, "%s\n%s\n", text.c_str(), again.error().toString().c_str());
    fail("serialised instance does not parse");
  }
  if (!(again.value() == parsed)) fail("parse(serialize(x)) != x");
  if (serializeInstance(again.value()) != text) fail("serialisation is not stable");

  ProductView view(std::move(instance).value());
  for (const PropertyEntry& p : view.properties()) {
    if (view.property(p.key) != &p) fail("key lookup misses its own entry");
    if (view.property(p.siid, p.piid) == nullptr) fail("iid lookup misses an entry");
  }
  return 0;
}

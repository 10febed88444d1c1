// Fuzzes the device protocol parser: any bytes a device (or a broken one) publishes on its up
// topic, and the same bytes as the body of an API command (a request without an id). A message
// that parses must serialise and parse back to the same message, and serialising it again must
// give the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hearth/platform/device_message.h"
#include "hearth/core/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::platform;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto doc = hearth::core::parseJson(input); doc && doc.value().is_object()) {
    auto command = parseRequestMembers(doc.value().get_object());
    if (!command && command.error().reason.empty()) std::abort();
    if (command) {
      auto back = parseDeviceMessage(serializeDeviceMessage(command.value()));
      if (!back || !(back.value() == DeviceMessage(command.value()))) std::abort();
    }
  }

  auto parsed = parseDeviceMessage(input);
  if (!parsed) {
    if (parsed.error().reason.empty()) std::abort();  // every refusal says why
    return 0;
  }
  const std::string text = serializeDeviceMessage(parsed.value());
  auto again = parseDeviceMessage(text);
  if (!again || !(again.value() == parsed.value())) std::abort();
  if (serializeDeviceMessage(again.value()) != text) std::abort();
  return 0;
}

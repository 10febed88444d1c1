// Fuzzes the device protocol parser: any bytes a device (or a broken one) publishes on its up
// topic. A message that parses must serialise and parse back to the same message, and serialising
// it again must give the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hearth/platform/device_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::platform;
  auto parsed = parseDeviceMessage(std::string_view(reinterpret_cast<const char*>(data), size));
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

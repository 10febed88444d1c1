// Numbers in arbitrary bytes (the assistant reads whatever people type or the recogniser makes):
// never a crash, and every number found lies inside the text, in order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hearth/assistant/numbers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t previous_end = 0;
  for (const auto& n : hearth::assistant::findNumbers(text)) {
    if (n.begin > n.end || n.end > text.size() || n.begin < previous_end) std::abort();
    previous_end = n.end;
  }
  return 0;
}

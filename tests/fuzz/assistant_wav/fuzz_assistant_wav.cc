// libFuzzer target for the assistant's WAV reader (the speech route's body): any bytes give audio
// or a reason, never a crash; audio comes out at 16 kHz, within the length limit, and survives a
// round trip through writeWav().
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hearth/assistant/audio.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto audio = hearth::assistant::readWav(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!audio.isOk()) {
    if (audio.error().message().empty()) std::abort();
    return 0;
  }
  if (audio->sample_rate != 16000 || audio->seconds() > hearth::assistant::kMaxSpeechSeconds + 0.01) std::abort();
  if (audio->samples.empty()) return 0;
  auto again = hearth::assistant::readWav(hearth::assistant::writeWav(*audio));
  if (!again.isOk() || again->samples != audio->samples) std::abort();
  return 0;
}

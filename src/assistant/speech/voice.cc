#include <espeak-ng/speak_lib.h>
#include <fmt/format.h>

#include <mutex>

#include "hearth/assistant/speech.h"

namespace hearth::assistant {

namespace {

// espeak-ng keeps its state in globals: one initialisation per process, one sentence at a time.
std::mutex& voiceMutex() {
  static std::mutex mutex;
  return mutex;
}

int collect(short* wav, int count, espeak_EVENT* events) {
  if (wav != nullptr && count > 0 && events != nullptr) {
    auto* out = static_cast<std::vector<int16_t>*>(events->user_data);
    out->insert(out->end(), wav, wav + count);
  }
  return 0;  // go on
}

}  // namespace

core::Result<Audio> speak(std::string_view text, std::string_view language) {
  std::lock_guard lock(voiceMutex());
  static const int rate = [] {
    const int r = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    if (r > 0) espeak_SetSynthCallback(collect);
    return r;
  }();
  if (rate <= 0) return core::Status::unavailable("espeak-ng could not load its data");
  const char* voice = language == "zh" ? "cmn" : "en-us";
  if (espeak_SetVoiceByName(voice) != EE_OK) return core::Status::unavailable(fmt::format("no espeak-ng voice {}", voice));
  Audio audio;
  audio.sample_rate = rate;
  const std::string copy(text);
  if (espeak_Synth(copy.c_str(), copy.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &audio.samples) != EE_OK ||
      espeak_Synchronize() != EE_OK) {
    return core::Status::internal("espeak-ng failed");
  }
  return audio;
}

}  // namespace hearth::assistant

#include <espeak-ng/speak_lib.h>
#include <fmt/format.h>

#include <map>
#include <mutex>
#include <string>

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

// espeak-ng's initialisation, once: its sample rate, or 0 when its data is missing.
int initialised() {
  static const int rate = [] {
    const int r = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    if (r > 0) espeak_SetSynthCallback(collect);
    return r;
  }();
  return rate;
}

// espeak-ng's English phonemes in CMU ARPAbet, the recogniser's phones (American, rhotic).
const std::map<std::string_view, std::string_view>& arpabet() {
  static const std::map<std::string_view, std::string_view> kTable{
      {"a", "AE"}, {"A:", "AA"}, {"aI", "AY"}, {"aU", "AW"}, {"E", "EH"}, {"e", "EH"}, {"eI", "EY"},
      {"I", "IH"}, {"I2", "IH"}, {"I#", "IH"}, {"i:", "IY"}, {"i", "IY"}, {"0", "AA"}, {"02", "AA"},
      {"O:", "AO"}, {"O", "AO"}, {"O2", "AO"}, {"OI", "OY"}, {"oU", "OW"}, {"@", "AH"}, {"@2", "AH"},
      {"@5", "AH"}, {"a#", "AH"}, {"V", "AH"}, {"U", "UH"}, {"u:", "UW"}, {"u", "UW"}, {"3:", "ER"},
      {"@L", "AH L"}, {"aI@", "AY ER"}, {"aU@", "AW ER"}, {"i@", "IY AH"}, {"i@3", "IY ER"},
      {"A@", "AA R"}, {"3", "ER"}, {"O@", "AO R"}, {"o@", "AO R"}, {"e@", "EH R"}, {"I@", "IH R"},
      {"U@", "UH R"}, {"aI3", "AY ER"}, {"aU3", "AW ER"},
      {"p", "P"}, {"b", "B"}, {"t", "T"}, {"t2", "T"}, {"d", "D"}, {"k", "K"}, {"g", "G"}, {"f", "F"},
      {"v", "V"}, {"T", "TH"}, {"D", "DH"}, {"s", "S"}, {"z", "Z"}, {"S", "SH"}, {"Z", "ZH"}, {"h", "HH"},
      {"tS", "CH"}, {"dZ", "JH"}, {"m", "M"}, {"n", "N"}, {"N", "NG"}, {"l", "L"}, {"r", "R"}, {"w", "W"},
      {"j", "Y"}, {"t#", "T"}, {"n-", "N"}, {"l-", "L"}, {"m-", "M"}, {"r-", "R"}, {"?", ""}};
  return kTable;
}

}  // namespace

std::string pronounce(std::string_view word) {
  std::lock_guard lock(voiceMutex());
  if (initialised() <= 0 || espeak_SetVoiceByName("en-us") != EE_OK) return {};
  const std::string text(word);
  const void* cursor = text.c_str();
  const char* phonemes = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, ' ' << 8);
  if (phonemes == nullptr) return {};
  std::string out;
  std::string_view rest(phonemes);
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    std::string_view ph = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    while (!ph.empty() && (ph.front() == '\'' || ph.front() == ',' || ph.front() == '%' || ph.front() == '=')) {
      ph.remove_prefix(1);
    }
    if (ph.empty() || ph == "_" || ph == "_:") continue;
    auto found = arpabet().find(ph);
    if (found == arpabet().end() && ph.back() == ':') found = arpabet().find(ph.substr(0, ph.size() - 1));
    if (found == arpabet().end()) return {};  // a sound the recogniser has no phone for
    if (!found->second.empty()) out += (out.empty() ? "" : " ") + std::string(found->second);
  }
  return out;
}

core::Result<Audio> speak(std::string_view text, std::string_view language) {
  std::lock_guard lock(voiceMutex());
  const int rate = initialised();
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

// The assistant's speech: in through pocketsphinx (Debian's pocketsphinx and pocketsphinx-en-us),
// constrained by a grammar made from the home's own names and the command patterns, and out
// through espeak-ng (English and Mandarin voices). Debian has no Mandarin recognition model, so
// speech in is English only; Chinese is text-only for now.
//
// Recognition is the part where grammar design, pronunciations and decoder settings matter; the
// choices and their measured effect are in docs/assistant.md ("Speech").
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "hearth/assistant/audio.h"
#include "hearth/assistant/home_snapshot.h"
#include "hearth/core/status.h"

namespace hearth::assistant {

// `text` spoken in English ("en") or Mandarin ("zh"), at espeak-ng's rate (22050 Hz).
// kUnavailable when espeak-ng's data is missing. Thread-safe: espeak-ng is one per process, so
// calls are serialised.
core::Result<Audio> speak(std::string_view text, std::string_view language);

// An English word's pronunciation in the recogniser's phones (CMU ARPAbet, "R OW B AH R AA K"),
// as espeak-ng would say it: for names the dictionary lacks. Empty when it cannot tell.
std::string pronounce(std::string_view word);

// The JSGF grammar of what can be said to `home`: its device names in the commands their
// capabilities allow ("set the desk lamp to fifty percent" only for dimmable ones), its rooms
// and scenes, numbers in words. Names are lower-cased; a name with a word `speakable` refuses
// (or with characters other than ASCII letters, digits and spaces) is left out.
std::string grammarFor(const HomeSnapshot& home,
                       const std::function<bool(std::string_view word)>& speakable = nullptr);

struct Heard {
  std::string text;       // the words recognised; empty when nothing matched or it was rejected
  double score = 0;       // the acoustic score per 10 ms frame (higher is better)
  bool rejected = false;  // something matched, but too poorly to act on (below kRejectBelow)
  double decode_seconds = 0;
};

// Thread-safety: one decoder per Recognizer and recognize() calls serialised; build one and
// share it. Decoding takes about a fortieth of the audio's length.
class Recognizer {
 public:
  // Below this score per frame a match is taken as speech the grammar does not cover ("tell me
  // a joke"): measured on espeak-ng's voices, it rejects 42 of 50 such phrases and 9 of 400
  // commands.
  static constexpr double kRejectBelow = -55;

  struct Options {
    std::string model_dir = "/usr/share/pocketsphinx/model/en-us";  // en-us/ and cmudict-en-us.dict
  };

  // kUnavailable when the model is not installed. Cheap: the model itself (~0.1 s, ~30 MB) loads
  // at the first recognize().
  static core::Result<std::unique_ptr<Recognizer>> open(const Options& options);
  ~Recognizer();

  // What was said in `audio` (16 kHz mono), within what can be said to `home`; kUnavailable
  // when the model does not load.
  core::Result<Heard> recognize(const Audio& audio, const HomeSnapshot& home);

 private:
  struct Decoder;
  explicit Recognizer(std::unique_ptr<Decoder> decoder);
  std::unique_ptr<Decoder> decoder_;
};

}  // namespace hearth::assistant

// pocketsphinx 5prealpha with a JSGF grammar per home. The settings are those measured in
// docs/assistant.md ("Speech"): wide beams, live cepstral mean normalisation seeded with the mean
// of espeak-ng's voices and reset before every utterance (so that a result does not depend on
// what was said before), extra pronunciations for words espeak-ng's American voice says its own
// way, and a per-frame score threshold for speech the grammar does not cover.
#include <pocketsphinx.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/err.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/fsg_model.h>
#include <sphinxbase/jsgf.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>

#include "hearth/assistant/speech.h"

namespace hearth::assistant {

namespace {

// The cepstral mean of espeak-ng's voices, measured; a microphone's would differ a little.
constexpr mfcc_t kCmnSeed[] = {52.0f, 0.5f, -6.7f, 23.5f, -11.9f, -0.5f, -2.0f, -20.9f, 2.7f, -15.0f, 10.2f, -7.7f, -4.8f};

// Pronunciations cmudict lacks for how espeak-ng's American voice (and many speakers) say them.
constexpr std::pair<const char*, const char*> kExtraPronunciations[] = {{"start(2)", "S T AA T"}, {"off(2)", "AA F"}};

}  // namespace

struct Recognizer::Decoder {
  std::string hmm;
  std::string dict;
  std::mutex mutex;
  cmd_ln_t* config = nullptr;  // with ps: made at the first recognize()
  ps_decoder_t* ps = nullptr;
  std::string grammar;  // the JSGF text of the search in use: a home's, until another's comes

  // Loads the model and cmudict (~0.1 s, ~30 MB) the first time speech arrives, so that a hearthd
  // that never hears any does not pay for it at start-up.
  core::Status load() {
    if (ps != nullptr) return core::Status::ok();
    err_set_logfp(nullptr);  // pocketsphinx logs hundreds of lines per start otherwise
    config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), "-dict", dict.c_str(), "-beam", "1e-80",
                         "-wbeam", "1e-60", "-pbeam", "1e-80", "-logfn", "/dev/null", nullptr);
    if (config == nullptr) return core::Status::internal("pocketsphinx refused its settings");
    ps = ps_init(config);
    if (ps == nullptr) return core::Status::unavailable("pocketsphinx could not load " + hmm);
    for (const auto& [word, phones] : kExtraPronunciations) ps_add_word(ps, word, phones, FALSE);
    ps_get_feat(ps)->cmn = CMN_LIVE;  // the model's feat.params says "batch", which needs the whole utterance first
    return core::Status::ok();
  }

  // Makes `jsgf` the search, unless it already is. Through jsgf_build_fsg rather than
  // ps_set_jsgf_string, which leaks the parsed grammar on every call.
  bool use(const std::string& jsgf) {
    if (jsgf == grammar) return true;
    jsgf_t* parsed = jsgf_parse_string(jsgf.c_str(), nullptr);
    if (parsed == nullptr) return false;
    jsgf_rule_t* rule = jsgf_get_public_rule(parsed);
    fsg_model_t* fsg = rule != nullptr ? jsgf_build_fsg(parsed, rule, ps_get_logmath(ps), cmd_ln_float32_r(config, "-lw"))
                                       : nullptr;
    const bool ok = fsg != nullptr && ps_set_fsg(ps, "home", fsg) >= 0 && ps_set_search(ps, "home") >= 0;
    if (fsg != nullptr) fsg_model_free(fsg);  // the decoder keeps its own reference
    jsgf_grammar_free(parsed);
    grammar = ok ? jsgf : std::string();
    return ok;
  }

  ~Decoder() {
    if (ps != nullptr) ps_free(ps);
    if (config != nullptr) cmd_ln_free_r(config);
  }
};

Recognizer::Recognizer(std::unique_ptr<Decoder> decoder) : decoder_(std::move(decoder)) {}
Recognizer::~Recognizer() = default;

core::Result<std::unique_ptr<Recognizer>> Recognizer::open(const Options& options) {
  namespace fs = std::filesystem;
  auto d = std::make_unique<Decoder>();
  d->hmm = options.model_dir + "/en-us";
  d->dict = options.model_dir + "/cmudict-en-us.dict";
  std::error_code ec;
  if (!fs::is_directory(d->hmm, ec) || !fs::is_regular_file(d->dict, ec)) {
    return core::Status::unavailable("speech recognition needs Debian's pocketsphinx-en-us (" + d->hmm + ")");
  }
  return std::unique_ptr<Recognizer>(new Recognizer(std::move(d)));
}

core::Result<Heard> Recognizer::recognize(const Audio& audio, const HomeSnapshot& home) {
  if (audio.sample_rate != 16000) return core::Status::invalidArgument("the recogniser takes 16 kHz audio");
  std::lock_guard lock(decoder_->mutex);
  HEARTH_RETURN_IF_ERROR(decoder_->load());
  ps_decoder_t* ps = decoder_->ps;
  // Words of the home's names the dictionary lacks get espeak-ng's pronunciation, or their
  // names are left out of the grammar.
  const std::string grammar = grammarFor(home, [ps](std::string_view word) {
    const std::string w(word);
    if (char* known = ps_lookup_word(ps, w.c_str())) {
      ckd_free(known);  // the caller's to free
      return true;
    }
    const std::string phones = pronounce(w);
    return !phones.empty() && ps_add_word(ps, w.c_str(), phones.c_str(), FALSE) >= 0;
  });
  if (!decoder_->use(grammar)) return core::Status::internal("the home's grammar did not load");
  feat_t* feat = ps_get_feat(ps);
  mfcc_t seed[sizeof kCmnSeed / sizeof kCmnSeed[0]];
  std::copy(std::begin(kCmnSeed), std::end(kCmnSeed), seed);
  cmn_live_set(feat->cmn_struct, seed);
  const auto started = std::chrono::steady_clock::now();
  Heard heard;
  if (ps_start_utt(ps) < 0 ||
      ps_process_raw(ps, audio.samples.data(), audio.samples.size(), FALSE, TRUE) < 0 || ps_end_utt(ps) < 0) {
    return core::Status::internal("pocketsphinx failed on the audio");
  }
  int32 score = 0;
  const char* hyp = ps_get_hyp(ps, &score);
  heard.decode_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const int frames = ps_get_n_frames(ps);
  if (hyp == nullptr || *hyp == '\0' || frames <= 0) return heard;
  heard.score = static_cast<double>(score) / frames;
  heard.rejected = heard.score < kRejectBelow;
  if (!heard.rejected) heard.text = hyp;
  return heard;
}

}  // namespace hearth::assistant

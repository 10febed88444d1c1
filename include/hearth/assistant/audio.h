// Sound for the assistant's speech in and out: 16-bit mono PCM, and the WAV files it travels in.
// readWav() reads what a browser or a phone sends (RIFF/WAVE, PCM 8/16/24/32-bit integers or
// 32-bit float, 1 or 2 channels, 8 to 48 kHz) and brings it to the 16 kHz mono the recogniser
// takes; it is a parser of network bytes: bad input is InvalidArgument with the reason, never a
// crash (fuzzed: tests/fuzz/assistant_wav). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::assistant {

struct Audio {
  int sample_rate = 16000;
  std::vector<int16_t> samples;  // mono
  double seconds() const { return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0; }
};

constexpr double kMaxSpeechSeconds = 30;  // a command, not a recording

// The audio of a WAV file as 16 kHz mono; longer than kMaxSpeechSeconds is refused.
core::Result<Audio> readWav(std::string_view bytes);

// A 16-bit PCM mono WAV file of `audio`.
std::string writeWav(const Audio& audio);

}  // namespace hearth::assistant

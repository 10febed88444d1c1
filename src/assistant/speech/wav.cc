#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "hearth/assistant/audio.h"

namespace hearth::assistant {

namespace {

uint32_t le32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

uint16_t le16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}

core::Status bad(std::string_view why) { return core::Status::invalidArgument(fmt::format("WAV: {}", why)); }

// One sample as a float in [-1, 1].
float sampleAt(std::string_view data, size_t at, int bits, bool is_float) {
  switch (bits) {
    case 8: return (static_cast<unsigned char>(data[at]) - 128) / 128.0f;
    case 16: return static_cast<int16_t>(le16(data, at)) / 32768.0f;
    case 24: {
      const uint32_t raw = le16(data, at) | static_cast<uint32_t>(static_cast<unsigned char>(data[at + 2])) << 16;
      return static_cast<int32_t>(raw << 8) / 2147483648.0f;
    }
    default: {
      const uint32_t raw = le32(data, at);
      if (is_float) {
        float f;
        std::memcpy(&f, &raw, sizeof f);
        return std::isfinite(f) ? std::clamp(f, -1.0f, 1.0f) : 0.0f;
      }
      return static_cast<int32_t>(raw) / 2147483648.0f;
    }
  }
}

}  // namespace

core::Result<Audio> readWav(std::string_view b) {
  if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WAVE") return bad("not a RIFF/WAVE file");
  uint16_t format = 0, channels = 0, bits = 0;
  uint32_t rate = 0;
  bool have_format = false;
  std::string_view data;
  for (size_t at = 12; at + 8 <= b.size();) {
    const std::string_view id = b.substr(at, 4);
    const uint32_t size = le32(b, at + 4);
    const size_t body = at + 8;
    const size_t available = std::min<size_t>(size, b.size() - body);
    if (id == "fmt ") {
      if (available < 16) return bad("fmt chunk too short");
      format = le16(b, body);
      channels = le16(b, body + 2);
      rate = le32(b, body + 4);
      bits = le16(b, body + 14);
      if (format == 0xFFFE && available >= 26) format = le16(b, body + 24);  // WAVE_FORMAT_EXTENSIBLE
      have_format = true;
    } else if (id == "data") {
      data = b.substr(body, available);  // a stream's data chunk may say more than was sent
      break;
    }
    at = body + size + (size & 1);
    if (at < body) break;  // wrapped
  }
  if (!have_format) return bad("no fmt chunk");
  if (format != 1 && format != 3) return bad(fmt::format("format {} is not PCM", format));
  if (channels < 1 || channels > 2) return bad(fmt::format("{} channels (1 or 2)", channels));
  if (rate < 8000 || rate > 48000) return bad(fmt::format("{} Hz (8000 to 48000)", rate));
  const bool is_float = format == 3;
  if (is_float ? bits != 32 : (bits != 8 && bits != 16 && bits != 24 && bits != 32)) {
    return bad(fmt::format("{}-bit samples", bits));
  }
  if (data.empty()) return bad("no audio");
  const size_t frame = static_cast<size_t>(bits / 8) * channels;
  const size_t frames = data.size() / frame;
  if (static_cast<double>(frames) / rate > kMaxSpeechSeconds) {
    return bad(fmt::format("longer than {} s", kMaxSpeechSeconds));
  }
  std::vector<float> mono(frames);
  for (size_t i = 0; i < frames; ++i) {
    float sum = 0;
    for (size_t c = 0; c < channels; ++c) sum += sampleAt(data, i * frame + c * (bits / 8), bits, is_float);
    mono[i] = sum / channels;
  }
  // To 16 kHz: each output sample is the mean of the input samples it covers (a box filter,
  // enough against aliasing for speech) or, when upsampling, linear interpolation.
  Audio out;
  const double ratio = static_cast<double>(rate) / out.sample_rate;
  const size_t n = static_cast<size_t>(static_cast<double>(frames) / ratio);
  out.samples.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const double from = i * ratio;
    float v;
    if (ratio > 1) {
      const size_t a = static_cast<size_t>(from);
      const size_t z = std::min(frames, std::max(a + 1, static_cast<size_t>(from + ratio)));
      float sum = 0;
      for (size_t k = a; k < z; ++k) sum += mono[k];
      v = sum / static_cast<float>(z - a);
    } else {
      const size_t a = static_cast<size_t>(from);
      const float t = static_cast<float>(from - a);
      v = mono[a] * (1 - t) + (a + 1 < frames ? mono[a + 1] : mono[a]) * t;
    }
    // The scale 16-bit samples were read with, so that 16 kHz 16-bit audio comes back unchanged.
    out.samples.push_back(static_cast<int16_t>(std::clamp(std::lround(v * 32768.0f), -32768L, 32767L)));
  }
  return out;
}

std::string writeWav(const Audio& audio) {
  const uint32_t bytes = static_cast<uint32_t>(audio.samples.size() * 2);
  std::string out;
  out.reserve(44 + bytes);
  auto put32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  auto put16 = [&](uint16_t v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>(v >> 8);
  };
  out += "RIFF";
  put32(36 + bytes);
  out += "WAVEfmt ";
  put32(16);
  put16(1);
  put16(1);
  put32(static_cast<uint32_t>(audio.sample_rate));
  put32(static_cast<uint32_t>(audio.sample_rate) * 2);
  put16(2);
  put16(16);
  out += "data";
  put32(bytes);
  for (int16_t s : audio.samples) put16(static_cast<uint16_t>(s));
  return out;
}

}  // namespace hearth::assistant

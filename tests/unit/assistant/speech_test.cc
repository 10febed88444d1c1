#include "hearth/assistant/speech.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "hearth/assistant/interpreter.h"

namespace hearth::assistant {
namespace {

Audio tone(int rate, double seconds) {
  Audio a;
  a.sample_rate = rate;
  for (int i = 0; i < static_cast<int>(rate * seconds); ++i) {
    a.samples.push_back(static_cast<int16_t>(8000 * std::sin(2 * M_PI * 440 * i / rate)));
  }
  return a;
}

TEST(WavTest, RoundTripsAndResamplesTo16kMono) {
  auto back = readWav(writeWav(tone(16000, 0.5)));
  ASSERT_TRUE(back.isOk()) << back.error().toString();
  EXPECT_EQ(back->samples.size(), 8000u);
  auto fast = readWav(writeWav(tone(48000, 0.5)));
  ASSERT_TRUE(fast.isOk());
  EXPECT_EQ(fast->sample_rate, 16000);
  EXPECT_NEAR(static_cast<double>(fast->samples.size()), 8000, 2);
  // Stereo: the two channels averaged.
  std::string stereo = writeWav(tone(16000, 0.1));
  stereo[22] = 2;                       // channels
  stereo[32] = 4;                       // block align
  EXPECT_TRUE(readWav(stereo).isOk());
}

TEST(WavTest, RefusesWhatIsNotSpeechWithAReason) {
  EXPECT_NE(readWav("hello").error().message().find("RIFF"), std::string::npos);
  std::string wav = writeWav(tone(16000, 0.1));
  std::string bits = wav;
  bits[34] = 12;
  EXPECT_NE(readWav(bits).error().message().find("12-bit"), std::string::npos);
  std::string rate = wav;
  rate[24] = 0x10, rate[25] = 0, rate[26] = 0;  // 16 Hz
  EXPECT_NE(readWav(rate).error().message().find("Hz"), std::string::npos);
  EXPECT_NE(readWav(writeWav(tone(8000, 31))).error().message().find("longer"), std::string::npos);
  EXPECT_NE(readWav(wav.substr(0, 44)).error().message().find("no audio"), std::string::npos);
  EXPECT_TRUE(readWav(wav.substr(0, 200)).isOk());  // a data chunk cut short is what arrived
}

HomeSnapshot demoHome() {
  auto home = parseHomeJson(R"({"rooms": [{"id": "s", "name": "Study"}, {"id": "b", "name": "Bedroom"}],
    "devices": [{"id": "lamp", "name": "Desk Lamp", "room": "s", "type": "light", "state": "off"},
                {"id": "ac", "name": "Air Conditioner", "room": "b", "type": "air-conditioner", "state": "off"},
                {"id": "curtain", "name": "Curtain 2", "room": "b", "type": "curtain", "state": "open"},
                {"id": "vac", "name": "Robot Vacuum", "type": "vacuum", "state": "docked"},
                {"id": "zh", "name": "台灯", "room": "s", "type": "light", "state": "off"}],
    "scenes": [{"id": "m", "name": "Movie Night"}]})");
  EXPECT_TRUE(home.isOk());
  return *home;
}

TEST(GrammarTest, NamesGoWhereTheirCapabilitiesAllow) {
  const std::string g = grammarFor(demoHome());
  EXPECT_NE(g.find("<light> = ( desk lamp );"), std::string::npos) << g;
  EXPECT_NE(g.find("<climate> = ( air conditioner );"), std::string::npos) << g;
  EXPECT_NE(g.find("<curtain> = ( curtain two );"), std::string::npos) << g;
  EXPECT_NE(g.find("<room> = ( bedroom | study );"), std::string::npos) << g;
  EXPECT_NE(g.find("movie night"), std::string::npos);
  EXPECT_EQ(g.find("台灯"), std::string::npos);  // Chinese is text-only for now
  EXPECT_EQ(grammarFor(demoHome(), [](std::string_view w) { return w != "lamp"; }).find("desk lamp"), std::string::npos);
}

class SpeechTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Recognizer::open({});
    if (!opened) GTEST_SKIP() << opened.error().toString();
    recognizer_ = std::move(*opened);
  }
  // What the recogniser hears in espeak-ng saying `text`.
  Heard hear(const std::string& text) {
    auto said = speak(text, "en");
    EXPECT_TRUE(said.isOk());
    auto audio = readWav(writeWav(*said));
    EXPECT_TRUE(audio.isOk());
    auto heard = recognizer_->recognize(*audio, home_);
    EXPECT_TRUE(heard.isOk());
    return *heard;
  }
  HomeSnapshot home_ = demoHome();
  std::unique_ptr<Recognizer> recognizer_;
};

TEST_F(SpeechTest, CommandsComeBackAsTheirWords) {
  const Interpreter interpreter(home_);
  for (const std::string text : {"turn on the desk lamp", "set the air conditioner to twenty two degrees",
                                 "send the robot vacuum home", "activate movie night"}) {
    const Heard heard = hear(text);
    const auto want = interpreter.interpret(text);
    const auto got = interpreter.interpret(heard.text);
    EXPECT_EQ(got.intent, want.intent) << text << " → " << heard.text;
    EXPECT_EQ(got.targets, want.targets) << text << " → " << heard.text;
    EXPECT_EQ(got.value, want.value) << text << " → " << heard.text;
    EXPECT_LT(heard.decode_seconds, 5.0);
  }
}

TEST(VoiceTest, SpeaksBothLanguages) {
  auto en = speak("The desk lamp is on.", "en");
  if (!en) GTEST_SKIP() << en.error().toString();
  EXPECT_GT(en->seconds(), 0.5);
  auto zh = speak("已打开台灯。", "zh");
  ASSERT_TRUE(zh.isOk());
  EXPECT_GT(zh->seconds(), 0.5);
  EXPECT_FALSE(pronounce("roborock").empty());
}

}  // namespace
}  // namespace hearth::assistant

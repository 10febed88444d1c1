#include "hearth/assistant/interpreter.h"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace hearth::assistant {
namespace {

// A family's flat: two floors, five rooms, fourteen devices, two scenes.
constexpr std::string_view kHome = R"({
  "language": "en",
  "floors": [{"id": "down", "name": "Downstairs"}, {"id": "up", "name": "Upstairs"}],
  "rooms": [{"id": "living", "name": "Living Room", "aliases": ["客厅"], "floor": "down"},
            {"id": "kitchen", "name": "Kitchen", "aliases": ["厨房"], "floor": "down"},
            {"id": "bedroom", "name": "Bedroom", "aliases": ["卧室"], "floor": "up"},
            {"id": "study", "name": "Study", "aliases": ["书房"], "floor": "up"},
            {"id": "hall", "name": "Hall", "aliases": ["门厅"], "floor": "down"}],
  "devices": [
    {"id": "lamp", "name": "Desk Lamp", "room": "study", "type": "light", "state": "off", "aliases": ["台灯"]},
    {"id": "ceiling", "name": "Ceiling Light", "room": "living", "type": "light", "state": "on", "aliases": ["客厅灯"]},
    {"id": "bedside", "name": "Bedside Lamp", "room": "bedroom", "type": "light", "state": "on", "online": false},
    {"id": "kitchen-light", "name": "Kitchen Light", "room": "kitchen", "type": "light", "state": "off"},
    {"id": "ac", "name": "Air Conditioner", "room": "bedroom", "type": "air-conditioner", "state": "cool", "aliases": ["空调"]},
    {"id": "curtain", "name": "Living Room Curtain", "room": "living", "type": "curtain", "state": "closed", "aliases": ["客厅窗帘"]},
    {"id": "speaker", "name": "Speaker", "room": "living", "type": "speaker", "state": "idle", "aliases": ["音箱"]},
    {"id": "vacuum", "name": "Robot Vacuum", "room": "hall", "type": "vacuum", "state": "docked", "aliases": ["扫地机"]},
    {"id": "front", "name": "Front Door", "room": "hall", "type": "lock", "state": "locked", "aliases": ["前门"]},
    {"id": "thermo", "name": "Study Thermometer", "room": "study", "type": "sensor", "class": "temperature", "state": "23.5"},
    {"id": "plug", "name": "Coffee Machine", "room": "kitchen", "type": "switch", "state": "off", "aliases": ["咖啡机"]},
    {"id": "motion", "name": "Hall Motion", "room": "hall", "type": "binary-sensor", "class": "motion", "state": "on"},
    {"id": "fan-study", "name": "Ceiling Fan", "room": "study", "type": "fan", "state": "off"},
    {"id": "fan-bedroom", "name": "Ceiling Fan", "room": "bedroom", "type": "fan", "state": "off"}
  ],
  "scenes": [{"id": "movie", "name": "Movie Night"}, {"id": "sleep", "name": "Good Night", "room": "bedroom"}]
})";

class InterpreterTest : public ::testing::Test {
 protected:
  static Interpreter make() {
    auto home = parseHomeJson(kHome);
    EXPECT_TRUE(home.isOk()) << (home.isOk() ? "" : home.error().toString());
    return Interpreter(std::move(*home));
  }
  Interpretation ask(std::string_view text, std::string_view room = {}) { return interpreter_.interpret(text, room); }
  static std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }
  using Ids = std::vector<std::string>;

  Interpreter interpreter_ = make();
};

TEST_F(InterpreterTest, TurnsOnAndOffByNameRoomKindAndFloor) {
  auto on = ask("turn on the desk lamp");
  EXPECT_EQ(on.intent, Intent::kTurnOn);
  EXPECT_EQ(on.targets, Ids{"lamp"});
  EXPECT_EQ(on.language, "en");
  EXPECT_EQ(on.response, "Turned on Desk Lamp.");
  auto off = ask("Could you switch OFF the lights in the kitchen, please?");
  EXPECT_EQ(off.intent, Intent::kTurnOff);
  EXPECT_EQ(off.targets, Ids{"kitchen-light"});
  EXPECT_EQ(sorted(ask("turn off all the lights upstairs").targets), (Ids{"bedside", "lamp"}));
  EXPECT_EQ(sorted(ask("lights off everywhere").targets), (Ids{"bedside", "ceiling", "kitchen-light", "lamp"}));
  EXPECT_EQ(ask("coffee machine on").intent, Intent::kTurnOn);
}

TEST_F(InterpreterTest, TheSpeakersRoomWhenNoPlaceIsSaid) {
  EXPECT_EQ(ask("turn on the lights", "study").targets, Ids{"lamp"});
  EXPECT_EQ(ask("turn on the lights in here", "living").targets, Ids{"ceiling"});
  // No light where the speaker is: the home's lights, as nothing narrower was meant.
  EXPECT_EQ(ask("turn on the lights", "hall").targets.size(), 4u);
  // Two devices of one name: the one in the speaker's room.
  EXPECT_EQ(ask("turn on the ceiling fan", "study").targets, Ids{"fan-study"});
  EXPECT_EQ(sorted(ask("turn on the ceiling fan").targets), (Ids{"fan-bedroom", "fan-study"}));
  // A place said wins over the speaker's room.
  EXPECT_EQ(ask("turn on the lights in the kitchen", "study").targets, Ids{"kitchen-light"});
}

TEST_F(InterpreterTest, SetsValuesInWordsAndDigits) {
  auto dim = ask("set the desk lamp brightness to fifty percent");
  EXPECT_EQ(dim.intent, Intent::kSet);
  EXPECT_EQ(dim.property, "brightness");
  EXPECT_EQ(std::get<double>(*dim.value), 50);
  auto ac = ask("set the air conditioner to twenty four degrees");
  EXPECT_EQ(ac.property, "target-temperature");
  EXPECT_EQ(std::get<double>(*ac.value), 24);
  EXPECT_EQ(ac.targets, Ids{"ac"});
  auto colour = ask("make the ceiling light blue");
  EXPECT_EQ(colour.property, "color");
  EXPECT_EQ(std::get<std::string>(*colour.value), "blue");
  auto curtain = ask("open the living room curtain to 30%");
  EXPECT_EQ(curtain.property, "position");
  EXPECT_EQ(std::get<double>(*curtain.value), 30);
  auto max = ask("desk lamp to maximum brightness");
  EXPECT_EQ(std::get<double>(*max.value), 100);
  auto half = ask("set the speaker volume to half");
  EXPECT_EQ(half.property, "volume");
  EXPECT_EQ(std::get<double>(*half.value), 50);
}

TEST_F(InterpreterTest, ValueListWordsComeFromTheCapabilities) {
  auto mode = ask("put the air conditioner in sleep mode");
  EXPECT_EQ(mode.intent, Intent::kSet);
  EXPECT_EQ(mode.property, "mode");
  EXPECT_EQ(std::get<double>(*mode.value), 4);
  EXPECT_EQ(mode.response, "Set the mode of Air Conditioner to sleep.");
  auto zh = ask("空调调到制热模式");
  EXPECT_EQ(zh.property, "mode");
  EXPECT_EQ(std::get<double>(*zh.value), 1);
}

TEST_F(InterpreterTest, AdjustsUpAndDown) {
  auto brighter = ask("make the desk lamp brighter");
  EXPECT_EQ(brighter.intent, Intent::kAdjust);
  EXPECT_EQ(brighter.property, "brightness");
  EXPECT_EQ(brighter.direction, 1);
  auto by = ask("turn the speaker volume down by 10");
  EXPECT_EQ(by.intent, Intent::kAdjust);
  EXPECT_EQ(by.direction, -1);
  EXPECT_EQ(*by.amount, 10);
  auto heat = ask("turn up the heat", "bedroom");
  EXPECT_EQ(heat.intent, Intent::kAdjust);
  EXPECT_EQ(heat.property, "target-temperature");
  // The speaker's room is what it names; the air conditioner is what there can take it.
  EXPECT_EQ(sorted(heat.targets), (Ids{"ac", "bedside", "fan-bedroom"}));
  EXPECT_EQ(heat.response, "Turned up the temperature of Air Conditioner.");
  auto zh = ask("把台灯调暗一点");
  EXPECT_EQ(zh.intent, Intent::kAdjust);
  EXPECT_EQ(zh.property, "brightness");
  EXPECT_EQ(zh.direction, -1);
  EXPECT_EQ(zh.targets, Ids{"lamp"});
}

TEST_F(InterpreterTest, ActionsForVacuumsAndSpeakers) {
  auto dock = ask("send the robot vacuum back to its dock");
  EXPECT_EQ(dock.intent, Intent::kAction);
  EXPECT_EQ(dock.action, "dock");
  EXPECT_EQ(dock.targets, Ids{"vacuum"});
  EXPECT_EQ(ask("start the robot vacuum").action, "start");
  EXPECT_EQ(ask("stop the vacuum").action, "stop");
  EXPECT_EQ(ask("vacuum the hall").action, "start");
  auto next = ask("skip this song", "living");
  EXPECT_EQ(next.action, "next");
  // Said in a room where nothing plays: the home's players.
  EXPECT_EQ(ask("next song", "study").targets, Ids{"speaker"});
  auto pause = ask("pause");  // no place: whatever can pause
  EXPECT_EQ(pause.action, "pause");
  EXPECT_EQ(sorted(pause.targets), (Ids{"speaker", "vacuum"}));
  EXPECT_EQ(ask("音箱下一首").targets, Ids{"speaker"});
  EXPECT_EQ(ask("扫地机开始打扫").action, "start");
}

TEST_F(InterpreterTest, ScenesAndTheirRooms) {
  auto movie = ask("activate movie night");
  EXPECT_EQ(movie.intent, Intent::kScene);
  EXPECT_EQ(movie.targets, Ids{"movie"});
  EXPECT_EQ(movie.response, "Activated Movie Night.");
  EXPECT_EQ(ask("good night in the bedroom").targets, Ids{"sleep"});
  EXPECT_TRUE(ask("movie night in the bedroom").targets.empty());  // the home's, not the bedroom's
}

TEST_F(InterpreterTest, QuestionsAreAnsweredFromTheState) {
  auto locked = ask("is the front door locked?");
  EXPECT_EQ(locked.intent, Intent::kQuery);
  EXPECT_EQ(locked.targets, Ids{"front"});
  EXPECT_EQ(locked.response, "Yes.");
  EXPECT_EQ(ask("is the desk lamp on").response, "No, off.");
  EXPECT_EQ(ask("how many lights are on?").response, "2.");
  EXPECT_EQ(ask("which lights are on").response, "Ceiling Light and Bedside Lamp.");
  auto temperature = ask("what's the temperature of the study thermometer");
  EXPECT_EQ(temperature.property, "temperature");
  EXPECT_EQ(temperature.response, "Study Thermometer is 23.5°.");
  auto zh_temperature = ask("书房现在几度？");
  EXPECT_EQ(zh_temperature.intent, Intent::kQuery);
  EXPECT_EQ(zh_temperature.property, "temperature");
  EXPECT_EQ(zh_temperature.response, "Study Thermometer是23.5度。");
  EXPECT_EQ(ask("is there any motion?").targets, Ids{"motion"});
  auto zh = ask("前门锁了吗？");
  EXPECT_EQ(zh.intent, Intent::kQuery);
  EXPECT_EQ(zh.response, "是的。");
}

TEST_F(InterpreterTest, ChineseCommandsAndTraditionalInput) {
  auto on = ask("帮我把客厅的灯打开一下");
  EXPECT_EQ(on.intent, Intent::kTurnOn);
  EXPECT_EQ(on.targets, Ids{"ceiling"});
  EXPECT_EQ(on.language, "zh");
  EXPECT_EQ(on.response, "已打开Ceiling Light。");
  auto traditional = ask("把臥室的燈關掉");
  EXPECT_EQ(traditional.intent, Intent::kTurnOff);
  EXPECT_EQ(traditional.targets, Ids{"bedside"});
  auto ac = ask("把空調調到二十四度");
  EXPECT_EQ(ac.intent, Intent::kSet);
  EXPECT_EQ(ac.response, "已把Air Conditioner的温度调到24度。");
  EXPECT_EQ(ac.targets, Ids{"ac"});
  EXPECT_EQ(std::get<double>(*ac.value), 24);
  auto percent = ask("客厅窗帘开到百分之五十");
  EXPECT_EQ(percent.property, "position");
  EXPECT_EQ(std::get<double>(*percent.value), 50);
  EXPECT_EQ(ask("打开前门的锁").intent, Intent::kTurnOff);  // opening a lock unlocks it
  EXPECT_EQ(ask("前门上锁").intent, Intent::kTurnOn);
  EXPECT_EQ(ask("把客厅窗帘拉上").intent, Intent::kTurnOff);
  EXPECT_EQ(ask("音箱音量调大").intent, Intent::kAdjust);
  // A name that is also a kind word, said with a place it is not in: the kind in that place.
  EXPECT_EQ(ask("客厅的空调打开").targets, Ids{});
  EXPECT_EQ(ask("卧室的空调打开").targets, Ids{"ac"});
}

TEST_F(InterpreterTest, NamesWithASlipAndNamesOfManyDevices) {
  EXPECT_EQ(ask("turn on the bedsde lamp").targets, Ids{"bedside"});
  EXPECT_EQ(ask("turn on the desk lamb").targets, Ids{"lamp"});
  // "lamp" alone is a kind: every lamp and light in the place.
  EXPECT_EQ(ask("turn on the lamp in the study").targets, Ids{"lamp"});
}

TEST_F(InterpreterTest, UnknownDevicesAndSentences) {
  auto none = ask("turn on the garage light");
  EXPECT_EQ(none.intent, Intent::kTurnOn);
  EXPECT_TRUE(none.targets.empty());
  EXPECT_EQ(none.response, "Sorry, I couldn't find a device like that.");
  auto nonsense = ask("the quick brown fox");
  EXPECT_EQ(nonsense.intent, Intent::kUnknown);
  EXPECT_EQ(nonsense.response, "Sorry, I didn't understand that.");
  EXPECT_EQ(ask("今天天气不错").response, "抱歉，我没听懂。");
  EXPECT_EQ(ask("").intent, Intent::kUnknown);
  EXPECT_EQ(ask(std::string("\xff\xfe\x80 lights on", 13)).intent, Intent::kTurnOn);
}

// hearthd ended on the first of these: std::stod threw std::out_of_range on the HTTP thread.
TEST_F(InterpreterTest, ANumberBeyondAnySettingIsSaidToBeOutOfRange) {
  const auto huge = ask("set the desk lamp brightness to " + std::string(330, '9'));
  EXPECT_EQ(huge.intent, Intent::kUnknown);
  EXPECT_TRUE(huge.targets.empty());
  EXPECT_EQ(huge.response, "Sorry, that number is out of range.");
  EXPECT_EQ(ask("把台灯亮度调到百分之" + std::string(330, '9')).response, "抱歉，这个数字超出了范围。");
  EXPECT_EQ(ask("set the desk lamp brightness to 1000").intent, Intent::kSet);  // large, but a number
}

TEST_F(InterpreterTest, OfflineDevicesAreNamedInTheResponse) {
  auto r = ask("turn off the lights upstairs");
  EXPECT_EQ(r.response, "Turned off Desk Lamp. Bedside Lamp is offline.");
  EXPECT_EQ(ask("关闭卧室的灯").response, "Bedside Lamp离线了。");
}

TEST_F(InterpreterTest, PlaceOnlyCommandsApplyToWhatCanDoThem) {
  auto r = ask("set the living room to 40%");
  EXPECT_EQ(r.property, "brightness");
  EXPECT_EQ(sorted(r.targets), (Ids{"ceiling", "curtain", "speaker"}));
  const auto& devices = interpreter_.home().devices;
  auto applies = [&](std::string_view id) {
    auto d = std::find_if(devices.begin(), devices.end(), [&](const Device& x) { return x.id == id; });
    return interpreter_.appliesTo(r, *d);
  };
  EXPECT_TRUE(applies("ceiling"));
  EXPECT_FALSE(applies("curtain"));
  EXPECT_FALSE(applies("speaker"));
  EXPECT_EQ(r.response, "Set the brightness of Ceiling Light to 40%.");
}

TEST(HomeJsonTest, RejectsBadHomesWithThePath) {
  EXPECT_FALSE(parseHomeJson("not json").isOk());
  EXPECT_FALSE(parseHomeJson("[]").isOk());
  auto missing = parseHomeJson(R"({"devices": [{"id": "a"}]})");
  ASSERT_FALSE(missing.isOk());
  EXPECT_NE(missing.error().message().find("/devices/0/name"), std::string::npos);
  auto wrong = parseHomeJson(R"({"rooms": [{"id": "a", "name": "A", "floor": 3}]})");
  ASSERT_FALSE(wrong.isOk());
  EXPECT_NE(wrong.error().message().find("/rooms/0/floor"), std::string::npos);
  EXPECT_TRUE(parseHomeJson("{}").isOk());
}

TEST(IntentTest, NamesAsTheContractWritesThem) {
  EXPECT_EQ(intentName(Intent::kTurnOn), "turn_on");
  EXPECT_EQ(intentName(Intent::kUnknown), "unknown");
  Interpretation in;
  in.intent = Intent::kSet;
  in.targets = {"a"};
  in.property = "brightness";
  in.value = 50.0;
  in.language = "en";
  in.response = "ok";
  EXPECT_EQ(boost::json::serialize(toJson(in)),
            R"({"intent":"set","targets":["a"],"property":"brightness","value":5E1,"direction":null,"amount":null,"action":null,"language":"en","response":"ok"})");
}

}  // namespace
}  // namespace hearth::assistant

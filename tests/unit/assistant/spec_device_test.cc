#include "hearth/assistant/spec_device.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "hearth/spec/json.h"

namespace hearth::assistant {
namespace {

// A demo product's spec (etc/demo/specs), as hearthd loads it.
spec::ProductView viewOf(const std::string& file) {
  auto instance = spec::loadInstanceFile(std::string(HEARTH_DEMO_SPECS) + "/" + file);
  EXPECT_TRUE(instance.isOk()) << file;
  return spec::ProductView(std::move(*instance));
}

Device named(std::string id, std::string name) {
  Device d;
  d.id = std::move(id);
  d.name = std::move(name);
  return d;
}

const Capability* find(const Device& d, std::string_view name) {
  auto c = std::find_if(d.properties.begin(), d.properties.end(), [&](const Capability& x) { return x.name == name; });
  return c == d.properties.end() ? nullptr : &*c;
}

TEST(SpecDeviceTest, ALightsCapabilitiesComeFromItsSpec) {
  Device lamp = named("1", "Desk Lamp");
  addSpecCapabilities(viewOf("urn_xiot-spec_device_light_0000A001_yeelink_color2_1.json"), lamp);
  EXPECT_EQ(lamp.type, "light");
  const Capability* on = find(lamp, "on");
  ASSERT_NE(on, nullptr);
  EXPECT_EQ(on->siid, 2u);
  const Capability* brightness = find(lamp, "brightness");
  ASSERT_NE(brightness, nullptr);
  EXPECT_EQ(*brightness->max, 100);
  ASSERT_NE(find(lamp, "color"), nullptr);
  addShadowValue(lamp, brightness->siid, brightness->piid, boost::json::value(40));
  ASSERT_EQ(lamp.state.size(), 1u);
  EXPECT_EQ(std::get<double>(lamp.state[0].second), 40);

  Interpretation set;
  set.intent = Intent::kSet;
  set.property = "brightness";
  set.value = 55.0;
  auto write = operationFor(set, lamp);
  ASSERT_TRUE(write.isOk());
  EXPECT_EQ(std::get<double>(std::get<PropertyWrite>(*write).value), 55);
  set.value = 500.0;
  EXPECT_EQ(operationFor(set, lamp).error().code(), core::StatusCode::kInvalidArgument);
  set.property = "color";
  set.value = std::string("red");
  EXPECT_EQ(std::get<double>(std::get<PropertyWrite>(*operationFor(set, lamp)).value), 0xFF0000);

  Interpretation brighter;
  brighter.intent = Intent::kAdjust;
  brighter.property = "brightness";
  brighter.direction = 1;
  EXPECT_EQ(std::get<double>(std::get<PropertyWrite>(*operationFor(brighter, lamp)).value), 50);  // 40 + a tenth
  brighter.amount = 100;
  EXPECT_EQ(std::get<double>(std::get<PropertyWrite>(*operationFor(brighter, lamp)).value), 100);  // held at the top
}

TEST(SpecDeviceTest, AVacuumsActionsAndAnAirConditionersModes) {
  Device vacuum = named("2", "Robot Vacuum");
  addSpecCapabilities(viewOf("urn_xiot-spec_device_vacuum_0000A006_roborock_s5_1.json"), vacuum);
  Interpretation dock;
  dock.intent = Intent::kAction;
  dock.action = "dock";
  auto call = operationFor(dock, vacuum);
  ASSERT_TRUE(call.isOk());
  EXPECT_EQ(std::get<ActionCall>(*call).siid, 3u);
  dock.action = "next";
  EXPECT_EQ(operationFor(dock, vacuum).error().code(), core::StatusCode::kFailedPrecondition);

  Device ac = named("3", "Air Conditioner");
  addSpecCapabilities(viewOf("urn_xiot-spec_device_air-conditioner_0000A004_xiaomi_ma2_1.json"), ac);
  const Capability* mode = find(ac, "mode");
  ASSERT_NE(mode, nullptr);
  EXPECT_FALSE(mode->choices.empty());
  const Capability* target = find(ac, "target-temperature");
  ASSERT_NE(target, nullptr);
  EXPECT_TRUE(target->writable);

  // The spec's own words reach the interpreter: the mode by its description.
  HomeSnapshot home;
  home.devices.push_back(ac);
  Interpreter interpreter(home);
  const std::string word = mode->choices.back().words.front();
  auto r = interpreter.interpret("set the air conditioner to " + word + " mode");
  EXPECT_EQ(r.intent, Intent::kSet) << word;
  EXPECT_EQ(r.property, "mode");
  EXPECT_EQ(std::get<double>(*r.value), mode->choices.back().value);
}

TEST(SpecDeviceTest, ACurtainOpensByPosition) {
  Device curtain = named("4", "Curtain");
  addSpecCapabilities(viewOf("urn_xiot-spec_device_curtain_0000A00C_heiman_hs2cc_1.json"), curtain);
  Interpretation open;
  open.intent = Intent::kTurnOn;
  auto write = operationFor(open, curtain);
  ASSERT_TRUE(write.isOk()) << write.error().toString();
  EXPECT_EQ(std::get<double>(std::get<PropertyWrite>(*write).value), 100);
}

}  // namespace
}  // namespace hearth::assistant

#include "hearth/sim/simulated_device.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <boost/json/serialize.hpp>

#include "hearth/platform/result_code.h"
#include "hearth/sim/fleet.h"
#include "hearth/spec/json.h"
#include "hearth/spec/value_check.h"

namespace hearth::sim {
namespace {

namespace json = boost::json;
namespace result = platform::result;
const std::filesystem::path kInstances = std::filesystem::path(HEARTH_SPECS_DIR) / "xiot" / "instance";

std::shared_ptr<const SimProduct> corpusProduct(const std::string& file) {
  auto instance = spec::loadInstanceFile(kInstances / file);
  EXPECT_TRUE(instance.isOk()) << file;
  return std::make_shared<const SimProduct>(std::move(instance).value());
}

double number(const json::value& v) { return v.is_double() ? v.get_double() : static_cast<double>(v.to_number<int64_t>()); }

// Runs `seconds` in one-second steps, collecting what the device reports.
Changes run(SimulatedDevice& d, double seconds, double step = 1) {
  Changes all;
  for (double t = 0; t < seconds; t += step) d.step(step, all);
  return all;
}

TEST(SimulatedDeviceTest, AnAirConditionerBringsTheRoomToItsTarget) {
  SimulatedDevice ac(corpusProduct("urn_xiot-spec_device_air-conditioner_0000A004_xiaomi_ma2_1.json"), 1);
  Changes changes;
  ASSERT_EQ(ac.set(2, 1, true, changes), result::kDone);
  ASSERT_EQ(ac.set(2, 3, 20.0, changes), result::kDone);
  const double start = number(ac.value(4, 1));
  EXPECT_GT(start, 24);  // a warm room
  Changes reports = run(ac, 600);
  const double after_ten_minutes = number(ac.value(4, 1));
  EXPECT_LT(after_ten_minutes, start);
  EXPECT_GT(after_ten_minutes, 20);  // cooling takes time
  run(ac, 3 * 3600);
  EXPECT_NEAR(number(ac.value(4, 1)), 20, 0.5);
  EXPECT_FALSE(reports.properties.empty());  // the room's temperature was reported as it fell

  ASSERT_EQ(ac.set(2, 1, false, changes), result::kDone);
  run(ac, 3600);
  EXPECT_GT(number(ac.value(4, 1)), 21);  // off: the room warms again
}

TEST(SimulatedDeviceTest, ACurtainMovesToItsTargetPositionOverTime) {
  SimulatedDevice curtain(corpusProduct("urn_xiot-spec_device_curtain_0000A00C_heiman_hs2cc_1.json"), 3);
  Changes changes;
  ASSERT_EQ(curtain.set(1, 7, 30, changes), result::kDone);  // target-position
  const double from = number(curtain.value(1, 3));
  Changes moving = run(curtain, 2);
  const double midway = number(curtain.value(1, 3));
  EXPECT_NE(midway, from);
  EXPECT_NE(midway, 30);  // not there at once
  run(curtain, 30);
  EXPECT_EQ(curtain.value(1, 3), json::value(30));
  // motor-control "Close" (2) sends it to 0.
  ASSERT_EQ(curtain.set(1, 2, 2, changes), result::kDone);
  run(curtain, 30);
  EXPECT_EQ(curtain.value(1, 3), json::value(0));
  EXPECT_EQ(curtain.value(1, 7), json::value(0));
}

TEST(SimulatedDeviceTest, AVacuumCleansReturnsChargesAndRests) {
  SimulatedDevice vacuum(corpusProduct("urn_xiot-spec_device_vacuum_0000A006_roborock_s5_1.json"), 5);
  // roborock.vacuum.s5 status: 1 Idle, 2 Sweeping, 3 Charging; charging-state: 1 Charging, 2 Not charging.
  Changes changes;
  ASSERT_EQ(vacuum.action(2, 1, {}, changes).code, result::kDone);  // start-sweep
  EXPECT_EQ(vacuum.value(2, 1), json::value(2));
  const double battery = number(vacuum.value(3, 1));
  run(vacuum, 60);
  EXPECT_LT(number(vacuum.value(3, 1)), battery);
  run(vacuum, 100);  // cleaning done, returning, then on the dock
  EXPECT_EQ(vacuum.value(2, 1), json::value(3));
  EXPECT_EQ(vacuum.value(3, 2), json::value(1));
  run(vacuum, 600);
  EXPECT_EQ(vacuum.value(2, 1), json::value(1));
  EXPECT_EQ(vacuum.value(3, 1), json::value(100));
  EXPECT_EQ(vacuum.action(2, 9, {}, changes).code, result::kActionNotFound);
}

constexpr std::string_view kPlug = R"({"type":"urn:miot-spec-v2:device:outlet:0000A002:acme-plug:1","description":"Plug",
 "services":[{"iid":2,"type":"urn:miot-spec-v2:service:switch:0000780C:acme-plug:1","description":"Switch","properties":[
  {"iid":1,"type":"urn:miot-spec-v2:property:on:00000006:acme-plug:1","description":"On","format":"bool","access":["read","write","notify"]},
  {"iid":2,"type":"urn:miot-spec-v2:property:electric-power:00000066:acme-plug:1","description":"Power","format":"float",
   "access":["read","notify"],"unit":"watt","value-range":[0,3000,0.1]},
  {"iid":3,"type":"urn:miot-spec-v2:property:power-consumption:0000002F:acme-plug:1","description":"Energy","format":"float",
   "access":["read","notify"],"unit":"kwh","value-range":[0,100000,0.001]}]}]})";

TEST(SimulatedDeviceTest, APlugDrawsPowerWhileOnAndCountsEnergy) {
  auto instance = spec::parseInstance(kPlug);
  ASSERT_TRUE(instance.isOk());
  SimulatedDevice plug(std::make_shared<const SimProduct>(std::move(instance).value()), 9);
  Changes changes;
  ASSERT_EQ(plug.set(2, 1, false, changes), result::kDone);
  run(plug, 60);
  EXPECT_EQ(number(plug.value(2, 2)), 0);
  const double energy_off = number(plug.value(2, 3));
  Changes on;
  ASSERT_EQ(plug.set(2, 1, true, on), result::kDone);
  EXPECT_GT(number(plug.value(2, 2)), 0);  // drawing at once, and reported with the switch
  EXPECT_EQ(on.properties.size(), 2u);
  run(plug, 3600);
  EXPECT_GT(number(plug.value(2, 3)), energy_off);
}

TEST(SimulatedDeviceTest, ASensorFollowsTheDay) {
  auto product = corpusProduct("urn_xiot-spec_device_temperature-humidity-sensor_0000A00A_cleargrass_dk1_1.json");
  SimulatedDevice night(product, 1, 3 * 3600);
  SimulatedDevice afternoon(product, 1, 15 * 3600);
  EXPECT_GT(number(afternoon.value(2, 1)), number(night.value(2, 1)) + 3);
  EXPECT_LT(number(afternoon.value(2, 2)), number(night.value(2, 2)));  // drier when warm
}

TEST(SimulatedDeviceTest, SetsAreCheckedAgainstTheSpec) {
  SimulatedDevice light(corpusProduct("urn_xiot-spec_device_light_0000A001_yeelink_color2_1.json"), 2);
  Changes changes;
  EXPECT_EQ(light.set(2, 2, 500, changes), result::kValueInvalid);  // brightness 1..100
  EXPECT_EQ(light.set(2, 9, 1, changes), result::kPropertyNotFound);
  EXPECT_TRUE(changes.empty());
  EXPECT_EQ(light.set(2, 2, 42, changes), result::kDone);
  ASSERT_EQ(changes.properties.size(), 1u);
  EXPECT_EQ(changes.properties[0].value, json::value(42));
  EXPECT_EQ(light.get(2, 2).value, json::value(42));
  EXPECT_EQ(light.get(3, 1).code, result::kNotReadable);  // brightness-delta is write-only
  // A delta moves the brightness.
  EXPECT_EQ(light.set(3, 1, -10, changes), result::kDone);
  EXPECT_EQ(light.get(2, 2).value, json::value(32));
}

// Every product of the corpus: whatever it is, its virtual device only ever says valid things.
TEST(SimulatedDeviceTest, EveryCorpusProductReportsOnlyValidValues) {
  auto products = loadProducts(kInstances);
  ASSERT_TRUE(products.isOk());
  ASSERT_GT(products.value().size(), 500u);
  size_t checked = 0;
  for (const auto& [model, product] : products.value()) {
    SimulatedDevice device(product, 11);
    Changes all;
    device.snapshot(all);
    for (int hour = 0; hour < 24; ++hour) device.step(3600, all);
    for (int s = 0; s < 120; ++s) device.step(1, all);
    for (const auto& item : all.properties) {
      const spec::Property* property = nullptr;
      for (const auto& service : product->spec().services) {
        for (const auto& p : service.properties) {
          if (service.iid == item.siid && p.iid == item.piid) property = &p;
        }
      }
      ASSERT_NE(property, nullptr) << model;
      const auto check = spec::checkValue(*property, item.value, spec::Operation::kReport);
      EXPECT_TRUE(check.ok()) << model << " " << item.siid << "." << item.piid << " = " << json::serialize(item.value);
      ++checked;
    }
  }
  EXPECT_GT(checked, 3000u);
}

}  // namespace
}  // namespace hearth::sim

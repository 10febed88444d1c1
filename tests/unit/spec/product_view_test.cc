#include "hearth/spec/product_view.h"

#include <gtest/gtest.h>

#include "spec_test_util.h"

namespace hearth::spec {
namespace {

namespace json = boost::json;
using testing::instanceOf;
using testing::lightJson;

// A copy of the light's service 2 with another iid (and, optionally, another type name).
json::value lightService(uint32_t iid, std::string_view name = "light") {
  json::value service = lightJson().at_pointer("/services/1");
  service.as_object()["iid"] = iid;
  service.as_object()["type"] =
      "urn:miot-spec-v2:service:" + std::string(name) + ":00007802:acme-l1:1";
  return service;
}

ProductView viewWithServices(std::initializer_list<json::value> extra) {
  json::value doc = lightJson();
  auto& services = doc.at_pointer("/services").as_array();
  services.erase(services.begin() + 1);
  for (const auto& s : extra) services.push_back(s);
  return ProductView(instanceOf(doc));
}

TEST(ProductViewTest, KeysAreServiceDotProperty) {
  ProductView view(testing::lightInstance());
  EXPECT_EQ(view.properties()[0].key, "device-information.manufacturer");
  const PropertyEntry* brightness = view.property(2, 2);
  ASSERT_NE(brightness, nullptr);
  EXPECT_EQ(brightness->key, "light.brightness");
  EXPECT_EQ(view.property("light.brightness"), brightness);
  EXPECT_EQ(view.action(2, 2)->key, "light.set-scene");
  EXPECT_EQ(view.action("light.toggle"), view.action(2, 1));
  EXPECT_EQ(view.event(2, 1)->key, "light.overheat");
  EXPECT_EQ(view.event("light.overheat"), view.event(2, 1));
  EXPECT_EQ(view.service(2)->key, "light");
}

TEST(ProductViewTest, MissingLookupsReturnNull) {
  ProductView view(testing::lightInstance());
  EXPECT_EQ(view.property(2, 99), nullptr);
  EXPECT_EQ(view.property(3, 1), nullptr);
  EXPECT_EQ(view.property("light.nothing"), nullptr);
  EXPECT_EQ(view.action(1, 1), nullptr);
  EXPECT_EQ(view.event("light.brightness"), nullptr);
  EXPECT_EQ(view.service(7), nullptr);
}

TEST(ProductViewTest, RepeatedServicesAreNumberedByIid) {
  // Document order 4, 2, 3: keys follow the iids, not the order.
  ProductView view = viewWithServices({lightService(4, "switch"), lightService(2, "switch"), lightService(3, "switch")});
  EXPECT_EQ(view.service(2)->key, "switch");
  EXPECT_EQ(view.service(3)->key, "switch-2");
  EXPECT_EQ(view.service(4)->key, "switch-3");
  EXPECT_EQ(view.property(4, 1)->key, "switch-3.on");
  EXPECT_EQ(view.property("switch-2.on"), view.property(3, 1));
}

TEST(ProductViewTest, SuffixSkipsNamesSiblingsUse) {
  ProductView view = viewWithServices({lightService(2), lightService(3), lightService(4, "light-2")});
  EXPECT_EQ(view.service(2)->key, "light");
  EXPECT_EQ(view.service(3)->key, "light-3");
  EXPECT_EQ(view.service(4)->key, "light-2");
}

TEST(ProductViewTest, RepeatedPropertiesAreNumberedToo) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/properties/1/type") = "urn:miot-spec-v2:property:on:00000006:acme-l1:1";
  doc.at_pointer("/services/1/properties/1/format") = "bool";
  doc.at_pointer("/services/1/properties/1").as_object().erase("value-range");
  doc.at_pointer("/services/1/properties/1").as_object().erase("unit");
  ProductView view(instanceOf(doc));
  EXPECT_EQ(view.property(2, 1)->key, "light.on");
  EXPECT_EQ(view.property(2, 2)->key, "light.on-2");
}

TEST(ProductViewTest, KeyCharactersAreNormalised) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/properties/6/type") = "urn:xiot-spec:property:pm2.5-density:00000034:acme:l1:1";
  ProductView view(instanceOf(doc));
  EXPECT_EQ(view.property(2, 7)->key, "light.pm2_5-density");
}

TEST(ProductViewTest, NamesInChineseAndEnglish) {
  ProductView view(testing::lightInstance());
  const PropertyEntry* brightness = view.property(2, 2);
  EXPECT_EQ(brightness->name.zh_cn, "亮度");
  EXPECT_EQ(brightness->name.en_us, "Brightness");
  const PropertyEntry* on = view.property(2, 1);
  EXPECT_EQ(on->name.zh_cn, "Switch Status");  // a plain description serves both
  EXPECT_EQ(on->name.en_us, "Switch Status");
  EXPECT_EQ(view.service(2)->name.zh_cn, "灯");
}

TEST(ProductViewTest, ControlHints) {
  ProductView view(testing::lightInstance());
  auto hint = [&](uint32_t piid) { return view.property(2, piid)->control; };
  EXPECT_EQ(hint(1).kind, ControlKind::kSwitch);
  ControlHint slider = hint(2);
  EXPECT_EQ(slider.kind, ControlKind::kSlider);
  ASSERT_TRUE(slider.range.has_value());
  EXPECT_EQ(slider.range->max, Number::ofInt(100));
  EXPECT_EQ(slider.unit, "%");
  ControlHint select = hint(3);
  EXPECT_EQ(select.kind, ControlKind::kSelect);
  ASSERT_EQ(select.options.size(), 2u);
  EXPECT_EQ(select.options[1].value, Number::ofInt(1));
  EXPECT_EQ(select.options[1].label.zh_cn, "夜间");
  EXPECT_EQ(select.options[1].label.en_us, "Night");
  EXPECT_EQ(hint(4).kind, ControlKind::kColor);
  EXPECT_TRUE(hint(4).writable);
  EXPECT_EQ(hint(5).kind, ControlKind::kSlider);
  EXPECT_EQ(hint(5).unit, "°C");
  EXPECT_EQ(hint(6).kind, ControlKind::kText);
  ControlHint reading = hint(7);
  EXPECT_EQ(reading.kind, ControlKind::kReading);
  EXPECT_FALSE(reading.writable);
  EXPECT_EQ(reading.unit, "°C");
  EXPECT_EQ(hint(8).kind, ControlKind::kSwitch);
  EXPECT_EQ(view.properties()[0].control.kind, ControlKind::kReading);
  EXPECT_EQ(controlKindName(ControlKind::kColor), "colour");
}

TEST(ProductViewTest, NumberWithoutConstraintsIsNumberInput) {
  Property p = testing::lightProperty(1, 1);
  p.value_range.reset();
  EXPECT_EQ(controlHint(p).kind, ControlKind::kNumber);
}

TEST(ProductViewTest, CheckersComeWithEntries) {
  ProductView view(testing::lightInstance());
  const PropertyEntry* brightness = view.property(2, 2);
  EXPECT_TRUE(brightness->checker.check(50, Operation::kWrite).ok());
  EXPECT_EQ(brightness->checker.check(300, Operation::kWrite).error, ValueError::kOutOfRange);
  const ActionEntry* scene = view.action(2, 2);
  EXPECT_TRUE(scene->in.check(json::array{1, 50}).ok());
  EXPECT_TRUE(scene->out.check(json::array{true}).ok());
}

TEST(ProductViewTest, FirstOfDuplicateIidsWins) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/properties/1/iid") = 1;  // two properties with piid 1
  ProductView view(instanceOf(doc));
  EXPECT_EQ(view.property(2, 1)->key, "light.on");
  EXPECT_EQ(view.property("light.brightness")->piid, 1u);
}

TEST(ProductViewTest, SurvivesMoves) {
  ProductView first(testing::lightInstance());
  const PropertyEntry* before = first.property(2, 2);
  ProductView moved(std::move(first));
  EXPECT_EQ(moved.property(2, 2), before);
  EXPECT_EQ(moved.property("light.brightness"), before);
  EXPECT_EQ(before->property, &moved.instance().services[1].properties[1]);
  ProductView assigned(testing::lightInstance());
  assigned = std::move(moved);
  EXPECT_EQ(assigned.property("light.mode")->piid, 3u);
}

}  // namespace
}  // namespace hearth::spec

#include "hearth/platform/product_registry.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "hearth/core/clock.h"
#include "hearth/spec/json.h"
#include "hearth/store/sqlite_registry.h"
#include "unit/temp_dir.h"

namespace hearth::platform {
namespace {

// A light of version `version` whose light service has an "on" property and, optionally, a
// brightness with the given maximum.
spec::Instance light(uint32_t version, std::optional<int> brightness_max = std::nullopt,
                     std::string on_access = R"("read","write","notify")") {
  const std::string suffix = fmt::format("acme-bulb:{}", version);
  std::string brightness;
  if (brightness_max) {
    brightness = fmt::format(
        R"(,{{"iid":2,"type":"urn:miot-spec-v2:property:brightness:0000000D:{}","description":"Brightness",
             "format":"uint8","access":["read","write","notify"],"unit":"percentage","value-range":[1,{},1]}})",
        suffix, *brightness_max);
  }
  std::string text = fmt::format(
      R"({{"type":"urn:miot-spec-v2:device:light:0000A001:{0}","description":"Bulb","services":[
           {{"iid":1,"type":"urn:miot-spec-v2:service:device-information:00007801:{0}","description":"Info",
             "properties":[{{"iid":1,"type":"urn:miot-spec-v2:property:manufacturer:00000001:{0}",
                             "description":"Maker","format":"string","access":["read"]}}]}},
           {{"iid":2,"type":"urn:miot-spec-v2:service:light:00007802:{0}","description":"Light",
             "properties":[{{"iid":1,"type":"urn:miot-spec-v2:property:on:00000006:{0}","description":"Switch",
                             "format":"bool","access":[{1}]}}{2}]}}]}})",
      suffix, on_access, brightness);
  auto parsed = spec::parseInstance(text);
  EXPECT_TRUE(parsed.isOk()) << parsed.error().toString();
  return std::move(parsed).value();
}

class ProductRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteRegistry::open(store::registryPath(dir_.file("")));
    ASSERT_TRUE(store.isOk()) << store.error().toString();
    store_ = std::move(store).value();
    registry_ = std::make_unique<ProductRegistry>(*store_, clock_);
  }
  test::TempDir dir_;
  core::ManualClock clock_;
  std::unique_ptr<store::SqliteRegistry> store_;
  std::unique_ptr<ProductRegistry> registry_;
};

TEST_F(ProductRegistryTest, ModelComesFromTheDeviceUrn) {
  EXPECT_EQ(spec::modelOf(light(1)).value(), "acme.light.bulb");
  auto xiot = spec::parseInstance(std::string_view(
      R"({"type":"urn:xiot-spec:device:outlet:0000A002:chuangmi:m1:1","description":"Plug","services":[]})"));
  ASSERT_TRUE(xiot.isOk());
  EXPECT_EQ(spec::modelOf(xiot.value()).value(), "chuangmi.outlet.m1");
  auto bare = spec::parseInstance(
      std::string_view(R"({"type":"urn:miot-spec-v2:device:light:0000A001","description":"x","services":[]})"));
  ASSERT_TRUE(bare.isOk());
  EXPECT_EQ(spec::modelOf(bare.value()).error().code(), core::StatusCode::kInvalidArgument);
}

TEST_F(ProductRegistryTest, AddsThenReimportsIdempotently) {
  auto first = registry_->add(light(1));
  ASSERT_TRUE(first.isOk()) << first.error().toString();
  EXPECT_EQ(first.value().outcome, ProductRegistry::Outcome::kAdded);
  EXPECT_EQ(first.value().version, 1u);
  auto again = registry_->add(light(1));
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(again.value().outcome, ProductRegistry::Outcome::kUnchanged);
  EXPECT_EQ(store_->countProducts().value(), 1u);
}

TEST_F(ProductRegistryTest, SameVersionWithOtherContentIsRefused) {
  ASSERT_TRUE(registry_->add(light(1)).isOk());
  auto changed = registry_->add(light(1, 100));
  ASSERT_FALSE(changed.isOk());
  EXPECT_EQ(changed.error().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_NE(changed.error().message().find("new version"), std::string::npos) << changed.error().message();
}

TEST_F(ProductRegistryTest, UpgradeMayAddButNotRemoveOrChange) {
  ASSERT_TRUE(registry_->add(light(1, 100)).isOk());
  // Removing brightness.
  auto removed = registry_->add(light(2));
  ASSERT_FALSE(removed.isOk());
  EXPECT_EQ(removed.error().code(), core::StatusCode::kFailedPrecondition) << removed.error().toString();
  // Narrowing the access of "on".
  auto narrowed = registry_->add(light(2, 100, R"("read","notify")"));
  EXPECT_EQ(narrowed.error().code(), core::StatusCode::kFailedPrecondition);
  // The same features again under a new version is a (trivial) compatible upgrade.
  auto upgraded = registry_->add(light(2, 100));
  ASSERT_TRUE(upgraded.isOk()) << upgraded.error().toString();
  EXPECT_EQ(upgraded.value().outcome, ProductRegistry::Outcome::kUpgraded);
  // An older version already registered is unchanged; one never registered is refused.
  EXPECT_EQ(registry_->add(light(1, 100)).value().outcome, ProductRegistry::Outcome::kUnchanged);
  ASSERT_TRUE(registry_->add(light(4, 100)).isOk());
  EXPECT_EQ(registry_->add(light(3, 100)).error().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->latest("acme.light.bulb").value().version, 4u);
}

TEST_F(ProductRegistryTest, InvalidSpecIsRefusedWithTheReason) {
  auto result = registry_->add(light(1, 100, ""));  // empty access
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(result.error().message().find("/services/1/properties/0"), std::string::npos) << result.error().message();
  EXPECT_EQ(store_->countProducts().value(), 0u);
}

TEST_F(ProductRegistryTest, ViewServesTheLatestVersionAndFollowsUpgrades) {
  EXPECT_EQ(registry_->view("acme.light.bulb").error().code(), core::StatusCode::kNotFound);
  ASSERT_TRUE(registry_->add(light(1)).isOk());
  auto v1 = registry_->view("acme.light.bulb");
  ASSERT_TRUE(v1.isOk());
  EXPECT_NE(v1.value()->property("light.on"), nullptr);
  EXPECT_EQ(v1.value()->property("light.brightness"), nullptr);
  EXPECT_EQ(registry_->view("acme.light.bulb").value(), v1.value());  // cached
  ASSERT_TRUE(registry_->add(light(2, 100)).isOk());
  auto v2 = registry_->view("acme.light.bulb");
  ASSERT_TRUE(v2.isOk());
  EXPECT_NE(v2.value()->property(2, 2), nullptr);
  EXPECT_EQ(v1.value()->property("light.brightness"), nullptr);  // holders keep their version
}

TEST_F(ProductRegistryTest, ViewNoticesVersionsAnotherProcessAddedWithinTheRecheckTime) {
  ASSERT_TRUE(registry_->add(light(1)).isOk());
  auto v1 = registry_->view("acme.light.bulb").value();
  ProductRegistry other_process(*store_, clock_);  // `hearth spec import` while hearthd runs
  ASSERT_TRUE(other_process.add(light(2, 100)).isOk());
  EXPECT_EQ(registry_->view("acme.light.bulb").value(), v1);  // not asked yet
  clock_.advance(ProductRegistry::kRecheck);
  auto v2 = registry_->view("acme.light.bulb").value();
  EXPECT_NE(v2->property(2, 2), nullptr);
  clock_.advance(ProductRegistry::kRecheck);
  EXPECT_EQ(registry_->view("acme.light.bulb").value(), v2);  // unchanged: the cached view stays
}

}  // namespace
}  // namespace hearth::platform

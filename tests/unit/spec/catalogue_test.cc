#include "hearth/spec/catalogue.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "spec_test_util.h"

namespace hearth::spec {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using testing::instanceOf;
using testing::lightJson;

const fs::path kDefinitions = fs::path(HEARTH_SPECS_DIR) / "xiot/definition";

class CatalogueTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Catalogue::load(kDefinitions);
    ASSERT_TRUE(loaded.isOk()) << loaded.error().toString();
    catalogue_ = new Catalogue(std::move(loaded).value());
  }
  static void TearDownTestSuite() {
    delete catalogue_;
    catalogue_ = nullptr;
  }

  template <class Change>
  std::vector<std::string> findingsAfter(Change change) {
    json::value doc = lightJson();
    change(doc);
    std::vector<std::string> out;
    for (const Finding& f : catalogue_->check(instanceOf(doc))) out.push_back(f.toString());
    return out;
  }

  static Catalogue* catalogue_;
};

Catalogue* CatalogueTest::catalogue_ = nullptr;

using Strings = std::vector<std::string>;

TEST_F(CatalogueTest, LoadsEveryDefinition) {
  EXPECT_EQ(catalogue_->devices().size(), 26u);
  EXPECT_EQ(catalogue_->services().size(), 46u);
  EXPECT_EQ(catalogue_->properties().size(), 95u);
  EXPECT_EQ(catalogue_->actions().size(), 32u);
  EXPECT_EQ(catalogue_->events().size(), 3u);
  const ActionDefinition* post = nullptr;
  for (const auto& a : catalogue_->actions()) {
    if (a.type.name() == "post") post = &a;
  }
  ASSERT_NE(post, nullptr);
  ASSERT_EQ(post->in.size(), 1u);
  EXPECT_EQ(post->in[0].property.name(), "request");
  EXPECT_EQ(post->in[0].repeat, (Repeat{1, 1}));
}

TEST_F(CatalogueTest, FindsMiotTypesInTheXiotLibrary) {
  auto light = Urn::parse("urn:miot-spec-v2:device:light:0000A001:acme-l1:1");
  const DeviceDefinition* device = catalogue_->findDevice(light.value());
  ASSERT_NE(device, nullptr);
  EXPECT_EQ(device->required_services.size(), 2u);
  auto on = Urn::parse("urn:miot-spec-v2:property:on:00000006");
  ASSERT_NE(catalogue_->findProperty(on.value()), nullptr);
  EXPECT_EQ(catalogue_->findProperty(on.value())->format, Format::kBool);
  EXPECT_EQ(catalogue_->findService(Urn::parse("urn:acme-spec:service:light:00007802").value()), nullptr);
}

TEST_F(CatalogueTest, ConformingLightHasNoFindings) { EXPECT_TRUE(findingsAfter([](json::value&) {}).empty()); }

TEST_F(CatalogueTest, MissingRequiredServiceIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) {
              auto& services = d.at_pointer("/services").as_array();
              services.erase(services.begin() + 1);
            }),
            Strings{"error /services: missing required service light (urn:xiot-spec:service:light:00007802)"});
}

TEST_F(CatalogueTest, MissingRequiredPropertyIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) {
              d.at_pointer("/services/1/properties/0/type") = "urn:miot-spec-v2:property:power:00000006:acme-l1:1";
            }),
            Strings{"error /services/1/properties: missing required property on (urn:xiot-spec:property:on:00000006) "
                    "of service light"});
}

TEST_F(CatalogueTest, StandardPropertyFormatChangeWarns) {
  EXPECT_EQ(findingsAfter([](json::value& d) {
              d.at_pointer("/services/1/properties/0/format") = "uint8";
            }),
            Strings{"warning /services/1/properties/0/format: format uint8 differs from bool of the standard property on"});
}

TEST_F(CatalogueTest, UnknownDeviceTypeWarns) {
  EXPECT_EQ(findingsAfter([](json::value& d) {
              d.as_object()["type"] = "urn:miot-spec-v2:device:thermostat:0000A031:acme-l1:1";
            }),
            Strings{"warning /type: device type \"thermostat\" is not in the standard catalogue"});
}

TEST_F(CatalogueTest, VendorNamespacesAreNotChecked) {
  EXPECT_TRUE(findingsAfter([](json::value& d) {
                d.as_object()["type"] = "urn:acme-spec:device:light:0000A001:acme-l1:1";
                d.at_pointer("/services/1/properties/0/type") = "urn:acme-spec:property:on:00000006:acme-l1:1";
              }).size() == 0);
}

TEST(CatalogueLoadTest, ReportsFileAndPointerOfBadDefinition) {
  const fs::path dir = fs::path(::testing::TempDir()) / "hearth_catalogue_bad";
  fs::remove_all(dir);
  for (const char* sub : {"devices", "services", "properties", "actions", "events"}) fs::create_directories(dir / sub);
  std::ofstream(dir / "properties" / "on.json")
      << R"({"type": "urn:xiot-spec:property:on:00000006", "description": "On", "format": "boolean", "access": []})";
  auto loaded = Catalogue::load(dir);
  ASSERT_FALSE(loaded.isOk());
  EXPECT_EQ(loaded.error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(loaded.error().message().find("on.json: /format: unknown format \"boolean\""), std::string::npos)
      << loaded.error().message();
  fs::remove_all(dir);
}

TEST(CatalogueLoadTest, ReportsMissingFolder) {
  auto loaded = Catalogue::load("/nonexistent/definitions");
  ASSERT_FALSE(loaded.isOk());
  EXPECT_EQ(loaded.error().code(), core::StatusCode::kIoError);
}

}  // namespace
}  // namespace hearth::spec

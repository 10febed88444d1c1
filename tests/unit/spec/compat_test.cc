#include "hearth/spec/compat.h"

#include <gtest/gtest.h>

#include "spec_test_util.h"

namespace hearth::spec {
namespace {

namespace json = boost::json;
using testing::instanceOf;
using testing::lightJson;
using Strings = std::vector<std::string>;

// Violations of upgrading the light (version 1) to the light changed by `change` at version 2.
template <class Change>
Strings violationsAfter(Change change) {
  json::value next = lightJson();
  next.as_object()["type"] = "urn:miot-spec-v2:device:light:0000A001:acme-l1:2";
  change(next);
  Strings out;
  for (const Finding& f : checkCompatibleUpgrade(testing::lightInstance(), instanceOf(next))) {
    EXPECT_EQ(f.severity, Severity::kError);
    out.push_back(f.pointer + ": " + f.message);
  }
  return out;
}

json::value& property(json::value& doc, int index) {
  return doc.at_pointer("/services/1/properties/" + std::to_string(index));
}

TEST(CompatTest, NewVersionWithSameFeaturesIsCompatible) {
  EXPECT_TRUE(violationsAfter([](json::value&) {}).empty());
}

TEST(CompatTest, AddingFeaturesIsCompatible) {
  EXPECT_TRUE(violationsAfter([](json::value& d) {
                auto& props = d.at_pointer("/services/1/properties").as_array();
                json::value extra = props[0];
                extra.as_object()["iid"] = 9;
                props.push_back(extra);
                auto& services = d.at_pointer("/services").as_array();
                json::value fan = services[1];
                fan.as_object()["iid"] = 3;
                fan.as_object()["type"] = "urn:miot-spec-v2:service:fan:00007808:acme-l1:2";
                services.push_back(fan);
                d.at_pointer("/services/1/description") = "Changed description";
              }).empty());
}

TEST(CompatTest, VersionMustIncrease) {
  EXPECT_EQ(violationsAfter([](json::value& d) {
              d.as_object()["type"] = "urn:miot-spec-v2:device:light:0000A001:acme-l1:1";
            }),
            Strings{"/type: version must increase, goes from 1 to 1"});
}

TEST(CompatTest, DeviceTypeMustStay) {
  EXPECT_EQ(violationsAfter([](json::value& d) {
              d.as_object()["type"] = "urn:miot-spec-v2:device:light:0000A001:acme-l2:2";
            }),
            Strings{"/type: device type changed from urn:miot-spec-v2:device:light:0000A001:acme-l1:1 to "
                    "urn:miot-spec-v2:device:light:0000A001:acme-l2:2"});
}

TEST(CompatTest, RemovingAPropertyIsRejected) {
  EXPECT_EQ(violationsAfter([](json::value& d) {
              auto& props = d.at_pointer("/services/1/properties").as_array();
              props.erase(props.begin() + 1);
            }),
            Strings{"/services/1/properties/1: property 2.2 (brightness) removed"});
}

TEST(CompatTest, RemovingServiceActionOrEventIsRejected) {
  EXPECT_EQ(violationsAfter([](json::value& d) {
              d.at_pointer("/services/1/actions").as_array().pop_back();
              d.at_pointer("/services/1").as_object().erase("events");
            }),
            (Strings{"/services/1/actions/1: action 2.2 (set-scene) removed",
                     "/services/1/events/0: event 2.1 (overheat) removed"}));
  EXPECT_EQ(violationsAfter([](json::value& d) { d.at_pointer("/services").as_array().pop_back(); }),
            Strings{"/services/1: service 2 (light) removed"});
}

TEST(CompatTest, ChangingTypeIsRejected) {
  EXPECT_EQ(violationsAfter([](json::value& d) {
              property(d, 1).as_object()["type"] = "urn:miot-spec-v2:property:saturation:0000000D:acme-l1:1";
            }),
            Strings{"/services/1/properties/1/type: property 2.2 changed type from "
                    "urn:miot-spec-v2:property:brightness:0000000D:acme-l1:1 to "
                    "urn:miot-spec-v2:property:saturation:0000000D:acme-l1:1"});
}

TEST(CompatTest, ChangingFormatIsRejected) {
  EXPECT_EQ(violationsAfter([](json::value& d) { property(d, 1).as_object()["format"] = "uint16"; }),
            Strings{"/services/1/properties/1/format: format changed from uint8 to uint16"});
}

TEST(CompatTest, NarrowingAccessIsRejectedWideningIsNot) {
  EXPECT_EQ(violationsAfter([](json::value& d) { property(d, 1).as_object()["access"] = json::array{"read", "notify"}; }),
            Strings{"/services/1/properties/1/access: access narrowed from read, write, notify to read, notify"});
  EXPECT_TRUE(violationsAfter([](json::value& d) {
                property(d, 6).as_object()["access"] = json::array{"read", "write", "notify"};
              }).empty());
}

TEST(CompatTest, ChangingUnitIsRejected) {
  EXPECT_EQ(violationsAfter([](json::value& d) { property(d, 4).as_object()["unit"] = "kelvin"; }),
            Strings{"/services/1/properties/4/unit: unit changed from \"celsius\" to \"kelvin\""});
}

TEST(CompatTest, WideningRangeIsCompatible) {
  EXPECT_TRUE(violationsAfter([](json::value& d) {
                property(d, 1).as_object()["value-range"] = json::array{0, 200, 1};
              }).empty());
  EXPECT_TRUE(violationsAfter([](json::value& d) {
                property(d, 4).as_object()["value-range"] = json::array{10, 35, 0.5};
              }).empty());
  EXPECT_TRUE(violationsAfter([](json::value& d) { property(d, 1).as_object().erase("value-range"); }).empty());
}

TEST(CompatTest, NarrowingOrShiftingRangeIsRejected) {
  EXPECT_EQ(violationsAfter([](json::value& d) { property(d, 1).as_object()["value-range"] = json::array{1, 50, 1}; }),
            Strings{"/services/1/properties/1/value-range: value-range [1, 100, 1] changed to [1, 50, 1], which "
                    "rejects old values"});
  EXPECT_EQ(violationsAfter([](json::value& d) { property(d, 4).as_object()["value-range"] = json::array{16, 30, 1}; })
                .size(),
            1u);
  EXPECT_EQ(violationsAfter([](json::value& d) { property(d, 4).as_object()["value-range"] = json::array{15.75, 30.25, 0.5}; })
                .size(),
            1u);
}

TEST(CompatTest, AddingAConstraintIsRejected) {
  EXPECT_EQ(violationsAfter([](json::value& d) {
              property(d, 2).as_object()["value-range"] = json::array{0, 0, 1};
            }),
            Strings{"/services/1/properties/2/value-range: value-range added that rejects listed value 1"});
  EXPECT_EQ(violationsAfter([](json::value& d) {
              property(d, 1).as_object()["value-list"] = json::parse(R"([{"value": 1, "description": "Low"}])");
            }),
            Strings{"/services/1/properties/1/value-list: value-list added: it narrows the accepted values"});
}

TEST(CompatTest, ValueListMayGrowNotShrink) {
  EXPECT_TRUE(violationsAfter([](json::value& d) {
                d.at_pointer("/services/1/properties/2/value-list").as_array().push_back(
                    json::parse(R"({"value": 2, "description": "Reading"})"));
              }).empty());
  EXPECT_EQ(violationsAfter([](json::value& d) { d.at_pointer("/services/1/properties/2/value-list").as_array().pop_back(); }),
            Strings{"/services/1/properties/2/value-list: value 1 removed from value-list"});
}

TEST(CompatTest, ChangingArgumentsIsRejected) {
  EXPECT_EQ(violationsAfter([](json::value& d) { d.at_pointer("/services/1/actions/1/in") = json::array{3}; }),
            Strings{"/services/1/actions/1/in: in arguments changed"});
  EXPECT_EQ(violationsAfter([](json::value& d) { d.at_pointer("/services/1/events/0/arguments") = json::array{7, 5}; }),
            Strings{"/services/1/events/0/arguments: arguments changed"});
}

TEST(CompatTest, ChangingADerivedKeyIsRejected) {
  // A new same-named service with a lower iid would take the key "light" from service 2.
  EXPECT_EQ(violationsAfter([](json::value& d) {
              auto& services = d.at_pointer("/services").as_array();
              json::value newer = services[1];
              newer.as_object()["iid"] = 0;
              services.push_back(newer);
              services[1].as_object()["properties"].as_array().resize(1);
              services[1].as_object().erase("actions");
              services[1].as_object().erase("events");
            }),
            (Strings{"/services/1/properties/0: key changes from light.on to light-2.on",
                     "/services/1/properties/1: property 2.2 (brightness) removed",
                     "/services/1/properties/2: property 2.3 (mode) removed",
                     "/services/1/properties/3: property 2.4 (color) removed",
                     "/services/1/properties/4: property 2.5 (target-temperature) removed",
                     "/services/1/properties/5: property 2.6 (name) removed",
                     "/services/1/properties/6: property 2.7 (temperature) removed",
                     "/services/1/properties/7: property 2.8 (identify) removed",
                     "/services/1/actions/0: action 2.1 (toggle) removed",
                     "/services/1/actions/1: action 2.2 (set-scene) removed",
                     "/services/1/events/0: event 2.1 (overheat) removed"}));
}

}  // namespace
}  // namespace hearth::spec

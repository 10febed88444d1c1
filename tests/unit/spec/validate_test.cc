#include "hearth/spec/validate.h"

#include <gtest/gtest.h>

#include "spec_test_util.h"

namespace hearth::spec {
namespace {

namespace json = boost::json;
using testing::instanceOf;
using testing::lightJson;

// Validates the light after `change` and returns the findings as strings.
template <class Change>
std::vector<std::string> findingsAfter(Change change) {
  json::value doc = lightJson();
  change(doc);
  std::vector<std::string> out;
  for (const Finding& f : validate(instanceOf(doc))) out.push_back(f.toString());
  return out;
}

json::value& property(json::value& doc, int index) {
  return doc.at_pointer("/services/1/properties/" + std::to_string(index));
}

using Strings = std::vector<std::string>;

TEST(ValidateTest, ValidLightHasNoFindings) { EXPECT_TRUE(validate(testing::lightInstance()).empty()); }

TEST(ValidateTest, DuplicateServiceIidIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) { d.at_pointer("/services/1/iid") = 1; }),
            Strings{"error /services/1/iid: duplicate service iid 1 (also /services/0)"});
}

TEST(ValidateTest, DuplicatePropertyIidIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 3).as_object()["iid"] = 2; }),
            Strings{"error /services/1/properties/3/iid: duplicate property iid 2 (also /services/1/properties/1)"});
}

TEST(ValidateTest, DuplicateActionAndEventIidsAreErrors) {
  auto findings = findingsAfter([](json::value& d) {
    d.at_pointer("/services/1/actions/1/iid") = 1;
    auto& events = d.at_pointer("/services/1/events").as_array();
    events.push_back(events[0]);
  });
  EXPECT_EQ(findings, (Strings{"error /services/1/actions/1/iid: duplicate action iid 1 (also /services/1/actions/0)",
                               "error /services/1/events/1/iid: duplicate event iid 1 (also /services/1/events/0)"}));
}

TEST(ValidateTest, IidsRepeatFreelyAcrossLevels) {
  // Property 1 of service 1 and property 1 of service 2 are different properties.
  EXPECT_TRUE(findingsAfter([](json::value&) {}).empty());
}

TEST(ValidateTest, DanglingActionArgumentIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) { d.at_pointer("/services/1/actions/1/in/1") = 42; }),
            Strings{"error /services/1/actions/1/in/1: argument refers to property iid 42, which service 2 does not have"});
  EXPECT_EQ(findingsAfter([](json::value& d) { d.at_pointer("/services/1/actions/1/out/0") = 0; }),
            Strings{"error /services/1/actions/1/out/0: argument refers to property iid 0, which service 2 does not have"});
}

TEST(ValidateTest, ArgumentOfAnotherServiceIsError) {
  // Property 1 exists in service 1 (manufacturer), not in service 2's own list once removed.
  auto findings = findingsAfter([](json::value& d) {
    d.at_pointer("/services/1/properties").as_array().erase(d.at_pointer("/services/1/properties").as_array().begin() + 6);
  });
  EXPECT_EQ(findings, Strings{"error /services/1/events/0/arguments/0: argument refers to property iid 7, which service 2 does not have"});
}

TEST(ValidateTest, BadRepeatIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) {
              d.at_pointer("/services/1/actions/1/in/0") = json::parse(R"({"piid": 3, "repeat": [2, 1]})");
            }),
            Strings{"error /services/1/actions/1/in/0/repeat: repeat [2, 1] must satisfy min <= max and max >= 1"});
}

TEST(ValidateTest, EmptyAccessIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 0).as_object()["access"] = json::array{}; }),
            Strings{"error /services/1/properties/0/access: access is empty: the property can be neither read, written nor notified"});
}

TEST(ValidateTest, InvertedRangeIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 1).as_object()["value-range"] = json::array{100, 1, 1}; }),
            Strings{"error /services/1/properties/1/value-range: min 100 > max 1"});
}

TEST(ValidateTest, StepMustBePositive) {
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 1).as_object()["value-range"] = json::array{1, 100, 0}; }),
            Strings{"error /services/1/properties/1/value-range/2: step must be > 0, is 0"});
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 4).as_object()["value-range"] = json::array{16, 30, -0.5}; }),
            Strings{"error /services/1/properties/4/value-range/2: step must be > 0, is -0.5"});
}

TEST(ValidateTest, Uint8RangeUpTo300DoesNotFit) {
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 1).as_object()["value-range"] = json::array{0, 300, 1}; }),
            Strings{"error /services/1/properties/1/value-range/1: max 300 does not fit uint8 (0..255)"});
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 1).as_object()["value-range"] = json::array{-1, 100, 1}; }),
            Strings{"error /services/1/properties/1/value-range/0: min -1 does not fit uint8 (0..255)"});
}

TEST(ValidateTest, FractionalRangeOnIntegerFormatIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 1).as_object()["value-range"] = json::array{0, 100, 0.5}; }),
            Strings{"error /services/1/properties/1/value-range/2: step 0.5 is not a whole number (int64)"});
}

TEST(ValidateTest, FloatRangeWithHalfStepIsValid) {
  EXPECT_TRUE(findingsAfter([](json::value& d) { property(d, 4).as_object()["value-range"] = json::array{16, 30, 0.5}; }).empty());
}

TEST(ValidateTest, RangeOnStringOrBoolIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 5).as_object()["value-range"] = json::array{0, 10, 1}; }),
            Strings{"error /services/1/properties/5/value-range: value-range on a string property"});
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 0).as_object()["value-range"] = json::array{0, 1, 1}; }),
            Strings{"error /services/1/properties/0/value-range: value-range on a bool property"});
}

TEST(ValidateTest, ValueListOnStringFormatIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) {
              property(d, 5).as_object()["value-list"] = json::parse(R"([{"value": 1, "description": "One"}])");
            }),
            Strings{"error /services/1/properties/5/value-list: value-list on a string property"});
}

TEST(ValidateTest, ValueListOnBoolFormatIsError) {
  EXPECT_EQ(findingsAfter([](json::value& d) {
              property(d, 0).as_object()["value-list"] = json::parse(R"([{"value": 0, "description": "Off"}])");
            }),
            Strings{"error /services/1/properties/0/value-list: value-list on a bool property"});
}

TEST(ValidateTest, ValueListValuesMustFitFormat) {
  EXPECT_EQ(findingsAfter([](json::value& d) { d.at_pointer("/services/1/properties/2/value-list/1/value") = 300; }),
            Strings{"error /services/1/properties/2/value-list/1/value: value 300 does not fit uint8 (0..255)"});
  EXPECT_EQ(findingsAfter([](json::value& d) { d.at_pointer("/services/1/properties/2/value-list/1/value") = 1.5; }),
            Strings{"error /services/1/properties/2/value-list/1/value: value 1.5 is not a whole number (uint8)"});
}

TEST(ValidateTest, ValueListValuesMustBeUnique) {
  EXPECT_EQ(findingsAfter([](json::value& d) { d.at_pointer("/services/1/properties/2/value-list/1/value") = 0.0; }),
            Strings{"error /services/1/properties/2/value-list/1/value: duplicate value 0 (also /services/1/properties/2/value-list/0/value)"});
}

TEST(ValidateTest, EmptyValueListWarns) {
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 2).as_object()["value-list"] = json::array{}; }),
            Strings{"warning /services/1/properties/2/value-list: value-list is empty: no value is allowed"});
}

TEST(ValidateTest, RangeAndListTogetherWarn) {
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 2).as_object()["value-range"] = json::array{0, 1, 1}; }),
            Strings{"warning /services/1/properties/2: both value-range and value-list; a value must satisfy both"});
}

TEST(ValidateTest, UnitOnBoolAndUnknownUnitWarn) {
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 0).as_object()["unit"] = "percentage"; }),
            Strings{"warning /services/1/properties/0/unit: unit \"percentage\" on a bool property"});
  EXPECT_EQ(findingsAfter([](json::value& d) { property(d, 1).as_object()["unit"] = "furlongs"; }),
            Strings{"warning /services/1/properties/1/unit: unknown unit \"furlongs\""});
}

TEST(ValidateTest, MissingDeviceInformationWarns) {
  EXPECT_EQ(findingsAfter([](json::value& d) {
              auto& services = d.at_pointer("/services").as_array();
              services.erase(services.begin());
            }),
            Strings{"warning /services: no device-information service (spec-v2 §9 requires it as service 1)"});
}

TEST(ValidateTest, DeviceInformationNotAtIid1Warns) {
  EXPECT_EQ(findingsAfter([](json::value& d) { d.at_pointer("/services/0/iid") = 9; }),
            Strings{"warning /services/0/iid: device-information should be service iid 1 (spec-v2 §9), is 9"});
}

TEST(ValidateTest, UrnKindMustMatchPlace) {
  EXPECT_EQ(findingsAfter([](json::value& d) {
              d.at_pointer("/services/1/type") = "urn:miot-spec-v2:property:light:00007802:acme-l1:1";
            }),
            Strings{"error /services/1/type: expected a service URN, got a property URN"});
}

TEST(ValidateTest, DeviceTypeNeedsVendorProductAndVersion) {
  EXPECT_EQ(findingsAfter([](json::value& d) { d.as_object()["type"] = "urn:miot-spec-v2:device:light:0000A001"; }),
            Strings{"error /type: a device instance type needs :<vendor-product>:<version> (spec-v2 §3.2.1)"});
}

TEST(ValidateTest, ForeignNamespaceWarns) {
  EXPECT_EQ(findingsAfter([](json::value& d) {
              d.as_object()["type"] = "urn:homekit-spec:device:lightbulb:00000005:acme:l1:1";
            }),
            Strings{"warning /type: namespace \"homekit-spec\" is foreign to MIoT-Spec; only structural checks apply"});
}

TEST(ValidateTest, ErrorsAndWarningsAreDistinct) {
  json::value doc = lightJson();
  property(doc, 0).as_object()["unit"] = "percentage";
  auto warnings_only = validate(instanceOf(doc));
  ASSERT_EQ(warnings_only.size(), 1u);
  EXPECT_EQ(warnings_only[0].severity, Severity::kWarning);
  EXPECT_FALSE(hasErrors(warnings_only));
  property(doc, 0).as_object()["access"] = json::array{};
  EXPECT_TRUE(hasErrors(validate(instanceOf(doc))));
}

TEST(ValidateTest, NumberFitsFormat) {
  EXPECT_FALSE(numberFitsFormat(Number::ofInt(255), Format::kUint8).has_value());
  EXPECT_EQ(numberFitsFormat(Number::ofInt(256), Format::kUint8), "256 does not fit uint8 (0..255)");
  EXPECT_EQ(numberFitsFormat(Number::ofInt(-129), Format::kInt8), "-129 does not fit int8 (-128..127)");
  EXPECT_FALSE(numberFitsFormat(Number::ofDouble(12.0), Format::kInt16).has_value());
  EXPECT_EQ(numberFitsFormat(Number::ofUint(18446744073709551615u), Format::kInt64),
            "18446744073709551615 does not fit int64");
  EXPECT_FALSE(numberFitsFormat(Number::ofDouble(0.1), Format::kFloat).has_value());
  EXPECT_EQ(numberFitsFormat(Number::ofInt(1), Format::kString), "1 is a number, not a string");
}

}  // namespace
}  // namespace hearth::spec

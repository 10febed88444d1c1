#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "hearth/spec/json.h"
#include "hearth/spec/validate.h"
#include "spec_test_util.h"

namespace hearth::spec {
namespace {

namespace json = boost::json;
using testing::instanceOf;
using testing::lightJson;

ParseError parseErrorOf(const json::value& doc) {
  auto instance = parseInstance(doc);
  EXPECT_FALSE(instance.isOk());
  return instance.isOk() ? ParseError{} : instance.error();
}

TEST(ParseTest, ParsesLightAndRoundTrips) {
  Instance light = testing::lightInstance();
  ASSERT_EQ(light.services.size(), 2u);
  EXPECT_EQ(light.services[1].properties.size(), 8u);
  EXPECT_EQ(light.services[1].actions[1].in, (std::vector<Argument>{{3, {}}, {2, {}}}));
  auto again = parseInstance(serializeInstance(light));
  ASSERT_TRUE(again.isOk()) << again.error().toString();
  EXPECT_TRUE(again.value() == light);
}

TEST(ParseTest, ReportsPointerOfUnknownFormat) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/properties/2/format") = "uint9";
  ParseError e = parseErrorOf(doc);
  EXPECT_EQ(e.pointer, "/services/1/properties/2/format");
  EXPECT_EQ(e.reason, "unknown format \"uint9\"");
  EXPECT_EQ(e.toString(), "/services/1/properties/2/format: unknown format \"uint9\"");
  EXPECT_EQ(e.toStatus().code(), core::StatusCode::kInvalidArgument);
}

TEST(ParseTest, ReportsPointerOfMissingMember) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/properties/0").as_object().erase("access");
  ParseError e = parseErrorOf(doc);
  EXPECT_EQ(e.pointer, "/services/1/properties/0");
  EXPECT_EQ(e.reason, "missing required member \"access\"");
}

TEST(ParseTest, ReportsWrongJsonType) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/iid") = "2";
  ParseError e = parseErrorOf(doc);
  EXPECT_EQ(e.pointer, "/services/1/iid");
  EXPECT_EQ(e.reason, "expected an integer in 0..4294967295, got a string");
}

TEST(ParseTest, ReportsIidOutOfRange) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/actions/0/iid") = -1;
  EXPECT_EQ(parseErrorOf(doc).toString(),
            "/services/1/actions/0/iid: expected an integer in 0..4294967295, got -1");
}

TEST(ParseTest, ReportsUnknownAndDuplicateAccess) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/properties/1/access") = json::array{"read", "execute"};
  EXPECT_EQ(parseErrorOf(doc).toString(), "/services/1/properties/1/access/1: unknown access \"execute\"");
  doc.at_pointer("/services/1/properties/1/access") = json::array{"read", "read"};
  EXPECT_EQ(parseErrorOf(doc).toString(), "/services/1/properties/1/access/1: duplicate access \"read\"");
}

TEST(ParseTest, ReportsBadUrnAtItsPointer) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/events/0/type") = "urn:miot-spec-v2:event:overheat:5001";
  EXPECT_EQ(parseErrorOf(doc).toString(),
            "/services/1/events/0/type: id \"5001\" is not 8 hex digits");
}

TEST(ParseTest, ReportsValueRangeShape) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/properties/1/value-range") = json::array{1, 100};
  EXPECT_EQ(parseErrorOf(doc).toString(),
            "/services/1/properties/1/value-range: value-range must be [min, max, step], got 2 elements");
  doc.at_pointer("/services/1/properties/1/value-range") = json::array{1, "100", 1};
  EXPECT_EQ(parseErrorOf(doc).toString(),
            "/services/1/properties/1/value-range/1: expected a number, got a string");
}

TEST(ParseTest, ReportsBadValueListEntry) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/properties/2/value-list/1").as_object().erase("description");
  EXPECT_EQ(parseErrorOf(doc).toString(),
            "/services/1/properties/2/value-list/1: missing required member \"description\"");
}

TEST(ParseTest, ReportsBadArgument) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/actions/1/in/1") = "brightness";
  EXPECT_EQ(parseErrorOf(doc).toString(),
            "/services/1/actions/1/in/1: expected a property iid or {\"piid\", \"repeat\"}, got a string");
}

TEST(ParseTest, EscapesPointerTokens) {
  json::value doc = lightJson();
  doc.as_object()["services"].as_array()[1].as_object()["description"] = json::object{{"a/b~c", 1}};
  EXPECT_EQ(parseErrorOf(doc).toString(), "/services/1/description/a~1b~0c: expected a string, got an integer");
}

TEST(ParseTest, ReportsJsonSyntaxErrorWithLocation) {
  auto instance = parseInstance(std::string_view("{\n  \"type\": ,\n}"));
  ASSERT_FALSE(instance.isOk());
  EXPECT_EQ(instance.error().pointer, "");
  EXPECT_NE(instance.error().reason.find("invalid JSON at line 2, column 11"), std::string::npos)
      << instance.error().reason;
}

TEST(ParseTest, ReportsNonObjectDocument) {
  EXPECT_EQ(parseErrorOf(json::array{}).toString(), "expected an object, got an array");
}

TEST(ParseTest, ParsesLocaleMapDescriptions) {
  Instance light = testing::lightInstance();
  const Service& service = light.services[1];
  EXPECT_TRUE(service.description.isLocalized());
  EXPECT_EQ(service.description.forLocale("zh-CN"), "灯");
  EXPECT_EQ(service.description.forLocale("en-US"), "Light");
  EXPECT_EQ(service.description.forLocale("de-DE"), "Light");  // falls back to en-US
  const Description& night = service.properties[2].value_list->at(1).description;
  EXPECT_EQ(night.forLocale("zh-CN"), "夜间");
  EXPECT_FALSE(light.description.isLocalized());
  EXPECT_EQ(light.description.forLocale("zh-CN"), "Light");
  const std::string text = serializeInstance(light);
  EXPECT_NE(text.find(R"("description":{"zh-CN":"灯","en-US":"Light"})"), std::string::npos);
}

TEST(ParseTest, EventWithoutArgumentsHasNoneAndNoFinding) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/events/0").as_object().erase("arguments");
  Instance light = instanceOf(doc);
  EXPECT_TRUE(light.services[1].events[0].arguments.empty());
  EXPECT_TRUE(validate(light).empty());
}

TEST(ParseTest, ActionWithoutInAndOutHasNone) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/actions/0").as_object().erase("in");
  doc.at_pointer("/services/1/actions/0").as_object().erase("out");
  Instance light = instanceOf(doc);
  EXPECT_TRUE(light.services[1].actions[0].in.empty());
  EXPECT_TRUE(validate(light).empty());
}

TEST(ParseTest, ParsesArgumentObjectsWithRepeat) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/actions/1/in") = json::parse(R"([{"piid": 3, "repeat": [1, 2]}, 2])");
  Instance light = instanceOf(doc);
  EXPECT_EQ(light.services[1].actions[1].in, (std::vector<Argument>{{3, Repeat{1, 2}}, {2, {}}}));
  EXPECT_NE(serializeInstance(light).find(R"("in":[{"piid":3,"repeat":[1,2]},2])"), std::string::npos);
}

TEST(ParseTest, KeepsUnknownMembersAndWarns) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/properties/0").as_object()["gatt-access"] = json::array{"read"};
  doc.as_object()["source"] = 1;
  Instance light = instanceOf(doc);
  EXPECT_EQ(light.services[1].properties[0].extensions.at("gatt-access"), json::array{"read"});
  auto again = parseInstance(serializeInstance(light));
  ASSERT_TRUE(again.isOk());
  EXPECT_TRUE(again.value() == light);
  const auto findings = validate(light);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].toString(), "warning /source: unknown member, kept but not interpreted");
  EXPECT_EQ(findings[1].pointer, "/services/1/properties/0/gatt-access");
}

TEST(ParseTest, NumbersKeepTheirKind) {
  json::value doc = lightJson();
  doc.at_pointer("/services/1/properties/4/value-range") = json::parse("[16, 30.0, 0.5]");
  Instance light = instanceOf(doc);
  const ValueRange& range = *light.services[1].properties[4].value_range;
  EXPECT_EQ(range.min.kind(), Number::Kind::kInt64);
  EXPECT_EQ(range.max.kind(), Number::Kind::kDouble);
  EXPECT_TRUE(range.max.numericallyEquals(Number::ofInt(30)));
  EXPECT_FALSE(range.max == Number::ofInt(30));
}

// A spec's doubles survive serializeInstance → parseInstance bit for bit (core::parseJson is exact).
TEST(ParseTest, RoundTripsDoublesExactly) {
  const double tricky = 1.3927926388013963E-143;  // Boost 1.81's own parser reads it one ulp off
  json::value doc = lightJson();
  doc.at_pointer("/services/1/properties/4/value-range/2") = tricky;
  Instance light = instanceOf(doc);
  auto again = parseInstance(serializeInstance(light));
  ASSERT_TRUE(again.isOk());
  EXPECT_TRUE(again.value() == light);
}

TEST(ParseTest, ReportsNumbersBeyondDouble) {
  auto instance = parseInstance(std::string_view(R"({"type": 1e400})"));
  ASSERT_FALSE(instance.isOk());
  EXPECT_EQ(instance.error().pointer, "");
  EXPECT_NE(instance.error().reason.find("invalid JSON"), std::string::npos) << instance.error().reason;
}

TEST(ParseTest, LoadInstanceFileReportsMissingFile) {
  auto instance = loadInstanceFile("/nonexistent/spec.json");
  ASSERT_FALSE(instance.isOk());
  EXPECT_EQ(instance.error().code(), core::StatusCode::kIoError);
}

}  // namespace
}  // namespace hearth::spec

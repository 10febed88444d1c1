#include "hearth/core/json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace hearth::core {
namespace {

namespace json = boost::json;

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::string nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// Boost 1.81's own parser reads this one ulp off (…965e-143): the reason there is one reader.
TEST(JsonTest, ParsesDoublesExactlyWhereBoostDoesNot) {
  const char* text = "1.3927926388013963E-143";
  const double expected = std::strtod(text, nullptr);
  auto value = parseJson(text);
  ASSERT_TRUE(value.isOk());
  ASSERT_TRUE(value.value().is_double());
  EXPECT_TRUE(sameBits(value.value().get_double(), expected));
  EXPECT_FALSE(sameBits(json::parse(text).get_double(), expected));  // what the other path stored
}

TEST(JsonTest, KeepsIntegersAsIntegers) {
  auto value = parseJson("[9007199254740993, -9223372036854775808, 18446744073709551615, -0, 0.1, -0.0]");
  ASSERT_TRUE(value.isOk());
  const json::array& a = value.value().get_array();
  ASSERT_TRUE(a[0].is_int64());
  EXPECT_EQ(a[0].get_int64(), 9007199254740993);  // not rounded to 2^53 as a double would be
  EXPECT_EQ(a[1].get_int64(), INT64_MIN);
  ASSERT_TRUE(a[2].is_uint64());
  EXPECT_EQ(a[2].get_uint64(), UINT64_MAX);
  ASSERT_TRUE(a[3].is_int64());  // "-0" is written as an integer
  EXPECT_EQ(a[3].get_int64(), 0);
  EXPECT_TRUE(sameBits(a[4].get_double(), 0.1));
  ASSERT_TRUE(a[5].is_double());
  EXPECT_TRUE(std::signbit(a[5].get_double()));
}

TEST(JsonTest, IntegerBeyondUint64IsTheNearestDouble) {
  auto value = parseJson("123456789012345678901234567890");
  ASSERT_TRUE(value.isOk());
  ASSERT_TRUE(value.value().is_double());
  EXPECT_TRUE(sameBits(value.value().get_double(), 123456789012345678901234567890.0));
}

TEST(JsonTest, RejectsNumbersBeyondDouble) {
  for (const char* text : {"[1e400]", "-1e400", R"({"v": 1e999999999})"}) {
    auto value = parseJson(text);
    ASSERT_FALSE(value.isOk()) << text;  // Boost's json::parse gives infinity
    EXPECT_EQ(value.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(value.error().message().find("invalid JSON at line 1"), std::string::npos) << value.error().message();
  }
  auto tiny = parseJson("[1e-400]");  // underflows to 0, as any JSON reader does
  ASSERT_TRUE(tiny.isOk());
  EXPECT_EQ(tiny.value().get_array()[0].get_double(), 0.0);
}

TEST(JsonTest, ReportsErrorsWithLineAndColumn) {
  auto trailing = parseJson("{} {}");
  ASSERT_FALSE(trailing.isOk());
  EXPECT_NE(trailing.error().message().find("line 1, column 4: extra data"), std::string::npos)
      << trailing.error().message();
  auto syntax = parseJson("{\n  \"a\": ,\n}");
  ASSERT_FALSE(syntax.isOk());
  EXPECT_NE(syntax.error().message().find("invalid JSON at line 2, column 8"), std::string::npos)
      << syntax.error().message();
  EXPECT_FALSE(parseJson("").isOk());
  EXPECT_FALSE(parseJson("[1] // comment").isOk());
  EXPECT_FALSE(parseJson("\"\xff\"").isOk());  // invalid UTF-8
}

TEST(JsonTest, LimitsDepth) {
  EXPECT_TRUE(parseJson(nested(32)).isOk());
  auto deep = parseJson(nested(33));
  ASSERT_FALSE(deep.isOk());
  EXPECT_NE(deep.error().message().find("invalid JSON"), std::string::npos);
  EXPECT_TRUE(parseJson(nested(100), JsonLimits{.max_depth = 100}).isOk());
  EXPECT_FALSE(parseJson(nested(100'000)).isOk());  // fails fast, no recursion to overflow
}

TEST(JsonTest, LimitsSize) {
  const std::string text = "\"" + std::string(98, 'x') + "\"";  // 100 bytes
  EXPECT_TRUE(parseJson(text, JsonLimits{.max_bytes = 100}).isOk());
  auto big = parseJson(text, JsonLimits{.max_bytes = 99});
  ASSERT_FALSE(big.isOk());
  EXPECT_EQ(big.error().message(), "invalid JSON: longer than 99 bytes");
}

TEST(JsonTest, ParseStoredJsonReadsARecordOrGivesNull) {
  EXPECT_EQ(parseStoredJson(serializeJson(json::value(21.5))), json::value(21.5));
  EXPECT_EQ(parseStoredJson(R"([{"piid":1,"value":3}])"), json::parse(R"([{"piid":1,"value":3}])"));
  EXPECT_TRUE(parseStoredJson("{damaged").is_null());
}

TEST(SerializeJsonTest, WritesShortPlainDoublesThatReadBackAsDoubles) {
  auto value = parseJson(R"({"a":21.5,"b":[0.001,21.0,-0.0,1e300,1.7976931348623157e308,5e-324],"c":"x\"y",)"
                         R"("d":7,"e":-3,"f":true,"g":null,"h":{},"i":9007199254740993})");
  ASSERT_TRUE(value.isOk());
  const std::string text = serializeJson(value.value());
  EXPECT_EQ(text, R"({"a":21.5,"b":[0.001,21.0,-0.0,1e+300,1.7976931348623157e+308,5e-324],"c":"x\"y",)"
                  R"("d":7,"e":-3,"f":true,"g":null,"h":{},"i":9007199254740993})");
  auto again = parseJson(text);
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(again.value(), value.value());
  EXPECT_TRUE(again.value().at("b").at(1).is_double());
}

// Every double written reads back bit for bit (a deterministic sweep of bit patterns).
TEST(SerializeJsonTest, RoundTripsDoublesBitForBit) {
  uint64_t bits = 0x9E3779B97F4A7C15u;
  for (int i = 0; i < 20'000; ++i) {
    bits ^= bits << 13;
    bits ^= bits >> 7;
    bits ^= bits << 17;
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    if (!std::isfinite(d)) continue;
    auto back = parseJson(serializeJson(json::value(d)));
    ASSERT_TRUE(back.isOk());
    ASSERT_TRUE(back.value().is_double());
    ASSERT_TRUE(sameBits(back.value().get_double(), d)) << serializeJson(json::value(d));
  }
}

}  // namespace
}  // namespace hearth::core

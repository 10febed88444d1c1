#include "hearth/api/miot_request.h"

#include <gtest/gtest.h>

namespace hearth::api {
namespace {

TEST(MiotRequestTest, ReadsPropertiesWithStringOrNumericDidsAndIgnoresUnknownMembers) {
  auto read = readMiotProperties(
      R"({"params":[{"did":"3f9a","siid":2,"piid":1,"value":true},{"did":42,"siid":3,"piid":4,"value":null}],
          "datasource":1})",
      true);
  ASSERT_TRUE(read.isOk()) << read.error();
  ASSERT_EQ(read.value().size(), 2u);
  EXPECT_EQ(read.value()[0].did, "3f9a");
  EXPECT_EQ(read.value()[0].value, boost::json::value(true));
  EXPECT_EQ(read.value()[1].did, "42");
  EXPECT_EQ(read.value()[1].siid, 3u);
  EXPECT_TRUE(read.value()[1].value.is_null());
  EXPECT_TRUE(readMiotProperties(R"({"params":[{"did":"a","siid":2,"piid":1}]})", false).isOk());
}

TEST(MiotRequestTest, RefusesPropertiesWithTheReason) {
  const std::string too_many = [] {
    std::string s = R"({"params":[)";
    for (size_t i = 0; i <= kMaxMiotParams; ++i) s += std::string(i ? "," : "") + R"({"did":"a","siid":1,"piid":1})";
    return s + "]}";
  }();
  for (auto [body, reason] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"{", "body: not JSON"},
           {"[]", "body: not an object"},
           {R"({"params":{}})", "params: missing, or not an array"},
           {R"({"params":[]})", "params: 1 to 100 properties"},
           {too_many, "params: 1 to 100 properties"},
           {R"({"params":[7]})", "params[0]: not an object"},
           {R"({"params":[{"did":"","siid":2,"piid":1,"value":1}]})", "params[0].did: missing, or not a device id"},
           {R"({"params":[{"did":-1,"siid":2,"piid":1,"value":1}]})", "params[0].did: missing, or not a device id"},
           {R"({"params":[{"did":"a","siid":0,"piid":1,"value":1}]})", "params[0].siid: missing, or not an integer from 1"},
           {R"({"params":[{"did":"a","siid":2,"piid":4294967296,"value":1}]})",
            "params[0].piid: missing, or not an integer from 1"},
           {R"({"params":[{"did":"a","siid":2,"piid":1}]})", "params[0].value: missing"}}) {
    auto read = readMiotProperties(body, true);
    ASSERT_FALSE(read.isOk()) << body;
    EXPECT_EQ(read.error(), reason) << body;
  }
}

TEST(MiotRequestTest, ReadsAnActionAndAPage) {
  auto action = readMiotAction(R"({"params":{"did":"d","siid":2,"aiid":3,"in":[5,"x"]},"accessKey":"k"})");
  ASSERT_TRUE(action.isOk()) << action.error();
  EXPECT_EQ(action.value().aiid, 3u);
  EXPECT_EQ(action.value().in, (boost::json::array{5, "x"}));
  EXPECT_TRUE(readMiotAction(R"({"params":{"did":"d","siid":2,"aiid":3}})").value().in.empty());
  EXPECT_EQ(readMiotAction(R"({"params":{"did":"d","siid":2,"aiid":3,"in":5}})").error(), "params.in: not an array");
  EXPECT_EQ(readMiotAction(R"({"params":[]})").error(), "params: missing, or not an object");

  EXPECT_EQ(readMiotPage("", 300).value().limit, 200u);
  auto page = readMiotPage(R"({"getVirtualModel":true,"limit":5,"start_did":"abc"})", 300);
  ASSERT_TRUE(page.isOk());
  EXPECT_EQ(page.value().limit, 5u);
  EXPECT_EQ(page.value().start_did, "abc");
  EXPECT_EQ(readMiotPage(R"({"limit":301})", 300).error(), "limit: an integer from 1 to 300");
  EXPECT_EQ(readMiotPage(R"({"start_did":1})", 300).error(), "start_did: not a string");
}

}  // namespace
}  // namespace hearth::api

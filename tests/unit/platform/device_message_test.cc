#include "hearth/platform/device_message.h"

#include <gtest/gtest.h>

#include "hearth/platform/result_code.h"

namespace hearth::platform {
namespace {

namespace json = boost::json;

DeviceMessage parsed(std::string_view text) {
  auto m = parseDeviceMessage(text);
  EXPECT_TRUE(m.isOk()) << text << ": " << (m.isOk() ? "" : m.error().reason);
  return m.isOk() ? std::move(m).value() : DeviceMessage{};
}

ParseFailure refused(std::string_view text) {
  auto m = parseDeviceMessage(text);
  EXPECT_FALSE(m.isOk()) << text;
  return m.isOk() ? ParseFailure{} : m.error();
}

TEST(DeviceMessageTest, ParsesPropertiesChanged) {
  auto m = parsed(R"({"id":7,"method":"properties_changed","params":[{"did":"x","siid":2,"piid":1,"value":true},
                      {"siid":2,"piid":2,"value":24.5}]})");
  const auto& req = std::get<DeviceRequest>(m);
  EXPECT_EQ(req.id, 7u);
  EXPECT_EQ(req.method, Method::kPropertiesChanged);
  ASSERT_EQ(req.properties.size(), 2u);
  EXPECT_EQ(req.properties[0], (PropertyItem{2, 1, true}));
  EXPECT_EQ(req.properties[1].value, json::value(24.5));
}

TEST(DeviceMessageTest, ParsesEventsWithAndWithoutArguments) {
  auto m = parsed(R"({"id":8,"method":"event_occured","params":{"siid":5,"eiid":1,"arguments":[{"piid":1,"value":3}]}})");
  const auto& req = std::get<DeviceRequest>(m);
  EXPECT_EQ(req.method, Method::kEventOccured);
  EXPECT_EQ(req.siid, 5u);
  EXPECT_EQ(req.iid, 1u);
  ASSERT_EQ(req.arguments.size(), 1u);
  EXPECT_EQ(req.arguments[0], (EventArgument{1, 3}));
  auto bare = parsed(R"({"id":9,"method":"event_occured","params":{"siid":5,"eiid":2}})");
  EXPECT_TRUE(std::get<DeviceRequest>(bare).arguments.empty());
}

TEST(DeviceMessageTest, ParsesCloudRequests) {
  auto get = std::get<DeviceRequest>(parsed(R"({"id":1,"method":"get_properties","params":[{"siid":2,"piid":1}]})"));
  EXPECT_EQ(get.method, Method::kGetProperties);
  EXPECT_TRUE(get.properties[0].value.is_null());
  auto act = std::get<DeviceRequest>(parsed(R"({"id":2,"method":"action","params":{"siid":3,"aiid":1,"in":[60,"x"]}})"));
  EXPECT_EQ(act.method, Method::kAction);
  EXPECT_EQ(act.in, (json::array{60, "x"}));
}

TEST(DeviceMessageTest, ParsesReplies) {
  auto props = std::get<DeviceResponse>(
      parsed(R"({"id":9,"result":[{"siid":2,"piid":1,"code":0,"value":true},{"siid":2,"piid":9,"code":-704044003}]})"));
  const auto& results = std::get<std::vector<PropertyResult>>(props.body);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].value, std::optional<json::value>(true));
  EXPECT_EQ(results[1].code, result::kPropertyNotFound);
  EXPECT_FALSE(results[1].value.has_value());
  auto action = std::get<DeviceResponse>(parsed(R"({"id":10,"result":{"siid":3,"aiid":1,"code":1}})"));
  EXPECT_EQ(std::get<ActionResult>(action.body).code, result::kAccepted);
  auto error = std::get<DeviceResponse>(parsed(R"({"id":11,"error":{"code":-704053100,"message":"busy"}})"));
  EXPECT_EQ(std::get<MessageError>(error.body), (MessageError{result::kInvalidInState, "busy"}));
}

TEST(DeviceMessageTest, RefusesBadInputWithAReasonAndTheIdWhenKnown) {
  EXPECT_EQ(refused("{").reason.substr(0, 9), "not JSON:");
  EXPECT_EQ(refused("[1]").reason, "not an object");
  EXPECT_EQ(refused(R"({"method":"action"})").reason, "missing \"id\"");
  EXPECT_EQ(refused(R"({"id":-1,"method":"action"})").reason, "id: not an unsigned integer");
  auto unknown = refused(R"({"id":3,"method":"reboot","params":[]})");
  EXPECT_EQ(unknown.reason, "method: unknown method \"reboot\"");
  EXPECT_EQ(unknown.id, std::optional<uint64_t>(3));
  EXPECT_EQ(refused(R"({"id":4,"method":"properties_changed","params":[{"siid":2,"piid":1}]})").reason,
            "params[0]: missing \"value\"");
  EXPECT_EQ(refused(R"({"id":4,"method":"properties_changed","params":[{"siid":2,"piid":4294967296,"value":1}]})").reason,
            "params[0].piid: too large");
  EXPECT_EQ(refused(R"({"id":4,"method":"set_properties","params":{}})").reason, "params: not an array");
  EXPECT_EQ(refused(R"({"id":5,"result":[{"siid":1,"piid":1,"code":1.5}]})").reason, "result[0].code: not a 32-bit integer");
  EXPECT_EQ(refused(R"({"id":6})").reason, "neither \"method\", \"result\" nor \"error\"");
  std::string many = R"({"id":1,"method":"get_properties","params":[)";
  for (size_t i = 0; i <= kMaxItems; ++i) many += std::string(i ? "," : "") + R"({"siid":1,"piid":1})";
  EXPECT_EQ(refused(many + "]}").reason, "params: more than 256 items");
}

TEST(DeviceMessageTest, SerializesCanonicallyAndRoundTrips) {
  for (std::string_view text : {
           R"({"id":7,"method":"properties_changed","params":[{"siid":2,"piid":1,"value":true}]})",
           R"({"id":8,"method":"event_occured","params":{"siid":5,"eiid":1,"arguments":[{"piid":1,"value":3}]}})",
           R"({"id":9,"method":"get_properties","params":[{"siid":2,"piid":1}]})",
           R"({"id":10,"method":"action","params":{"siid":3,"aiid":1,"in":[60]}})",
           R"({"id":9,"result":[{"siid":2,"piid":1,"code":0,"value":true}]})",
           R"({"id":10,"result":{"siid":3,"aiid":1,"code":0,"out":[]}})",
           R"({"id":11,"error":{"code":-704000000,"message":"not JSON"}})",
       }) {
    DeviceMessage m = parsed(text);
    EXPECT_EQ(serializeDeviceMessage(m), text);
    EXPECT_EQ(parsed(serializeDeviceMessage(m)), m);
  }
}

TEST(ResultCodeTest, FollowsTheMiotScheme) {
  EXPECT_EQ(result::kDeviceOffline, -704042011);
  EXPECT_EQ(result::kTimeout, -704083036);
  EXPECT_EQ(result::kValueInvalid, -704220043);
  EXPECT_EQ(result::kInvalidInState, -704053100);
  EXPECT_EQ(resultCodeFor(spec::ValueError::kOutOfRange, false), result::kValueInvalid);
  EXPECT_EQ(resultCodeFor(spec::ValueError::kOutOfRange, true), result::kArgumentInvalid);
  EXPECT_EQ(resultCodeFor(spec::ValueError::kNotWritable, false), result::kNotWritable);
  EXPECT_EQ(resultCodeName(result::kDeviceOffline), "device offline");
  EXPECT_EQ(resultCodeName(-1), "error");
}

}  // namespace
}  // namespace hearth::platform

#include "hearth/spec/urn.h"

#include <gtest/gtest.h>

namespace hearth::spec {
namespace {

Urn parsed(std::string_view text) {
  auto urn = Urn::parse(text);
  EXPECT_TRUE(urn.isOk()) << text << ": " << urn.error().message();
  return urn.isOk() ? urn.value() : Urn{};
}

TEST(UrnTest, ParsesMiotDefinition) {
  Urn urn = parsed("urn:miot-spec-v2:property:on:00000006");
  EXPECT_EQ(urn.ns(), "miot-spec-v2");
  EXPECT_EQ(urn.namespaceClass(), UrnNamespaceClass::kMiot);
  EXPECT_EQ(urn.kind(), UrnKind::kProperty);
  EXPECT_EQ(urn.name(), "on");
  EXPECT_EQ(urn.id(), 6u);
  EXPECT_FALSE(urn.hasVendorProduct());
  EXPECT_EQ(urn.vendorProduct(), "");
  EXPECT_FALSE(urn.version().has_value());
}

TEST(UrnTest, ParsesMiotJoinedVendorProduct) {
  Urn urn = parsed("urn:miot-spec-v2:device:outlet:0000A002:chuangmi-m1:3");
  EXPECT_EQ(urn.kind(), UrnKind::kDevice);
  EXPECT_EQ(urn.id(), 0xA002u);
  EXPECT_EQ(urn.vendorProduct(), "chuangmi-m1");
  EXPECT_EQ(urn.vendor(), "chuangmi");
  EXPECT_EQ(urn.product(), "m1");
  EXPECT_EQ(urn.version(), 3u);
  EXPECT_FALSE(urn.templateId().has_value());
}

TEST(UrnTest, ParsesXiotSplitVendorAndProduct) {
  Urn urn = parsed("urn:xiot-spec:device:outlet:0000a002:chuangmi:m1:1");
  EXPECT_EQ(urn.namespaceClass(), UrnNamespaceClass::kXiot);
  EXPECT_EQ(urn.id(), 0xA002u);
  EXPECT_EQ(urn.vendorProduct(), "chuangmi-m1");
  EXPECT_EQ(urn.vendor(), "chuangmi");
  EXPECT_EQ(urn.product(), "m1");
  EXPECT_EQ(urn.version(), 1u);
}

TEST(UrnTest, ParsesVendorNamespace) {
  Urn urn = parsed("urn:cnhdm-spec:property:parameter:00000001:cnhdm-wkq01:1");
  EXPECT_EQ(urn.ns(), "cnhdm-spec");
  EXPECT_EQ(urn.namespaceClass(), UrnNamespaceClass::kVendor);
  EXPECT_EQ(urn.vendorProduct(), "cnhdm-wkq01");
}

TEST(UrnTest, ParsesHomekitAsForeignNamespace) {
  Urn urn = parsed("urn:homekit-spec:service:accessory-information:0000003e:yingtuo:baimini:1");
  EXPECT_EQ(urn.namespaceClass(), UrnNamespaceClass::kForeign);
  EXPECT_EQ(urn.kind(), UrnKind::kService);
  EXPECT_EQ(urn.id(), 0x3Eu);
  EXPECT_EQ(urn.vendorProduct(), "yingtuo-baimini");
}

TEST(UrnTest, ParsesTemplateIdSuffix) {
  Urn urn = parsed("urn:miot-spec-v2:device:light:0000A001:yeelink-abc:1:0000C801");
  EXPECT_EQ(urn.vendorProduct(), "yeelink-abc");
  EXPECT_EQ(urn.version(), 1u);
  EXPECT_EQ(urn.templateId(), 0xC801u);
}

TEST(UrnTest, ParsesDeviceTemplateKind) {
  EXPECT_EQ(parsed("urn:miot-spec-v2:device-template:light:0000C801").kind(), UrnKind::kDeviceTemplate);
}

TEST(UrnTest, AcceptsNamesWithDots) {
  EXPECT_EQ(parsed("urn:xiot-spec:property:pm2.5-density:00000034:ast:ast009:1").name(), "pm2.5-density");
}

TEST(UrnTest, KeepsTextAsWritten) {
  EXPECT_EQ(parsed("urn:xiot-spec:device:light:0000a001:yeelink:v1:1").text(),
            "urn:xiot-spec:device:light:0000a001:yeelink:v1:1");
}

TEST(UrnTest, RejectsMalformedUrnsWithReason) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"urx:miot-spec-v2:property:on:00000006", "does not start with \"urn:\""},
      {"urn:miot-spec-v2:property:on", "needs at least"},
      {"urn:miot-spec-v2:gadget:on:00000006", "unknown kind \"gadget\""},
      {"urn:miot-spec-v2:property:on:0000006", "id \"0000006\" is not 8 hex digits"},
      {"urn:miot-spec-v2:property:on:0000000G", "is not 8 hex digits"},
      {"urn:miot-spec-v2:property::00000006", "invalid name \"\""},
      {"urn:miot-spec-v2:property:o n:00000006", "invalid name"},
      {"urn:miot-spec-v2:device:light:0000A001:acme-l1:x", "version \"x\" is not a number"},
      {"urn:xiot-spec:device:outlet:0000a002:chuangmi:1", "<vendor>:<product>:<version>"},
      {"urn:miot-spec-v2:device:light:0000A001:a:1:0000C801:9", "<vendor-product>:<version>"},
      {"urn:miot-spec-v2:device:light:0000A001:acme-l1:1:zz", "template id \"zz\""},
  };
  for (const auto& [text, reason] : cases) {
    auto urn = Urn::parse(text);
    ASSERT_FALSE(urn.isOk()) << text;
    EXPECT_EQ(urn.error().code(), core::StatusCode::kInvalidArgument);
    EXPECT_NE(urn.error().message().find(reason), std::string::npos) << text << ": " << urn.error().message();
  }
}

TEST(UrnTest, RejectsOverlongUrn) {
  std::string text = "urn:miot-spec-v2:property:" + std::string(600, 'a') + ":00000006";
  EXPECT_FALSE(Urn::parse(text).isOk());
}

TEST(UrnTest, SameDefinitionSpansMiotAndXiotOnly) {
  Urn miot = parsed("urn:miot-spec-v2:service:light:00007802:acme-l1:1");
  EXPECT_TRUE(miot.sameDefinition(parsed("urn:xiot-spec:service:light:00007802")));
  EXPECT_TRUE(miot.sameDefinition(parsed("urn:miot-spec-v2:service:light:00007802")));
  EXPECT_FALSE(miot.sameDefinition(parsed("urn:cnhdm-spec:service:light:00007802")));
  EXPECT_FALSE(miot.sameDefinition(parsed("urn:miot-spec-v2:service:light:00007803")));
  EXPECT_FALSE(miot.sameDefinition(parsed("urn:miot-spec-v2:property:light:00007802")));
}

}  // namespace
}  // namespace hearth::spec

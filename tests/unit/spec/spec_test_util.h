// A small, valid light instance that the spec tests change one member at a time, so that each
// test shows exactly the rule it is about.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "hearth/spec/json.h"

namespace hearth::spec::testing {

// Services: 1 device-information (manufacturer, model, serial-number, firmware-revision);
// 2 light with properties 1 on (bool), 2 brightness (uint8 1..100 %), 3 mode (uint8 list
// 0 Day / 1 Night), 4 color (uint32 rgb), 5 target-temperature (float 16..30 step 0.5), 6 name
// (string, read/write), 7 temperature (vendor namespace, float -40..125 step 0.1, read-only),
// 8 identify (bool, write-only); action 1 toggle, action 2 set-scene (in: mode, brightness;
// out: on); event 1 overheat (arguments: temperature).
inline constexpr std::string_view kLightJson = R"({
  "type": "urn:miot-spec-v2:device:light:0000A001:acme-l1:1",
  "description": "Light",
  "services": [
    {"iid": 1, "type": "urn:miot-spec-v2:service:device-information:00007801:acme-l1:1",
     "description": "Device Information",
     "properties": [
       {"iid": 1, "type": "urn:miot-spec-v2:property:manufacturer:00000001:acme-l1:1",
        "description": "Device Manufacturer", "format": "string", "access": ["read"]},
       {"iid": 2, "type": "urn:miot-spec-v2:property:model:00000002:acme-l1:1",
        "description": "Device Model", "format": "string", "access": ["read"]},
       {"iid": 3, "type": "urn:miot-spec-v2:property:serial-number:00000003:acme-l1:1",
        "description": "Device Serial Number", "format": "string", "access": ["read"]},
       {"iid": 4, "type": "urn:miot-spec-v2:property:firmware-revision:00000005:acme-l1:1",
        "description": "Current Firmware Version", "format": "string", "access": ["read"]}]},
    {"iid": 2, "type": "urn:miot-spec-v2:service:light:00007802:acme-l1:1",
     "description": {"zh-CN": "灯", "en-US": "Light"},
     "properties": [
       {"iid": 1, "type": "urn:miot-spec-v2:property:on:00000006:acme-l1:1",
        "description": "Switch Status", "format": "bool", "access": ["read", "write", "notify"]},
       {"iid": 2, "type": "urn:miot-spec-v2:property:brightness:0000000D:acme-l1:1",
        "description": {"zh-CN": "亮度", "en-US": "Brightness"}, "format": "uint8",
        "access": ["read", "write", "notify"], "value-range": [1, 100, 1], "unit": "percentage"},
       {"iid": 3, "type": "urn:miot-spec-v2:property:mode:00000008:acme-l1:1",
        "description": "Mode", "format": "uint8", "access": ["read", "write", "notify"],
        "value-list": [{"value": 0, "description": "Day"},
                       {"value": 1, "description": {"zh-CN": "夜间", "en-US": "Night"}}]},
       {"iid": 4, "type": "urn:miot-spec-v2:property:color:0000000E:acme-l1:1",
        "description": "Color", "format": "uint32", "access": ["read", "write", "notify"],
        "value-range": [0, 16777215, 1], "unit": "rgb"},
       {"iid": 5, "type": "urn:miot-spec-v2:property:target-temperature:00000021:acme-l1:1",
        "description": "Target Temperature", "format": "float",
        "access": ["read", "write", "notify"], "value-range": [16, 30, 0.5], "unit": "celsius"},
       {"iid": 6, "type": "urn:miot-spec-v2:property:name:00000003:acme-l1:1",
        "description": "Name", "format": "string", "access": ["read", "write"]},
       {"iid": 7, "type": "urn:acme-spec:property:temperature:00000001:acme-l1:1",
        "description": "Temperature", "format": "float", "access": ["read", "notify"],
        "value-range": [-40, 125, 0.1], "unit": "celsius"},
       {"iid": 8, "type": "urn:miot-spec-v2:property:identify:00000014:acme-l1:1",
        "description": "Identify", "format": "bool", "access": ["write"]}],
     "actions": [
       {"iid": 1, "type": "urn:miot-spec-v2:action:toggle:00002811:acme-l1:1",
        "description": "Toggle", "in": [], "out": []},
       {"iid": 2, "type": "urn:miot-spec-v2:action:set-scene:00002812:acme-l1:1",
        "description": "Set Scene", "in": [3, 2], "out": [1]}],
     "events": [
       {"iid": 1, "type": "urn:miot-spec-v2:event:overheat:00005001:acme-l1:1",
        "description": "Overheat", "arguments": [7]}]}
  ]
})";

inline boost::json::value lightJson() { return boost::json::parse(kLightJson); }

// Parses a document the test expects to be well-formed; a parse error fails the test.
inline Instance instanceOf(const boost::json::value& json) {
  auto instance = parseInstance(json);
  EXPECT_TRUE(instance.isOk()) << instance.error().toString();
  return instance.isOk() ? std::move(instance).value() : Instance{};
}

inline Instance lightInstance() { return instanceOf(lightJson()); }

// The property at /services/<s>/properties/<p> of the light, as a Property.
inline Property lightProperty(size_t s, size_t p) { return lightInstance().services.at(s).properties.at(p); }

}  // namespace hearth::spec::testing

#include "hearth/api/app_mqtt_auth.h"

#include <gtest/gtest.h>

namespace hearth::api {
namespace {

TEST(AppMqttAuthTest, AnAppMayAskForAnnouncementsOfOneNamedDeviceOnly) {
  for (std::string_view filter : {"device/d1/state", "device/d1/up/properties_changed/2/1",
                                  "device/d1/up/properties_changed/+/+", "device/d1/up/+/#",
                                  "device/d1/up/event_occured/#"}) {
    EXPECT_EQ(AppMqttAuth::deviceOfAppFilter(filter), "d1") << filter;
  }
  for (std::string_view filter :
       {"device/d1/up", "device/d1/up/", "device/d1/up/#", "device/d1/#", "device/d1/down", "device/+/state",
        "device/#", "device//state", "device/d#/state", "#", "devices/d1/state", "device/d1/state/x", "device/d1"}) {
    EXPECT_EQ(AppMqttAuth::deviceOfAppFilter(filter), std::nullopt) << filter;
  }
}

}  // namespace
}  // namespace hearth::api

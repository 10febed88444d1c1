// The commands scenario's device: a registered device that subscribes to device/<did>/down and
// answers every request of the cloud at once, as a device that does what it is told: code 0 for
// each item of set_properties, `true` for each item of get_properties, code 0 for an action.
// Requests and replies go through Hearth's own device protocol codec (device_message.h).
#pragma once

#include <cstdint>
#include <string>

#include "device_reporter.h"
#include "roles.h"

namespace hearth::bench {

class DeviceResponder final : public ClientHandler {
 public:
  DeviceResponder(RunContext& ctx, Worker& worker, ClientSpec spec, const DeviceCredential& device);

  MqttClient& client() { return client_; }

  void onConnAck(MqttClient& c, const mqtt::ConnAck& ack) override;
  void onPacket(MqttClient& c, mqtt::Packet&& packet) override;
  void onLost(MqttClient& c, std::string_view why, bool before_connack) override;

 private:
  RunContext& ctx_;
  Worker& worker_;
  MqttClient client_;
  std::string down_topic_;
  mqtt::Packet reply_;  // the PUBLISH on the up topic, reused
  uint16_t packet_id_ = 0;
  bool subscribed_ = false;
};

}  // namespace hearth::bench

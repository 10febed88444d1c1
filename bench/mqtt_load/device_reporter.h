// The ingest scenario's client: one registered device (client id = user name = did, password =
// its secret) publishing `properties_changed` reports at QoS 1 on device/<did>/up, as a real
// device does (docs/protocol.md, "Reports").
//
// A device cloud acknowledges a report only once it is validated and stored, so what is measured
// is the publisher's own round trip: PUBACKs per second and PUBLISH-to-PUBACK latency. Nobody
// subscribes; a broker that only routes (mosquitto) acknowledges on receipt, which is the raw
// QoS 1 figure the ingest path is compared with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "roles.h"

namespace hearth::bench {

struct DeviceCredential {
  std::string did;
  std::string secret;
};

// Reads `hearth device add`'s output: [{"did":..,"secret":..,"model":..}, ...]. On failure
// returns nullopt and says why in `error`.
std::optional<std::vector<DeviceCredential>> loadCredentials(const std::string& path, std::string& error);

// `base` with the device's identity: client id = user name = did, password = secret.
mqtt::Connect deviceConnect(mqtt::Connect base, const DeviceCredential& device);

class DeviceReporter final : public Sender {
 public:
  // `spec.connect` is completed here with the device's identity.
  DeviceReporter(RunContext& ctx, Worker& worker, ClientSpec spec, const DeviceCredential& device);

  MqttClient& client() override { return client_; }
  size_t pump(int64_t now, size_t budget) override;

  void onConnAck(MqttClient& c, const mqtt::ConnAck& ack) override;
  void onPacket(MqttClient& c, mqtt::Packet&& packet) override;
  void onLost(MqttClient& c, std::string_view why, bool before_connack) override;

 private:
  // A report sent and not yet acknowledged.
  struct InFlight {
    uint16_t packet_id;
    bool measured;
    int64_t sent_ns;
  };

  void fillPayload(std::string& payload);

  RunContext& ctx_;
  Worker& worker_;
  MqttClient client_;
  mqtt::Packet packet_;  // the PUBLISH, reused: only the payload and packet id change
  uint64_t next_id_ = 1;  // the JSON-RPC id of the next report
  uint16_t packet_id_ = 0;
  uint32_t ack_window_ = 0;  // min(window, server Receive Maximum)
  // In send order. PUBACKs come in PUBLISH order (MQTT 4.6), so the match is almost always the
  // first; this stays at most a window long, so a vector beats a deque's 600 B per device.
  std::vector<InFlight> in_flight_;
};

}  // namespace hearth::bench

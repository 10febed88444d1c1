#include "device_responder.h"

#include <fmt/format.h>

#include "hearth/platform/device_message.h"

namespace hearth::bench {

namespace platform = hearth::platform;

DeviceResponder::DeviceResponder(RunContext& ctx, Worker& worker, ClientSpec spec, const DeviceCredential& device)
    : ctx_(ctx),
      worker_(worker),
      client_(worker, *this, spec.broker, spec.source, deviceConnect(std::move(spec.connect), device)),
      down_topic_(fmt::format("device/{}/down", device.did)),
      reply_(mqtt::Publish{}) {
  auto& p = std::get<mqtt::Publish>(reply_);
  p.topic = fmt::format("device/{}/up", device.did);
  p.qos = mqtt::QoS::k1;
}

void DeviceResponder::onConnAck(MqttClient& c, const mqtt::ConnAck&) {
  mqtt::Subscribe s;
  s.packet_id = 1;
  mqtt::Subscription sub;
  sub.filter = down_topic_;
  sub.options.max_qos = mqtt::QoS::k1;
  s.subscriptions.push_back(std::move(sub));
  c.send(s);
  c.flush();
}

void DeviceResponder::onPacket(MqttClient& c, mqtt::Packet&& packet) {
  if (auto* ack = std::get_if<mqtt::SubAck>(&packet)) {
    if (subscribed_) return;
    subscribed_ = true;
    if (!ack->reason_codes.empty() && !mqtt::isError(ack->reason_codes[0])) {
      ctx_.ready.fetch_add(1, std::memory_order_relaxed);
    } else {
      logLost("device", "SUBACK refused the down topic");
      ++worker_.stats.connect_failures;
    }
    ctx_.settled.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  auto* request = std::get_if<mqtt::Publish>(&packet);
  if (request == nullptr) return;
  if (request->qos == mqtt::QoS::k1) {
    mqtt::PubResponse ack;
    ack.type = mqtt::PacketType::kPubAck;
    ack.packet_id = request->packet_id;
    c.send(ack);
  }
  auto parsed = platform::parseDeviceMessage(request->payload);
  const auto* req = parsed ? std::get_if<platform::DeviceRequest>(&parsed.value()) : nullptr;
  if (req == nullptr) {  // the cloud's answer to something, or not the protocol: nothing to do
    c.flush();
    return;
  }
  ++worker_.stats.received;
  platform::DeviceResponse response{req->id, {}};
  if (req->method == platform::Method::kAction) {
    response.body = platform::ActionResult{req->siid, req->iid, 0, {}};
  } else {
    std::vector<platform::PropertyResult> results;
    for (const auto& item : req->properties) {
      std::optional<boost::json::value> value;
      if (req->method == platform::Method::kGetProperties) value = true;
      results.push_back(platform::PropertyResult{item.siid, item.piid, 0, std::move(value)});
    }
    response.body = std::move(results);
  }
  auto& reply = std::get<mqtt::Publish>(reply_);
  reply.payload = platform::serializeDeviceMessage(response);
  packet_id_ = static_cast<uint16_t>(packet_id_ == 65535 ? 1 : packet_id_ + 1);
  reply.packet_id = packet_id_;
  c.send(reply_);
  c.flush();
}

void DeviceResponder::onLost(MqttClient&, std::string_view why, bool before_connack) {
  logLost("device", why);
  if (before_connack || !subscribed_) {
    ++worker_.stats.connect_failures;
    ctx_.settled.fetch_add(1, std::memory_order_relaxed);
    subscribed_ = true;  // settled once only
  } else {
    ++worker_.stats.disconnects;
  }
}

}  // namespace hearth::bench

#include "mqtt/message.h"

namespace hearth::mqtt {

size_t messageBytes(const Message& m) {
  const Properties& p = m.properties;
  size_t n = sizeof(Message) + m.topic.size() + m.payload.size() + m.publisher.size();
  for (const auto* s : {&p.content_type, &p.response_topic, &p.correlation_data}) {
    if (*s) n += (*s)->size();
  }
  for (const auto& u : p.user_properties) n += u.key.size() + u.value.size();
  return n;
}

MessagePtr makeMessage(Publish&& publish, std::string publisher, core::Clock::TimePoint now) {
  auto m = std::make_shared<Message>();
  m->topic = std::move(publish.topic);
  m->payload = std::move(publish.payload);
  m->qos = publish.qos;
  m->retain = publish.retain;
  Properties& in = publish.properties;
  if (in.message_expiry_interval) {
    m->expires_at = now + std::chrono::seconds(*in.message_expiry_interval);
  }
  Properties& out = m->properties;
  out.payload_format_indicator = in.payload_format_indicator;
  out.content_type = std::move(in.content_type);
  out.response_topic = std::move(in.response_topic);
  out.correlation_data = std::move(in.correlation_data);
  out.user_properties = std::move(in.user_properties);
  m->publisher = std::move(publisher);
  return m;
}

}  // namespace hearth::mqtt

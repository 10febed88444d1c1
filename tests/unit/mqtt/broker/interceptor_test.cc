// The broker's side of PublishInterceptor: acknowledgements wait for the release, and a release
// that says the message was not taken refuses it (MQTT 5.0: reason code 0x80; MQTT 3.1.1: the
// connection closes unacknowledged, so the client sends it again). An interceptor that throws
// costs its client's connection, not the broker.
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include "hearth/core/boundary.h"
#include "hearth/mqtt/broker.h"
#include "unit/mqtt/broker/raw_client.h"

namespace hearth::mqtt {
namespace {

// Claims every client and answers each PUBLISH from another thread with `taken`; throws (a bug
// in the platform) for the topic "bug".
class Interceptor final : public PublishInterceptor {
 public:
  explicit Interceptor(bool taken) : taken_(taken) {}
  bool claims(const ClientIdentity&) const override { return true; }
  void onPublish(const ClientIdentity&, const Publish& publish, Release release) override {
    if (publish.topic == "bug") throw std::out_of_range("stod");
    std::thread([release = std::move(release), taken = taken_] { release(taken); }).detach();
  }

 private:
  bool taken_;
};

BrokerOptions localOptions(Interceptor& interceptor) {
  BrokerOptions o;
  o.bind_address = "127.0.0.1";
  o.tcp_port = 0;
  o.tls_port = -1;
  o.ws_port = -1;
  o.interceptor = &interceptor;
  return o;
}

Publish qos1(uint16_t id) {
  Publish p;
  p.topic = "device/x/up";
  p.payload = "{}";
  p.qos = QoS::k1;
  p.packet_id = id;
  return p;
}

TEST(InterceptorTest, ATakenMessageIsAcknowledgedAfterItsRelease) {
  Interceptor interceptor(true);
  Broker broker(localOptions(interceptor));
  ASSERT_TRUE(broker.start().isOk());
  RawClient client(broker.listeners().at(0).port, ProtocolVersion::kV5);
  ASSERT_TRUE(std::holds_alternative<ConnAck>(client.next().value()));
  client.send(qos1(7));
  auto ack = client.next();
  ASSERT_TRUE(ack && std::holds_alternative<PubResponse>(*ack));
  EXPECT_EQ(std::get<PubResponse>(*ack).packet_id, 7);
  // No subscriber: "No matching subscribers" is a success code.
  EXPECT_EQ(std::get<PubResponse>(*ack).reason_code, ReasonCode::kNoMatchingSubscribers);
  broker.stop();
}

TEST(InterceptorTest, AMessageNotTakenIsRefusedWithAReasonCodeOrADisconnect) {
  Interceptor interceptor(false);
  Broker broker(localOptions(interceptor));
  ASSERT_TRUE(broker.start().isOk());
  const Publish p = qos1(9);

  RawClient v5(broker.listeners().at(0).port, ProtocolVersion::kV5);
  ASSERT_TRUE(std::holds_alternative<ConnAck>(v5.next().value()));
  v5.send(p);
  auto ack = v5.next();
  ASSERT_TRUE(ack && std::holds_alternative<PubResponse>(*ack));
  EXPECT_EQ(std::get<PubResponse>(*ack).reason_code, ReasonCode::kUnspecifiedError);

  RawClient v311(broker.listeners().at(0).port, ProtocolVersion::kV311);
  ASSERT_TRUE(std::holds_alternative<ConnAck>(v311.next().value()));
  v311.send(p);
  EXPECT_FALSE(v311.next().has_value());  // closed, never acknowledged
  EXPECT_NE(broker.metricsText().find("hearth_mqtt_store_failures_total 2"), std::string::npos);
  broker.stop();
}

// A bug there used to end the broker: an exception on an event loop is std::terminate.
TEST(InterceptorTest, AnInterceptorThatThrowsClosesOnlyThatConnection) {
  Interceptor interceptor(true);
  Broker broker(localOptions(interceptor));
  ASSERT_TRUE(broker.start().isOk());
  const uint64_t before = core::internalErrors(core::Boundary::kMqtt);
  RawClient other(broker.listeners().at(0).port, ProtocolVersion::kV5, "other");
  ASSERT_TRUE(std::holds_alternative<ConnAck>(other.next().value()));
  RawClient victim(broker.listeners().at(0).port, ProtocolVersion::kV5);
  ASSERT_TRUE(std::holds_alternative<ConnAck>(victim.next().value()));
  Publish bug = qos1(3);
  bug.topic = "bug";
  victim.send(bug);
  auto disconnect = victim.next();
  ASSERT_TRUE(disconnect && std::holds_alternative<Disconnect>(*disconnect));
  EXPECT_EQ(std::get<Disconnect>(*disconnect).reason_code, ReasonCode::kImplementationSpecificError);
  EXPECT_EQ(std::get<Disconnect>(*disconnect).properties.reason_string.value_or("").rfind("internal error ", 0), 0u);
  EXPECT_FALSE(victim.next().has_value());  // closed
  other.send(qos1(4));
  auto ack = other.next();
  ASSERT_TRUE(ack && std::holds_alternative<PubResponse>(*ack));
  EXPECT_EQ(std::get<PubResponse>(*ack).packet_id, 4);
  EXPECT_EQ(core::internalErrors(core::Boundary::kMqtt), before + 1);
  broker.stop();
}

}  // namespace
}  // namespace hearth::mqtt

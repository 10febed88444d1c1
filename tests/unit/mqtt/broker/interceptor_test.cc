// The broker's side of PublishInterceptor: acknowledgements wait for the release, and a release
// that says the message was not taken refuses it (MQTT 5.0: reason code 0x80; MQTT 3.1.1: the
// connection closes unacknowledged, so the client sends it again).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <optional>
#include <thread>

#include "hearth/mqtt/broker.h"
#include "hearth/mqtt/codec.h"

namespace hearth::mqtt {
namespace {

namespace asio = boost::asio;

// Claims every client and answers each PUBLISH from another thread with `taken`.
class Interceptor final : public PublishInterceptor {
 public:
  explicit Interceptor(bool taken) : taken_(taken) {}
  bool claims(const ClientIdentity&) const override { return true; }
  void onPublish(const ClientIdentity&, const Publish&, Release release) override {
    std::thread([release = std::move(release), taken = taken_] { release(taken); }).detach();
  }

 private:
  bool taken_;
};

// A blocking MQTT client speaking through the codec.
class RawClient {
 public:
  RawClient(uint16_t port, ProtocolVersion version) : socket_(io_), version_(version) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    Connect c;
    c.version = version;
    c.client_id = "raw";
    send(c);
  }
  void send(const Packet& packet) {
    std::string out;
    encode(packet, version_, out);
    asio::write(socket_, asio::buffer(out));
  }
  // The next packet, or nullopt when the server closed the connection.
  std::optional<Packet> next() {
    for (;;) {
      auto frame = peekFrame(buffer_, 1 << 20);
      if (frame && frame.value().status == FrameStatus::kComplete) {
        const size_t size = frame.value().frame.size();
        auto packet = decode(std::string_view(buffer_).substr(0, size), version_);
        buffer_.erase(0, size);
        if (!packet) return std::nullopt;
        return std::move(packet).value();
      }
      char chunk[4096];
      boost::system::error_code ec;
      const size_t n = socket_.read_some(asio::buffer(chunk), ec);
      if (ec) return std::nullopt;
      buffer_.append(chunk, n);
    }
  }

 private:
  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  ProtocolVersion version_;
  std::string buffer_;
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

}  // namespace
}  // namespace hearth::mqtt

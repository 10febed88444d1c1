// A peer's end is noticed however it arrives: here a FIN that comes with the peer's last bytes,
// in one readiness edge, while the event loop is busy (an edge-triggered reader that stops at a
// short read would miss it until the keep-alive ran out).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "hearth/mqtt/broker.h"
#include "unit/mqtt/broker/raw_client.h"

namespace hearth::mqtt {
namespace {

// Keeps the (only) event loop busy for a moment after each CONNECT, and reports ends.
class SlowObserver final : public ClientObserver {
 public:
  void onClientConnected(const ClientIdentity&) override {
    connected_.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  void onClientSubscribed(const ClientIdentity&, std::string_view) override {}
  void onClientDisconnected(const ClientIdentity&, ClientEnd end) override { ended_.set_value(end); }

  std::future<void> connected() { return connected_.get_future(); }
  std::future<ClientEnd> ended() { return ended_.get_future(); }

 private:
  std::promise<void> connected_;
  std::promise<ClientEnd> ended_;
};

TEST(ConnectionCloseTest, AFinThatComesWithTheLastBytesIsNoticed) {
  SlowObserver observer;
  BrokerOptions o;
  o.bind_address = "127.0.0.1";
  o.tcp_port = 0;
  o.tls_port = -1;
  o.ws_port = -1;
  o.threads = 1;
  o.observers.push_back(&observer);
  Broker broker(o);
  ASSERT_TRUE(broker.start().isOk());
  auto ended = observer.ended();
  RawClient client(broker.listeners().at(0).port, ProtocolVersion::kV311);
  observer.connected().get();
  // While the loop sleeps in the observer: a PINGREQ and the FIN right behind it.
  client.send(PingReq{});
  client.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send);
  ASSERT_EQ(ended.wait_for(std::chrono::seconds(5)), std::future_status::ready) << "the end went unnoticed";
  EXPECT_EQ(ended.get(), ClientEnd::kConnectionLost);
  broker.stop();
}

}  // namespace
}  // namespace hearth::mqtt

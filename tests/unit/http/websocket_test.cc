#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "hearth/core/boundary.h"
#include "hearth/http/server.h"

namespace hearth::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

ServerOptions localOptions() {
  ServerOptions o;
  o.bind_address = "127.0.0.1";
  o.port = 0;
  return o;
}

// A blocking client on its own io_context.
struct Client {
  Client(uint16_t port, const std::string& target) : ws(io) {
    beast::get_lowest_layer(ws).connect({asio::ip::make_address("127.0.0.1"), port});
    ws.handshake("localhost", target);
  }
  std::string read() {
    beast::flat_buffer buffer;
    ws.read(buffer);
    return beast::buffers_to_string(buffer.data());
  }
  asio::io_context io;
  websocket::stream<asio::ip::tcp::socket> ws;
};

TEST(WebSocketTest, EchoesSendsFromAnyThreadAndReportsTheClose) {
  Server server(localOptions());
  std::promise<std::shared_ptr<WebSocket>> opened;
  std::promise<void> closed;
  std::string query;
  server.addWebSocketRoute("/ws/{room}", [&](const Request& r, std::shared_ptr<WebSocket> ws) {
    query = std::string(r.param("room")) + "|" + std::string(r.queryParam("x"));
    opened.set_value(ws);
    return WebSocketCallbacks{[ws](std::string_view text) { ws->send("echo " + std::string(text)); },
                              [&closed] { closed.set_value(); }};
  });
  server.addRoute("GET", "/ws/{room}", [](const Request&) { return Response{200, "text/plain", "plain"}; });
  ASSERT_TRUE(server.start().isOk());

  Client client(server.port(), "/ws/kitchen?x=1");
  std::shared_ptr<WebSocket> ws = opened.get_future().get();
  EXPECT_EQ(query, "kitchen|1");
  client.ws.write(asio::buffer(std::string("hello")));
  EXPECT_EQ(client.read(), "echo hello");
  std::thread([ws] { EXPECT_TRUE(ws->send("pushed")); }).join();
  EXPECT_EQ(client.read(), "pushed");
  client.ws.close(websocket::close_code::normal);
  closed.get_future().get();
  EXPECT_FALSE(ws->send("too late"));
}

TEST(WebSocketTest, TheServerClosesWithTheHandshakeAndOnStop) {
  Server server(localOptions());
  std::promise<std::shared_ptr<WebSocket>> opened;
  std::atomic<int> closes{0};
  server.addWebSocketRoute("/ws", [&](const Request&, std::shared_ptr<WebSocket> ws) {
    opened.set_value(ws);
    return WebSocketCallbacks{nullptr, [&closes] { ++closes; }};
  });
  ASSERT_TRUE(server.start().isOk());
  Client first(server.port(), "/ws");
  opened.get_future().get()->close();
  beast::flat_buffer buffer;
  beast::error_code ec;
  first.ws.read(buffer, ec);
  EXPECT_EQ(ec, websocket::error::closed);

  opened = {};
  Client second(server.port(), "/ws");
  std::shared_ptr<WebSocket> ws = opened.get_future().get();
  server.stop();
  EXPECT_EQ(closes.load(), 2);
  EXPECT_FALSE(ws->send("after stop"));
}

// A bug in a route's callback used to end the server (an exception on its I/O thread).
TEST(WebSocketTest, ACallbackThatThrowsClosesOnlyItsConnection) {
  Server server(localOptions());
  server.addWebSocketRoute("/ws", [&](const Request&, std::shared_ptr<WebSocket> ws) {
    return WebSocketCallbacks{[ws](std::string_view text) {
                                if (text == "bug") throw std::out_of_range("stod");
                                ws->send("echo " + std::string(text));
                              },
                              nullptr};
  });
  server.addWebSocketRoute("/bad-accept", [](const Request&, std::shared_ptr<WebSocket>) -> WebSocketCallbacks {
    throw std::logic_error("accept");
  });
  ASSERT_TRUE(server.start().isOk());
  const uint64_t before = core::internalErrors(core::Boundary::kWebSocket);
  Client other(server.port(), "/ws");
  for (const char* path : {"/ws", "/bad-accept"}) {
    Client victim(server.port(), path);
    if (std::string_view(path) == "/ws") victim.ws.write(asio::buffer(std::string("bug")));
    beast::flat_buffer buffer;
    beast::error_code ec;
    victim.ws.read(buffer, ec);
    EXPECT_EQ(ec, websocket::error::closed) << path;
    EXPECT_EQ(victim.ws.reason().code, websocket::close_code::internal_error) << path;
    const auto& reason = victim.ws.reason().reason;
    EXPECT_EQ(std::string(reason.data(), reason.size()).rfind("internal error ", 0), 0u) << path;
  }
  other.ws.write(asio::buffer(std::string("still here")));
  EXPECT_EQ(other.read(), "echo still here");
  EXPECT_EQ(core::internalErrors(core::Boundary::kWebSocket), before + 2);
}

TEST(WebSocketTest, APathWithoutAWebSocketRouteRefusesTheUpgrade) {
  Server server(localOptions());
  server.addRoute("GET", "/plain", [](const Request&) { return Response{200, "text/plain", "plain"}; });
  ASSERT_TRUE(server.start().isOk());
  asio::io_context io;
  websocket::stream<asio::ip::tcp::socket> ws(io);
  ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), server.port()});
  beast::error_code ec;
  ws.handshake("localhost", "/plain", ec);
  EXPECT_EQ(ec, websocket::error::upgrade_declined);
}

}  // namespace
}  // namespace hearth::http

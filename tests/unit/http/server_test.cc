#include "hearth/http/server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <future>
#include <stdexcept>
#include <thread>

#include "hearth/core/boundary.h"

namespace hearth::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

// One request on a fresh connection: (status, body).
std::pair<int, std::string> request(uint16_t port, bhttp::verb verb, const std::string& target) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  bhttp::request<bhttp::string_body> req{verb, target, 11};
  req.set(bhttp::field::host, "localhost");
  req.prepare_payload();
  bhttp::write(socket, req);
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(socket, buffer, res);
  return {static_cast<int>(res.result_int()), res.body()};
}

ServerOptions localOptions() {
  ServerOptions o;
  o.bind_address = "127.0.0.1";
  o.port = 0;
  return o;
}

TEST(HttpServerTest, RoutesMatchSegmentsAndHandOverTheirParameters) {
  Server server(localOptions());
  server.addRoute("GET", "/api/v1/devices/{did}/props/{key}", [](const Request& r) {
    return Response{200, "text/plain", std::string(r.param("did")) + "|" + std::string(r.param("key"))};
  });
  server.addRoute("GET", "/api/v1/devices/list", [](const Request&) { return Response{200, "text/plain", "list"}; });
  ASSERT_TRUE(server.start().isOk());
  EXPECT_EQ(request(server.port(), bhttp::verb::get, "/api/v1/devices/abc/props/2.1?x=1"),
            (std::pair<int, std::string>{200, "abc|2.1"}));
  EXPECT_EQ(request(server.port(), bhttp::verb::get, "/api/v1/devices/list").second, "list");
  EXPECT_EQ(request(server.port(), bhttp::verb::get, "/api/v1/devices//props/x").first, 404);  // empty segment
  EXPECT_EQ(request(server.port(), bhttp::verb::get, "/api/v1/devices/abc/props").first, 404);
  EXPECT_EQ(request(server.port(), bhttp::verb::post, "/api/v1/devices/abc/props/k").first, 405);
}

TEST(HttpServerTest, AnAsyncHandlerAnswersFromAnotherThreadWhileOthersAreServed) {
  Server server(localOptions());
  std::promise<Responder> parked;
  server.addAsyncRoute("POST", "/slow", [&parked](const Request&, Responder respond) {
    parked.set_value(std::move(respond));
  });
  server.addRoute("GET", "/fast", [](const Request&) { return Response{200, "text/plain", "fast"}; });
  ASSERT_TRUE(server.start().isOk());
  auto slow = std::async(std::launch::async, [&] { return request(server.port(), bhttp::verb::post, "/slow"); });
  Responder respond = parked.get_future().get();
  EXPECT_EQ(request(server.port(), bhttp::verb::get, "/fast").second, "fast");
  std::thread([&respond] { respond(Response{202, "text/plain", "later"}); }).join();
  EXPECT_EQ(slow.get(), (std::pair<int, std::string>{202, "later"}));
}

TEST(HttpServerTest, AnAnswerAfterStopIsDropped) {
  Responder respond;
  {
    auto server = std::make_unique<Server>(localOptions());
    std::promise<void> got;
    server->addAsyncRoute("GET", "/never", [&](const Request&, Responder r) {
      respond = std::move(r);
      got.set_value();
    });
    ASSERT_TRUE(server->start().isOk());
    const uint16_t port = server->port();
    auto pending = std::async(std::launch::async, [port] {
      try {
        return request(port, bhttp::verb::get, "/never").first;
      } catch (const std::exception&) {
        return 0;  // the connection closed without an answer
      }
    });
    got.get_future().get();
    server.reset();
    EXPECT_EQ(pending.get(), 0);
  }
  respond(Response{200, "text/plain", "too late"});  // must not touch the destroyed server
}

// A bug in a handler used to end the server: an exception on its I/O thread is std::terminate.
TEST(HttpServerTest, AHandlerThatThrowsCostsItsRequestA500WithTheErrorId) {
  std::thread late;
  Server server(localOptions());
  server.addRoute("GET", "/bug", [](const Request&) -> Response { throw std::out_of_range("stod"); });
  server.addAsyncRoute("GET", "/late-bug", [&late](const Request&, Responder respond) {
    late = std::thread([respond] { respond(Response{200, "text/plain", "too late"}); });
    throw std::logic_error("after handing the responder on");
  });
  server.addAsyncRoute("GET", "/dropped", [](const Request&, Responder) {});  // never answers
  server.addRoute("GET", "/fine", [](const Request&) { return Response{200, "text/plain", "fine"}; });
  ASSERT_TRUE(server.start().isOk());
  const uint64_t before = core::internalErrors(core::Boundary::kHttp);
  for (const char* path : {"/bug", "/dropped"}) {
    auto [status, body] = request(server.port(), bhttp::verb::get, path);
    EXPECT_EQ(status, 500) << path;
    EXPECT_NE(body.find(R"("code":"internal")"), std::string::npos) << body;
    const size_t id = body.find(R"("id":")");
    ASSERT_NE(id, std::string::npos) << body;
    EXPECT_EQ(body.substr(id + 6, 17).back(), '"') << body;  // 16 hex digits
    EXPECT_EQ(request(server.port(), bhttp::verb::get, "/fine").second, "fine");
  }
  // Answered once: either the 500 or the thread's answer, whichever came first, never both.
  const int status = request(server.port(), bhttp::verb::get, "/late-bug").first;
  late.join();
  EXPECT_TRUE(status == 500 || status == 200) << status;
  EXPECT_EQ(request(server.port(), bhttp::verb::get, "/fine").second, "fine");
  EXPECT_EQ(core::internalErrors(core::Boundary::kHttp), before + 3);
}

}  // namespace
}  // namespace hearth::http

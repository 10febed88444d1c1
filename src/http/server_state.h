// What the HTTP server's pieces share: the route tables, the connections open (so that stop()
// can close them) and the gate through which answers from other threads reach the I/O thread.
// Private to src/http.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "hearth/http/server.h"

namespace hearth::http::detail {

struct Route {
  std::string method;
  std::vector<std::string> segments;  // of the path; "{name}" matches any one segment
  AsyncHandler handler;
  std::string name;  // "POST /api/v1/homes/{home}/assistant": for the log of an internal error
};

struct WebSocketRoute {
  std::vector<std::string> segments;
  WebSocketAccept accept;
};

std::vector<std::string> splitPath(std::string_view path);
// Fills `params` when the pattern matches the path's segments.
bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
             std::vector<std::pair<std::string, std::string>>& params);

// Lets answers and messages reach the server's io_context from any thread while the server
// runs, and tells them when the server is gone.
struct Gate {
  std::mutex mu;
  boost::asio::io_context* io = nullptr;  // guarded by mu; null once the server stopped
};

// An open connection, as stop() sees it: closes at once.
class Closable {
 public:
  virtual ~Closable() = default;
  virtual void abort() = 0;
};

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
using Upgrade = boost::beast::http::request<boost::beast::http::string_body>;

// Touched only on the I/O thread once the server runs.
struct State {
  void dispatch(Request& request, Responder respond) const;
  // The WebSocket route for the request's path, or null.
  const WebSocketRoute* webSocketRoute(Request& request) const;

  ServerOptions options;
  std::vector<Route> routes;
  std::vector<WebSocketRoute> websocket_routes;
  Handler fallback;
  std::unordered_set<Closable*> open;  // HTTP sessions and WebSockets
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
};

// Serves an accepted connection: plain HTTP, or HTTPS when `tls` is given (handshake first).
void startSession(State& state, boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls);

// Takes over a connection whose request asked for a WebSocket on `route`: answers the handshake
// and runs the connection until either side closes it.
void startWebSocket(State& state, boost::beast::tcp_stream stream, Upgrade upgrade, Request request,
                    const WebSocketRoute& route);
void startWebSocket(State& state, TlsStream stream, Upgrade upgrade, Request request, const WebSocketRoute& route);

// Closes every connection at once (the server stopping).
void closeAll(State& state);

}  // namespace hearth::http::detail

// A small HTTP/1.1 server (Boost.Beast) with a route table: hearthd's /metrics and API, and
// WebSocket routes (RFC 6455, text messages) for the API's live push.
//
// Ownership: the Server owns its io_context and one I/O thread; routes are copied in.
// Thread-safety: addRoute() only before start(); start() and stop() from one thread. Handlers run
// on the server's I/O thread, one request at a time, so they must be safe to call from it and
// should return quickly. An asynchronous handler returns at once and answers later through its
// Responder, from any thread (a command waiting for a device); the connection waits meanwhile,
// and an answer that comes after stop() is dropped.
// Errors: start() returns a Status (bad address, port in use). Requests never throw: a handler
// that throws, or drops its Responder unanswered, gets internalErrorResponse() (logged with its
// error id, counted in hearth_internal_errors_total{boundary="http"}); an unknown path gets 404, a known path with another method 405, an unparseable request 400, an oversized
// body 413 and oversized headers 431, all with errorResponse()'s JSON body; after a 4xx for a bad
// request the connection closes. Keep-alive is honoured for requests that were understood.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hearth/core/config.h"
#include "hearth/core/status.h"
#include "hearth/core/tls_context.h"

namespace hearth::http {

struct Request {
  std::string method;  // "GET"
  std::string target;  // as sent: "/metrics?name=x"
  std::string path;    // target up to '?': "/metrics"
  std::string query;   // after '?', still percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;  // the client's IP address, as text
  // Values of the route's {name} segments: "/api/v1/devices/{did}" gives {"did", "0a1b..."}.
  std::vector<std::pair<std::string, std::string>> params;

  // The first header named `name` (case-insensitive), or "" when absent.
  std::string_view header(std::string_view name) const;
  // The value of the route's {name} segment, or "" when the route has none.
  std::string_view param(std::string_view name) const;
  // The token of an "Authorization: Bearer <token>" header (RFC 6750), or "" when there is none.
  std::string_view bearerToken() const;
  // The value of the first `name=value` in the query, as sent (not percent-decoded: for ids,
  // numbers and names of plain characters), or "" when absent.
  std::string_view queryParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Further headers (Cache-Control, ETag, Content-Encoding, ...); Server, Content-Type and
  // Content-Length are the server's.
  std::vector<std::pair<std::string, std::string>> headers = {};
};

// {"error":{"code":"<code>","message":"<message>"}} with `status`: the one error shape of every
// Hearth HTTP endpoint. `code` is a stable name for programs ("not_found"); empty gives the
// status's own (statusCode()). `message` is for people.
Response errorResponse(int status, std::string_view message, std::string_view code = {});
// 500 {"error":{"code":"internal","message":"internal error <id>: ...","id":"<id>"}}: the answer to
// a request whose handler failed with a bug (threw, or dropped its Responder); the server logged
// it under the same id (core/boundary.h).
Response internalErrorResponse(std::string_view error_id);
// The default error code of an HTTP status: 400 "bad_request", 401 "unauthenticated",
// 403 "forbidden", 404 "not_found", 405 "method_not_allowed", 409 "conflict",
// 413 "payload_too_large", 422 "invalid", 429 "too_many_requests", 431 "headers_too_large",
// 500 "internal", 503 "unavailable"; "error" for any other.
std::string_view statusCode(int status);

// A WebSocket connection the server accepted on a WebSocket route. The server owns the
// connection; holders of this handle may send and close from any thread, also after the
// connection ended (then nothing happens).
class WebSocket {
 public:
  virtual ~WebSocket() = default;
  // Queues a text message. A client that does not read is dropped, not buffered without bound:
  // past 1024 queued messages the connection closes and send() returns false; false also once
  // the connection has ended or the server stopped.
  virtual bool send(std::string text) = 0;
  // Closes with the closing handshake.
  virtual void close() = 0;
};

// What a WebSocket route does with its connection; both run on the I/O thread and must return
// quickly. on_close runs once, whatever ended the connection (either side, an error, the server
// stopping); the callbacks are released then.
struct WebSocketCallbacks {
  std::function<void(std::string_view text)> on_message;
  std::function<void()> on_close;
};

// Called on the I/O thread when a client opened a WebSocket on the route (after the handshake),
// with the upgrade request (its headers, params and query) and the connection.
using WebSocketAccept = std::function<WebSocketCallbacks(const Request&, std::shared_ptr<WebSocket>)>;

using Handler = std::function<Response(const Request&)>;
// Call exactly once, from any thread.
using Responder = std::function<void(Response)>;
// Must copy from the request what it needs later: the request lives only during the call.
using AsyncHandler = std::function<void(const Request&, Responder)>;

struct ServerOptions {
  std::string bind_address = "0.0.0.0";
  int port = 8080;                        // 0 picks a free port; -1 disables (start() does nothing)
  size_t max_body_size = 1 << 20;         // larger request bodies get 413
  size_t max_header_size = 16 * 1024;     // larger request headers get 431
  std::chrono::seconds request_timeout{10};  // to read a request's headers and body, and idle keep-alive
  int tls_port = -1;                      // HTTPS: 0 picks a free port; -1 disables
  core::TlsServerFiles tls;               // HTTPS's certificate and key (hearthd: mqtt.tls_cert, mqtt.tls_key)
};

// The [http] options of hearthd's configuration, and how they map onto ServerOptions.
std::vector<core::OptionSpec> serverOptionSpecs();
ServerOptions serverOptionsFromConfig(const core::Config& config);

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // `method` is the request method as sent ("GET"); `path` matches segment by segment, where a
  // segment "{name}" matches any non-empty segment and is handed over in Request::params.
  void addRoute(std::string method, std::string path, Handler handler);
  void addAsyncRoute(std::string method, std::string path, AsyncHandler handler);
  // An upgrade request (GET with "Upgrade: websocket") whose path matches opens a WebSocket;
  // other requests to the path go to the ordinary routes. Messages above 64 KiB close it.
  void addWebSocketRoute(std::string path, WebSocketAccept accept);
  // Answers the requests whose path no route has (any method): the web app's files and the
  // paths of its pages. Without one they get 404.
  void setFallback(Handler handler);

  // Binds, listens and starts the I/O thread. Errors: a bad address, a port in use, a certificate
  // or key that cannot be loaded.
  core::Status start();
  // Closes the listener and every connection, and joins the thread. Idempotent.
  void stop();

  // The bound ports (also when 0 was asked for); 0 before start() or when disabled. HTTPS runs
  // when tls_port >= 0 and a certificate and key are given; the same routes answer on both.
  uint16_t port() const;
  uint16_t tlsPort() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::http

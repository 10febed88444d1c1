#include "hearth/http/server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include "http/server_state.h"

namespace hearth::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

std::string jsonEscape(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(ch));
        } else {
          out += ch;
        }
    }
  }
  return out;
}

}  // namespace

namespace detail {

std::vector<std::string> splitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t start = path.empty() || path[0] != '/' ? 0 : 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
             std::vector<std::pair<std::string, std::string>>& params) {
  if (pattern.size() != segments.size()) return false;
  params.clear();
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (segments[i].empty()) return false;
      params.emplace_back(p.substr(1, p.size() - 2), segments[i]);
    } else if (p != segments[i]) {
      return false;
    }
  }
  return true;
}

void State::dispatch(Request& request, Responder respond) const {
  bool path_known = false;
  const std::vector<std::string> segments = splitPath(request.path);
  for (const Route& route : routes) {
    if (!matches(route.segments, segments, request.params)) continue;
    if (route.method == request.method) return route.handler(request, std::move(respond));
    path_known = true;
  }
  request.params.clear();
  respond(path_known ? errorResponse(405, "method not allowed") : errorResponse(404, "not found"));
}

const WebSocketRoute* State::webSocketRoute(Request& request) const {
  const std::vector<std::string> segments = splitPath(request.path);
  for (const WebSocketRoute& route : websocket_routes) {
    if (matches(route.segments, segments, request.params)) return &route;
  }
  request.params.clear();
  return nullptr;
}

// One client connection: read a request, answer it, repeat while keep-alive holds; or hand the
// connection over to a WebSocket when the request asks for one on a WebSocket route.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(State& state, tcp::socket socket) : state_(state), stream_(std::move(socket)) {
    state_.sessions.insert(this);
  }
  ~Session() { state_.sessions.erase(this); }

  void readRequest() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(state_.options.max_header_size));
    parser_->body_limit(state_.options.max_body_size);
    // One deadline for the whole request, starting now: also bounds an idle keep-alive connection.
    stream_.expires_after(state_.options.request_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](const beast::error_code& ec, size_t) { self->onRead(ec); });
  }

  void close() {
    auto keep = std::move(self_);  // this may be the last reference: released when close() returns
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

 private:
  void onRead(const beast::error_code& ec) {
    if (ec == bhttp::error::body_limit) return respond(errorResponse(413, "request body too large"), false, 11);
    if (ec == bhttp::error::header_limit) return respond(errorResponse(431, "request headers too large"), false, 11);
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return close();
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
      return respond(errorResponse(400, "bad request"), false, 11);
    }
    if (ec) return close();  // timeout, reset, or the server stopping
    auto& message = parser_->get();
    Request request;
    request.method = std::string(message.method_string());
    beast::error_code peer_error;
    const auto peer = stream_.socket().remote_endpoint(peer_error);
    if (!peer_error) request.remote_address = peer.address().to_string();
    request.target = std::string(message.target());
    size_t question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) request.query = request.target.substr(question + 1);
    for (const auto& field : message) request.headers.emplace_back(field.name_string(), field.value());
    request.body = std::move(message.body());
    if (websocket::is_upgrade(message)) {
      if (const WebSocketRoute* route = state_.webSocketRoute(request)) {
        stream_.expires_never();
        return startWebSocket(state_, stream_.release_socket(), std::move(message), std::move(request), *route);
      }
    }
    // The session keeps itself alive until the answer comes (no read or write is pending
    // meanwhile); the responder holds it weakly, so an answer after stop() finds nothing.
    self_ = shared_from_this();
    std::weak_ptr<Session> weak = self_;
    state_.dispatch(request, [gate = state_.gate, weak, keep_alive = message.keep_alive(),
                              version = message.version()](Response response) mutable {
      std::lock_guard lock(gate->mu);
      if (gate->io == nullptr) return;
      asio::post(*gate->io, [weak, response = std::move(response), keep_alive, version]() mutable {
        if (auto self = weak.lock()) self->answer(std::move(response), keep_alive, version);
      });
    });
  }

  void answer(Response response, bool keep_alive, unsigned version) {
    if (!self_) return;  // closed meanwhile
    auto keep = std::move(self_);
    respond(std::move(response), keep_alive, version);
  }

  void respond(Response response, bool keep_alive, unsigned version) {
    // Beast throws for codes above 999; a handler's mistake must not take the server down.
    if (response.status < 100 || response.status > 599) response = errorResponse(500, "handler returned a bad status");
    response_ = {};
    response_.version(version);
    response_.result(static_cast<unsigned>(response.status));
    response_.set(bhttp::field::server, "hearth");
    response_.set(bhttp::field::content_type, response.content_type);
    response_.body() = std::move(response.body);
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    stream_.expires_after(state_.options.request_timeout);
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this(), keep_alive](const beast::error_code& ec, size_t) {
                         if (ec || !keep_alive) {
                           self->close();
                           return;
                         }
                         self->readRequest();
                       });
  }

  State& state_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  std::shared_ptr<Session> self_;  // set while a handler has the request
};

}  // namespace detail

std::string_view Request::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

std::string_view Request::queryParam(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
  }
  return {};
}

std::string_view Request::bearerToken() const {
  constexpr std::string_view kBearer = "Bearer ";
  std::string_view value = header("Authorization");
  return value.starts_with(kBearer) ? value.substr(kBearer.size()) : std::string_view();
}

std::string_view Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equalsIgnoreCase(key, name)) return value;
  }
  return {};
}

std::string_view statusCode(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "payload_too_large";
    case 422: return "invalid";
    case 429: return "too_many_requests";
    case 431: return "headers_too_large";
    case 500: return "internal";
    case 503: return "unavailable";
    default: return "error";
  }
}

Response errorResponse(int status, std::string_view message, std::string_view code) {
  return Response{status, "application/json",
                  fmt::format(R"({{"error":{{"code":"{}","message":"{}"}}}})",
                              jsonEscape(code.empty() ? statusCode(status) : code), jsonEscape(message))};
}

std::vector<core::OptionSpec> serverOptionSpecs() {
  using core::OptionKind;
  return {
      {"http.bind", OptionKind::kString, "0.0.0.0", "Address the HTTP server (metrics, API) binds to."},
      {"http.port", OptionKind::kInt, "8080", "HTTP server port. 0 picks a free port; -1 disables.", -1, 65535},
  };
}

ServerOptions serverOptionsFromConfig(const core::Config& config) {
  ServerOptions o;
  o.bind_address = config.getString("http.bind");
  o.port = static_cast<int>(config.getInt("http.port"));
  return o;
}

struct Server::Impl {
  explicit Impl(ServerOptions options) { state.options = std::move(options); }

  void acceptNext() {
    acceptor.async_accept(io, [this](const beast::error_code& ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) {
        // Out of file descriptors (or similar): back off instead of spinning on the error.
        spdlog::warn("http: accept failed: {}", ec.message());
        retry_timer.expires_after(std::chrono::milliseconds(100));
        retry_timer.async_wait([this](const beast::error_code& e) {
          if (!e) acceptNext();
        });
        return;
      }
      std::make_shared<detail::Session>(state, std::move(socket))->readRequest();
      acceptNext();
    });
  }

  // Declared before io: handlers destroyed with the io_context still reach `state`.
  detail::State state;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  asio::steady_timer retry_timer{io};
  std::thread thread;
  uint16_t port = 0;
  bool running = false;
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() { stop(); }

void Server::addRoute(std::string method, std::string path, Handler handler) {
  addAsyncRoute(std::move(method), std::move(path),
                [handler = std::move(handler)](const Request& request, Responder respond) {
                  respond(handler(request));
                });
}

void Server::addAsyncRoute(std::string method, std::string path, AsyncHandler handler) {
  impl_->state.routes.push_back(detail::Route{std::move(method), detail::splitPath(path), std::move(handler)});
}

void Server::addWebSocketRoute(std::string path, WebSocketAccept accept) {
  impl_->state.websocket_routes.push_back(detail::WebSocketRoute{detail::splitPath(path), std::move(accept)});
}

bool Server::enabled() const { return impl_->state.options.port >= 0; }

uint16_t Server::port() const { return impl_->port; }

core::Status Server::start() {
  Impl& impl = *impl_;
  const ServerOptions& o = impl.state.options;
  if (o.port < 0 || impl.running) return core::Status::ok();
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(o.bind_address, ec);
  if (ec) return core::Status::invalidArgument(fmt::format("http: bad bind address '{}'", o.bind_address));
  tcp::endpoint endpoint(ip, static_cast<uint16_t>(o.port));
  impl.acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(endpoint, ec);
  if (!ec) impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::Status::unavailable(
        fmt::format("http: cannot listen on {}:{}: {}", o.bind_address, o.port, ec.message()));
  }
  impl.port = impl.acceptor.local_endpoint().port();
  impl.acceptNext();
  {
    std::lock_guard lock(impl.state.gate->mu);
    impl.state.gate->io = &impl.io;
  }
  impl.thread = std::thread([&impl] { impl.io.run(); });
  impl.running = true;
  spdlog::info("http: listening address={} port={}", o.bind_address, impl.port);
  auto pathOf = [](const std::vector<std::string>& segments) {
    std::string path;
    for (const std::string& s : segments) path += "/" + s;
    return path;
  };
  for (const detail::Route& r : impl.state.routes) spdlog::debug("http: route {} {}", r.method, pathOf(r.segments));
  for (const detail::WebSocketRoute& r : impl.state.websocket_routes) {
    spdlog::debug("http: route GET {} (WebSocket)", pathOf(r.segments));
  }
  return core::Status::ok();
}

void Server::stop() {
  Impl& impl = *impl_;
  if (!impl.running) return;
  impl.running = false;
  asio::post(impl.io, [&impl] {
    boost::system::error_code ec;
    impl.acceptor.close(ec);
    impl.retry_timer.cancel();
    std::vector<detail::Session*> open(impl.state.sessions.begin(), impl.state.sessions.end());
    for (detail::Session* s : open) s->close();
    detail::closeWebSockets(impl.state);
    impl.io.stop();
  });
  impl.thread.join();
  std::lock_guard lock(impl.state.gate->mu);
  impl.state.gate->io = nullptr;
}

}  // namespace hearth::http

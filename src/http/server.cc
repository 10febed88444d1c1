#include "hearth/http/server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "hearth/core/boundary.h"
#include "hearth/core/tls_context.h"
#include "http/server_state.h"

namespace hearth::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
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

namespace {

// The responder a handler gets: answers at most once, and answers 500 for a handler that threw
// after it took the responder, or dropped it without answering (a job lost on another thread).
class Answer {
 public:
  Answer(Responder respond, std::string_view where, std::shared_ptr<Gate> gate)
      : respond_(std::move(respond)), where_(where), gate_(std::move(gate)) {}
  ~Answer() {
    if (!answered_.exchange(true) && serverRunning()) {
      respond_(internalErrorResponse(
          core::reportInternalError(core::Boundary::kHttp, where_, "the request was dropped without an answer")));
    }
  }
  Answer(const Answer&) = delete;
  Answer& operator=(const Answer&) = delete;

  void operator()(Response response) {
    if (!answered_.exchange(true)) respond_(std::move(response));
  }

 private:
  // A job dropped because the server stopped is no bug, and has nobody left to answer.
  bool serverRunning() const {
    std::lock_guard lock(gate_->mu);
    return gate_->io != nullptr;
  }

  Responder respond_;
  std::string_view where_;  // a route's name, which outlives every request
  std::shared_ptr<Gate> gate_;
  std::atomic<bool> answered_{false};
};

}  // namespace

void State::dispatch(Request& request, Responder respond) const {
  bool path_known = false;
  const std::vector<std::string> segments = splitPath(request.path);
  const Route* found = nullptr;
  for (const Route& route : routes) {
    if (!matches(route.segments, segments, request.params)) continue;
    if (route.method == request.method) {
      found = &route;
      break;
    }
    path_known = true;
  }
  if (found == nullptr) {
    request.params.clear();
    if (path_known || !fallback) {
      return respond(path_known ? errorResponse(405, "method not allowed") : errorResponse(404, "not found"));
    }
  }
  // A bug in a handler costs this request, never the server: the exception is logged with an
  // id and the client gets a 500 with that id.
  const std::string_view where = found != nullptr ? std::string_view(found->name) : "fallback";
  auto answer = std::make_shared<Answer>(std::move(respond), where, gate);
  const Responder reply = [answer](Response response) { (*answer)(std::move(response)); };
  if (auto id = core::guard(core::Boundary::kHttp, where, [&] {
        if (found != nullptr) return found->handler(request, reply);
        reply(fallback(request));
      })) {
    reply(internalErrorResponse(*id));
  }
}

const WebSocketRoute* State::webSocketRoute(Request& request) const {
  const std::vector<std::string> segments = splitPath(request.path);
  for (const WebSocketRoute& route : websocket_routes) {
    if (matches(route.segments, segments, request.params)) return &route;
  }
  request.params.clear();
  return nullptr;
}

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

Response internalErrorResponse(std::string_view error_id) {
  return Response{500, "application/json",
                  fmt::format(R"({{"error":{{"code":"internal","message":"internal error {0}: the server logged it; )"
                              R"(quote the id when you report it","id":"{0}"}}}})",
                              jsonEscape(error_id))};
}

std::vector<core::OptionSpec> serverOptionSpecs() {
  using core::OptionKind;
  return {
      {"http.bind", OptionKind::kString, "0.0.0.0", "Address the HTTP server (metrics, API) binds to."},
      {"http.port", OptionKind::kInt, "8080", "HTTP server port. 0 picks a free port; -1 disables.", -1, 65535},
      {"http.tls_port", OptionKind::kInt, "-1",
       "HTTPS port, with the MQTT listener's certificate and key (mqtt.tls_cert, mqtt.tls_key). 0 picks a free "
       "port; -1 disables.",
       -1, 65535},
      {"http.web_root", OptionKind::kString, "",
       "Folder of the web app's built files (web/dist), served at / with caching headers; read at start-up. "
       "Empty: no web app."},
  };
}

ServerOptions serverOptionsFromConfig(const core::Config& config) {
  ServerOptions o;
  o.bind_address = config.getString("http.bind");
  o.port = static_cast<int>(config.getInt("http.port"));
  o.tls_port = static_cast<int>(config.getInt("http.tls_port"));
  o.tls.cert = config.getString("mqtt.tls_cert");
  o.tls.key = config.getString("mqtt.tls_key");
  return o;
}

struct Server::Impl {
  // One listening socket; TLS when `tls` is set.
  struct Listener {
    explicit Listener(asio::io_context& io) : acceptor(io), retry_timer(io) {}
    tcp::acceptor acceptor;
    asio::steady_timer retry_timer;
    std::shared_ptr<asio::ssl::context> tls;
    uint16_t port = 0;
  };

  explicit Impl(ServerOptions options) { state.options = std::move(options); }

  core::Status listen(Listener& l, const asio::ip::address& ip, int port, std::string_view name) {
    boost::system::error_code ec;
    tcp::endpoint endpoint(ip, static_cast<uint16_t>(port));
    l.acceptor.open(endpoint.protocol(), ec);
    if (!ec) l.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) l.acceptor.bind(endpoint, ec);
    if (!ec) l.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return core::Status::unavailable(
          fmt::format("{}: cannot listen on {}:{}: {}", name, state.options.bind_address, port, ec.message()));
    }
    l.port = l.acceptor.local_endpoint().port();
    acceptNext(l);
    spdlog::info("{}: listening address={} port={}", name, state.options.bind_address, l.port);
    return core::Status::ok();
  }

  void acceptNext(Listener& l) {
    l.acceptor.async_accept(io, [this, &l](const beast::error_code& ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !l.acceptor.is_open()) return;
      if (ec) {
        // Out of file descriptors (or similar): back off instead of spinning on the error.
        spdlog::warn("http: accept failed: {}", ec.message());
        l.retry_timer.expires_after(std::chrono::milliseconds(100));
        l.retry_timer.async_wait([this, &l](const beast::error_code& e) {
          if (!e) acceptNext(l);
        });
        return;
      }
      detail::startSession(state, std::move(socket), l.tls.get());
      acceptNext(l);
    });
  }

  // Declared before io: handlers destroyed with the io_context still reach `state`.
  detail::State state;
  asio::io_context io{1};
  Listener plain{io};
  Listener secure{io};
  std::thread thread;
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
  std::string name = method + " " + path;
  impl_->state.routes.push_back(
      detail::Route{std::move(method), detail::splitPath(path), std::move(handler), std::move(name)});
}

void Server::addWebSocketRoute(std::string path, WebSocketAccept accept) {
  impl_->state.websocket_routes.push_back(detail::WebSocketRoute{detail::splitPath(path), std::move(accept)});
}

void Server::setFallback(Handler handler) { impl_->state.fallback = std::move(handler); }

uint16_t Server::port() const { return impl_->plain.port; }

uint16_t Server::tlsPort() const { return impl_->secure.port; }

core::Status Server::start() {
  Impl& impl = *impl_;
  const ServerOptions& o = impl.state.options;
  if (impl.running) return core::Status::ok();
  const bool https = o.tls_port >= 0 && !o.tls.cert.empty() && !o.tls.key.empty();
  if (o.tls_port >= 0 && !https) spdlog::info("https: not started: set mqtt.tls_cert and mqtt.tls_key to enable it");
  if (o.port < 0 && !https) return core::Status::ok();
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(o.bind_address, ec);
  if (ec) return core::Status::invalidArgument(fmt::format("http: bad bind address '{}'", o.bind_address));
  if (https) {
    auto context = core::makeServerTlsContext(o.tls, "https");
    if (!context) return context.error();
    impl.secure.tls = std::move(context).value();
    HEARTH_RETURN_IF_ERROR(impl.listen(impl.secure, ip, o.tls_port, "https"));
  }
  if (o.port >= 0) HEARTH_RETURN_IF_ERROR(impl.listen(impl.plain, ip, o.port, "http"));
  {
    std::lock_guard lock(impl.state.gate->mu);
    impl.state.gate->io = &impl.io;
  }
  // The handlers that answer and the WebSocket callbacks have boundaries of their own (see
  // dispatch()); this one is for the rest (a completion handler's bug): one connection's chain
  // ends, the loop goes on.
  impl.thread = std::thread([&impl] { core::keepRunning(core::Boundary::kHttp, "http I/O thread", [&impl] { impl.io.run(); }); });
  impl.running = true;
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
    for (Impl::Listener* l : {&impl.plain, &impl.secure}) {
      l->acceptor.close(ec);
      l->retry_timer.cancel();
    }
    detail::closeAll(impl.state);
    impl.io.stop();
  });
  impl.thread.join();
  std::lock_guard lock(impl.state.gate->mu);
  impl.state.gate->io = nullptr;
}

}  // namespace hearth::http

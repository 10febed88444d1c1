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
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <thread>
#include <unordered_set>

namespace hearth::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
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

struct Route {
  std::string method;
  std::string path;
  Handler handler;
};

class Session;

// What sessions share with the server. Touched only on the I/O thread once the server runs.
struct State {
  Response dispatch(const Request& request) const {
    bool path_known = false;
    for (const Route& route : routes) {
      if (route.path != request.path) continue;
      if (route.method == request.method) return route.handler(request);
      path_known = true;
    }
    return path_known ? errorResponse(405, "method not allowed") : errorResponse(404, "not found");
  }

  ServerOptions options;
  std::vector<Route> routes;
  std::unordered_set<Session*> sessions;  // so that stop() can close them
};

// One client connection: read a request, answer it, repeat while keep-alive holds.
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
    request.target = std::string(message.target());
    size_t question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) request.query = request.target.substr(question + 1);
    for (const auto& field : message) request.headers.emplace_back(field.name_string(), field.value());
    request.body = std::move(message.body());
    respond(state_.dispatch(request), message.keep_alive(), message.version());
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
};

}  // namespace

std::string_view Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equalsIgnoreCase(key, name)) return value;
  }
  return {};
}

Response errorResponse(int status, std::string_view message) {
  return Response{status, "application/json", fmt::format("{{\"error\":\"{}\"}}", jsonEscape(message))};
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
      std::make_shared<Session>(state, std::move(socket))->readRequest();
      acceptNext();
    });
  }

  // Declared before io: handlers destroyed with the io_context still reach `state`.
  State state;
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
  impl_->state.routes.push_back(Route{std::move(method), std::move(path), std::move(handler)});
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
  impl.thread = std::thread([&impl] { impl.io.run(); });
  impl.running = true;
  spdlog::info("http: listening address={} port={}", o.bind_address, impl.port);
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
    std::vector<Session*> open(impl.state.sessions.begin(), impl.state.sessions.end());
    for (Session* s : open) s->close();
    impl.io.stop();
  });
  impl.thread.join();
}

}  // namespace hearth::http

// One client connection of the HTTP server, plain or TLS: read a request, answer it, repeat
// while keep-alive holds; or hand the connection over to a WebSocket when the request asks for
// one on a WebSocket route.
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <optional>

#include "http/server_state.h"

namespace hearth::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

namespace {

template <class Stream>
class Session final : public Closable, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(State& state, Stream stream) : state_(state), stream_(std::move(stream)) { state_.open.insert(this); }
  ~Session() override { state_.open.erase(this); }

  void start() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      beast::get_lowest_layer(stream_).expires_after(state_.options.request_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](const beast::error_code& ec) {
        if (ec) return self->abort();
        self->readRequest();
      });
    } else {
      readRequest();
    }
  }

  void abort() override {
    auto keep = std::move(self_);  // this may be the last reference: released when abort() returns
    beast::error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
  }

 private:
  void readRequest() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(state_.options.max_header_size));
    parser_->body_limit(state_.options.max_body_size);
    // One deadline for the whole request, starting now: also bounds an idle keep-alive connection.
    beast::get_lowest_layer(stream_).expires_after(state_.options.request_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](const beast::error_code& ec, size_t) { self->onRead(ec); });
  }

  void onRead(const beast::error_code& ec) {
    if (ec == bhttp::error::body_limit) return respond(errorResponse(413, "request body too large"), false, 11);
    if (ec == bhttp::error::header_limit) return respond(errorResponse(431, "request headers too large"), false, 11);
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return abort();
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
      return respond(errorResponse(400, "bad request"), false, 11);
    }
    if (ec) return abort();  // timeout, reset, or the server stopping
    auto& message = parser_->get();
    Request request;
    request.method = std::string(message.method_string());
    beast::error_code peer_error;
    const auto peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(peer_error);
    if (!peer_error) request.remote_address = peer.address().to_string();
    request.target = std::string(message.target());
    size_t question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) request.query = request.target.substr(question + 1);
    for (const auto& field : message) request.headers.emplace_back(field.name_string(), field.value());
    request.body = std::move(message.body());
    if (websocket::is_upgrade(message)) {
      if (const WebSocketRoute* route = state_.webSocketRoute(request)) {
        beast::get_lowest_layer(stream_).expires_never();
        return startWebSocket(state_, std::move(stream_), std::move(message), std::move(request), *route);
      }
    }
    // The session keeps itself alive until the answer comes (no read or write is pending
    // meanwhile); the responder holds it weakly, so an answer after stop() finds nothing.
    self_ = this->shared_from_this();
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
    for (auto& [name, value] : response.headers) response_.set(name, std::move(value));
    response_.body() = std::move(response.body);
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(state_.options.request_timeout);
    bhttp::async_write(stream_, response_,
                       [self = this->shared_from_this(), keep_alive](const beast::error_code& ec, size_t) {
                         if (ec || !keep_alive) {
                           self->abort();
                           return;
                         }
                         self->readRequest();
                       });
  }

  State& state_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  std::shared_ptr<Session> self_;  // set while a handler has the request
};

}  // namespace

void startSession(State& state, tcp::socket socket, asio::ssl::context* tls) {
  if (tls != nullptr) {
    std::make_shared<Session<TlsStream>>(state, TlsStream(beast::tcp_stream(std::move(socket)), *tls))->start();
  } else {
    std::make_shared<Session<beast::tcp_stream>>(state, beast::tcp_stream(std::move(socket)))->start();
  }
}

}  // namespace hearth::http::detail

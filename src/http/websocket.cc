// WebSocket connections (RFC 6455, text messages) on the HTTP server's I/O thread.
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <deque>

#include "hearth/core/boundary.h"
#include "http/server_state.h"

namespace hearth::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

template <class Stream>
class WebSocketSession final : public WebSocket,
                               public Closable,
                               public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  WebSocketSession(State& state, Stream stream) : state_(state), ws_(std::move(stream)) { state_.open.insert(this); }
  ~WebSocketSession() override { state_.open.erase(this); }

  void start(Upgrade upgrade, Request request, const WebSocketRoute& route) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(beast::http::field::server, "hearth"); }));
    ws_.read_message_max(kMaxMessage);
    ws_.text(true);
    ws_.async_accept(upgrade, [self = this->shared_from_this(), request = std::move(request),
                               &route](const beast::error_code& ec) mutable {
      if (ec) return self->finish();
      if (!self->guarded(request.path, [&] { self->callbacks_ = route.accept(request, self); })) return;
      self->readNext();
    });
  }

  bool send(std::string text) override {
    if (closed_.load() || queued_.fetch_add(1) >= kMaxQueued) {
      if (!closed_.exchange(true)) post([self = this->shared_from_this()] { self->shut(); });
      return false;
    }
    return post([self = this->shared_from_this(), text = std::move(text)]() mutable {
      if (self->finished_) {
        self->queued_.fetch_sub(1);
        return;
      }
      self->outbox_.push_back(std::move(text));
      if (self->outbox_.size() == 1) self->writeNext();
    });
  }

  void close() override {
    if (!closed_.exchange(true)) post([self = this->shared_from_this()] { self->shut(); });
  }

  // The server stopping: no closing handshake; the callbacks hear of it at once.
  void abort() override {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
    finish();
  }

 private:
  static constexpr size_t kMaxMessage = 64 * 1024;
  static constexpr size_t kMaxQueued = 1024;

  // Runs `fn` on the I/O thread; false once the server has stopped.
  template <typename Fn>
  bool post(Fn fn) {
    std::lock_guard lock(state_.gate->mu);
    if (state_.gate->io == nullptr) return false;
    asio::post(*state_.gate->io, std::move(fn));
    return true;
  }

  void readNext() {
    ws_.async_read(in_, [self = this->shared_from_this()](const beast::error_code& ec, size_t) {
      if (ec) return self->finish();
      const std::string text = beast::buffers_to_string(self->in_.data());
      self->in_.consume(self->in_.size());
      if (self->callbacks_.on_message && !self->closed_) {
        if (!self->guarded("message", [&] { self->callbacks_.on_message(text); })) return;
      }
      self->readNext();
    });
  }

  void writeNext() {
    ws_.async_write(asio::buffer(outbox_.front()), [self = this->shared_from_this()](const beast::error_code& ec, size_t) {
      self->outbox_.pop_front();
      self->queued_.fetch_sub(1);
      if (ec) return self->finish();
      if (!self->outbox_.empty()) self->writeNext();
    });
  }

  // Runs a route's callback. A bug in it closes this one connection (1011, with the error id as
  // the reason) and returns false; the server and its other connections go on.
  template <typename Fn>
  bool guarded(std::string_view where, Fn&& fn) {
    auto id = core::guard(core::Boundary::kWebSocket, where, std::forward<Fn>(fn));
    if (!id) return true;
    closed_ = true;
    shut(websocket::close_reason(websocket::close_code::internal_error, "internal error " + *id));
    return false;
  }

  void shut(websocket::close_reason reason = websocket::close_code::normal) {
    if (!ws_.is_open()) return finish();
    ws_.async_close(reason, [self = this->shared_from_this()](const beast::error_code&) { self->finish(); });
  }

  // Once, whatever ended the connection.
  void finish() {
    closed_ = true;
    if (finished_) return;
    finished_ = true;
    if (callbacks_.on_close) (void)core::guard(core::Boundary::kWebSocket, "close", callbacks_.on_close);
    callbacks_ = {};  // they may hold this session: break the cycle
  }

  State& state_;
  websocket::stream<Stream> ws_;
  beast::flat_buffer in_;
  std::deque<std::string> outbox_;  // I/O thread only
  WebSocketCallbacks callbacks_;     // I/O thread only
  bool finished_ = false;            // I/O thread only
  std::atomic<bool> closed_{false};
  std::atomic<size_t> queued_{0};
};

void startWebSocket(State& state, beast::tcp_stream stream, Upgrade upgrade, Request request,
                    const WebSocketRoute& route) {
  std::make_shared<WebSocketSession<beast::tcp_stream>>(state, std::move(stream))
      ->start(std::move(upgrade), std::move(request), route);
}

void startWebSocket(State& state, TlsStream stream, Upgrade upgrade, Request request, const WebSocketRoute& route) {
  std::make_shared<WebSocketSession<TlsStream>>(state, std::move(stream))
      ->start(std::move(upgrade), std::move(request), route);
}

void closeAll(State& state) {
  std::vector<Closable*> open(state.open.begin(), state.open.end());
  for (Closable* c : open) c->abort();
}

}  // namespace hearth::http::detail

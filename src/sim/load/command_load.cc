#include "hearth/sim/command_load.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "hearth/core/json.h"

namespace hearth::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

constexpr auto kAnswerTimeout = std::chrono::seconds(10);

// Whether an answer says every item was done.
bool allDone(const http::response<http::string_body>& res) {
  if (res.result() != http::status::ok) return false;
  const auto v = core::parseJson(res.body());
  const json::value* member = !v || !v.value().is_object() ? nullptr : v.value().as_object().if_contains("result");
  const json::array* result = member == nullptr ? nullptr : member->if_array();
  if (result == nullptr || result->empty()) return false;
  for (const json::value& item : *result) {
    const json::value* code = item.is_object() ? item.as_object().if_contains("code") : nullptr;
    if (code == nullptr || !code->is_int64() || code->as_int64() != 0) return false;
  }
  return true;
}

// One keep-alive connection taking the next due command whenever it is free.
class Caller : public std::enable_shared_from_this<Caller> {
 public:
  struct Shared {
    const CommandLoadOptions& options;
    const CommandSource& source;
    int64_t start_ns, warm_end_ns, stop_ns, period_ns;
    uint64_t next = 0;  // index of the next command to send
    CommandStats stats;
  };

  Caller(asio::io_context& io, Shared& shared, asio::ip::tcp::endpoint server)
      : shared_(shared), stream_(io), timer_(io), server_(server) {}

  void start() {
    stream_.async_connect(server_, [self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec) {
        std::fprintf(stderr, "%s: HTTP connect failed: %s\n", self->shared_.options.log_prefix.c_str(),
                     ec.message().c_str());
        return;
      }
      self->next();
    });
  }

 private:
  void next() {
    const uint64_t index = shared_.next++;
    due_ns_ = shared_.start_ns + static_cast<int64_t>(index) * shared_.period_ns;
    if (due_ns_ >= shared_.stop_ns) {
      beast::error_code ec;
      stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
      return;
    }
    auto [did, body] = shared_.source(index);
    req_ = {http::verb::post, fmt::format("/api/v1/devices/{}/commands", did), 11};
    req_.set(http::field::host, shared_.options.host);
    req_.set(http::field::authorization, "Bearer " + shared_.options.token);
    req_.set(http::field::content_type, "application/json");
    req_.keep_alive(true);
    req_.body() = std::move(body);
    req_.prepare_payload();
    timer_.expires_at(asio::steady_timer::time_point(std::chrono::nanoseconds(due_ns_)));
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code&) { self->send(); });
  }

  void send() {
    measured_ = due_ns_ >= shared_.warm_end_ns;
    ++shared_.stats.sent;
    if (measured_) ++shared_.stats.sent_measured;
    stream_.expires_after(kAnswerTimeout);
    http::async_write(stream_, req_, [self = shared_from_this()](const beast::error_code& ec, size_t) {
      if (ec) return self->broken(ec);
      self->res_ = {};
      http::async_read(self->stream_, self->buffer_, self->res_,
                       [self](const beast::error_code& e, size_t) { e ? self->broken(e) : self->answered(); });
    });
  }

  void answered() {
    const int64_t now = steadyNowNs();
    if (allDone(res_)) {
      ++shared_.stats.answered;
      if (measured_) {
        ++shared_.stats.answered_measured;
        shared_.stats.latency.record(static_cast<uint64_t>(std::max<int64_t>(0, now - due_ns_)));
      }
    } else {
      ++shared_.stats.failed;
      if (shared_.stats.failed <= 3) {
        std::fprintf(stderr, "%s: command failed: %d %s\n", shared_.options.log_prefix.c_str(), res_.result_int(),
                     res_.body().c_str());
      }
    }
    next();
  }

  void broken(const beast::error_code& ec) {
    ++shared_.stats.failed;
    std::fprintf(stderr, "%s: HTTP connection lost: %s\n", shared_.options.log_prefix.c_str(), ec.message().c_str());
  }

  Shared& shared_;
  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  asio::ip::tcp::endpoint server_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  int64_t due_ns_ = 0;
  bool measured_ = false;
};

}  // namespace

CommandStats runCommandLoad(const CommandLoadOptions& options, const CommandSource& source, int64_t start_ns,
                            int64_t warm_end_ns, int64_t stop_ns) {
  if (options.rate <= 0) return {};
  asio::io_context io;
  Caller::Shared shared{options, source, start_ns, warm_end_ns, stop_ns, static_cast<int64_t>(1e9 / options.rate), 0, {}};
  const asio::ip::tcp::endpoint server(asio::ip::make_address(options.host), options.http_port);
  for (uint32_t i = 0; i < options.connections; ++i) std::make_shared<Caller>(io, shared, server)->start();
  io.run();
  return std::move(shared.stats);
}

}  // namespace hearth::sim

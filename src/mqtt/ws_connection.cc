#include "mqtt/ws_connection.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "mqtt/event_loop.h"
#include "mqtt/metrics.h"

namespace hearth::mqtt {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

namespace {

// MQTT-6.0.0-4: the server selects "mqtt" (or "mqttv3.1" for older clients) from the offer.
std::string_view chooseSubprotocol(std::string_view offered) {
  bool v31 = false;
  while (!offered.empty()) {
    size_t comma = offered.find(',');
    std::string_view token = offered.substr(0, comma);
    offered = comma == std::string_view::npos ? std::string_view() : offered.substr(comma + 1);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (token == "mqtt") return "mqtt";
    if (token == "mqttv3.1") v31 = true;
  }
  return v31 ? "mqttv3.1" : "";
}

}  // namespace

struct WsConnection::Upgrade {
  beast::flat_buffer buffer{kMaxUpgradeRequest};
  http::request_parser<http::empty_body> parser;
};

WsConnection::WsConnection(BrokerCore& core, EventLoop& loop, asio::ip::tcp::socket socket)
    : Connection(core, loop), ws_(std::move(socket)) {
  boost::system::error_code ec;
  ws_.next_layer().set_option(asio::ip::tcp::no_delay(true), ec);
}

WsConnection::~WsConnection() = default;

void WsConnection::transportRead() {
  if (read_pending_ || close_requested_ || closed_) return;
  if (!upgraded_) {
    if (!upgrade_started_) readUpgradeRequest();
    return;
  }
  read_pending_ = true;
  ws_.async_read_some(asio::buffer(read_buffer_.get(), kReadBufferSize),
                      [self = shared_from_this(), this](const boost::system::error_code& ec, size_t n) {
                        read_pending_ = false;
                        // Also the peer's close frame answering ours while closing.
                        if (ec) {
                          finishClose();
                          return;
                        }
                        if (close_requested_ || closed_) return;
                        if (ws_.got_text()) {
                          // MQTT-6.0.0-1: any data frame but binary closes the connection.
                          Metrics::add(Counter::kProtocolErrors);
                          spdlog::info("mqtt: WebSocket text frame, closing");
                          close_code_ = websocket::close_code::unknown_data;
                          close_requested_ = true;
                          armCloseTimer();
                          if (!write_pending_) startClose();
                          return;
                        }
                        onBytes(std::string_view(read_buffer_.get(), n));
                        if (wantsInput()) transportRead();
                      });
}

void WsConnection::readUpgradeRequest() {
  upgrade_started_ = true;
  upgrade_ = std::make_unique<Upgrade>();
  upgrade_->parser.header_limit(kMaxUpgradeRequest);
  read_pending_ = true;
  http::async_read(ws_.next_layer(), upgrade_->buffer, upgrade_->parser,
                   [self = shared_from_this(), this](const boost::system::error_code& ec, size_t) {
                     read_pending_ = false;
                     onUpgradeRequest(ec);
                   });
}

void WsConnection::onUpgradeRequest(const boost::system::error_code& ec) {
  if (closed_) return;
  if (ec) {
    // A request that could not be parsed gets a 400; a peer that went away just goes.
    if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      refuseUpgrade(400, "bad request");
    } else {
      finishClose();
    }
    return;
  }
  const auto& request = upgrade_->parser.get();
  std::string_view target = request.target();
  if (target.substr(0, target.find('?')) != kPath) {
    refuseUpgrade(404, "not found");
    return;
  }
  if (!websocket::is_upgrade(request)) {
    refuseUpgrade(426, "expected a WebSocket upgrade");
    return;
  }
  // A client offering no subprotocol at all is let in; one offering only others is not.
  std::string_view offered = request[http::field::sec_websocket_protocol];
  std::string subprotocol(chooseSubprotocol(offered));
  if (!offered.empty() && subprotocol.empty()) {
    refuseUpgrade(400, "the WebSocket subprotocol must be mqtt");
    return;
  }
  ws_.set_option(websocket::stream_base::decorator([subprotocol](websocket::response_type& response) {
    response.set(http::field::server, "hearth");
    if (!subprotocol.empty()) response.set(http::field::sec_websocket_protocol, subprotocol);
  }));
  // Frames stream into onBytes(), whose packet size limit bounds memory; a message may be long.
  ws_.read_message_max(0);
  ws_.auto_fragment(false);
  ws_.binary(true);
  read_pending_ = true;
  ws_.async_accept(request, [self = shared_from_this(), this](const boost::system::error_code& e) {
    read_pending_ = false;
    upgrade_.reset();
    if (closed_) return;
    if (e) {
      spdlog::debug("mqtt: WebSocket upgrade failed: {}", e.message());
      finishClose();
      return;
    }
    upgraded_ = true;
    read_buffer_ = std::make_unique_for_overwrite<char[]>(kReadBufferSize);
    transportRead();
  });
}

void WsConnection::refuseUpgrade(unsigned status, std::string_view why) {
  spdlog::debug("mqtt: WebSocket upgrade refused status={} ({})", status, why);
  close_requested_ = true;
  armCloseTimer();
  auto response = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
  response->set(http::field::server, "hearth");
  response->set(http::field::content_type, "text/plain");
  response->keep_alive(false);
  response->body() = std::string(why) + "\n";
  response->prepare_payload();
  write_pending_ = true;
  http::async_write(ws_.next_layer(), *response,
                    [self = shared_from_this(), this, response](const boost::system::error_code&, size_t) {
                      write_pending_ = false;
                      finishClose();
                    });
}

void WsConnection::transportFlush() {
  // Once closing, only the write in progress continues: its handler sends the rest of the output.
  if (close_requested_ || !upgraded_) return;
  startWrite();
}

void WsConnection::startWrite() {
  if (closed_ || !beginWrite()) return;
  ws_.async_write(asio::buffer(writing()),
                  [self = shared_from_this(), this](const boost::system::error_code& ec, size_t) {
                    write_pending_ = false;
                    if (ec) {
                      finishClose();
                      return;
                    }
                    switch (writeCompleted()) {
                      case AfterWrite::kWriteMore: startWrite(); break;
                      case AfterWrite::kFinishClose: startClose(); break;
                      case AfterWrite::kNothing: break;
                    }
                  });
}

void WsConnection::transportClose() {
  if (closed_) return;
  // Before the upgrade there is no WebSocket to close politely, and a peer this slow is dropped.
  if (!upgraded_) {
    finishClose();
    return;
  }
  if (close_requested_) return;
  close_requested_ = true;
  armCloseTimer();
  if (!write_pending_) startClose();
}

void WsConnection::armCloseTimer() {
  close_timer_ = std::make_unique<asio::steady_timer>(ws_.get_executor(), kCloseTimeout);
  close_timer_->async_wait([self = shared_from_this(), this](const boost::system::error_code& ec) {
    if (!ec) finishClose();
  });
}

void WsConnection::startClose() {
  if (closed_) return;
  ws_.async_close(websocket::close_reason(close_code_),
                  [self = shared_from_this(), this](const boost::system::error_code&) { finishClose(); });
}

void WsConnection::finishClose() {
  if (closed_) return;
  closed_ = true;
  if (close_timer_) close_timer_->cancel();
  boost::system::error_code ec;
  ws_.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  ws_.next_layer().close(ec);
  onTransportClosed();
}

}  // namespace hearth::mqtt

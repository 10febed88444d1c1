#include "mqtt/listener.h"

#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "mqtt/broker_core.h"

namespace hearth::mqtt {

namespace asio = boost::asio;

Listener::Listener(BrokerCore& core, std::string name, OnAccept on_accept)
    : core_(core),
      name_(std::move(name)),
      on_accept_(std::move(on_accept)),
      acceptor_(core.loops.front()->io()),
      retry_timer_(core.loops.front()->io()) {}

core::Status Listener::listen(const std::string& address, uint16_t port) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address, ec);
  if (ec) return core::Status::invalidArgument(fmt::format("{}: bad bind address '{}'", name_, address));
  asio::ip::tcp::endpoint endpoint(ip, port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::Status::unavailable(fmt::format("{}: cannot listen on {}:{}: {}", name_, address, port, ec.message()));
  }
  address_ = address;
  port_ = acceptor_.local_endpoint().port();
  return core::Status::ok();
}

void Listener::start() { acceptNext(); }

void Listener::stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_timer_.cancel();
}

void Listener::acceptNext() {
  EventLoop& target = *core_.loops[next_loop_++ % core_.loops.size()];
  acceptor_.async_accept(target.io(), [this, &target](const boost::system::error_code& ec,
                                                       asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      // Out of file descriptors (or similar): back off instead of spinning on the error.
      spdlog::warn("mqtt: accept failed on {}: {}", name_, ec.message());
      retry_timer_.expires_after(std::chrono::milliseconds(100));
      retry_timer_.async_wait([this](const boost::system::error_code& e) {
        if (!e) acceptNext();
      });
      return;
    }
    asio::post(target.io(), [this, &target, s = std::move(socket)]() mutable {
      on_accept_(target, std::move(s));
    });
    acceptNext();
  });
}

}  // namespace hearth::mqtt

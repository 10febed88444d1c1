// A TCP acceptor that spreads accepted connections over the event loops, round robin.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <string>

#include "hearth/core/status.h"

namespace hearth::mqtt {

class BrokerCore;
class EventLoop;

class Listener {
 public:
  // Called on `loop` (the one the socket was accepted into) for each new connection.
  using OnAccept = std::function<void(EventLoop& loop, boost::asio::ip::tcp::socket socket)>;

  Listener(BrokerCore& core, std::string name, OnAccept on_accept);

  // Binds and listens (port 0 picks a free port). Call before the loops run.
  core::Status listen(const std::string& address, uint16_t port);
  void start();
  void stop();
  uint16_t port() const { return port_; }
  const std::string& name() const { return name_; }
  const std::string& address() const { return address_; }

 private:
  void acceptNext();

  BrokerCore& core_;
  std::string name_;
  std::string address_;
  OnAccept on_accept_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  size_t next_loop_ = 0;
  uint16_t port_ = 0;
};

}  // namespace hearth::mqtt

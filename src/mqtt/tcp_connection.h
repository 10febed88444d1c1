// The TCP transport of a Connection.
//
// Reads are readiness-based: the socket waits for data without a buffer of its own, then reads
// into the loop's shared scratch buffer. An idle connection therefore holds no read buffer, which
// is what keeps memory per connection small. Writes send out_ with one async_write at a time;
// output produced meanwhile is coalesced into the next write.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>

#include "mqtt/connection.h"

namespace hearth::mqtt {

class TcpConnection final : public Connection {
 public:
  TcpConnection(BrokerCore& core, EventLoop& loop, boost::asio::ip::tcp::socket socket,
                std::string remote_address);

 protected:
  void transportFlush() override;
  void transportClose() override;
  void transportRead() override;

 private:
  void readAvailable();
  void finishClose();

  static constexpr std::chrono::seconds kCloseTimeout{2};

  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<boost::asio::steady_timer> close_timer_;  // only while closing
  bool read_pending_ = false;
  bool closed_ = false;
};

}  // namespace hearth::mqtt

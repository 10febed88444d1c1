#include "mqtt/tcp_connection.h"

#include <boost/asio/write.hpp>

#include "mqtt/event_loop.h"

namespace hearth::mqtt {

namespace asio = boost::asio;

TcpConnection::TcpConnection(BrokerCore& core, EventLoop& loop, asio::ip::tcp::socket socket,
                             std::string remote_address)
    : Connection(core, loop, std::move(remote_address), false), socket_(std::move(socket)) {
  boost::system::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  socket_.non_blocking(true, ec);
}

void TcpConnection::transportRead() {
  if (read_pending_ || closed_ || close_requested_) return;
  read_pending_ = true;
  socket_.async_wait(asio::socket_base::wait_read,
                     [self = shared_from_this(), this](const boost::system::error_code& ec) {
                       read_pending_ = false;
                       if (ec) {
                         finishClose();
                         return;
                       }
                       readAvailable();
                     });
}

void TcpConnection::readAvailable() {
  std::string& scratch = loop_.scratch();
  // Bounded per wake-up so one busy client cannot starve the rest of the loop.
  for (int round = 0; round < 4 && !closed_ && !close_requested_; ++round) {
    boost::system::error_code ec;
    size_t n = socket_.read_some(asio::buffer(scratch.data(), scratch.size()), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) break;
    if (ec) {
      finishClose();
      return;
    }
    onBytes(std::string_view(scratch.data(), n));
    if (n < scratch.size() || !wantsInput()) break;
  }
  if (wantsInput()) transportRead();
}

void TcpConnection::transportFlush() {
  if (write_pending_ || out_.empty() || closed_) return;
  write_pending_ = true;
  writing_.swap(out_);
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this(), this](const boost::system::error_code& ec, size_t) {
                      write_pending_ = false;
                      if (ec) {
                        finishClose();
                        return;
                      }
                      switch (writeCompleted()) {
                        case AfterWrite::kWriteMore: transportFlush(); break;
                        case AfterWrite::kFinishClose: finishClose(); break;
                        case AfterWrite::kNothing: break;
                      }
                    });
}

void TcpConnection::transportClose() {
  close_requested_ = true;
  if (!write_pending_) {
    finishClose();
    return;
  }
  // The last write (e.g. a DISCONNECT) gets a little time; a peer that does not read does not
  // keep the connection open.
  close_timer_ = std::make_unique<asio::steady_timer>(socket_.get_executor(), kCloseTimeout);
  close_timer_->async_wait([self = shared_from_this(), this](const boost::system::error_code& ec) {
    if (!ec) finishClose();
  });
}

void TcpConnection::finishClose() {
  if (closed_) return;
  closed_ = true;
  if (close_timer_) close_timer_->cancel();
  boost::system::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  onTransportClosed();
}

}  // namespace hearth::mqtt

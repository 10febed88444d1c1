#include "mqtt/tcp_connection.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <cerrno>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mqtt/event_loop.h"

namespace hearth::mqtt {

namespace asio = boost::asio;

TcpConnection::TcpConnection(BrokerCore& core, EventLoop& loop, asio::ip::tcp::socket socket)
    : Connection(core, loop) {
  boost::system::error_code ec;
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  socket.non_blocking(true, ec);
  fd_ = socket.release(ec);
  if (ec) fd_ = -1;
}

TcpConnection::~TcpConnection() { closeSocket(); }

void TcpConnection::transportOpen() {
  if (fd_ < 0) {
    finishClose();
    return;
  }
  auto added = loop_.poller().add(fd_, this);
  if (!added) {
    spdlog::warn("mqtt: cannot watch connection: {}", added.message());
    finishClose();
    return;
  }
  self_ = shared_from_this();
}

void TcpConnection::onPollEvents(uint32_t events) {
  // An error or hang-up shows as the failure of the next read or write.
  if (events & (EPOLLERR | EPOLLHUP)) events |= EPOLLIN | EPOLLOUT;
  if (events & EPOLLRDHUP) {
    peer_closed_ = true;
    events |= EPOLLIN;
  }
  if ((events & EPOLLOUT) && write_blocked_) writeSome();
  if ((events & EPOLLIN) && draining_) {
    drainInput();
  } else if ((events & EPOLLIN) && !closed_) {
    readable_ = true;
    readAvailable();
  }
}

void TcpConnection::transportRead() {
  // Input is reported once, when it arrives: after a pause, look again from the loop.
  if (!readable_ || read_posted_ || closed_ || close_requested_) return;
  read_posted_ = true;
  asio::post(loop_.io(), [self = shared_from_this(), this] {
    read_posted_ = false;
    readAvailable();
  });
}

void TcpConnection::readAvailable() {
  std::string& scratch = loop_.scratch();
  for (int round = 0; round < kReadRounds; ++round) {
    if (closed_ || close_requested_ || !wantsInput()) return;  // resumed by transportRead()
    ssize_t n = ::recv(fd_, scratch.data(), scratch.size(), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      readable_ = false;
      return;
    }
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      finishClose();
      return;
    }
    onBytes(std::string_view(scratch.data(), static_cast<size_t>(n)));
    // A short read emptied the socket; what arrives later is reported again. Not the end of the
    // stream if it came with the last bytes: then read on to it.
    if (static_cast<size_t>(n) < scratch.size() && !peer_closed_) {
      readable_ = false;
      return;
    }
  }
  transportRead();  // more may be waiting: continue after the loop's other work
}

void TcpConnection::transportFlush() {
  if (closed_ || !beginWrite()) return;
  written_ = 0;
  writeSome();
}

void TcpConnection::writeSome() {
  const std::string& data = writing();
  while (written_ < data.size()) {
    ssize_t n = ::send(fd_, data.data() + written_, data.size() - written_, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        write_blocked_ = true;
        return;
      }
      finishClose();
      return;
    }
    written_ += static_cast<uint32_t>(n);
  }
  write_blocked_ = false;
  // Completed from the loop, as an asio write would: output produced until then goes out in the
  // next write instead of one send() per packet.
  asio::post(loop_.io(), [self = shared_from_this(), this] {
    if (closed_) return;
    switch (writeCompleted()) {
      case AfterWrite::kWriteMore: transportFlush(); break;
      case AfterWrite::kFinishClose: startDrain(); break;
      case AfterWrite::kNothing: break;
    }
  });
}

void TcpConnection::transportClose() {
  if (close_requested_ || closed_) return;
  close_requested_ = true;
  // The last write (e.g. a DISCONNECT) and the drain get a little time; a peer that does not
  // read, or never stops sending, does not keep the connection open.
  close_timer_ = std::make_unique<asio::steady_timer>(loop_.io(), kCloseTimeout);
  close_timer_->async_wait([self = shared_from_this(), this](const boost::system::error_code& ec) {
    if (!ec) finishClose();
  });
  if (!write_pending_) startDrain();
}

void TcpConnection::startDrain() {
  if (draining_ || closed_) return;
  draining_ = true;
  if (::shutdown(fd_, SHUT_WR) != 0) {
    finishClose();
    return;
  }
  // Input may be waiting already (readiness is reported once, when it arrives), so look now;
  // from the loop, since drainInput() reads into the scratch buffer the caller may be parsing.
  asio::post(loop_.io(), [self = shared_from_this(), this] {
    if (!closed_) drainInput();
  });
}

void TcpConnection::drainInput() {
  std::string& scratch = loop_.scratch();
  while (!closed_) {
    ssize_t n = ::recv(fd_, scratch.data(), scratch.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // the poller reports more
    if (n <= 0) break;  // the peer's FIN (or an error): done
    drained_ += static_cast<size_t>(n);
    if (drained_ >= kDrainLimit) break;
  }
  finishClose();
}

void TcpConnection::finishClose() {
  if (closed_) return;
  closed_ = true;
  if (close_timer_) close_timer_->cancel();
  closeSocket();
  onTransportClosed();
  // Not released here: the caller is still running on this object.
  if (self_) asio::post(loop_.io(), [self = std::move(self_)] {});
}

void TcpConnection::closeSocket() {
  if (fd_ < 0) return;
  if (self_) loop_.poller().remove(fd_, this);
  ::shutdown(fd_, SHUT_RDWR);
  ::close(fd_);
  fd_ = -1;
}

void TcpConnection::abandon() {
  closeSocket();
  self_.reset();  // may destroy this connection
}

}  // namespace hearth::mqtt

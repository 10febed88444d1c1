// The TCP transport of a Connection, on the loop's Poller rather than an asio socket.
//
// Reads are readiness-based: the socket has no buffer of its own; when the poller reports input,
// it is read into the loop's shared scratch buffer. Writes send the output directly with non-blocking
// send(); when the kernel buffer is full the rest waits for the poller's output readiness, and
// output produced meanwhile is coalesced into the next write. An idle connection therefore holds
// no buffer, no pending operation and no asio state: that is what keeps memory per connection
// below mosquitto's (docs/performance.md).
//
// Lifetime: from open() until the socket is closed, the connection owns itself (self_); the last
// reference goes once the loop's current turn has finished with it.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>

#include "mqtt/connection.h"
#include "mqtt/poller.h"

namespace hearth::mqtt {

class TcpConnection final : public Connection, private PollTarget {
 public:
  // Takes the socket's descriptor out of asio.
  TcpConnection(BrokerCore& core, EventLoop& loop, boost::asio::ip::tcp::socket socket);
  ~TcpConnection() override;

  void abandon() override;

 protected:
  void transportOpen() override;
  void transportFlush() override;
  void transportClose() override;
  void transportRead() override;
  std::string remoteAddress() override { return peerAddress(fd_); }

 private:
  void onPollEvents(uint32_t events) override;
  void readAvailable();
  // Sends writing() from written_ on until done or the kernel buffer is full.
  void writeSome();
  // The output is written: sends FIN and reads what the peer still sends until it closes too.
  // Closing a socket with unread input makes the kernel send a reset instead of FIN, and a peer
  // that is still sending then loses what we wrote last (the DISCONNECT saying why) with it.
  void startDrain();
  // Reads and discards input; closes at the peer's end of stream or after kDrainLimit bytes.
  void drainInput();
  void finishClose();
  void closeSocket();

  // Bounds writing the last output and draining the peer's input together.
  static constexpr std::chrono::seconds kCloseTimeout{2};
  static constexpr size_t kDrainLimit = 1 << 20;
  // Scratch-buffer fills per wake-up, so one busy client cannot starve the rest of the loop.
  static constexpr int kReadRounds = 4;

  std::shared_ptr<Connection> self_;
  std::unique_ptr<boost::asio::steady_timer> close_timer_;  // only while closing
  int fd_;
  uint32_t written_ = 0;         // bytes of writing() already sent
  bool readable_ = false;        // input may be waiting (edge seen, EAGAIN not yet)
  bool peer_closed_ = false;     // the peer has sent FIN (EPOLLRDHUP): read on to the end
  bool read_posted_ = false;     // a readAvailable() is queued on the loop
  bool write_blocked_ = false;   // waiting for output readiness
  bool draining_ = false;        // our FIN is sent; discarding input until the peer's
  size_t drained_ = 0;           // bytes discarded so far
  bool closed_ = false;
};

}  // namespace hearth::mqtt

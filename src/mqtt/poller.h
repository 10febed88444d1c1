// Readiness notification for the raw TCP sockets of one event loop: an edge-triggered epoll set
// whose own descriptor the loop's io_context watches.
//
// Why not asio sockets: asio keeps a descriptor_state (~170 B) for every socket and allocates an
// operation (~170 B) for every wait, so an idle asio connection costs ~350 B before the broker
// stores anything of its own, half of what mosquitto needs for a whole connection. Here a socket
// costs its epoll item in the kernel and nothing in the broker's heap. Transports built on asio
// streams (WebSocket through Beast, TLS) keep their asio sockets.
//
// Thread-safety: loop thread only, like everything else on a loop.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <array>
#include <cstdint>

#include <sys/epoll.h>

#include "hearth/core/status.h"

namespace hearth::mqtt {

class PollTarget {
 public:
  // `events` is a mask of EPOLLIN, EPOLLOUT, EPOLLERR and EPOLLHUP. Notification is edge-triggered:
  // readiness is reported when it appears, not again while it lasts, so a target remembers it
  // (see TcpConnection).
  virtual void onPollEvents(uint32_t events) = 0;

 protected:
  ~PollTarget() = default;
};

class Poller {
 public:
  // Creates the epoll set. Throws std::system_error if the kernel refuses (start-up only).
  explicit Poller(boost::asio::io_context& io);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // Watches `fd` for input, output and hang-up. `target` is not owned; it is called on the loop
  // thread until remove(fd), and never after remove() returns, even for events already fetched.
  core::Status add(int fd, PollTarget* target);
  void remove(int fd, PollTarget* target);

 private:
  void arm();
  void drain();

  static constexpr int kBatch = 256;

  boost::asio::posix::stream_descriptor epoll_;
  std::array<epoll_event, kBatch> batch_{};
  int batch_size_ = 0;  // events of batch_ still being delivered, for remove()
};

}  // namespace hearth::mqtt

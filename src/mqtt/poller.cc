#include "mqtt/poller.h"

#include <cerrno>
#include <cstring>
#include <system_error>

#include <unistd.h>

namespace hearth::mqtt {

namespace {

int createEpoll() {
  int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  return fd;
}

}  // namespace

Poller::Poller(boost::asio::io_context& io) : epoll_(io, createEpoll()) { arm(); }

Poller::~Poller() = default;

core::Status Poller::add(int fd, PollTarget* target) {
  epoll_event ev{};
  // EPOLLRDHUP: a peer's FIN that arrives with its last bytes shares their edge; a reader that
  // stops at a short read learns of it only from this flag.
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.ptr = target;
  if (::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_ADD, fd, &ev) != 0) {
    return core::Status::ioError(std::string("epoll_ctl add: ") + std::strerror(errno));
  }
  return core::Status::ok();
}

void Poller::remove(int fd, PollTarget* target) {
  ::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_DEL, fd, nullptr);
  // Events of the batch being delivered may still name the target; they must not reach it.
  for (int i = 0; i < batch_size_; ++i) {
    if (batch_[i].data.ptr == target) batch_[i].data.ptr = nullptr;
  }
}

void Poller::arm() {
  epoll_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](const boost::system::error_code& ec) {
    if (ec) return;
    drain();
    arm();
  });
}

void Poller::drain() {
  // Until a batch comes back short: the loop's io_context watches the epoll descriptor edge-
  // triggered too, so readiness left in the set would not be reported again. The wait is re-armed
  // before this turn ends, so anything that arrives after the last epoll_wait wakes it.
  int n = 0;
  do {
    n = ::epoll_wait(epoll_.native_handle(), batch_.data(), kBatch, 0);
    if (n < 0) return;  // EINTR cannot happen with a zero timeout; nothing else is transient
    batch_size_ = n;
    for (int i = 0; i < n; ++i) {
      if (auto* target = static_cast<PollTarget*>(batch_[i].data.ptr)) target->onPollEvents(batch_[i].events);
    }
    batch_size_ = 0;
  } while (n == kBatch);
}

}  // namespace hearth::mqtt

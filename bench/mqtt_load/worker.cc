#include "worker.h"

#include "client.h"

namespace hearth::bench {

namespace {
constexpr size_t kScratchSize = 64 * 1024;
}  // namespace

Worker::Worker(uint32_t index, uint32_t connect_window)
    : index_(index), connect_window_(connect_window == 0 ? 1 : connect_window), scratch_(kScratchSize) {}

void Worker::start() {
  guard_.emplace(io_.get_executor());
  thread_ = std::thread([this] { io_.run(); });
}

void Worker::stop() {
  guard_.reset();
  // Clients are closed by now; whatever is still queued (timer cancellations) need not run.
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void Worker::startConnecting() {
  while (connecting_ < connect_window_ && next_pending_ < pending_.size()) {
    ++connecting_;
    pending_[next_pending_++]->start(/*paced=*/true);
  }
}

void Worker::connectDone() {
  if (connecting_ > 0) --connecting_;
  // Deferred: this runs inside a client's callback, and starting more connections there would
  // recurse through start() -> lost() -> connectDone() when many attempts fail at once.
  boost::asio::post(io_, [this] { startConnecting(); });
}

}  // namespace hearth::bench

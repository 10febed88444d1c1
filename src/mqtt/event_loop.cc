#include "mqtt/event_loop.h"

#include <boost/asio/post.hpp>

#include "hearth/core/boundary.h"
#include "mqtt/connection.h"
#include "mqtt/session.h"

namespace hearth::mqtt {

EventLoop::EventLoop(size_t index) : index_(index) {}

EventLoop::~EventLoop() { stop(); }

void EventLoop::start() {
  armTick();
  thread_ = std::thread([this] {
    Metrics::setThreadBlock(&metrics_);
    auto guard = boost::asio::make_work_guard(io_);
    // Packets have a boundary of their own (Connection::guarded); this one is for the rest (a
    // timer's or a write completion's bug): that one handler's work ends, the loop goes on.
    core::keepRunning(core::Boundary::kMqtt, "event loop", [this] { io_.run(); });
  });
}

void EventLoop::stop() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
  std::vector<Connection*> left(connections_.begin(), connections_.end());
  connections_.clear();
  for (Connection* c : left) c->abandon();
}

void EventLoop::armTick() {
  tick_timer_.expires_after(std::chrono::seconds(1));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    if (tick_) tick_();
    armTick();
  });
}

void EventLoop::scheduleFlush(std::shared_ptr<Session> session) {
  bool wake = false;
  {
    std::lock_guard lock(flush_mu_);
    wake = flush_pending_.empty();
    flush_pending_.push_back(std::move(session));
  }
  if (wake) boost::asio::post(io_, [this] { drainFlushes(); });
}

void EventLoop::drainFlushes() {
  {
    std::lock_guard lock(flush_mu_);
    flush_draining_.swap(flush_pending_);
  }
  for (auto& session : flush_draining_) {
    std::unique_lock lock(session->mu);
    session->flush_scheduled = false;
    // The session may have moved to another loop or lost its connection since it was scheduled.
    if (session->connection == nullptr || session->loop != this) continue;
    Connection* c = session->connection;
    c->sendQueued(lock);
  }
  flush_draining_.clear();
}

}  // namespace hearth::mqtt

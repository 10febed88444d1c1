// One I/O thread with its own io_context. Every connection lives on one loop for its whole life,
// so connection state needs no lock.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mqtt/metrics.h"
#include "mqtt/poller.h"

namespace hearth::mqtt {

class Connection;
class Session;

class EventLoop {
 public:
  explicit EventLoop(size_t index);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  size_t index() const { return index_; }
  boost::asio::io_context& io() { return io_; }
  Poller& poller() { return poller_; }
  Metrics::Block& metrics() { return metrics_; }
  // Loop thread only: the buffer every connection on this loop reads into.
  std::string& scratch() { return scratch_; }

  void start();
  // Stops the io_context and joins the thread; connections still open are abandoned.
  void stop();

  // Any thread. Asks this loop to send what `session` has queued. Requests are batched: however
  // many arrive, the loop is woken once and drains them all in one turn.
  void scheduleFlush(std::shared_ptr<Session> session);

  // Loop thread only: the connections living here, visited by the periodic tick.
  void addConnection(Connection* c) { connections_.insert(c); }
  void removeConnection(Connection* c) { connections_.erase(c); }
  const boost::unordered_flat_set<Connection*>& connections() const { return connections_; }

  // Called on the loop thread about once a second (keep-alive and connect timeouts).
  void setTick(std::function<void()> tick) { tick_ = std::move(tick); }

 private:
  void drainFlushes();
  void armTick();

  const size_t index_;
  boost::asio::io_context io_{1};
  Poller poller_{io_};
  std::thread thread_;
  boost::asio::steady_timer tick_timer_{io_};
  std::function<void()> tick_;
  Metrics::Block metrics_;
  std::string scratch_ = std::string(64 * 1024, '\0');
  // Open addressing: a pointer and a byte per connection, not a hash node.
  boost::unordered_flat_set<Connection*> connections_;
  std::mutex flush_mu_;
  std::vector<std::shared_ptr<Session>> flush_pending_;
  std::vector<std::shared_ptr<Session>> flush_draining_;
};

}  // namespace hearth::mqtt

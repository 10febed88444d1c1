// One load-generator thread: an io_context run by one thread, the clients assigned to it, their
// statistics, and the pacing of new connections.
//
// Everything in a Worker is touched only by its own thread, except the LiveCounters, which the
// main thread polls while the run drains.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "hearth/sim/command_load.h"
#include "hearth/sim/latency_histogram.h"

namespace hearth::bench {

class MqttClient;

// Written by one thread, read by others: a plain load/store pair is enough, and cheaper than an
// atomic read-modify-write on the hot path. Padded so workers do not share a cache line.
struct alignas(64) LiveCounter {
  std::atomic<uint64_t> value{0};
  void add(uint64_t n = 1) { value.store(value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  uint64_t get() const { return value.load(std::memory_order_relaxed); }
};

struct WorkerStats {
  uint64_t sent = 0;                // PUBLISH packets written
  LiveCounter sent_measured;        // ... of which sent inside the measured window
  uint64_t received = 0;            // deliveries received
  uint64_t received_in_window = 0;  // ... received inside the measured window
  LiveCounter received_measured;    // deliveries of messages sent inside the window, any time
  uint64_t puback_errors = 0;       // PUBACK with a failure reason code (MQTT 5.0)
  uint64_t window_resets = 0;       // windows unblocked after messages were presumed lost
  uint64_t disconnects = 0;         // connections the broker closed while we wanted them
  uint64_t connect_failures = 0;
  uint64_t connects = 0;            // connect-rate: CONNACKs received inside the window
  sim::LatencyHistogram latency;         // ns: publish-to-delivery, or connect-to-CONNACK
};

class Worker {
 public:
  explicit Worker(uint32_t index, uint32_t connect_window);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  uint32_t index() const { return index_; }
  boost::asio::io_context& io() { return io_; }
  // Read buffer shared by this worker's clients: they read synchronously after readiness, so
  // one buffer serves thousands of idle connections.
  std::span<char> scratch() { return {scratch_.data(), scratch_.size()}; }

  void start();  // runs the io_context on a new thread
  void stop();   // lets run() return once queued handlers are done, and joins
  // Runs `fn` on the worker thread and waits for it.
  template <class F>
  void runSync(F&& fn);

  // Connection pacing, so that thousands of SYNs do not overflow the listen backlog at once.
  void queueConnect(MqttClient* client) { pending_.push_back(client); }
  void startConnecting();  // on the worker thread
  void connectDone();      // a paced client got CONNACK or failed

  WorkerStats stats;

 private:
  const uint32_t index_;
  const uint32_t connect_window_;
  boost::asio::io_context io_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::vector<char> scratch_;
  std::thread thread_;
  std::vector<MqttClient*> pending_;
  size_t next_pending_ = 0;
  uint32_t connecting_ = 0;
};

}  // namespace hearth::bench

#include <boost/asio/post.hpp>

#include <future>

template <class F>
void hearth::bench::Worker::runSync(F&& fn) {
  std::promise<void> done;
  boost::asio::post(io_, [&] {
    fn();
    done.set_value();
  });
  done.get_future().wait();
}

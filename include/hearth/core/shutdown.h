// Clean shutdown on SIGTERM and SIGINT.
//
// Construct a ShutdownSignal in main() before starting any thread: it blocks both signals for the
// process (threads inherit the mask) and waits for them on a thread of its own with sigwait, so no
// code runs in signal context.
#pragma once

#include <chrono>
#include <csignal>

namespace hearth::core {

class ShutdownSignal {
 public:
  ShutdownSignal();
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

  // Blocks the calling thread until SIGTERM or SIGINT.
  int wait();
  // Like wait(), for at most `timeout`: 0 when no signal came.
  int waitFor(std::chrono::milliseconds timeout);

 private:
  sigset_t set_;
};

}  // namespace hearth::core

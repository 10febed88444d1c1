#include "hearth/core/shutdown.h"

#include <pthread.h>

namespace hearth::core {

ShutdownSignal::ShutdownSignal() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGTERM);
  sigaddset(&set_, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

int ShutdownSignal::wait() {
  int sig = 0;
  sigwait(&set_, &sig);
  return sig;
}

int ShutdownSignal::waitFor(std::chrono::milliseconds timeout) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timespec ts{static_cast<time_t>(s.count()), static_cast<long>((timeout - s).count() * 1'000'000)};
  const int sig = sigtimedwait(&set_, nullptr, &ts);
  return sig > 0 ? sig : 0;
}

}  // namespace hearth::core

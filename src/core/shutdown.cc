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

}  // namespace hearth::core

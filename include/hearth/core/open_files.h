// The process's open-file limit: every MQTT connection, simulated device and HTTP client is a
// descriptor, and the soft limit (often 1,024) is far below the hard one (20,000 on these
// machines). Start-up only; not thread-safe.
#pragma once

#include <cstdint>

namespace hearth::core {

// Raises the soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force (0 when
// it cannot be read).
uint64_t raiseOpenFileLimit();

}  // namespace hearth::core

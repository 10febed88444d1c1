// Logging goes through spdlog. Messages are structured as "component: event key=value ...",
// so they read well and can be parsed by a log shipper.
#pragma once

#include <string_view>

namespace hearth::core {

// Sets up the process-wide logger on stderr. `level` is one of trace, debug, info, warn, error,
// off; throws ConfigError for anything else. Call once at start-up.
void initLogging(std::string_view level);

}  // namespace hearth::core

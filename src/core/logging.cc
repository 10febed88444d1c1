#include "hearth/core/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "hearth/core/config.h"

namespace hearth::core {

void initLogging(std::string_view level) {
  auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    throw ConfigError("log level must be trace, debug, info, warn, error or off, not '" +
                      std::string(level) + "'");
  }
  auto logger = spdlog::stderr_logger_mt("hearth");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace hearth::core

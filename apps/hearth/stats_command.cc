#include "stats_command.h"

#include <boost/json.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "hearth/home/platform_stats.h"
#include "registry_open.h"

namespace hearth::cli {

void addStatsCommand(CLI::App& app, int& exit_code) {
  auto* stats = app.add_subcommand("stats", "Print the platform's figures (devices, users, homes, activity) as JSON");
  auto data_dir = std::make_shared<std::string>("./var");
  stats->add_option("--data-dir", *data_dir, "Data directory (server.data_dir)")->capture_default_str();
  stats->callback([data_dir, &exit_code] {
    auto registry = openRegistry(*data_dir, "stats");
    if (!registry) {
      exit_code = 1;
      return;
    }
    home::PlatformStats figures(*registry, core::SystemClock::instance());
    auto counts = figures.current();
    if (!counts) {
      std::fprintf(stderr, "hearth stats: %s\n", counts.error().toString().c_str());
      exit_code = 1;
      return;
    }
    std::printf("%s\n", boost::json::serialize(home::PlatformStats::toJson(counts.value())).c_str());
  });
}

}  // namespace hearth::cli

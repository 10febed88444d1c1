#include "retention_command.h"

#include <charconv>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "registry_open.h"

namespace hearth::cli {
namespace {

struct RetentionOptions {
  std::string model;
  std::string days;  // a number, "default", or empty to print
  std::string data_dir = "./var";
};

int fail(const std::string& message) {
  std::fprintf(stderr, "hearth spec retention: %s\n", message.c_str());
  return 1;
}

int runRetention(const RetentionOptions& o) {
  auto registry = openRegistry(o.data_dir, "spec retention");
  if (!registry) return 1;
  if (o.model.empty() || o.days.empty()) {
    auto overrides = registry->retentionOverrides();
    if (!overrides) return fail(overrides.error().toString());
    bool found = false;
    for (const auto& [model, days] : overrides.value()) {
      if (!o.model.empty() && model != o.model) continue;
      found = true;
      std::printf("%s  %s\n", model.c_str(), days == 0 ? "keep everything" : (std::to_string(days) + " days").c_str());
    }
    if (!o.model.empty() && !found) std::printf("%s  default (history.retention_days)\n", o.model.c_str());
    return 0;
  }
  std::optional<uint32_t> days;
  if (o.days != "default") {
    uint32_t n = 0;
    auto [end, ec] = std::from_chars(o.days.data(), o.days.data() + o.days.size(), n);
    if (ec != std::errc() || end != o.days.data() + o.days.size() || n > 36500) {
      return fail("DAYS must be a number of days from 0 to 36500, or \"default\"");
    }
    days = n;
  }
  core::Status set = registry->setRetentionDays(o.model, days);
  if (!set.isOk()) return fail(set.toString());
  return 0;
}

}  // namespace

void addSpecRetentionCommand(CLI::App& spec, int& exit_code) {
  auto* cmd = spec.add_subcommand("retention", "Show or set a product's own history retention period");
  auto o = std::make_shared<RetentionOptions>();
  cmd->add_option("model", o->model, "The product (model id); none lists every product with its own period");
  cmd->add_option("days", o->days, "Days of history to keep (0: everything), or \"default\"");
  cmd->add_option("--data-dir", o->data_dir, "Data directory (server.data_dir)")->capture_default_str();
  cmd->callback([o, &exit_code] { exit_code = runRetention(*o); });
}

}  // namespace hearth::cli

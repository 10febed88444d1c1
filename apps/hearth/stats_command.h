// `hearth stats`: the operators' figures (home::PlatformStats) of a data directory, as JSON.
#pragma once

#include <CLI/CLI.hpp>

namespace hearth::cli {

// Registers `stats [--data-dir D]` under `app`. Sets `exit_code` to 1 on any error; `exit_code`
// must outlive the parse.
void addStatsCommand(CLI::App& app, int& exit_code);

}  // namespace hearth::cli

// `hearth sim`: runs a fleet of virtual devices (hearth::sim::Fleet) against a Hearth gateway
// until Ctrl-C or --duration, with a progress line and a summary at the end.
#pragma once

#include <CLI/CLI.hpp>

namespace hearth::cli {

// Registers `sim` under `app`. Sets `exit_code` to 1 on any error (2 on bad options); `exit_code`
// must outlive the parse.
void addSimCommand(CLI::App& app, int& exit_code);

}  // namespace hearth::cli

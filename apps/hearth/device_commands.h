// `hearth device add|list|show|remove`: device identities in a data directory's registry.
#pragma once

#include <CLI/CLI.hpp>

namespace hearth::cli {

// Registers the `device` sub-command and its four commands under `app`. A failing command sets
// `exit_code` to 1; `exit_code` must outlive the parse.
void addDeviceCommands(CLI::App& app, int& exit_code);

}  // namespace hearth::cli

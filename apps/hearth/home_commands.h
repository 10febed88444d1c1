// `hearth home ...`: people's homes on a data directory, through home::Homes (the same service
// layer as the HTTP API, acting as the person named by email).
#pragma once

#include <CLI/CLI.hpp>

namespace hearth::cli {

// Registers under `app`:
//   home list EMAIL                         the homes of an account, with their rooms, as JSON lines
//   home create EMAIL NAME [--room NAME]... a home owned by the account, with rooms; prints it
// Sets `exit_code` to 1 on any error; `exit_code` must outlive the parse.
void addHomeCommands(CLI::App& app, int& exit_code);

}  // namespace hearth::cli

// `hearth user ...`: people's accounts on a data directory, through home::Accounts.
#pragma once

#include <CLI/CLI.hpp>

namespace hearth::cli {

// Registers `user add EMAIL [--admin] [--password P] [--data-dir D]` under `app`: creates an
// account (the first operator, with --admin); the password comes from standard input unless
// given. And `user list [--data-dir D]`. Sets `exit_code` to 1 on any error; `exit_code` must outlive the parse.
void addUserCommands(CLI::App& app, int& exit_code);

}  // namespace hearth::cli

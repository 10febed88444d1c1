// `hearth spec check` and `hearth spec show`: the spec component's command-line face.
#pragma once

#include <CLI/CLI.hpp>

namespace hearth::cli {

// Registers `spec check FILE... [--definitions DIR]` and `spec show FILE` under `app`.
// A failing command sets `exit_code` to 1 (check: any file with an error; show: a file that does
// not load); `exit_code` must outlive app's parse.
void addSpecCommands(CLI::App& app, int& exit_code);

}  // namespace hearth::cli

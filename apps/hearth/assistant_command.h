// `hearth assistant parse --home HOME.json`: the assistant's offline interface, as
// tests/assistant/score.py drives it: JSON lines {"text", "room"?} in, one interpretation per line
// out, in order, flushed line by line.
#pragma once

#include <CLI/CLI.hpp>

namespace hearth::cli {

// Registers `assistant` under `app`. Sets `exit_code` to 1 when the home cannot be read; a bad
// input line is answered with {"intent": "unknown", "error": ...} and reading goes on.
void addAssistantCommand(CLI::App& app, int& exit_code);

}  // namespace hearth::cli

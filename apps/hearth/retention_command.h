// `hearth spec retention`: a product's own history retention period.
#pragma once

#include <CLI/CLI.hpp>

namespace hearth::cli {

// Registers `retention [MODEL [DAYS|default]] [--data-dir D]` under `spec`: without MODEL it
// lists the products with their own period; with MODEL alone it prints that product's; with
// DAYS it sets it (0 keeps everything), with `default` it returns the product to the server's
// history.retention_days. hearthd applies a change at its next retention pass (within ten
// minutes). Sets `exit_code` to 1 on any error; `exit_code` must outlive the parse.
void addSpecRetentionCommand(CLI::App& spec, int& exit_code);

}  // namespace hearth::cli

// `hearth spec import DIR`: loads a folder of spec instances into a data directory's product
// registry.
#pragma once

#include <CLI/CLI.hpp>

namespace hearth::cli {

// Registers `import DIR [--data-dir D]` under `spec` (the `hearth spec` sub-command). Sets
// `exit_code` to 1 if any file was refused (the others are imported all the same) or the
// registry cannot be opened; `exit_code` must outlive the parse.
void addSpecImportCommand(CLI::App& spec, int& exit_code);

}  // namespace hearth::cli

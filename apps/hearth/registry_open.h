// The data directory's registry, as the commands that change it open it.
#pragma once

#include <memory>
#include <string>

#include "hearth/store/sqlite_registry.h"

namespace hearth::cli {

// Creates `data_dir` if needed and opens its registry; on failure prints "hearth <command>: why"
// to stderr and returns null.
std::unique_ptr<store::SqliteRegistry> openRegistry(const std::string& data_dir, const char* command);

}  // namespace hearth::cli

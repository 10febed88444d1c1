// Process-level driving of a run: a child runs its share and talks to the parent over its
// stdin/stdout; the parent forks K children (or runs the load itself when K = 1), measures the
// broker's memory at the right moments, and merges the children's results.
#pragma once

#include <string>
#include <vector>

#include "options.h"

namespace hearth::bench {

// Returns the process exit status.
int runChild(const LoadOptions& opts);
int runParent(const LoadOptions& opts, const std::vector<std::string>& argv);

}  // namespace hearth::bench

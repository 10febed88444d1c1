#include "import_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <unistd.h>

#include "hearth/core/clock.h"
#include "hearth/platform/product_registry.h"
#include "hearth/spec/json.h"
#include "registry_open.h"

namespace hearth::cli {

namespace {

namespace fs = std::filesystem;

struct Loaded {
  fs::path path;
  spec::Instance instance;
  std::string model;
  uint32_t version = 0;
};

struct Refused {
  fs::path path;
  std::string reason;
};

// A one-line progress bar on a terminal; silent otherwise (logs and tests get the summary only).
class Progress {
 public:
  explicit Progress(size_t total) : total_(total), enabled_(::isatty(STDERR_FILENO) != 0) {}
  void update(size_t done) {
    if (!enabled_ || total_ == 0) return;
    constexpr size_t kWidth = 40;
    const size_t filled = done * kWidth / total_;
    std::fprintf(stderr, "\r[%s%s] %zu/%zu", std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
                 done, total_);
    if (done == total_) std::fputc('\n', stderr);
  }

 private:
  size_t total_;
  bool enabled_;
};

// Every *.json under `dir`, sorted so the output is the same on every run.
std::vector<fs::path> jsonFiles(const fs::path& dir, std::error_code& ec) {
  std::vector<fs::path> out;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

int runImport(const fs::path& dir, const std::string& data_dir) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  std::vector<fs::path> files = jsonFiles(dir, ec);
  if (ec) {
    std::fprintf(stderr, "hearth spec import: %s: %s\n", dir.c_str(), ec.message().c_str());
    return 1;
  }
  auto store = openRegistry(data_dir, "spec import");
  if (!store) return 1;
  core::SystemClock clock;
  platform::ProductRegistry registry(*store, clock);

  // Parse everything first: versions of one product must be registered in ascending order.
  std::vector<Loaded> loaded;
  std::vector<Refused> refused;
  for (const fs::path& file : files) {
    auto instance = spec::loadInstanceFile(file);
    if (!instance) {
      refused.push_back({file, instance.error().message()});
      continue;
    }
    auto model = spec::modelOf(instance.value());
    if (!model) {
      refused.push_back({file, model.error().message()});
      continue;
    }
    const uint32_t version = instance.value().type.version().value_or(0);
    loaded.push_back({file, std::move(instance).value(), std::move(model).value(), version});
  }
  std::sort(loaded.begin(), loaded.end(), [](const Loaded& a, const Loaded& b) {
    return std::tie(a.model, a.version, a.path) < std::tie(b.model, b.version, b.path);
  });

  std::map<platform::ProductRegistry::Outcome, size_t> outcomes;
  Progress progress(files.size());
  size_t done = refused.size();
  for (const Loaded& item : loaded) {
    auto result = registry.add(item.instance);
    if (result) {
      ++outcomes[result.value().outcome];
    } else {
      refused.push_back({item.path, result.error().message()});
    }
    progress.update(++done);
  }
  progress.update(files.size());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  using Outcome = platform::ProductRegistry::Outcome;
  std::printf("%zu files from %s into %s in %.2f s: %zu added, %zu upgraded, %zu unchanged, %zu refused\n",
              files.size(), dir.c_str(), store::registryPath(data_dir).c_str(), seconds, outcomes[Outcome::kAdded],
              outcomes[Outcome::kUpgraded], outcomes[Outcome::kUnchanged], refused.size());
  auto products = store->countProducts();
  auto by_type = store->countByDeviceType();
  if (products && by_type) {
    std::printf("registry: %zu products\n", products.value());
    for (const auto& [type, count] : by_type.value()) std::printf("  %-24s %zu\n", type.c_str(), count);
  }
  if (!refused.empty()) {
    std::sort(refused.begin(), refused.end(), [](const Refused& a, const Refused& b) { return a.path < b.path; });
    std::printf("refused:\n");
    for (const Refused& r : refused) std::printf("  %s: %s\n", r.path.c_str(), r.reason.c_str());
  }
  return refused.empty() ? 0 : 1;
}

}  // namespace

void addSpecImportCommand(CLI::App& spec, int& exit_code) {
  auto* cmd = spec.add_subcommand(
      "import", "Register every spec instance (*.json) under DIR as a product in a data directory's registry");
  auto dir = std::make_shared<std::string>();
  auto data_dir = std::make_shared<std::string>("./var");
  cmd->add_option("dir", *dir, "Folder of instance files, searched recursively")->required();
  cmd->add_option("--data-dir", *data_dir, "Data directory (server.data_dir)")->capture_default_str();
  cmd->callback([dir, data_dir, &exit_code] { exit_code = runImport(*dir, *data_dir); });
}

}  // namespace hearth::cli

#include "registry_open.h"

#include <cstdio>
#include <filesystem>

namespace hearth::cli {

std::unique_ptr<store::SqliteRegistry> openRegistry(const std::string& data_dir, const char* command) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    std::fprintf(stderr, "hearth %s: %s: %s\n", command, data_dir.c_str(), ec.message().c_str());
    return nullptr;
  }
  auto registry = store::SqliteRegistry::open(store::registryPath(data_dir));
  if (!registry) {
    std::fprintf(stderr, "hearth %s: %s\n", command, registry.error().toString().c_str());
    return nullptr;
  }
  return std::move(registry).value();
}

}  // namespace hearth::cli

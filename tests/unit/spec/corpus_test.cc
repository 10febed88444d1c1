#include <gtest/gtest.h>

#include <filesystem>

#include "hearth/spec/json.h"

namespace hearth::spec {
namespace {

TEST(CorpusTest, EveryInstanceParsesAndRoundTrips) {
  size_t count = 0;
  for (const char* sub : {"xiot/instance", "miot-spec-v2"}) {
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(HEARTH_SPECS_DIR) / sub)) {
      auto instance = loadInstanceFile(entry.path());
      ASSERT_TRUE(instance.isOk()) << entry.path() << ": " << instance.error().toString();
      auto again = parseInstance(serializeInstance(instance.value()));
      ASSERT_TRUE(again.isOk()) << again.error().toString();
      EXPECT_TRUE(again.value() == instance.value()) << entry.path();
      ++count;
    }
  }
  EXPECT_EQ(count, 618u);
}

}  // namespace
}  // namespace hearth::spec

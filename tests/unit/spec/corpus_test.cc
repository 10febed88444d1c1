// The real-spec corpus (tests/data/specs, see its README): every file parses and round-trips;
// what validation and the standard catalogue say about it matches
// tests/unit/spec/corpus_findings.txt line for line (file, check, severity, pointer, message);
// every product gets a view with unique keys; every product may upgrade to itself.
//
// When a change in behaviour is intended, regenerate the fixture and review its diff:
//   HEARTH_UPDATE_FIXTURES=1 build/<dir>/tests/unit/spec/spec_test --gtest_filter='CorpusTest.*'
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "hearth/spec/catalogue.h"
#include "hearth/spec/compat.h"
#include "hearth/spec/json.h"
#include "hearth/spec/product_view.h"
#include "hearth/spec/validate.h"

namespace hearth::spec {
namespace {

namespace fs = std::filesystem;

const fs::path kSpecsDir = HEARTH_SPECS_DIR;

// Corpus files relative to kSpecsDir, sorted so the fixture's order is stable.
std::vector<std::string> instanceFiles() {
  std::vector<std::string> files;
  for (const char* sub : {"xiot/instance", "miot-spec-v2"}) {
    for (const auto& entry : fs::directory_iterator(kSpecsDir / sub)) {
      files.push_back(fs::relative(entry.path(), kSpecsDir).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class CorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::is_directory(kSpecsDir / "xiot/instance"))
        << kSpecsDir << " is missing: the checkout's tests/data/specs";
  }
};

TEST_F(CorpusTest, EveryInstanceParsesAndRoundTrips) {
  const auto files = instanceFiles();
  EXPECT_EQ(files.size(), 618u);
  for (const auto& file : files) {
    auto instance = loadInstanceFile(kSpecsDir / file);
    ASSERT_TRUE(instance.isOk()) << file << ": " << instance.error().toString();
    const std::string text = serializeInstance(instance.value());
    auto again = parseInstance(text);
    ASSERT_TRUE(again.isOk()) << file << ": " << again.error().toString();
    EXPECT_TRUE(again.value() == instance.value()) << file;
    EXPECT_EQ(serializeInstance(again.value()), text) << file;
  }
}

TEST_F(CorpusTest, FindingsMatchFixture) {
  auto catalogue = Catalogue::load(kSpecsDir / "xiot/definition");
  ASSERT_TRUE(catalogue.isOk()) << catalogue.error().toString();
  std::vector<std::string> lines;
  auto add = [&](const std::string& file, std::string_view check, const std::vector<Finding>& findings) {
    for (const Finding& f : findings) {
      lines.push_back(file + "\t" + std::string(check) + "\t" + std::string(severityName(f.severity)) + "\t" +
                      f.pointer + "\t" + f.message);
    }
  };
  for (const auto& file : instanceFiles()) {
    auto instance = loadInstanceFile(kSpecsDir / file);
    ASSERT_TRUE(instance.isOk()) << file << ": " << instance.error().toString();
    add(file, "validate", validate(instance.value()));
    add(file, "catalogue", catalogue.value().check(instance.value()));
  }
  std::sort(lines.begin(), lines.end());
  std::string actual;
  for (const auto& line : lines) actual += line + "\n";

  const char* update = std::getenv("HEARTH_UPDATE_FIXTURES");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(HEARTH_SPEC_FIXTURE) << actual;
    GTEST_SKIP() << "rewrote " << HEARTH_SPEC_FIXTURE << " (" << lines.size() << " findings)";
  }
  EXPECT_EQ(actual, readFile(HEARTH_SPEC_FIXTURE))
      << "validation findings changed; if intended, regenerate (see the top of this file)";
}

TEST_F(CorpusTest, EveryProductGetsAViewWithUniqueKeys) {
  for (const auto& file : instanceFiles()) {
    auto instance = loadInstanceFile(kSpecsDir / file);
    ASSERT_TRUE(instance.isOk());
    ProductView view(std::move(instance).value());
    std::set<std::string> keys;
    for (const auto& p : view.properties()) {
      EXPECT_TRUE(keys.insert(p.key).second) << file << ": duplicate key " << p.key;
      EXPECT_EQ(view.property(p.key), &p) << file;
      const PropertyEntry* by_iid = view.property(p.siid, p.piid);
      ASSERT_NE(by_iid, nullptr) << file;
      EXPECT_EQ(by_iid->piid, p.piid);
    }
    for (const auto& a : view.actions()) EXPECT_EQ(view.action(a.key), &a) << file;
    for (const auto& e : view.events()) EXPECT_EQ(view.event(e.key), &e) << file;
  }
}

TEST_F(CorpusTest, EveryProductMayUpgradeToItself) {
  for (const auto& file : instanceFiles()) {
    auto old = loadInstanceFile(kSpecsDir / file);
    ASSERT_TRUE(old.isOk());
    Instance next = old.value();
    const Urn& type = old.value().type;
    std::string text = type.text();
    text.resize(text.rfind(':') + 1);
    text += std::to_string(type.version().value_or(0) + 1);
    next.type = Urn::parse(text).value();
    const auto violations = checkCompatibleUpgrade(old.value(), next);
    EXPECT_TRUE(violations.empty()) << file << ": " << violations.front().toString();
  }
}

}  // namespace
}  // namespace hearth::spec

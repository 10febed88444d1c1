// Spec micro-benchmarks on the real corpus (tests/data/specs):
//   - checking one reported or commanded value against a loaded product, as ingest and commands
//     do for every item: find the property by (siid, piid), then check (target: well under 1 µs);
//   - parsing and validating all 618 instance files from memory (target: under 1 s).
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hearth/spec/json.h"
#include "hearth/spec/product_view.h"
#include "hearth/spec/validate.h"

namespace {

namespace fs = std::filesystem;
using namespace hearth::spec;

const fs::path kSpecsDir = HEARTH_SPECS_DIR;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "spec_bench: %s\n", what.c_str());
  std::exit(1);
}

// An air conditioner with every kind of constraint: bool, listed uint8, float with step 0.1,
// ranged uint8, strings.
const ProductView& product() {
  static const ProductView view = [] {
    auto instance = loadInstanceFile(kSpecsDir / "xiot/instance/urn_xiot-spec_device_air-conditioner_0000A004_zhimi_ma2_1.json");
    if (!instance) die(instance.error().toString());
    return ProductView(std::move(instance).value());
  }();
  return view;
}

void checkOne(benchmark::State& state, uint32_t siid, uint32_t piid, const boost::json::value& value,
              Operation operation, ValueError expected) {
  const ProductView& view = product();
  const PropertyEntry* probe = view.property(siid, piid);
  if (probe == nullptr || probe->checker.check(value, operation).error != expected) die("unexpected check result");
  for (auto _ : state) {
    const PropertyEntry* entry = view.property(siid, piid);
    ValueCheck result = entry->checker.check(value, operation);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_CheckBool(benchmark::State& state) { checkOne(state, 2, 1, true, Operation::kWrite, ValueError::kOk); }
void BM_CheckUint8List(benchmark::State& state) { checkOne(state, 2, 2, 3, Operation::kWrite, ValueError::kOk); }
void BM_CheckFloatStep(benchmark::State& state) { checkOne(state, 2, 3, 26.5, Operation::kWrite, ValueError::kOk); }
void BM_CheckFloatFromInteger(benchmark::State& state) {
  checkOne(state, 4, 1, 26, Operation::kReport, ValueError::kOk);
}
void BM_CheckUint8Range(benchmark::State& state) { checkOne(state, 3, 3, 45, Operation::kWrite, ValueError::kOk); }
void BM_CheckString(benchmark::State& state) {
  checkOne(state, 1, 4, "Living room air conditioner", Operation::kReport, ValueError::kOk);
}
void BM_CheckRejectOutOfRange(benchmark::State& state) {
  checkOne(state, 3, 3, 300, Operation::kWrite, ValueError::kOutOfRange);
}
void BM_CheckRejectNotWritable(benchmark::State& state) {
  checkOne(state, 4, 1, 26, Operation::kWrite, ValueError::kNotWritable);
}

BENCHMARK(BM_CheckBool);
BENCHMARK(BM_CheckUint8List);
BENCHMARK(BM_CheckFloatStep);
BENCHMARK(BM_CheckFloatFromInteger);
BENCHMARK(BM_CheckUint8Range);
BENCHMARK(BM_CheckString);
BENCHMARK(BM_CheckRejectOutOfRange);
BENCHMARK(BM_CheckRejectNotWritable);

const std::vector<std::string>& corpusTexts() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    for (const char* sub : {"xiot/instance", "miot-spec-v2"}) {
      for (const auto& entry : fs::directory_iterator(kSpecsDir / sub)) {
        std::ifstream in(entry.path());
        std::ostringstream text;
        text << in.rdbuf();
        out.push_back(text.str());
      }
    }
    if (out.size() != 618) die("expected 618 corpus files, found " + std::to_string(out.size()));
    return out;
  }();
  return texts;
}

// The whole corpus per iteration; Google Benchmark's time column is the time for all 618 files.
void BM_ParseAndValidateCorpus(benchmark::State& state) {
  const auto& texts = corpusTexts();
  size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();
  for (auto _ : state) {
    size_t findings = 0;
    for (const auto& text : texts) {
      auto instance = parseInstance(text);
      if (!instance) die(instance.error().toString());
      findings += validate(instance.value()).size();
    }
    benchmark::DoNotOptimize(findings);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}

// The same, plus what loading a product costs on top: keys, names, hints and checkers.
void BM_ParseValidateAndViewCorpus(benchmark::State& state) {
  const auto& texts = corpusTexts();
  for (auto _ : state) {
    for (const auto& text : texts) {
      auto instance = parseInstance(text);
      if (!instance) die(instance.error().toString());
      benchmark::DoNotOptimize(validate(instance.value()).size());
      ProductView view(std::move(instance).value());
      benchmark::DoNotOptimize(view.properties().size());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}

BENCHMARK(BM_ParseAndValidateCorpus)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseValidateAndViewCorpus)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

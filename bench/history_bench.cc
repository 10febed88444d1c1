// The measurement that chose the history engine (docs/architecture.md, "History"): both embedded
// engines side by side, on real files under $TMPDIR.
//   - Ingest: 4 threads append batches shaped like device reports (10,000 devices, 4 properties
//     each, 25 devices x 4 properties = 100 samples per batch) with durability commit (or fsync),
//     each thread keeping 16 appends in flight as 16 connections' QoS 1 reports would; samples/s.
//   - Downsample: a year of one property at 1 sample/min (525,600 samples) to 200 points.
//   - Range: one day of that property (1,440 samples).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "hearth/store/embedded_history.h"

namespace {

namespace fs = std::filesystem;
using namespace hearth::store;

constexpr int kSqlite = 0;
constexpr int kRocks = 1;
constexpr int kDevices = 10'000;
constexpr uint32_t kProperties = 4;
constexpr int kDevicesPerBatch = 25;
constexpr int kThreads = 4;
constexpr int kInFlightPerThread = 16;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kYearStart = 1'700'000'000'000;
constexpr int64_t kYearSamples = 525'600;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "history_bench: %s\n", what.c_str());
  std::exit(1);
}

// A fresh directory for one engine's files, removed with the store.
class BenchDir {
 public:
  BenchDir() {
    std::string tmpl = (fs::temp_directory_path() / "hearth-history-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) die("cannot create a temporary directory");
    path_ = tmpl;
  }
  ~BenchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;

  std::string file(const char* name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::unique_ptr<HistoryStore> open(int engine, const BenchDir& dir, HistoryDurability durability) {
  auto store = engine == kSqlite ? openSqliteHistory(dir.file("history.sqlite3"), {durability})
                                 : openRocksHistory(dir.file("history"), {durability});
  if (!store) die(store.error().toString());
  return std::move(store).value();
}

std::string did(int device) { return std::to_string(100'000'000 + device); }

// Values as devices report them: a bool, a temperature, an enum string, an integer.
std::string value(uint32_t piid, int64_t round) {
  switch (piid) {
    case 0: return round % 2 == 0 ? "true" : "false";
    case 1: return std::to_string(20 + round % 10) + ".5";
    case 2: return "\"auto\"";
    default: return std::to_string(round % 100);
  }
}

void BM_Ingest(benchmark::State& state) {
  const int engine = static_cast<int>(state.range(0));
  const auto durability = static_cast<HistoryDurability>(state.range(1));
  BenchDir dir;
  auto store = open(engine, dir, durability);
  constexpr int kBatchesPerThread = kDevices / kThreads / kDevicesPerBatch;  // every device once a round
  int64_t round = 0;
  std::atomic<int> failures{0};
  for (auto _ : state) {
    ++round;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::counting_semaphore<kInFlightPerThread> in_flight(kInFlightPerThread);
        for (int b = 0; b < kBatchesPerThread; ++b) {
          std::vector<PropertySample> samples;
          samples.reserve(kDevicesPerBatch * kProperties);
          const int first = (t * kBatchesPerThread + b) * kDevicesPerBatch;
          for (int d = first; d < first + kDevicesPerBatch; ++d) {
            for (uint32_t piid = 0; piid < kProperties; ++piid) {
              samples.push_back(
                  PropertySample{did(d), 2, piid, kYearStart + round * 1000 + d % 1000, value(piid, round)});
            }
          }
          in_flight.acquire();
          store->append(std::move(samples), {}, [&](hearth::core::Status s) {
            if (!s.isOk()) ++failures;
            in_flight.release();
          });
        }
        for (int i = 0; i < kInFlightPerThread; ++i) in_flight.acquire();  // all of this thread's stored
      });
    }
    for (std::thread& t : threads) t.join();
  }
  if (failures.load() > 0) die("ingest: appends failed");
  const double samples = static_cast<double>(state.iterations()) * kDevices * kProperties;
  state.counters["samples/s"] = benchmark::Counter(samples, benchmark::Counter::kIsRate);
  state.SetLabel(engine == kSqlite ? "sqlite" : "rocksdb");
}

// One store per engine holding a year of one property, built once for the query benchmarks and
// closed in main(): RocksDB must not be closed by static destructors, after its own statics.
struct Year {
  BenchDir dir;
  std::unique_ptr<HistoryStore> store;
};
std::unique_ptr<Year> years[2];

HistoryStore& yearStore(int engine) {
  if (!years[engine]) {
    years[engine] = std::make_unique<Year>();
    years[engine]->store = open(engine, years[engine]->dir, HistoryDurability::kCommit);
    std::atomic<int> pending{0};
    for (int64_t i = 0; i < kYearSamples; i += 10'000) {
      std::vector<PropertySample> samples;
      for (int64_t j = i; j < std::min(i + 10'000, kYearSamples); ++j) {
        samples.push_back(PropertySample{did(0), 2, 1, kYearStart + j * kMinute, std::to_string(20 + j % 97) + ".25"});
      }
      ++pending;
      years[engine]->store->append(std::move(samples), {}, [&](hearth::core::Status s) {
        if (!s.isOk()) die(s.toString());
        --pending;
      });
    }
    while (pending.load() > 0) std::this_thread::yield();
    // Reopened, as a year of data would be read after many restarts and flushes: RocksDB's from
    // table files rather than its memtable.
    years[engine]->store.reset();
    years[engine]->store = open(engine, years[engine]->dir, HistoryDurability::kCommit);
  }
  return *years[engine]->store;
}

void BM_DownsampleYear(benchmark::State& state) {
  const int engine = static_cast<int>(state.range(0));
  HistoryStore& store = yearStore(engine);
  for (auto _ : state) {
    auto buckets = store.downsample(did(0), 2, 1, kYearStart, kYearStart + kYearSamples * kMinute, 200);
    if (!buckets || buckets.value().size() != 200) die("downsample: wrong result");
    benchmark::DoNotOptimize(buckets);
  }
  state.SetItemsProcessed(state.iterations() * kYearSamples);
  state.SetLabel(engine == kSqlite ? "sqlite" : "rocksdb");
}

void BM_RangeDay(benchmark::State& state) {
  const int engine = static_cast<int>(state.range(0));
  HistoryStore& store = yearStore(engine);
  const int64_t from = kYearStart + 180 * 1440 * kMinute;
  for (auto _ : state) {
    auto samples = store.range(did(0), 2, 1, from, from + 1440 * kMinute, 10'000);
    if (!samples || samples.value().size() != 1440) die("range: wrong result");
    benchmark::DoNotOptimize(samples);
  }
  state.SetItemsProcessed(state.iterations() * 1440);
  state.SetLabel(engine == kSqlite ? "sqlite" : "rocksdb");
}

constexpr int64_t kCommit = static_cast<int64_t>(HistoryDurability::kCommit);
constexpr int64_t kFsync = static_cast<int64_t>(HistoryDurability::kFsync);

BENCHMARK(BM_Ingest)
    ->ArgNames({"engine", "durability"})
    ->Args({kSqlite, kCommit})
    ->Args({kRocks, kCommit})
    ->Args({kSqlite, kFsync})
    ->Args({kRocks, kFsync})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(3);
BENCHMARK(BM_DownsampleYear)->ArgName("engine")->Arg(kSqlite)->Arg(kRocks)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RangeDay)->ArgName("engine")->Arg(kSqlite)->Arg(kRocks)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  for (auto& year : years) year.reset();
  return 0;
}

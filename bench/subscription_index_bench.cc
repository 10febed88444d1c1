// Micro-benchmarks of the subscription index (src/mqtt/subscription_index.h) at the scale of a
// large Hearth install: 1,000,000 subscriptions, 90% exact "device/<id>/down" (one per device),
// 9% "home/<h>/+/state" and 1% "home/<h>/#" (apps watching a home).
//
// The subscriptions belong to 100,000 real Session objects, ten each: the index only stores
// Session pointers, so how subscriptions are spread over sessions does not change its work,
// and a million sessions would add a gigabyte of queues that nothing here touches.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "mqtt/session.h"
#include "mqtt/subscription_index.h"

namespace hearth::bench {
namespace {

using mqtt::Session;
using mqtt::SubscriptionEntry;
using mqtt::SubscriptionIndex;

constexpr size_t kSubscriptions = 1'000'000;
constexpr size_t kExact = kSubscriptions * 90 / 100;
constexpr size_t kPlusState = kSubscriptions * 9 / 100;
constexpr size_t kHashHome = kSubscriptions - kExact - kPlusState;
constexpr size_t kSessions = 100'000;
constexpr size_t kTopics = 4096;  // distinct topics each match benchmark cycles through

struct Population {
  std::vector<std::shared_ptr<Session>> sessions;
  SubscriptionIndex index;
  std::vector<std::string> exact_hits;     // device/<id>/down, subscribed
  std::vector<std::string> wildcard_hits;  // home/<h>/<room>/state with both wildcard kinds
  std::vector<std::string> misses;         // device/<id>/up: no subscriber

  Population() {
    sessions.reserve(kSessions);
    for (size_t i = 0; i < kSessions; ++i) sessions.push_back(std::make_shared<Session>(fmt::format("client-{}", i)));
    mqtt::SubscriptionOptions opts;
    opts.max_qos = mqtt::QoS::k1;
    size_t n = 0;
    auto owner = [&] { return sessions[n++ % kSessions].get(); };
    for (size_t d = 0; d < kExact; ++d) index.add(owner(), fmt::format("device/{}/down", d), opts, 0);
    for (size_t h = 0; h < kPlusState; ++h) index.add(owner(), fmt::format("home/{}/+/state", h), opts, 0);
    for (size_t h = 0; h < kHashHome; ++h) index.add(owner(), fmt::format("home/{}/#", h), opts, 0);

    // Random ids, so the benchmark walks the hash tables as real traffic would rather than in
    // insertion order.
    std::mt19937_64 rng(42);
    for (size_t i = 0; i < kTopics; ++i) {
      exact_hits.push_back(fmt::format("device/{}/down", rng() % kExact));
      wildcard_hits.push_back(fmt::format("home/{}/room{}/state", rng() % kHashHome, rng() % 8));
      misses.push_back(fmt::format("device/{}/up", rng() % kExact));
    }
  }
};

Population& population() {
  static Population p;  // built once, on first use, outside any timed region
  return p;
}

void matchTopics(benchmark::State& state, const std::vector<std::string>& topics, size_t expected) {
  SubscriptionIndex& index = population().index;
  size_t i = static_cast<size_t>(state.thread_index()) * 997;
  size_t matched = 0;
  for (auto _ : state) {
    index.match(topics[i++ % topics.size()], [&](const SubscriptionEntry& e) {
      benchmark::DoNotOptimize(e.session);
      ++matched;
    });
  }
  if (matched != state.iterations() * expected) state.SkipWithError("unexpected number of matches");
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_MatchExact(benchmark::State& state) { matchTopics(state, population().exact_hits, 1); }
void BM_MatchWildcard(benchmark::State& state) { matchTopics(state, population().wildcard_hits, 2); }
void BM_MatchMiss(benchmark::State& state) { matchTopics(state, population().misses, 0); }

// Subscribe + unsubscribe of a filter not yet present, on the full index (which is left as it
// was found): the cost of a device connecting and going away.
void addRemove(benchmark::State& state, const char* pattern) {
  Population& p = population();
  mqtt::SubscriptionOptions opts;
  std::vector<std::string> filters;
  for (size_t i = 0; i < kTopics; ++i) filters.push_back(fmt::format(fmt::runtime(pattern), i));
  size_t i = 0;
  for (auto _ : state) {
    const std::string& f = filters[i % filters.size()];
    Session* s = p.sessions[i++ % kSessions].get();
    benchmark::DoNotOptimize(p.index.add(s, f, opts, 0));
    benchmark::DoNotOptimize(p.index.remove(s, f));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 2);
}

void BM_AddRemoveExact(benchmark::State& state) { addRemove(state, "device/new-{}/down"); }
void BM_AddRemoveWildcard(benchmark::State& state) { addRemove(state, "home/{}/+/humidity"); }

// Filling an empty index: a broker restoring persisted sessions at start-up.
void BM_AddBulkExact(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  std::vector<std::string> filters;
  for (size_t i = 0; i < n; ++i) filters.push_back(fmt::format("device/{}/down", i));
  Session* s = population().sessions[0].get();
  mqtt::SubscriptionOptions opts;
  for (auto _ : state) {
    auto index = std::make_unique<SubscriptionIndex>();
    for (const auto& f : filters) index->add(s, f, opts, 0);
    benchmark::DoNotOptimize(index->size());
    state.PauseTiming();  // the destructor is not part of the figure
    index.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}

BENCHMARK(BM_MatchExact)->Threads(1)->Threads(2);
BENCHMARK(BM_MatchWildcard)->Threads(1)->Threads(2);
BENCHMARK(BM_MatchMiss);
BENCHMARK(BM_AddRemoveExact);
BENCHMARK(BM_AddRemoveWildcard);
BENCHMARK(BM_AddBulkExact)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hearth::bench

BENCHMARK_MAIN();

// A past for simulated devices, so that a newcomer's charts and event logs show a week on first
// sight (`hearth device seed-history`, which `make run` calls before it starts hearthd).
//
// The values come from the devices' own behaviours (SimulatedDevice stepped through the past);
// a household's day decides what people do: lights and plugs on in the morning and the evening,
// the air conditioner on in the afternoon, the curtains open by day, the vacuum started at ten.
// Samples and events go through HistoryStore::append, the path device reports take, one batch
// per device, each waited for.
//
// Idempotent per device: a device that has a shadow already (it has reported, or was seeded
// before) is left alone, so running it again adds nothing.
//
// Errors: the store's, naming the device; a model missing from `products` is kNotFound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "hearth/core/status.h"
#include "hearth/sim/fleet.h"
#include "hearth/store/history_store.h"

namespace hearth::sim {

struct HistorySeedOptions {
  int64_t from_ms = 0;  // the past to write: [from_ms, to_ms)
  int64_t to_ms = 0;
  double step_s = 300;  // device time per step: a chart's week of 120 points needs no finer
  uint64_t seed = 1;    // device i's randomness is seeded from seed and i, as in a Fleet
};

struct HistorySeedResult {
  size_t seeded = 0;   // devices given a past
  size_t skipped = 0;  // devices that had one already
  size_t samples = 0;
  size_t events = 0;
};

core::Result<HistorySeedResult> seedHistory(store::HistoryStore& history, const std::vector<FleetDevice>& devices,
                                            const ProductCatalogue& products, const HistorySeedOptions& options);

}  // namespace hearth::sim

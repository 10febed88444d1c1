// What both embedded history engines share on the query side: the number a reported value
// aggregates as, and the bucketing of a time-ordered series for charts.
//
// Thread-safety: numericValue is pure; a Downsampler belongs to one query on one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "hearth/core/status.h"
#include "hearth/store/history_store.h"

namespace hearth::store::history {

// The number a value aggregates as: a JSON number as itself, true/false as 1/0; nothing for
// strings, null, arrays and objects (they are listed but never aggregated).
std::optional<double> numericValue(std::string_view value_json);

// Folds numeric samples, fed oldest first, into the buckets HistoryStore::downsample returns.
class Downsampler {
 public:
  // kInvalidArgument when points is 0.
  static core::Result<Downsampler> make(int64_t from_ms, int64_t to_ms, uint32_t points);

  // ts_ms must lie in [from_ms, to_ms) and not precede the previous sample's.
  void add(int64_t ts_ms, double value);
  std::vector<Bucket> finish() &&;

 private:
  Downsampler(int64_t from_ms, uint64_t interval_ms) : from_ms_(from_ms), interval_ms_(interval_ms) {}

  int64_t from_ms_;
  uint64_t interval_ms_;  // unsigned: to_ms - from_ms may exceed INT64_MAX
  uint64_t index_ = 0;    // interval of the open bucket
  double sum_ = 0;
  std::vector<Bucket> buckets_;
};

}  // namespace hearth::store::history

#include "store/history/downsample.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

namespace hearth::store::history {

std::optional<double> numericValue(std::string_view value_json) {
  if (value_json == "true") return 1.0;
  if (value_json == "false") return 0.0;
  if (value_json.empty() || (value_json.front() != '-' && (value_json.front() < '0' || value_json.front() > '9'))) {
    return std::nullopt;
  }
  double value = 0;
  auto [end, ec] = std::from_chars(value_json.data(), value_json.data() + value_json.size(), value);
  if (ec != std::errc() || end != value_json.data() + value_json.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

core::Result<Downsampler> Downsampler::make(int64_t from_ms, int64_t to_ms, uint32_t points) {
  if (points == 0) return core::Status::invalidArgument("downsample: points must be at least 1");
  const uint64_t span = to_ms > from_ms ? static_cast<uint64_t>(to_ms) - static_cast<uint64_t>(from_ms) : 0;
  return Downsampler(from_ms, std::max<uint64_t>(1, (span + points - 1) / points));
}

void Downsampler::add(int64_t ts_ms, double value) {
  const uint64_t index = (static_cast<uint64_t>(ts_ms) - static_cast<uint64_t>(from_ms_)) / interval_ms_;
  if (buckets_.empty() || index != index_) {
    if (!buckets_.empty()) buckets_.back().avg = sum_ / buckets_.back().count;
    index_ = index;
    sum_ = 0;
    buckets_.push_back(Bucket{static_cast<int64_t>(static_cast<uint64_t>(from_ms_) + index * interval_ms_), value,
                              value, 0, value, 0});
  }
  Bucket& b = buckets_.back();
  b.min = std::min(b.min, value);
  b.max = std::max(b.max, value);
  b.last = value;
  ++b.count;
  sum_ += value;
}

std::vector<Bucket> Downsampler::finish() && {
  if (!buckets_.empty()) buckets_.back().avg = sum_ / buckets_.back().count;
  return std::move(buckets_);
}

}  // namespace hearth::store::history

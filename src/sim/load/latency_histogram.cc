#include "hearth/sim/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace hearth::sim {

// Values below 2 * kSubBuckets are their own bucket; above, a value with its highest bit at
// position e keeps its top kSubBucketBits + 1 bits, and the shift (e - kSubBucketBits) picks
// the row. The two rules meet at 2 * kSubBuckets, so indices are dense.
size_t LatencyHistogram::bucketIndex(uint64_t value) {
  if (value < 2 * kSubBuckets) return static_cast<size_t>(value);
  const int shift = (63 - std::countl_zero(value)) - kSubBucketBits;
  const uint64_t mantissa = value >> shift;  // in [kSubBuckets, 2 * kSubBuckets)
  return static_cast<size_t>((static_cast<uint64_t>(shift) + 1) * kSubBuckets + (mantissa - kSubBuckets));
}

uint64_t LatencyHistogram::bucketUpperEdge(size_t index) {
  if (index < 2 * kSubBuckets) return index;
  const uint64_t shift = index / kSubBuckets - 1;
  const uint64_t mantissa = kSubBuckets + index % kSubBuckets;
  return ((mantissa + 1) << shift) - 1;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

uint64_t LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const auto rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBucketCount; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(bucketUpperEdge(i), max_);
  }
  return max_;
}

boost::json::array LatencyHistogram::toJson() const {
  boost::json::array out;
  for (size_t i = 0; i < kBucketCount; ++i) {
    if (counts_[i] != 0) out.push_back(boost::json::array{i, counts_[i]});
  }
  out.push_back(boost::json::array{-1, max_});
  return out;
}

LatencyHistogram LatencyHistogram::fromJson(const boost::json::array& buckets) {
  LatencyHistogram h;
  for (const auto& b : buckets) {
    const auto& pair = b.as_array();
    const int64_t index = pair.at(0).to_number<int64_t>();
    const auto value = pair.at(1).to_number<uint64_t>();
    if (index < 0) {
      h.max_ = std::max(h.max_, value);
    } else if (static_cast<size_t>(index) < kBucketCount) {
      h.counts_[static_cast<size_t>(index)] += value;
      h.count_ += value;
    }
  }
  return h;
}

}  // namespace hearth::sim

// A log-linear latency histogram (HdrHistogram-like): 128 linear sub-buckets per power of two,
// so any recorded value is known to within 1%, in fixed memory, and two histograms merge by
// adding counts. Children of a multi-process run send their buckets, not percentiles, because
// percentiles of parts cannot be combined into the percentile of the whole.
#pragma once

#include <boost/json/array.hpp>

#include <cstdint>
#include <vector>

namespace hearth::sim {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBucketBits;
  static constexpr size_t kBucketCount = (64 - kSubBucketBits + 1) * kSubBuckets;

  LatencyHistogram() : counts_(kBucketCount, 0) {}

  void record(uint64_t value) {
    ++counts_[bucketIndex(value)];
    ++count_;
    if (value > max_) max_ = value;
  }
  void merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  // The value at quantile q (0..1): the upper edge of the bucket holding it, capped at max().
  uint64_t percentile(double q) const;

  // Sparse [[index, count], ...] for the non-empty buckets, plus the exact max as [-1, max].
  boost::json::array toJson() const;
  static LatencyHistogram fromJson(const boost::json::array& buckets);

  static size_t bucketIndex(uint64_t value);
  static uint64_t bucketUpperEdge(size_t index);

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t max_ = 0;
};

}  // namespace hearth::sim

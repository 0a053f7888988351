// Copyright 2026 The Sluice Authors.
//
// A histogram of a metric's observations as Prometheus exports it: bucket
// upper bounds ("le") in ascending order and, for each, the cumulative count
// of observations at or below it; the last bound is usually +inf and its
// count the total. Latency metrics often come only in this form; the rank
// test (sluice/stats/mann_whitney.h, MannWhitneyUHistograms) and the
// sequential quantile test (sluice/stats/sequential_quantiles.h) take it
// directly. Every observation in a bucket is treated as equal to the
// bucket's upper bound: a comparison of histograms sees differences between
// buckets, never within one.
//
// Example:
//
//   #include "sluice/stats/histogram.h"
//
//   sluice::stats::Histogram h;
//   h.upper_bounds = {0.05, 0.1, 0.25, 0.5, 1,
//                     std::numeric_limits<double>::infinity()};
//   h.cumulative_counts = {120, 480, 910, 990, 999, 1000};
//   if (absl::Status s = h.Validate(); !s.ok()) return s;
//   std::vector<uint64_t> per_bucket = h.BucketCounts();  // 120, 360, ...

#ifndef SLUICE_STATS_HISTOGRAM_H_
#define SLUICE_STATS_HISTOGRAM_H_

#include <cstdint>
#include <ostream>
#include <vector>

#include "absl/status/status.h"

namespace sluice::stats {

// Cumulative histogram buckets. A value type; thread-compatible.
struct Histogram {
  // The buckets' upper bounds, strictly ascending, none NaN (+inf allowed,
  // as Prometheus' le="+Inf"). Default: empty (no buckets).
  std::vector<double> upper_bounds;
  // For each bound, the observations at or below it: non-decreasing, one per
  // bound. Default: empty.
  std::vector<uint64_t> cumulative_counts;

  // OK, or kInvalidArgument naming the field and index, e.g.
  // "upper_bounds[3]: must be greater than upper_bounds[2] (got 0.5 <= 0.5)"
  // or "cumulative_counts[2]: must not be less than cumulative_counts[1]
  // (got 7 < 9)".
  absl::Status Validate() const;

  // The observations per bucket (the differences of cumulative_counts).
  // Requires Validate() to pass.
  std::vector<uint64_t> BucketCounts() const;

  // The number of observations (the last cumulative count; 0 if empty).
  uint64_t total() const {
    return cumulative_counts.empty() ? 0 : cumulative_counts.back();
  }

  friend bool operator==(const Histogram& a, const Histogram& b) {
    return a.upper_bounds == b.upper_bounds &&
           a.cumulative_counts == b.cumulative_counts;
  }
  friend bool operator!=(const Histogram& a, const Histogram& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const Histogram& h);

}  // namespace sluice::stats

#endif  // SLUICE_STATS_HISTOGRAM_H_

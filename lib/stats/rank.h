// Copyright 2026 The Sluice Authors.
//
// Private ranking helpers shared by the Mann-Whitney test, the Hodges-Lehmann
// interval and the Kayenta classifier: a fast sort of doubles and the merge
// that turns two sorted samples into the rank statistic and tie term.

#ifndef SLUICE_LIB_STATS_RANK_H_
#define SLUICE_LIB_STATS_RANK_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace sluice::internal {

// The rank summary of two samples.
struct RankSummary {
  // U of x: #{x_i > y_j} + #{x_i == y_j} / 2 (exact: 2U fits in 64 bits).
  double u_x = 0;
  // sum over groups of equal values of (t^3 - t), t the group's size: the
  // tie term of the Mann-Whitney variance.
  double tie_term = 0;
  // Whether any group has t > 1.
  bool has_ties = false;
};

// Writes to `keys` the order-preserving unsigned keys of `values` (the
// IEEE-754 bit pattern, sign-folded), sorted ascending. Requires no NaN.
// -0.0 and +0.0 get the same key (they compare equal, and SciPy and R rank
// them as ties). Large inputs use an LSD radix sort (8-bit digits, passes
// whose digit is the same for every key skipped); small ones std::sort.
void SortKeys(absl::Span<const double> values, std::vector<uint64_t>* keys);

// Sorts `values` ascending through SortKeys; -0.0 becomes +0.0.
void SortForRanking(std::vector<double>* values);

// MergeRank of two SortKeys outputs (no shift): the Mann-Whitney fast path.
RankSummary MergeRankKeys(absl::Span<const uint64_t> sorted_x,
                          absl::Span<const uint64_t> sorted_y);

// Merges the ascending samples x (each value minus `shift`) and y, assigning
// average ranks to ties, in one O(n + m) pass. `shift` = 0 gives the plain
// Mann-Whitney statistic; the Hodges-Lehmann interval evaluates U of
// (x - d, y) for many d.
RankSummary MergeRank(absl::Span<const double> sorted_x,
                      absl::Span<const double> sorted_y, double shift = 0.0);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_STATS_RANK_H_

// Copyright 2026 The Sluice Authors.
//
// Private: the Mann-Whitney rank summary of two samples without sorting them
// (issue 11 item 8). One pass finds the finite range, a second counts each
// value into one of about (n + m) / 4 equal-width buckets of the pooled
// range (separately for x and y), a third scatters the values bucket by
// bucket, and a last pass walks the buckets in order: a bucket's few values
// are sorted in place (insertion sort, std::sort if many) and merged, and
// the y values of all lower buckets count whole. Bucketing is monotone in
// the value, so this is exactly the merge of the sorted samples: the same U
// and tie term as internal::MergeRankKeys. Expected O(n + m) for values
// whose distribution has a density over its range; heavy clusters cost a
// sort of the cluster. Namespace sluice::internal.

#ifndef SLUICE_LIB_STATS_BUCKET_RANK_H_
#define SLUICE_LIB_STATS_BUCKET_RANK_H_

#include <optional>

#include "absl/types/span.h"
#include "lib/internal/stats_rank.h"

namespace sluice::internal {

// The rank summary of x and y (no NaN; +-inf allowed; -0.0 ties +0.0), or
// nullopt when the finite values' range is not a finite positive number
// (then the caller sorts). Requires both samples non-empty.
std::optional<RankSummary> BucketRank(absl::Span<const double> x,
                                      absl::Span<const double> y);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_STATS_BUCKET_RANK_H_

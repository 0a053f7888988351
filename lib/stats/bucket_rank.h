// Copyright 2026 The Sluice Authors.
//
// Private: the Mann-Whitney rank summary of two samples without sorting them
// (issue 11 item 8). One pass finds the pooled finite range. Up to 32,768
// values are ranked in one level: each value is counted into one of about
// two equal-width buckets per value (x and y separately), scattered bucket
// by bucket, and a walk over the buckets adds, for each x, the y values of
// the lower buckets; only a bucket holding two or more values compares its
// values (directly when there are at most 16, else sorted and merged), so
// the walk rarely branches. Larger samples are first scattered into at most
// 512 coarse buckets, each ranked the same way within the cache (at most
// three coarse levels; a cluster of equal values no level splits is
// sorted). Bucketing is monotone in the value, so the result is exactly the
// merge of the sorted samples: the same U and tie term as
// internal::MergeRankKeys. Expected O(n + m) for values with a density over
// their range. Namespace sluice::internal.

#ifndef SLUICE_LIB_STATS_BUCKET_RANK_H_
#define SLUICE_LIB_STATS_BUCKET_RANK_H_

#include <optional>

#include "absl/types/span.h"
#include "lib/stats/rank.h"

namespace sluice::internal {

// The rank summary of x and y (no NaN; +-inf allowed; -0.0 ties +0.0), or
// nullopt when the finite values' range is not a finite positive number
// (then the caller sorts). Requires both samples non-empty.
std::optional<RankSummary> BucketRank(absl::Span<const double> x,
                                      absl::Span<const double> y);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_STATS_BUCKET_RANK_H_

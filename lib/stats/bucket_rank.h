// Copyright 2026 The Sluice Authors.
//
// Private: the Mann-Whitney rank summary of two samples without sorting them
// (issue 11 item 8). One pass finds the pooled finite range (and any NaN). Up
// to 32,768 values are ranked in one level: each value is counted into one of
// about two equal-width buckets per value (x and y separately); the pass over
// the counts that turns them into bucket starts also adds, for each x, the y
// values of the lower buckets, and lists the buckets holding two or more
// values (without a branch); the values are scattered bucket by bucket, and
// only the listed buckets compare their values (directly when there are at
// most 16, else sorted and merged). Larger samples are first scattered into at
// most 512 coarse buckets, each ranked the same way within the cache (at most
// three coarse levels; a cluster of equal values no level splits is
// sorted). Bucketing is monotone in the value, so the result is exactly the
// merge of the sorted samples: the same U and tie term as
// internal::MergeRankKeys. Expected O(n + m) for values with a density over
// their range. Namespace sluice::internal.
//
// Memory: the scratch arrays (the last level's bucket positions, 16-bit when
// each sample's part fits in 65,535, its values, their buckets and its list
// of buckets with two or more values: about 22 bytes per value of the last
// level; each coarse level's values and their buckets: 10 bytes per pooled
// value) live in a thread_local workspace that the thread keeps for its next
// call, so repeated tests reuse warm memory instead of allocating (and
// zero-filling) it again: about 20 MiB after n = m = 10^6. A workspace
// larger than 64 MiB (one coarse level of more than about 6.5 * 10^6 pooled
// values) is freed when the call returns. Nothing changes for callers: each
// call uses only its own thread's workspace, and no state carries from one call
// to the next.

#ifndef SLUICE_LIB_STATS_BUCKET_RANK_H_
#define SLUICE_LIB_STATS_BUCKET_RANK_H_

#include <optional>

#include "absl/types/span.h"
#include "lib/stats/rank.h"

namespace sluice::internal {

// Sets *lo and *hi to the smallest and largest finite values of x and y
// (*lo > *hi when there are none) in one pass over both, and returns true;
// returns false, leaving *lo and *hi unchanged, when a value is NaN (so the
// caller can validate its samples in the same pass). Thread-safe.
bool FiniteRange(absl::Span<const double> x, absl::Span<const double> y,
                 double* lo, double* hi);

// The rank summary of x and y (no NaN; +-inf allowed; -0.0 ties +0.0) given
// their finite range [lo, hi] from FiniteRange, or nullopt when the range is
// not a finite positive number (then the caller sorts). Requires both
// samples non-empty. Thread-safe: calls on different threads share nothing;
// the thread's workspace is kept after the call (see above).
std::optional<RankSummary> BucketRank(absl::Span<const double> x,
                                      absl::Span<const double> y, double lo,
                                      double hi);

// FiniteRange, then BucketRank of that range: nullopt also when a value is
// NaN. Thread-safe, as BucketRank.
std::optional<RankSummary> BucketRank(absl::Span<const double> x,
                                      absl::Span<const double> y);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_STATS_BUCKET_RANK_H_

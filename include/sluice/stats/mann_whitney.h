// Copyright 2026 The Sluice Authors.
//
// The Mann-Whitney U test (Wilcoxon rank-sum test) of two independent
// samples: is one stochastically larger than the other? It is the test behind
// Kayenta's canary judge and works on any metric whose values can be ordered,
// with no assumption about the shape of the distributions.
//
// The statistic U of `x` counts the pairs (x_i, y_j) with x_i > y_j, ties
// counting one half. Its p-value comes either from the exact null
// distribution (small samples without ties) or from the normal approximation
// with the tie-corrected variance and, by default, a continuity correction.
// Results agree with scipy.stats.mannwhitneyu (SciPy 1.10) for the same
// alternative, method and continuity setting; tests/stats/ checks that to
// 1e-9 relative on the p-value against values SciPy computed.
//
// The work is expected O(n + m) for the ranks (the values are bucketed by
// value over their range, two levels of about one bucket per value, and each
// bucket's few values ranked in place; a sort when the range is not finite)
// and O(min(n, m) * k) for an exact p-value, k <= n * m / 2.
//
// Example:
//
//   #include "sluice/stats/mann_whitney.h"
//
//   std::vector<double> canary = {19, 22, 16, 29, 24};
//   std::vector<double> baseline = {20, 11, 17, 12};
//   absl::StatusOr<sluice::stats::MannWhitneyResult> r =
//       sluice::stats::MannWhitneyU(canary, baseline);
//   if (!r.ok()) return r.status();
//   // r->u == 17, r->p_value == 0.1111... (exact: no ties, small samples)

#ifndef SLUICE_STATS_MANN_WHITNEY_H_
#define SLUICE_STATS_MANN_WHITNEY_H_

#include <cstdint>
#include <limits>
#include <ostream>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "sluice/stats/alternative.h"
#include "sluice/stats/histogram.h"

namespace sluice::stats {

// How the p-value is computed.
enum class MannWhitneyMethod {
  // SciPy 1.10's rule: kExact when there are no ties and at least one sample
  // has at most 8 values, kAsymptotic otherwise. (SciPy's documentation says
  // "less than 8"; its code tests `n1 > 8 and n2 > 8` for the asymptotic
  // branch, and Sluice follows the code.) One deliberate difference: when the
  // exact distribution would need more than kMaxExactCells cells of work
  // (e.g. 8 values against 10^6 overlapping ones), kAuto uses kAsymptotic
  // where SciPy would run out of memory.
  kAuto,
  // The exact null distribution of U (no tie correction: with ties the
  // p-value is approximate, as in SciPy).
  kExact,
  // The normal approximation with the tie-corrected variance.
  kAsymptotic,
};

// Returns "auto", "exact" or "asymptotic".
absl::string_view MannWhitneyMethodName(MannWhitneyMethod method);
std::ostream& operator<<(std::ostream& os, MannWhitneyMethod method);

// The largest min(n, m) * (k + 1) product of the exact computation (see the
// file comment); kExact beyond it is an error, kAuto switches to kAsymptotic.
inline constexpr int64_t kMaxExactCells = int64_t{1} << 26;

// Options of MannWhitneyU. A value type; pass by value or const reference.
struct MannWhitneyOptions {
  // Default: kTwoSided.
  Alternative alternative = Alternative::kTwoSided;
  // Default: kAuto (SciPy's rule).
  MannWhitneyMethod method = MannWhitneyMethod::kAuto;
  // Whether the asymptotic method moves U half a unit towards its mean before
  // standardizing. No effect on kExact. Default: true (as SciPy and R).
  bool continuity_correction = true;

  friend bool operator==(const MannWhitneyOptions& a,
                         const MannWhitneyOptions& b) {
    return a.alternative == b.alternative && a.method == b.method &&
           a.continuity_correction == b.continuity_correction;
  }
  friend bool operator!=(const MannWhitneyOptions& a,
                         const MannWhitneyOptions& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const MannWhitneyOptions& options);

// The outcome of MannWhitneyU. A value type.
struct MannWhitneyResult {
  // U of x: #{(i, j): x_i > y_j} + #{(i, j): x_i == y_j} / 2, in
  // [0, n_x * n_y]. SciPy's `statistic`.
  double u = 0;
  // The p-value for the alternative, in [0, 1].
  double p_value = 1;
  // The method used: kExact or kAsymptotic, never kAuto.
  MannWhitneyMethod method = MannWhitneyMethod::kAsymptotic;
  // The standardized statistic of the asymptotic method, with the continuity
  // correction when enabled, of the U whose upper tail is the p-value (SciPy's
  // choice: U of x for kGreater, U of y for kLess, the larger of the two for
  // kTwoSided); NaN for kExact and when every value is equal.
  double z = std::numeric_limits<double>::quiet_NaN();
  // Whether any value occurs more than once in x and y together.
  bool has_ties = false;
  // The sample sizes.
  int64_t n_x = 0;
  int64_t n_y = 0;

  // U / (n_x * n_y): the probability that a random x exceeds a random y, ties
  // counting one half (the common-language effect size of McGraw and Wong,
  // as Vargha and Delaney define it; Kayenta's "cles").
  double common_language_effect() const {
    return u / (static_cast<double>(n_x) * static_cast<double>(n_y));
  }

  friend bool operator==(const MannWhitneyResult& a,
                         const MannWhitneyResult& b);
  friend bool operator!=(const MannWhitneyResult& a,
                         const MannWhitneyResult& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const MannWhitneyResult& result);

// Runs the Mann-Whitney U test of `x` against `y`. Ties (equal values) are
// ranked by their average rank and correct the variance, as SciPy; for data
// that are all ties by construction, bucket counts, use
// MannWhitneyUHistograms below.
//
// Requires both samples non-empty, free of NaN (infinities are ordinary,
// extreme values), and each smaller than 2^31 values. Errors are
// kInvalidArgument naming the field, e.g. "x: must not be empty" or
// "y[3]: must not be NaN"; kExact beyond kMaxExactCells is kInvalidArgument
// naming "method". -0.0 and +0.0 are the same value (a tie).
//
// When the tie-corrected variance is 0 (every value equal) the p-value is 1.
// Thread-safe: the result depends only on the arguments. Each calling thread
// keeps the ranking's scratch memory for its next call (10 to 22 bytes per
// value of x and y: 0.4 MiB after n = m = 10^4, 20 MiB after 10^6; none
// kept above 64 MiB) until the thread exits, so repeated tests do not
// allocate it again.
absl::StatusOr<MannWhitneyResult> MannWhitneyU(
    absl::Span<const double> x, absl::Span<const double> y,
    const MannWhitneyOptions& options = MannWhitneyOptions());

// The same test on histograms (sluice/stats/histogram.h: Prometheus-style
// cumulative buckets, e.g. a latency histogram's increments over a window):
// every observation is its bucket's upper bound, so each bucket is one group
// of ties (the tie-corrected variance accounts for them). Equal to
// MannWhitneyU on the bounds repeated by their counts, in O(buckets).
// Requires both histograms valid, with the same upper_bounds, non-empty and
// below 2^31 observations each; errors are kInvalidArgument naming the
// field, e.g. "y.upper_bounds: must equal x.upper_bounds (the same buckets)"
// or "x: must not be empty". Thread-safe (a pure function).
absl::StatusOr<MannWhitneyResult> MannWhitneyUHistograms(
    const Histogram& x, const Histogram& y,
    const MannWhitneyOptions& options = MannWhitneyOptions());

}  // namespace sluice::stats

#endif  // SLUICE_STATS_MANN_WHITNEY_H_

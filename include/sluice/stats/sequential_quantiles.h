// Copyright 2026 The Sluice Authors.
//
// An anytime-valid test of whether the canary's p-quantile of a metric (p99
// latency, the median) differs from the baseline's, with each arm's
// confidence sequence for its quantile, streamed in single values, batches
// or histogram buckets. No assumption on the distributions beyond i.i.d.
// values within each arm (ties and discrete values are fine).
//
// The test is Howard & Ramdas, "Sequential estimation of quantiles with
// applications to A/B-testing and best-arm identification" (Bernoulli
// 2022), as the authors' confseq library implements it (QuantileABTest):
// for an arm with N values of which a fraction F(x) is below x, the
// two-sided beta-binomial mixture M(x) = BB((F(x) - p) N, p (1 - p) N),
// tuned to be tightest at `tuning_observations` values, is a nonnegative
// supermartingale when x is the arm's true p-quantile (ties take the
// proportion least favourable to rejection). If both arms have the same
// p-quantile q, M_canary(q) M_baseline(q) is one too, so
//   L = inf over x of log M_canary(x) + log M_baseline(x)
// is the log of an e-value, and p = min(1, exp(-L)) an always-valid p-value:
// under the null P(exists t: p_t <= alpha) <= alpha. The p-values agree with
// confseq's to 1e-6 (tests/stats/sequential_quantiles_test.cc).
//
// One-sided (alternative kGreater: "the canary's quantile is higher"):
// the canary's one-sided mixture grows only when fewer than p of its values
// are below x, the baseline's only when more than p of its are, so for any
// x between the two true quantiles under H0 (canary's <= baseline's) the
// product is a supermartingale; the infimum over x gives the e-value. This
// is Sluice's extension (confseq has only the two-sided test); it is tighter
// for a one-sided gate. kLess is the mirror image.
//
// Each arm's confidence sequence for its own quantile is the paper's
// Theorem 1 (beta-binomial boundary; the order statistics
// [X_(floor(t p - u_lo + 1)), X_(ceil(t p + u_hi))]) or, with
// `arm_boundary = kStitched`, its Theorem 3 (the double-stitched boundary,
// valid for all quantiles at once), each at alpha / 2, so the difference
// [L_canary - U_baseline, U_canary - L_baseline] holds with probability
// >= 1 - alpha at all times (a union bound: wider than the test, which can
// reject while that interval still contains 0).
//
// The test "looks" after every call that adds data: it computes L then and
// keeps the largest L so far, so `rejected` means that some look reached
// alpha. Costs: a look is O(log n) mixture evaluations in practice (a
// branch-and-bound over the candidate x; O(d) in the worst case for d
// distinct values); adding a single value is O(d) (a sorted insert) and a
// batch of b values O(d + b log b); memory O(d). Add values in batches (a
// gate's query window) when the arms are large.
//
// Example:
//
//   #include "sluice/stats/sequential_quantiles.h"
//
//   sluice::stats::SequentialQuantileOptions options;
//   options.quantile = 0.99;
//   options.alternative = sluice::stats::Alternative::kGreater;
//   absl::StatusOr<sluice::stats::SequentialQuantileTest> test =
//       sluice::stats::SequentialQuantileTest::Create(options);
//   if (!test.ok()) return test.status();
//   std::vector<double> canary_ms = {212, 198, 250}, baseline_ms = {190, 201};
//   if (absl::Status s = test->AddCanaryValues(canary_ms); !s.ok()) return s;
//   if (absl::Status s = test->AddBaselineValues(baseline_ms); !s.ok())
//     return s;
//   sluice::stats::SequentialResult r = test->result();
//   if (r.rejected) { /* the canary's p99 is higher */ }

#ifndef SLUICE_STATS_SEQUENTIAL_QUANTILES_H_
#define SLUICE_STATS_SEQUENTIAL_QUANTILES_H_

#include <cstdint>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "sluice/stats/alternative.h"
#include "sluice/stats/histogram.h"
#include "sluice/stats/sequential_result.h"

namespace sluice::stats {

// Which boundary gives each arm's confidence sequence for its quantile. A
// plain enum value; pass by value.
enum class QuantileBoundary {
  // Howard & Ramdas' Theorem 1 with the beta-binomial mixture: tightest
  // near `tuning_observations`, for the one quantile.
  kBetaBinomial,
  // Their Theorem 3, double stitching: valid for every quantile at once (a
  // host may read several quantiles of the same stream), wider for one.
  kStitched,
};

// Returns "beta_binomial" or "stitched".
absl::string_view QuantileBoundaryName(QuantileBoundary boundary);

// Options of SequentialQuantileTest. A value type; thread-compatible.
struct SequentialQuantileOptions {
  // The quantile p, in (0, 1). Default: 0.5 (the median).
  double quantile = 0.5;
  // The false-alarm probability of the continuously watched test (and the
  // difference's confidence sequence's miscoverage), in (0, 1); also
  // confseq's alpha_opt, the level the mixtures are tuned for. Default: 0.05.
  double alpha = 0.05;
  // confseq's t_opt: the values per arm at which the mixtures are tightest
  // (they are valid at all times regardless), >= 1. Default: 1000.
  double tuning_observations = 1000;
  // kTwoSided (confseq's test), kGreater (the canary's quantile is higher:
  // a one-sided gate on latency) or kLess. Default: kTwoSided.
  Alternative alternative = Alternative::kTwoSided;
  // The arms' own confidence sequences. Default: kBetaBinomial.
  QuantileBoundary arm_boundary = QuantileBoundary::kBetaBinomial;

  // OK, or kInvalidArgument naming the field.
  absl::Status Validate() const;

  friend bool operator==(const SequentialQuantileOptions& a,
                         const SequentialQuantileOptions& b) {
    return a.quantile == b.quantile && a.alpha == b.alpha &&
           a.tuning_observations == b.tuning_observations &&
           a.alternative == b.alternative && a.arm_boundary == b.arm_boundary;
  }
  friend bool operator!=(const SequentialQuantileOptions& a,
                         const SequentialQuantileOptions& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const SequentialQuantileOptions& o);

// One arm's confidence sequence for its p-quantile. A value type;
// thread-compatible.
struct QuantileSequence {
  // The sample quantile X_(ceil(t p)); NaN before data. Default: 0.
  double estimate = 0;
  // The sequence's ends: -inf / +inf when the data cannot bound them yet (or
  // for the end a one-sided test does not need). Default: 0.
  double lower = 0;
  double upper = 0;
  // The arm's observations. Default: 0.
  int64_t n = 0;
};

// The sequential comparison of the canary's and the baseline's p-quantile;
// see the file comment. The result's e_value is exp(L) at the last look,
// its p_value min(1, exp(-max L over the looks)), its estimate the
// difference of the sample quantiles, [lower, upper] the union-bound
// sequence for the difference (one end infinite when one-sided). A copyable
// value type holding the arms' distinct values and their counts.
// Thread-compatible.
class SequentialQuantileTest {
 public:
  // Validates `options` (kInvalidArgument naming the field).
  static absl::StatusOr<SequentialQuantileTest> Create(
      const SequentialQuantileOptions& options);

  // Adds one observation and looks. +-inf are allowed (they order).
  // kInvalidArgument for NaN ("value: must not be NaN"); the state is then
  // unchanged.
  absl::Status AddCanary(double value);
  absl::Status AddBaseline(double value);

  // Adds a batch of observations, then looks once. kInvalidArgument for a NaN
  // ("values[3]: must not be NaN"), adding none of them.
  absl::Status AddCanaryValues(absl::Span<const double> values);
  absl::Status AddBaselineValues(absl::Span<const double> values);

  // Adds the observations of histogram buckets (an increment between two
  // scrapes), each equal to its bucket's upper bound, then looks once.
  // kInvalidArgument for an invalid histogram (Histogram::Validate's
  // message, prefixed "histogram."), adding none.
  absl::Status AddCanaryHistogram(const Histogram& histogram);
  absl::Status AddBaselineHistogram(const Histogram& histogram);

  // The state of evidence: the test as of the last look; the estimate and
  // the confidence sequence computed now (a few bisections).
  SequentialResult result() const;

  // Whether some look so far reached alpha (result().rejected without
  // computing the confidence sequences). O(1).
  bool rejected() const;

  // Whether the test rejects at this moment (the current p-value, not the
  // smallest so far, is <= alpha).
  bool ExcludesZero() const;

  // The log e-value L at the last look (0 before both arms have data).
  double log_e_value() const { return log_e_; }

  // Each arm's confidence sequence at alpha / 2 (one-sided ends for a
  // one-sided test: the canary's lower and the baseline's upper end for
  // kGreater).
  QuantileSequence canary() const;
  QuantileSequence baseline() const;

  const SequentialQuantileOptions& options() const { return options_; }

  // The evolving state as numbers, for hosts and gates that persist it: for
  // each arm (canary, then baseline) its number of distinct values d, the d
  // values ascending and their d counts; then the largest and the last L.
  // Restore() with the same options gives a test equal (operator==) to this.
  std::vector<double> SaveState() const;

  // A test with `options` resumed from SaveState()'s numbers.
  // kInvalidArgument for bad options or a malformed state ("state: ...").
  static absl::StatusOr<SequentialQuantileTest> Restore(
      const SequentialQuantileOptions& options, absl::Span<const double> state);

  friend bool operator==(const SequentialQuantileTest& a,
                         const SequentialQuantileTest& b);
  friend bool operator!=(const SequentialQuantileTest& a,
                         const SequentialQuantileTest& b) {
    return !(a == b);
  }

 private:
  // An arm: its distinct values ascending, their counts, running totals.
  struct Arm {
    std::vector<double> values;
    std::vector<int64_t> counts;
    std::vector<int64_t> cumulative;
    int64_t n = 0;
    friend bool operator==(const Arm& a, const Arm& b) {
      return a.values == b.values && a.counts == b.counts;
    }
  };

  explicit SequentialQuantileTest(const SequentialQuantileOptions& options);
  static void InsertOne(Arm& arm, double value);
  static void Merge(Arm& arm, std::vector<double> sorted_values,
                    std::vector<int64_t> counts);
  void Look();
  double LowerBound() const;
  QuantileSequence Sequence(const Arm& arm, bool is_canary) const;

  SequentialQuantileOptions options_;
  Arm canary_;
  Arm baseline_;
  double log_e_ = 0;      // L at the last look
  double max_log_e_ = 0;  // the largest L so far
};

}  // namespace sluice::stats

#endif  // SLUICE_STATS_SEQUENTIAL_QUANTILES_H_

// Copyright 2026 The Sluice Authors.
//
// An anytime-valid confidence sequence for the difference between the
// canary's and the baseline's p-quantile of a continuous metric (p99
// latency), streamed one observation at a time, with no assumption about the
// distributions (observations i.i.d. within each arm).
//
// Construction, after Howard & Ramdas, "Sequential estimation of quantiles
// with applications to A/B-testing and best-arm identification" (Bernoulli
// 2022), simplified: for the true p-quantile q of one arm, the indicators
// 1{X_i <= q} (and 1{X_i < q}) are dominated by Bernoulli(p) draws, so with a
// Beta(c p, c (1 - p)) mixture the beta-binomial Bayes factor
//   BF_t(k) = B(c p + k, c (1 - p) + t - k) / B(c p, c (1 - p))
//             / (p^k (1 - p)^(t - k))
// stays below 2/alpha at the count k of observations below q, at all times,
// with probability >= 1 - alpha/2. The k with BF_t(k) < 2/alpha form an
// interval [k_lo, k_hi] (BF_t is log-convex in k), so
//   q in [X_(k_lo), X_(k_hi + 1)]   (order statistics; X_(0) = -inf,
//                                    X_(t+1) = +inf)
// for all t, per arm with probability >= 1 - alpha/2; the difference of the
// two arms' intervals holds with probability >= 1 - alpha (a union bound).
// Simplifications against the paper: the beta-binomial mixture boundary
// (Howard & Ramdas' Theorem 1 family) with one fixed mixture (c tuned for
// `tuning_observations`) rather than their stitched or two-sided-tuned
// boundaries; a union bound across arms; and no e-value for the two-arm
// null (the p-value is the smallest alpha at which the difference's
// confidence sequence excludes 0, computed on demand).
//
// Costs: an observation is O(log n + B) (the order-statistics store keeps
// sorted blocks of at most B = 512 values, plus a few lgamma calls to move
// k_lo and k_hi); result() selects 4 order statistics in O(n / B) and, for
// the p-value, bisects alpha (O(log n) lgamma calls per step).
//
// Example:
//
//   #include "sluice/stats/sequential_quantiles.h"
//
//   sluice::stats::SequentialQuantileOptions options;
//   options.quantile = 0.99;
//   absl::StatusOr<sluice::stats::SequentialQuantileTest> test =
//       sluice::stats::SequentialQuantileTest::Create(options);
//   if (!test.ok()) return test.status();
//   if (absl::Status s = test->AddCanary(212.0); !s.ok()) return s;
//   if (absl::Status s = test->AddBaseline(198.0); !s.ok()) return s;
//   sluice::stats::SequentialResult r = test->result();  // p99 difference

#ifndef SLUICE_STATS_SEQUENTIAL_QUANTILES_H_
#define SLUICE_STATS_SEQUENTIAL_QUANTILES_H_

#include <cstdint>
#include <memory>
#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sluice/stats/sequential_result.h"

namespace sluice::internal {
class OrderStatistics;
}  // namespace sluice::internal

namespace sluice::stats {

// Options of SequentialQuantileTest. A value type; thread-compatible.
struct SequentialQuantileOptions {
  // The quantile p, in (0, 1). Default: 0.5 (the median).
  double quantile = 0.5;
  // The false-alarm probability of the continuously watched test (the
  // confidence sequences' miscoverage), in (0, 1). Default: 0.05.
  double alpha = 0.05;
  // The observations per arm at which the sequence is tightest (it is valid
  // at all times regardless), >= 1. Default: 1000.
  double tuning_observations = 1000;

  // OK, or kInvalidArgument naming the field.
  absl::Status Validate() const;

  friend bool operator==(const SequentialQuantileOptions& a,
                         const SequentialQuantileOptions& b) {
    return a.quantile == b.quantile && a.alpha == b.alpha &&
           a.tuning_observations == b.tuning_observations;
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
  double estimate = 0;  // the sample quantile X_(ceil(t p)); NaN before data
  double lower = 0;
  double upper = 0;
  int64_t n = 0;
};

// The sequential comparison of the canary's and the baseline's p-quantile;
// see the file comment. The estimate is the difference of sample quantiles.
// Copyable (it copies the stored observations); memory O(n).
// Thread-compatible.
class SequentialQuantileTest {
 public:
  // Validates `options` (kInvalidArgument naming the field).
  static absl::StatusOr<SequentialQuantileTest> Create(
      const SequentialQuantileOptions& options);

  SequentialQuantileTest(const SequentialQuantileTest& other);
  SequentialQuantileTest& operator=(const SequentialQuantileTest& other);
  SequentialQuantileTest(SequentialQuantileTest&&) noexcept;
  SequentialQuantileTest& operator=(SequentialQuantileTest&&) noexcept;
  ~SequentialQuantileTest();

  // Adds one observation (+-inf are allowed: they order). kInvalidArgument
  // for NaN ("value: must not be NaN"); the state is then unchanged.
  absl::Status AddCanary(double value);
  absl::Status AddBaseline(double value);

  // The difference's confidence sequence at alpha, with the p-value (the
  // bisection over alpha described in the file comment).
  SequentialResult result() const;

  // Whether the difference's confidence sequence at alpha excludes 0 now
  // (p-value <= alpha), without computing the p-value: O(n / B).
  bool ExcludesZero() const;

  // Each arm's confidence sequence at alpha / 2.
  QuantileSequence canary() const;
  QuantileSequence baseline() const;

  const SequentialQuantileOptions& options() const { return options_; }

 private:
  struct Arm;
  explicit SequentialQuantileTest(const SequentialQuantileOptions& options);
  static absl::Status Add(Arm& arm, double value, double p, double c,
                          double log_threshold);
  QuantileSequence Sequence(const Arm& arm) const;

  SequentialQuantileOptions options_;
  double concentration_ = 0;
  double log_threshold_ = 0;  // log(2 / alpha)
  std::unique_ptr<Arm> canary_;
  std::unique_ptr<Arm> baseline_;
  bool ever_excluded_zero_ = false;
};

}  // namespace sluice::stats

#endif  // SLUICE_STATS_SEQUENTIAL_QUANTILES_H_

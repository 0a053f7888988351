// Copyright 2026 The Sluice Authors.
//
// An anytime-valid test and confidence sequence for the difference of means
// of a continuous metric (latency, CPU) between canary and baseline, streamed
// one observation at a time in any interleaving.
//
// Assumption: observations are independent, each arm's values are
// sub-Gaussian around its mean with a known scale sigma (for values bounded
// in [lo, hi], sigma = (hi - lo) / 2 always holds; for latencies, bound or
// transform them first, e.g. log latency clipped to a known range), and the
// order in which observations arrive does not depend on their values.
//
// Construction: observations are grouped into blocks, a block closing as soon
// as it holds at least one value of each arm; block k gives
// d_k = mean(canary in block) - mean(baseline in block), sub-Gaussian around
// Delta = mu_canary - mu_baseline with variance proxy
// v_k = sigma_c^2 / a_k + sigma_b^2 / b_k. With weights w_k = 1 / v_k,
// S = sum w_k (d_k - Delta) has variance process V = sum w_k, and the
// normal-mixture martingale of Howard, Ramdas, McAuliffe & Sekhon,
// "Time-uniform, nonparametric, nonasymptotic confidence sequences" (Ann.
// Statist. 2021), M = sqrt(rho / (V + rho)) exp(S^2 / (2 (V + rho))), is
// the e-value for H0: Delta = 0, and
//   Delta in [(sum w d - u) / V, (sum w d + u) / V],
//   u = sqrt((V + rho) log((V + rho) / (rho alpha^2))),
// the two-sided confidence sequence, valid at all times simultaneously.
// One-sided (alternative kGreater; kLess mirrors it), the one-sided normal
// mixture M = sqrt(4 rho / (V + rho)) exp(S^2 / (2 (V + rho)))
// Phi(S / sqrt(V + rho)) mixes only over positive tilts: its boundary u1 (the
// S at which M reaches 1/alpha, found by bisection) is below u at the tuning
// point, and the sequence is [(sum w d - u1) / V, +inf).
// rho is tuned as confseq's best_rho, so the sequence is (nearly) tightest
// after `tuning_observations` per arm (rho = V* / (2 log(1/alpha) +
// log(1 + 2 log(1/alpha))), at 2 alpha one-sided). Each observation is O(1);
// result() of a one-sided test bisects for u1.
//
// Example:
//
//   #include "sluice/stats/sequential_means.h"
//
//   sluice::stats::SequentialMeanOptions options;
//   options.sigma_canary = options.sigma_baseline = 0.5;  // log-ms in [0, 1]
//   absl::StatusOr<sluice::stats::SequentialMeanTest> test =
//       sluice::stats::SequentialMeanTest::Create(options);
//   if (!test.ok()) return test.status();
//   if (absl::Status s = test->AddCanary(0.42); !s.ok()) return s;
//   if (absl::Status s = test->AddBaseline(0.40); !s.ok()) return s;
//   sluice::stats::SequentialResult r = test->result();

#ifndef SLUICE_STATS_SEQUENTIAL_MEANS_H_
#define SLUICE_STATS_SEQUENTIAL_MEANS_H_

#include <cstdint>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "sluice/stats/alternative.h"
#include "sluice/stats/sequential_result.h"

namespace sluice::stats {

// Options of SequentialMeanTest. A value type.
struct SequentialMeanOptions {
  // The sub-Gaussian scale of canary values, > 0. Required (no default).
  double sigma_canary = 0;
  // The sub-Gaussian scale of baseline values, > 0. Required (no default).
  double sigma_baseline = 0;
  // The false-alarm probability of the continuously watched test, in (0, 1).
  // Default: 0.05.
  double alpha = 0.05;
  // The observations per arm at which the confidence sequence is tightest
  // (it is valid at every time regardless), >= 1. Default: 1000.
  double tuning_observations = 1000;
  // kTwoSided (any difference), kGreater (the canary's mean is higher: a
  // one-sided gate, tighter than two-sided) or kLess. Default: kTwoSided.
  Alternative alternative = Alternative::kTwoSided;

  // OK, or kInvalidArgument naming the field.
  absl::Status Validate() const;

  friend bool operator==(const SequentialMeanOptions& a,
                         const SequentialMeanOptions& b) {
    return a.sigma_canary == b.sigma_canary &&
           a.sigma_baseline == b.sigma_baseline && a.alpha == b.alpha &&
           a.tuning_observations == b.tuning_observations &&
           a.alternative == b.alternative;
  }
  friend bool operator!=(const SequentialMeanOptions& a,
                         const SequentialMeanOptions& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const SequentialMeanOptions& o);

// The sequential test of mean(canary) - mean(baseline); see the file
// comment. The estimate is the inverse-variance weighted mean of the block
// differences. A copyable value type of a few numbers. Thread-compatible.
class SequentialMeanTest {
 public:
  // Validates `options` (kInvalidArgument naming the field).
  static absl::StatusOr<SequentialMeanTest> Create(
      const SequentialMeanOptions& options);

  // Adds one observation. O(1). kInvalidArgument for a non-finite value
  // ("value: must be finite (got nan)"); the state is then unchanged.
  absl::Status AddCanary(double value);
  absl::Status AddBaseline(double value);

  // The state of evidence. O(1) two-sided; a bisection one-sided.
  SequentialResult result() const;

  // The natural log of the current e-value.
  double log_e_value() const;

  // The mixture parameter rho the options resolve to.
  double rho() const { return rho_; }

  const SequentialMeanOptions& options() const { return options_; }

  // The test's evolving state as numbers (the open block, the sums over
  // closed blocks, the counts), for hosts and gates that persist it
  // (sluice/judge_gates.h keeps it in a GateState). Restore() with the same
  // options gives a test equal (operator==) to this one.
  std::vector<double> SaveState() const;

  // A test with `options` resumed from SaveState()'s numbers.
  // kInvalidArgument for bad options or a state of the wrong size or with
  // bad counts ("state: ...").
  static absl::StatusOr<SequentialMeanTest> Restore(
      const SequentialMeanOptions& options, absl::Span<const double> state);

  friend bool operator==(const SequentialMeanTest& a,
                         const SequentialMeanTest& b);
  friend bool operator!=(const SequentialMeanTest& a,
                         const SequentialMeanTest& b) {
    return !(a == b);
  }

 private:
  explicit SequentialMeanTest(const SequentialMeanOptions& options);
  void MaybeCloseBlock();

  SequentialMeanOptions options_;
  double var_c_ = 0;  // sigma_canary^2
  double var_b_ = 0;  // sigma_baseline^2
  double rho_ = 0;
  // The open block.
  int64_t block_c_ = 0;
  int64_t block_b_ = 0;
  double block_sum_c_ = 0;
  double block_sum_b_ = 0;
  // Closed blocks: sum of w_k d_k and of w_k.
  double sum_wd_ = 0;
  double sum_w_ = 0;
  double max_log_e_ = 0;
  int64_t n_c_ = 0;
  int64_t n_b_ = 0;
};

}  // namespace sluice::stats

#endif  // SLUICE_STATS_SEQUENTIAL_MEANS_H_

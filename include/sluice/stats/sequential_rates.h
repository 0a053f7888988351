// Copyright 2026 The Sluice Authors.
//
// An anytime-valid comparison of the canary's and the baseline's error
// rates (errors per request) from each cohort's request and error counts
// over the same windows. The canary's share of the traffic is measured from
// the request counts of each window, never configured, so it may change
// from window to window (waves growing, regional traffic, a traffic split
// that is not what the spec says).
//
// Model: in window i the canary serves R_c requests and the baseline R_b,
// so the canary's share is rho_i = R_c / (R_c + R_b). Each request of a
// cohort errs with that cohort's probability, which may change from window
// to window; the rate ratio r = canary's / baseline's error probability is
// the same in every window. Given the window's E = E_c + E_b errors, each is
// the canary's with probability theta_i = rho_i r / (rho_i r + 1 - rho_i)
// (at most that, without replacement). Under H0: r <= r0 (`null_ratio`),
// S = sum (E_c,i - theta_i(r0) E_i) has increments at most 1 and variance
// process V = sum theta_i (1 - theta_i) E_i: a sub-Poisson process (scale
// 1), so the one-sided gamma-Poisson mixture of Howard, Ramdas, McAuliffe &
// Sekhon (Ann. Statist. 2021; confseq's GammaPoissonMixture, tuned at
// V = `tuning_events`) is a nonnegative supermartingale, whatever the
// shares and however the rates move over time. It is the e-value for
// kGreater (the canary errs more); kLess uses -S; kTwoSided averages the two
// (each at its own tuning). p = min(1, 1 / the largest e-value so far).
//
// The confidence sequence for r inverts the same test at every r (each
// window's theta_i(r) recomputed): for kGreater [lower, +inf), lower the
// smallest r not rejected; for kTwoSided both ends at alpha / 2 each. It
// needs every window's (rho_i, E_i, E_c,i): the state holds one triple per
// window with errors (windows of equal share merge).
//
// Example:
//
//   #include "sluice/stats/sequential_rates.h"
//
//   absl::StatusOr<sluice::stats::SequentialRateTest> test =
//       sluice::stats::SequentialRateTest::Create(
//           sluice::stats::SequentialRateOptions());
//   if (!test.ok()) return test.status();
//   // Every minute, each cohort's errors and requests in that minute:
//   if (absl::Status s = test->Update({/*errors=*/4, /*requests=*/1200},
//                                     {/*errors=*/9, /*requests=*/6100});
//       !s.ok())
//     return s;
//   if (test->result().rejected) { /* the canary's error rate is higher */ }

#ifndef SLUICE_STATS_SEQUENTIAL_RATES_H_
#define SLUICE_STATS_SEQUENTIAL_RATES_H_

#include <cstdint>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "sluice/stats/alternative.h"
#include "sluice/stats/sequential_result.h"

namespace sluice::stats {

// One cohort's counts over a window. A value type; pass by value;
// thread-compatible.
struct CohortCounts {
  // Events (errors) in the window, <= requests. Default: 0.
  uint64_t errors = 0;
  // Requests (opportunities for an error) in the window. Default: 0.
  uint64_t requests = 0;
};

// Options of SequentialRateTest. A value type; thread-compatible.
struct SequentialRateOptions {
  // The false-alarm probability of the continuously watched test (and the
  // confidence sequence's miscoverage), in (0, 1). Default: 0.05.
  double alpha = 0.05;
  // r0, the rate ratio of the null hypothesis, > 0: with kGreater the test
  // looks for a canary error rate above r0 times the baseline's (1.2: fail
  // only past 20% worse). Default: 1.
  double null_ratio = 1;
  // The intrinsic time V at which the boundary is tightest, > 0: about the
  // canary's error count when its share is small (V = sum theta (1 - theta)
  // E). Default: 50.
  double tuning_events = 50;
  // kGreater (the canary's rate is higher), kLess or kTwoSided.
  // Default: kGreater.
  Alternative alternative = Alternative::kGreater;

  // OK, or kInvalidArgument naming the field.
  absl::Status Validate() const;

  friend bool operator==(const SequentialRateOptions& a,
                         const SequentialRateOptions& b) {
    return a.alpha == b.alpha && a.null_ratio == b.null_ratio &&
           a.tuning_events == b.tuning_events && a.alternative == b.alternative;
  }
  friend bool operator!=(const SequentialRateOptions& a,
                         const SequentialRateOptions& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const SequentialRateOptions& o);

// The sequential rate-ratio test; see the file comment. The result's
// estimate is (E_c / R_c) / (E_b / R_b) over all windows, [lower, upper] the
// confidence sequence for the ratio, n_canary and n_baseline the errors. A
// copyable value type. Thread-compatible.
class SequentialRateTest {
 public:
  // Validates `options` (kInvalidArgument naming the field).
  static absl::StatusOr<SequentialRateTest> Create(
      const SequentialRateOptions& options);

  // Adds one window's counts of both cohorts and looks. A window in which a
  // cohort served no requests carries no information on the ratio and is
  // counted but not tested. kInvalidArgument when errors > requests
  // ("canary.errors: must not exceed canary.requests (got 5 > 4)") or a
  // total would exceed 2^53; the state is then unchanged.
  absl::Status Update(CohortCounts canary, CohortCounts baseline);

  // The state of evidence; the confidence sequence by bisection over r
  // (O(windows) per step).
  SequentialResult result() const;

  // The natural log of the e-value now.
  double log_e_value() const { return log_e_; }

  // Totals so far.
  CohortCounts canary_totals() const { return {errors_c_, requests_c_}; }
  CohortCounts baseline_totals() const { return {errors_b_, requests_b_}; }
  const SequentialRateOptions& options() const { return options_; }

  // The state as numbers: the four totals, the largest log e-value so far,
  // then (rho, errors, canary errors) per stored window. Restore() with the
  // same options gives an equal test.
  std::vector<double> SaveState() const;
  static absl::StatusOr<SequentialRateTest> Restore(
      const SequentialRateOptions& options, absl::Span<const double> state);

  friend bool operator==(const SequentialRateTest& a,
                         const SequentialRateTest& b);
  friend bool operator!=(const SequentialRateTest& a,
                         const SequentialRateTest& b) {
    return !(a == b);
  }

 private:
  struct Window {
    double share = 0;
    double errors = 0;
    double canary_errors = 0;
    friend bool operator==(const Window& a, const Window& b) {
      return a.share == b.share && a.errors == b.errors &&
             a.canary_errors == b.canary_errors;
    }
  };
  explicit SequentialRateTest(const SequentialRateOptions& options);
  // log M of the test of H0: ratio <= r (`up`) or >= r (!up).
  double LogMixture(double r, bool up) const;
  double LogE() const;

  SequentialRateOptions options_;
  std::vector<Window> windows_;
  uint64_t errors_c_ = 0;
  uint64_t requests_c_ = 0;
  uint64_t errors_b_ = 0;
  uint64_t requests_b_ = 0;
  double log_e_ = 0;
  double max_log_e_ = 0;
};

}  // namespace sluice::stats

#endif  // SLUICE_STATS_SEQUENTIAL_RATES_H_

// Copyright 2026 The Sluice Authors.
//
// A before/after comparison of error rates on the same targets, adjusted by
// a control group over the same two windows: the difference in differences
// of log rates, i.e. the ratio of rate ratios
//
//   R = (E_ta / N_ta) / (E_tb / N_tb)  /  ((E_ca / N_ca) / (E_cb / N_cb)),
//
// t the treated cohort (the canary's targets), c the control (targets that
// stay on the old version, ideally in the canary's zone), b the window
// before the deploy and a the window after it; E errors and N requests.
//
// Model: the log-linear Poisson model with the requests as offset,
// log mu = log N + alpha + beta [after] + gamma [treated]
//          + delta [after x treated],
// is saturated on the four cells; the maximum-likelihood delta is log R and
// its Wald variance is the sum of 1/E over the cells. Every target's own
// error-rate multiplier cancels in the treated cohort's before/after ratio;
// whatever moves the treated and the control zone together over time (a
// zone incident, the zone's recorded background, the daily cycle) cancels
// in the difference. Overdispersion is a quasi-likelihood: each cell's
// variance is phi / E, phi the cell's Pearson dispersion over its
// per-minute counts (PearsonDispersion(), at least 1; the self-baseline
// gate takes the larger of the cohort's, pooled over its two windows, and
// the cell's own window's). A cell with no
// errors gets the Haldane-Anscombe correction (0.5 added to every cell's
// errors). The test of H0: R <= null_ratio is one-sided:
// z = (log R - log null_ratio) / se, p = 1 - Phi(z).
//
// Without a control (RateRatioTest()) the same test drops the control's two
// terms: R = (E_ta / N_ta) / (E_tb / N_tb), se^2 = phi_ta / E_ta +
// phi_tb / E_tb. Nothing then cancels what moves the cohort over time, so
// null_ratio must cover it.
//
// Example:
//
//   #include "sluice/stats/rate_did.h"
//
//   sluice::stats::CountCell after{/*events=*/40, /*exposure=*/20000, 1.2};
//   sluice::stats::CountCell before{/*events=*/35, /*exposure=*/40000, 1.1};
//   sluice::stats::CountCell control_after{60, 60000, 1.0};
//   sluice::stats::CountCell control_before{120, 120000, 1.3};
//   absl::StatusOr<sluice::stats::DidResult> r =
//       sluice::stats::RatioOfRatiosTest(after, before, control_after,
//                                        control_before, /*null_ratio=*/1.0);
//   if (!r.ok()) return r.status();
//   if (r->p_value < 0.01) { /* the canary's rate rose more than the control's
//   */ }

#ifndef SLUICE_STATS_RATE_DID_H_
#define SLUICE_STATS_RATE_DID_H_

#include <ostream>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace sluice::stats {

// One cell of the 2 x 2 table: a cohort's errors and requests summed over a
// window, and the overdispersion of its per-minute error counts. Value
// type; thread-compatible.
struct CountCell {
  // Errors (events) in the window, >= 0. Default: 0.
  double events = 0;
  // Requests (exposure) in the window, > 0. Default: 0 (invalid).
  double exposure = 0;
  // The quasi-Poisson dispersion phi, >= 1 (1: Poisson). Default: 1.
  double dispersion = 1;

  friend bool operator==(const CountCell& a, const CountCell& b) {
    return a.events == b.events && a.exposure == b.exposure &&
           a.dispersion == b.dispersion;
  }
  friend bool operator!=(const CountCell& a, const CountCell& b) {
    return !(a == b);
  }
};

// Prints "errors/requests (phi)".
std::ostream& operator<<(std::ostream& os, const CountCell& cell);

// The result of RatioOfRatiosTest(). Value type; thread-compatible.
struct DidResult {
  // R, the ratio of rate ratios (exp(log_ratio)).
  double ratio = 1;
  // log R, the log-linear model's interaction.
  double log_ratio = 0;
  // Its quasi-likelihood standard error.
  double standard_error = 0;
  // (log R - log null_ratio) / standard_error.
  double z = 0;
  // One-sided p-value of H0: R <= null_ratio, 1 - Phi(z).
  double p_value = 1;
};

// The Pearson dispersion of per-period error counts `events[i]` over
// requests `exposure[i]` (the same length): X^2 / df, X^2 = sum (E_i -
// N_i p_g)^2 / (N_i p_g) with p_g = sum E / sum N over the periods of the
// period's group g (`groups[i]`; empty: one group), df = the sum over groups
// of (periods with requests - 1). Periods without requests do not count; a
// group without errors adds its degrees of freedom and nothing to X^2. At
// least 1 (a quasi-Poisson variance is never taken below Poisson's); 1
// when df < 1. Pooling a cohort's windows before and after a deploy (each
// around its own rate) estimates its dispersion from more minutes.
// Errors are kInvalidArgument: lengths differ, a negative or non-finite
// value, a negative group.
absl::StatusOr<double> PearsonDispersion(absl::Span<const double> events,
                                         absl::Span<const double> exposure,
                                         absl::Span<const int> groups = {});

// The one-sided test of the ratio of rate ratios (above). Errors are
// kInvalidArgument naming the cell ("treated_after.exposure: must be > 0")
// or null_ratio (must be finite and > 0).
absl::StatusOr<DidResult> RatioOfRatiosTest(const CountCell& treated_after,
                                            const CountCell& treated_before,
                                            const CountCell& control_after,
                                            const CountCell& control_before,
                                            double null_ratio = 1.0);

// The same one-sided test without a control: R is the treated cohort's
// after/before rate ratio, its variance the two treated cells' terms (the
// Haldane-Anscombe correction when either has no errors). Errors are
// kInvalidArgument naming the cell or null_ratio, as above.
absl::StatusOr<DidResult> RateRatioTest(const CountCell& treated_after,
                                        const CountCell& treated_before,
                                        double null_ratio = 1.0);

}  // namespace sluice::stats

#endif  // SLUICE_STATS_RATE_DID_H_

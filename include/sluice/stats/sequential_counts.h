// Copyright 2026 The Sluice Authors.
//
// An anytime-valid test of event counts: are the canary's errors (or any
// events) more, or fewer, than its share of the traffic predicts? After
// Lindon & Malek, "Anytime-Valid Inference for Multinomial Count Data"
// (NeurIPS 2022), as used for canaries in Lindon, Sanden & Shirikian, "Rapid
// Regression Detection in Software Deployments through Sequential Testing"
// (KDD 2022).
//
// Model: canary and baseline events are Poisson processes with rates
// lambda_c(t) = r * lambda(t) * rho and lambda_b(t) = lambda(t) * (1 - rho),
// where rho is the canary's traffic share and lambda(t) may vary arbitrarily
// over time. Given the events so far, each is a canary event with probability
// theta = rho * r / (rho * r + 1 - rho), independently; r = 1 (no regression)
// is theta = rho. With a Beta(k * rho, k * (1 - rho)) mixture over theta, the
// Bayes factor
//   BF_n = B(a + n_c, b + n_b) / B(a, b) / (rho^n_c (1 - rho)^n_b)
// is a nonnegative martingale under r = 1, so by Ville's inequality
// P(exists n: BF_n >= 1/alpha) <= alpha. Sluice reports BF_n, the
// always-valid p-value min(1, 1 / max_{m <= n} BF_m), the rate ratio estimate
// r_hat and its confidence sequence {r : BF_n(theta(r)) < 1/alpha}.
// Each Update is O(1) (a log or three lgamma calls); result() solves for the
// confidence sequence's ends (O(log(1/precision))).
//
// Example:
//
//   #include "sluice/stats/sequential_counts.h"
//
//   sluice::stats::SequentialCountOptions options;
//   options.canary_share = 0.05;  // 5% of traffic on the canary
//   absl::StatusOr<sluice::stats::SequentialCountTest> test =
//       sluice::stats::SequentialCountTest::Create(options);
//   if (!test.ok()) return test.status();
//   // Every minute, the new errors on each side:
//   if (absl::Status s = test->Update(canary_errors, baseline_errors); !s.ok())
//     return s;
//   sluice::stats::SequentialResult r = test->result();
//   if (r.rejected && r.lower > 1) { /* the canary's error rate is higher */ }

#ifndef SLUICE_STATS_SEQUENTIAL_COUNTS_H_
#define SLUICE_STATS_SEQUENTIAL_COUNTS_H_

#include <cstdint>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "sluice/stats/sequential_result.h"

namespace sluice::stats {

// Options of SequentialCountTest. A value type.
struct SequentialCountOptions {
  // The canary's share of the traffic (of the opportunities for events), in
  // (0, 1). Required: no default (0 is rejected).
  double canary_share = 0;
  // The false-alarm probability over the whole, continuously watched test, in
  // (0, 1). Default: 0.05.
  double alpha = 0.05;
  // k, the concentration of the Beta mixture centred on canary_share, > 0.
  // Larger k is more sensitive to small changes late, less to large changes
  // early; k ~ 0.12 * n suits a test expected to see n events at alpha 0.05.
  // Default: 100.
  double prior_concentration = 100;

  // OK, or kInvalidArgument naming the field.
  absl::Status Validate() const;

  friend bool operator==(const SequentialCountOptions& a,
                         const SequentialCountOptions& b) {
    return a.canary_share == b.canary_share && a.alpha == b.alpha &&
           a.prior_concentration == b.prior_concentration;
  }
  friend bool operator!=(const SequentialCountOptions& a,
                         const SequentialCountOptions& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const SequentialCountOptions& o);

// The sequential count test; see the file comment. The effect is the rate
// ratio r = canary rate / baseline rate (per unit of traffic). A copyable
// value type holding a few numbers. Thread-compatible.
class SequentialCountTest {
 public:
  // Validates `options`; kInvalidArgument naming the field, e.g.
  // "canary_share: must be in (0, 1) (got 0)".
  static absl::StatusOr<SequentialCountTest> Create(
      const SequentialCountOptions& options);

  // Adds the events seen since the last call on each side. O(1).
  // kInvalidArgument when a total would exceed 2^53 (counts stay exact).
  absl::Status Update(uint64_t canary_events, uint64_t baseline_events);

  // The state of evidence. O(log(1/precision)) for the interval ends.
  SequentialResult result() const;

  // The natural log of the current Bayes factor (finite where the e-value
  // overflows a double).
  double log_e_value() const { return log_bf_; }

  const SequentialCountOptions& options() const { return options_; }

  // The test's evolving state as numbers (the counts, exact below 2^53, and
  // the log Bayes factors), for hosts and gates that persist it
  // (sluice/judge_gates.h keeps it in a GateState). Restore() with the same
  // options gives a test equal (operator==) to this one.
  std::vector<double> SaveState() const;

  // A test with `options` resumed from SaveState()'s numbers.
  // kInvalidArgument for bad options or a state of the wrong size or with
  // counts that are negative, fractional or above 2^53 ("state: ...").
  static absl::StatusOr<SequentialCountTest> Restore(
      const SequentialCountOptions& options, absl::Span<const double> state);

  friend bool operator==(const SequentialCountTest& a,
                         const SequentialCountTest& b);
  friend bool operator!=(const SequentialCountTest& a,
                         const SequentialCountTest& b) {
    return !(a == b);
  }

 private:
  explicit SequentialCountTest(const SequentialCountOptions& options);

  SequentialCountOptions options_;
  double a_ = 0;  // Beta mixture parameters
  double b_ = 0;
  double log_share_ = 0;     // log(rho)
  double log_1m_share_ = 0;  // log(1 - rho)
  double log_beta_ab_ = 0;   // log B(a, b)
  uint64_t n_canary_ = 0;
  uint64_t n_baseline_ = 0;
  double log_bf_ = 0;
  double max_log_bf_ = 0;
};

}  // namespace sluice::stats

#endif  // SLUICE_STATS_SEQUENTIAL_COUNTS_H_

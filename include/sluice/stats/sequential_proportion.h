// Copyright 2026 The Sluice Authors.
//
// An anytime-valid test and confidence sequence for a single proportion: is
// an error rate (errors per request) above an absolute limit? Streamed as
// counts (events out of trials) per window, checked after every window.
//
// Construction: with k events in t trials, S = k - p t and V = p (1 - p) t,
// the beta-binomial mixture of Howard, Ramdas, McAuliffe & Sekhon (Ann.
// Statist. 2021), as confseq implements it (lib/stats/boundaries.h), is a
// nonnegative supermartingale when the rate is p. The test of H0: rate <=
// limit (alternative kGreater, the default) uses the one-sided mixture at p
// = limit, which grows only when events run above the limit; it stays a
// supermartingale whenever every trial's error probability, given the past,
// is at most the limit (the rate may vary over time below it). Its value is
// the e-value; p = min(1, 1 / the largest e-value so far). The confidence
// sequence is {p : log M_p(k - p t, p (1 - p) t) < log(1/alpha)} with each p's
// mixture tuned at p (1 - p) `tuning_trials`: two-sided this is confseq's
// bernoulli_confidence_interval (checked to 1e-9 against it); one-sided the
// same with one-sided mixtures, so only the lower end is finite for kGreater
// (the upper end is 1), and the limit leaves it when the test rejects.
//
// Costs: Update is O(1) plus one mixture evaluation (an incomplete beta
// function, O(sqrt(t)) at worst); result() bisects for the ends.
//
// Example:
//
//   #include "sluice/stats/sequential_proportion.h"
//
//   sluice::stats::SequentialProportionOptions options;
//   options.limit = 0.01;  // at most 1% errors
//   absl::StatusOr<sluice::stats::SequentialProportionTest> test =
//       sluice::stats::SequentialProportionTest::Create(options);
//   if (!test.ok()) return test.status();
//   // Every minute: the errors and requests of that minute.
//   if (absl::Status s = test->Update(/*events=*/31, /*trials=*/2000); !s.ok())
//     return s;
//   if (test->result().rejected) { /* the error rate is above 1% */ }

#ifndef SLUICE_STATS_SEQUENTIAL_PROPORTION_H_
#define SLUICE_STATS_SEQUENTIAL_PROPORTION_H_

#include <cstdint>
#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "sluice/stats/alternative.h"
#include "sluice/stats/sequential_result.h"

namespace sluice::stats {

// Options of SequentialProportionTest. A value type; thread-compatible.
struct SequentialProportionOptions {
  // The proportion under test, in (0, 1): the error-rate limit. Required (no
  // default; 0 is rejected).
  double limit = 0;
  // The false-alarm probability of the continuously watched test (and the
  // confidence sequence's miscoverage), in (0, 1); also the level the
  // mixtures are tuned for. Default: 0.05.
  double alpha = 0.05;
  // The trials at which the boundary is tightest (confseq's t_opt), >= 1.
  // Default: 10000.
  double tuning_trials = 10000;
  // kGreater (H0: rate <= limit; the error-rate gate), kLess (H0: rate >=
  // limit) or kTwoSided (H0: rate == limit). Default: kGreater.
  Alternative alternative = Alternative::kGreater;

  // OK, or kInvalidArgument naming the field.
  absl::Status Validate() const;

  friend bool operator==(const SequentialProportionOptions& a,
                         const SequentialProportionOptions& b) {
    return a.limit == b.limit && a.alpha == b.alpha &&
           a.tuning_trials == b.tuning_trials && a.alternative == b.alternative;
  }
  friend bool operator!=(const SequentialProportionOptions& a,
                         const SequentialProportionOptions& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os,
                         const SequentialProportionOptions& o);

// The sequential test of one proportion against `limit`; see the file
// comment. The result's estimate is events / trials, [lower, upper] the
// confidence sequence for the rate, n_canary the trials and n_baseline 0. A
// copyable value type of a few numbers. Thread-compatible.
class SequentialProportionTest {
 public:
  // Validates `options` (kInvalidArgument naming the field).
  static absl::StatusOr<SequentialProportionTest> Create(
      const SequentialProportionOptions& options);

  // Adds a window's events out of its trials and looks. kInvalidArgument when
  // events > trials or a total would exceed 2^53; the state is then
  // unchanged.
  absl::Status Update(uint64_t events, uint64_t trials);

  // The state of evidence; the ends of the sequence by bisection.
  SequentialResult result() const;

  // The natural log of the e-value now.
  double log_e_value() const { return log_e_; }

  uint64_t events() const { return events_; }
  uint64_t trials() const { return trials_; }
  const SequentialProportionOptions& options() const { return options_; }

  // The state as numbers (events, trials, the largest log e-value so far),
  // for hosts and gates that persist it; Restore() with the same options
  // gives an equal test.
  std::vector<double> SaveState() const;
  static absl::StatusOr<SequentialProportionTest> Restore(
      const SequentialProportionOptions& options,
      absl::Span<const double> state);

  friend bool operator==(const SequentialProportionTest& a,
                         const SequentialProportionTest& b);
  friend bool operator!=(const SequentialProportionTest& a,
                         const SequentialProportionTest& b) {
    return !(a == b);
  }

 private:
  explicit SequentialProportionTest(const SequentialProportionOptions& options);
  double LogE() const;

  SequentialProportionOptions options_;
  uint64_t events_ = 0;
  uint64_t trials_ = 0;
  double log_e_ = 0;
  double max_log_e_ = 0;
};

}  // namespace sluice::stats

#endif  // SLUICE_STATS_SEQUENTIAL_PROPORTION_H_

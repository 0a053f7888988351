// Copyright 2026 The Sluice Authors.
//
// What Sluice's sequential (anytime-valid) tests report: their evidence
// against "the canary is no different from the baseline", an always-valid
// p-value, the effect estimate and its confidence sequence. Unlike a
// fixed-horizon test's, these guarantees hold however often the host looks:
// the probability that the p-value EVER falls to alpha under the null is at
// most alpha, and the confidence sequence covers the true effect at all
// times at once with probability at least 1 - alpha.
//
// Example:
//
//   #include "sluice/stats/sequential_result.h"
//
//   void Report(const sluice::stats::SequentialResult& r) {
//     if (r.rejected) {
//       std::cout << "canary differs: effect in [" << r.lower << ", "
//                 << r.upper << "]\n";
//     }
//   }

#ifndef SLUICE_STATS_SEQUENTIAL_RESULT_H_
#define SLUICE_STATS_SEQUENTIAL_RESULT_H_

#include <cstdint>
#include <limits>
#include <ostream>

namespace sluice::stats {

// A sequential test's state of evidence. A value type; every field is as of
// the last observation. Thread-compatible.
struct SequentialResult {
  // The e-value (Bayes factor / mixture supermartingale, or for the quantile
  // test a lower bound of one) against the null at the current time (the
  // last look): P(ever >= 1/alpha) <= alpha under the null. NaN before any
  // test has computed one.
  double e_value = std::numeric_limits<double>::quiet_NaN();
  // The always-valid p-value, in [0, 1]: P(ever <= alpha) <= alpha under the
  // null. Non-increasing over time: 1 / the largest e-value so far (capped
  // at 1).
  double p_value = 1;
  // The effect estimate; its meaning is the test's (a rate ratio, a
  // difference of means, a difference of quantiles). NaN before data.
  double estimate = std::numeric_limits<double>::quiet_NaN();
  // The confidence sequence for the effect at the test's alpha.
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  // Observations (or events) so far on each side.
  int64_t n_canary = 0;
  int64_t n_baseline = 0;
  // Whether the null has been rejected at the test's alpha (p_value <= alpha)
  // at any time so far. Stopping the canary then keeps the false-alarm
  // probability at alpha.
  bool rejected = false;

  friend bool operator==(const SequentialResult& a, const SequentialResult& b);
  friend bool operator!=(const SequentialResult& a, const SequentialResult& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const SequentialResult& r);

}  // namespace sluice::stats

#endif  // SLUICE_STATS_SEQUENTIAL_RESULT_H_

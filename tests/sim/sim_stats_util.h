// Copyright 2026 The Sluice Authors.
//
// Sample moments and the tolerances the simulator's statistical tests use:
// five standard errors, estimated from the sample itself, so a test's
// tolerance follows its sample size instead of being guessed.

#ifndef SLUICE_TESTS_SIM_SIM_STATS_UTIL_H_
#define SLUICE_TESTS_SIM_SIM_STATS_UTIL_H_

#include <algorithm>
#include <cmath>
#include <vector>

namespace sluice::sim::testing {

// The first moments of a sample.
struct Moments {
  double n = 0;
  double mean = 0;
  // The sample variance (n - 1 in the denominator) and the fourth central
  // moment.
  double variance = 0;
  double m4 = 0;

  // Five standard errors of the mean: 5 sqrt(variance / n).
  double MeanTolerance() const { return 5 * std::sqrt(variance / n); }
  // Five standard errors of the sample variance: 5 sqrt((m4 - s^4) / n).
  double VarianceTolerance() const {
    return 5 * std::sqrt(std::max(0.0, m4 - variance * variance) / n);
  }
};

inline Moments MomentsOf(const std::vector<double>& x) {
  Moments m;
  m.n = static_cast<double>(x.size());
  for (double v : x) m.mean += v;
  m.mean /= m.n;
  double s2 = 0, s4 = 0;
  for (double v : x) {
    const double d = v - m.mean;
    s2 += d * d;
    s4 += d * d * d * d;
  }
  m.variance = s2 / (m.n - 1);
  m.m4 = s4 / m.n;
  return m;
}

// Five standard errors of a proportion p estimated from n trials.
inline double ProportionTolerance(double p, double n) {
  return 5 * std::sqrt(std::max(p * (1 - p), 1e-12) / n);
}

}  // namespace sluice::sim::testing

#endif  // SLUICE_TESTS_SIM_SIM_STATS_UTIL_H_

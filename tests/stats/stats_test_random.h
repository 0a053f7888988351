// Copyright 2026 The Sluice Authors.
//
// Deterministic random draws for the statistics tests: std::mt19937_64 (whose
// output the C++ standard fixes) and Sluice's own transforms, so a seed gives
// the same numbers with every standard library.

#ifndef SLUICE_TESTS_STATS_STATS_TEST_RANDOM_H_
#define SLUICE_TESTS_STATS_STATS_TEST_RANDOM_H_

#include <cmath>
#include <cstdint>
#include <random>

namespace sluice::stats::testing {

class TestRandom {
 public:
  explicit TestRandom(uint64_t seed) : gen_(seed) {}

  // Uniform in [0, 1), 53 random bits.
  double Uniform() {
    return static_cast<double>(gen_() >> 11) * (1.0 / 9007199254740992.0);
  }

  bool Bernoulli(double p) { return Uniform() < p; }

  // Standard normal by Box-Muller (both values used in turn).
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = Uniform();
    while (u1 <= 0) u1 = Uniform();
    const double u2 = Uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    constexpr double kTwoPi = 6.283185307179586476925;
    spare_ = r * std::sin(kTwoPi * u2);
    has_spare_ = true;
    return r * std::cos(kTwoPi * u2);
  }

  // Exponential with mean 1.
  double Exponential() {
    double u = Uniform();
    while (u <= 0) u = Uniform();
    return -std::log(u);
  }

 private:
  std::mt19937_64 gen_;
  bool has_spare_ = false;
  double spare_ = 0;
};

// The smallest count c with P(Binomial(n, p) >= c) <= level: in n Monte
// Carlo runs of an event of probability at most p, c or more events would
// happen by chance with probability at most `level`. The tolerance of the
// tests' false-alarm checks, computed rather than guessed.
inline int BinomialUpperLimit(int n, double p, double level = 0.001) {
  double tail = 1;  // P(X >= c)
  double pmf = std::pow(1 - p, n);
  for (int c = 0; c <= n; ++c) {
    if (tail <= level) return c;
    tail -= pmf;
    pmf *= (n - c) / (c + 1.0) * p / (1 - p);
  }
  return n + 1;
}

}  // namespace sluice::stats::testing

#endif  // SLUICE_TESTS_STATS_STATS_TEST_RANDOM_H_

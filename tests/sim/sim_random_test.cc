// Copyright 2026 The Sluice Authors.

#include "lib/sim/sim_random.h"

#include <cmath>
#include <cstdint>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::internal {
namespace {

TEST(SimRandomTest, NormalQuantileMatchesKnownValues) {
  EXPECT_DOUBLE_EQ(SimNormalQuantile(0.5), 0.0);
  EXPECT_NEAR(SimNormalQuantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(SimNormalQuantile(0.025), -1.959963984540054, 1e-12);
  EXPECT_NEAR(SimNormalQuantile(0.999), 3.090232306167813, 1e-12);
  EXPECT_NEAR(SimNormalQuantile(1e-10), -6.361340902404056, 1e-9);
  EXPECT_EQ(SimNormalQuantile(0), -INFINITY);
  EXPECT_EQ(SimNormalQuantile(1), INFINITY);
}

TEST(SimRandomTest, NormalCdfInvertsQuantile) {
  for (double p : {0.001, 0.1, 0.3, 0.5, 0.8, 0.99}) {
    EXPECT_NEAR(SimNormalCdf(SimNormalQuantile(p)), p, 1e-12) << p;
  }
}

TEST(SimRandomTest, HashIsDeterministicAndOrderSensitive) {
  EXPECT_EQ(HashWords({1, 2, 3}), HashWords({1, 2, 3}));
  EXPECT_NE(HashWords({1, 2, 3}), HashWords({3, 2, 1}));
  EXPECT_NE(HashWords({1, 2}), HashWords({1, 2, 0}));
  // A fixed value: the generator must never change under users' feet.
  EXPECT_EQ(SplitMix64(0), 0xe220a8397b1dcdafULL);
}

TEST(SimRandomTest, UnitIsInOpenInterval) {
  EXPECT_GT(UnitFromBits(0), 0.0);
  EXPECT_LT(UnitFromBits(~uint64_t{0}), 1.0);
}

struct Moments {
  double mean;
  double variance;
};

template <typename F>
Moments Sample(int n, F draw) {
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw(HashWords({42, static_cast<uint64_t>(i)}));
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  return {mean, sum2 / n - mean * mean};
}

TEST(SimRandomTest, NormalDrawsHaveUnitVariance) {
  Moments m = Sample(200000, NormalFromBits);
  EXPECT_NEAR(m.mean, 0, 0.01);
  EXPECT_NEAR(m.variance, 1, 0.02);
}

class PoissonTest : public ::testing::TestWithParam<double> {};

TEST_P(PoissonTest, MeanAndVarianceAreLambda) {
  const double lambda = GetParam();
  Moments m = Sample(
      100000, [&](uint64_t bits) { return PoissonFromBits(lambda, bits); });
  EXPECT_NEAR(m.mean, lambda, 0.02 * lambda + 0.01);
  EXPECT_NEAR(m.variance, lambda, 0.05 * lambda + 0.01);
}

INSTANTIATE_TEST_SUITE_P(Lambdas, PoissonTest,
                         ::testing::Values(0.05, 1.0, 7.5, 39.0, 41.0, 1e4));

TEST(SimRandomTest, PoissonOfZeroIsZero) {
  EXPECT_EQ(PoissonFromBits(0, 12345), 0);
  EXPECT_EQ(PoissonFromBits(-1, 12345), 0);
}

// Gamma(k, 1): mean k and variance k; tolerances are five standard errors
// (the variance's from the fourth cumulant 6k: sqrt((6k + 2k^2) / n)).
class GammaTest : public ::testing::TestWithParam<double> {};

TEST_P(GammaTest, MeanAndVarianceAreTheShape) {
  const double k = GetParam();
  const int n = 100000;
  Moments m = Sample(n, [&](uint64_t bits) { return GammaFromKey(k, bits); });
  EXPECT_NEAR(m.mean, k, 5 * std::sqrt(k / n));
  EXPECT_NEAR(m.variance, k, 5 * std::sqrt((6 * k + 2 * k * k) / n));
}

INSTANTIATE_TEST_SUITE_P(Shapes, GammaTest,
                         ::testing::Values(0.3, 1.0, 4.0, 60.0));

TEST(SimRandomTest, GammaIsPositiveAndDeterministic) {
  EXPECT_EQ(GammaFromKey(0, 1), 0);
  EXPECT_EQ(GammaFromKey(2.5, 99), GammaFromKey(2.5, 99));
  EXPECT_NE(GammaFromKey(2.5, 99), GammaFromKey(2.5, 100));
  for (uint64_t i = 0; i < 1000; ++i) EXPECT_GT(GammaFromKey(0.2, i), 0);
}

// Binomial(n, p): mean np and variance np(1 - p), by inversion and by the
// normal approximation, including p > 1/2 (drawn as n minus the complement).
struct BinomialCase {
  double n;
  double p;
};

class BinomialTest : public ::testing::TestWithParam<BinomialCase> {};

TEST_P(BinomialTest, MeanAndVariance) {
  const double trials = GetParam().n;
  const double p = GetParam().p;
  const int n = 100000;
  Moments m = Sample(
      n, [&](uint64_t bits) { return BinomialFromBits(trials, p, bits); });
  const double mean = trials * p;
  const double variance = trials * p * (1 - p);
  // Fourth cumulant of the binomial: np(1-p)(1 - 6p(1-p)).
  const double k4 = variance * (1 - 6 * p * (1 - p));
  EXPECT_NEAR(m.mean, mean, 5 * std::sqrt(variance / n));
  EXPECT_NEAR(m.variance, variance,
              5 * std::sqrt((k4 + 2 * variance * variance) / n) + 0.01);
}

INSTANTIATE_TEST_SUITE_P(Cases, BinomialTest,
                         ::testing::Values(BinomialCase{20, 0.3},
                                           BinomialCase{5000, 0.002},
                                           BinomialCase{1e5, 0.4},
                                           BinomialCase{50, 0.95},
                                           BinomialCase{1e6, 0.999}));

TEST(SimRandomTest, BinomialBounds) {
  EXPECT_EQ(BinomialFromBits(0, 0.5, 3), 0);
  EXPECT_EQ(BinomialFromBits(10, 0, 3), 0);
  EXPECT_EQ(BinomialFromBits(10, 1, 3), 10);
  for (uint64_t i = 0; i < 1000; ++i) {
    const double x = BinomialFromBits(40, 0.5, HashWords({i}));
    EXPECT_GE(x, 0);
    EXPECT_LE(x, 40);
  }
}

TEST(SimRandomTest, ParetoHasItsMedian) {
  // Median of Pareto(xm, a) is xm * 2^(1/a).
  int below = 0;
  const int n = 100000;
  const double median = 150 * std::pow(2.0, 1 / 2.5);
  for (int i = 0; i < n; ++i) {
    const double x =
        ParetoFromBits(150, 2.5, HashWords({7, static_cast<uint64_t>(i)}));
    ASSERT_GE(x, 150);
    if (x < median) ++below;
  }
  EXPECT_NEAR(static_cast<double>(below) / n, 0.5, 0.01);
}

}  // namespace
}  // namespace sluice::internal

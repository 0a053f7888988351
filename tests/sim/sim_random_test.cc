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

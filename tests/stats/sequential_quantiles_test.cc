// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_quantiles.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"
#include "tests/stats/stats_test_random.h"

namespace sluice::stats {
namespace {

using ::sluice::stats::testing::TestRandom;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

constexpr double kInf = std::numeric_limits<double>::infinity();

double LogBeta(double a, double b) {
  return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
}

// The arm's sequence is [X_(k_lo), X_(k_hi + 1)] for the k with
// BF_t(k) < 2 / alpha, checked against a brute-force scan of k.
TEST(SequentialQuantileTest, ArmSequenceIsTheOrderStatisticsOfTheLevelSet) {
  SequentialQuantileOptions options;
  options.quantile = 0.75;
  options.tuning_observations = 100;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialQuantileTest test,
                              SequentialQuantileTest::Create(options));
  TestRandom random(31);
  std::vector<double> values;
  // The concentration the options resolve to: 100 * r*(alpha / 2) - 1.
  const double target = -2 * std::log(0.025);
  double s_lo = 0, s_hi = 64;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (s_lo + s_hi);
    (mid - std::log1p(mid) < target ? s_lo : s_hi) = mid;
  }
  const double c = std::max(1.0, 100 / s_hi - 1);
  for (int t = 1; t <= 400; ++t) {
    const double x = random.Normal();
    values.push_back(x);
    ASSERT_TRUE(test.AddCanary(x).ok());
    if (t % 37 != 0) continue;
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    int k_lo = -1, k_hi = -1;
    for (int k = 0; k <= t; ++k) {
      const double log_bf = LogBeta(c * 0.75 + k, c * 0.25 + t - k) -
                            LogBeta(c * 0.75, c * 0.25) - k * std::log(0.75) -
                            (t - k) * std::log(0.25);
      if (log_bf < std::log(2 / 0.05)) {
        if (k_lo < 0) k_lo = k;
        k_hi = k;
      }
    }
    const QuantileSequence s = test.canary();
    EXPECT_EQ(s.lower, k_lo >= 1 ? sorted[k_lo - 1] : -kInf) << t;
    EXPECT_EQ(s.upper, k_hi + 1 <= t ? sorted[k_hi] : kInf) << t;
    EXPECT_EQ(s.estimate, sorted[static_cast<int>(std::ceil(t * 0.75)) - 1]);
  }
}

TEST(SequentialQuantileTest, DetectsAShiftInTheTail) {
  constexpr int kRuns = 30;
  TestRandom random(32);
  SequentialQuantileOptions options;
  options.quantile = 0.9;
  options.tuning_observations = 500;
  int detected = 0;
  for (int run = 0; run < kRuns; ++run) {
    SLUICE_ASSERT_OK_AND_ASSIGN(SequentialQuantileTest test,
                                SequentialQuantileTest::Create(options));
    for (int i = 0; i < 3000 && !test.ExcludesZero(); ++i) {
      // Canary latencies 40% longer.
      ASSERT_TRUE(test.AddCanary(140 * random.Exponential()).ok());
      ASSERT_TRUE(test.AddBaseline(100 * random.Exponential()).ok());
    }
    const SequentialResult r = test.result();
    if (r.rejected && r.lower > 0) ++detected;
  }
  EXPECT_GE(detected, 28);
}

TEST(SequentialQuantileTest, ConfidenceSequenceCoversTheTrueDifference) {
  constexpr int kRuns = 200;
  TestRandom random(33);
  SequentialQuantileOptions options;
  options.quantile = 0.5;
  options.tuning_observations = 200;
  // Medians of 100 * Exp(1) and 120 * Exp(1): difference 20 log 2.
  const double truth = 20 * std::log(2.0);
  int misses = 0;
  for (int run = 0; run < kRuns; ++run) {
    SLUICE_ASSERT_OK_AND_ASSIGN(SequentialQuantileTest test,
                                SequentialQuantileTest::Create(options));
    for (int i = 0; i < 400; ++i) {
      ASSERT_TRUE(test.AddCanary(120 * random.Exponential()).ok());
      ASSERT_TRUE(test.AddBaseline(100 * random.Exponential()).ok());
      // The difference's sequence (result() would also bisect the p-value).
      const QuantileSequence c = test.canary();
      const QuantileSequence b = test.baseline();
      if (c.lower - b.upper > truth || c.upper - b.lower < truth) {
        ++misses;
        break;
      }
    }
  }
  EXPECT_LE(static_cast<double>(misses) / kRuns,
            0.05 + 3 * std::sqrt(0.05 * 0.95 / kRuns));
}

TEST(SequentialQuantileTest, PValueMatchesTheConfidenceSequence) {
  TestRandom random(34);
  SequentialQuantileOptions options;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialQuantileTest test,
                              SequentialQuantileTest::Create(options));
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(test.AddCanary(1 + random.Normal()).ok());
    ASSERT_TRUE(test.AddBaseline(random.Normal()).ok());
  }
  const SequentialResult r = test.result();
  EXPECT_TRUE(r.rejected);
  EXPECT_LE(r.p_value, 0.05);
  EXPECT_GT(r.lower, 0);
  EXPECT_TRUE(std::isnan(r.e_value));
  EXPECT_NEAR(r.estimate, 1.0, 0.3);
}

TEST(SequentialQuantileTest, BadInputIsAnErrorNamingTheField) {
  SequentialQuantileOptions o;
  o.quantile = 1;
  EXPECT_THAT(SequentialQuantileTest::Create(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("quantile: must be in (0, 1) (got 1)")));
  o = SequentialQuantileOptions();
  o.alpha = -0.1;
  EXPECT_THAT(SequentialQuantileTest::Create(o),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("alpha")));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      SequentialQuantileTest test,
      SequentialQuantileTest::Create(SequentialQuantileOptions()));
  EXPECT_THAT(test.AddCanary(std::nan("")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("value: must not be NaN")));
  EXPECT_EQ(test.canary().n, 0);
  ASSERT_TRUE(test.AddCanary(kInf).ok());  // orders above everything
  EXPECT_EQ(test.canary().n, 1);
  const SequentialResult r = test.result();
  EXPECT_EQ(r.p_value, 1);
  EXPECT_FALSE(r.rejected);
}

TEST(SequentialQuantileTest, CopiesAreIndependent) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      SequentialQuantileTest a,
      SequentialQuantileTest::Create(SequentialQuantileOptions()));
  ASSERT_TRUE(a.AddCanary(1).ok());
  SequentialQuantileTest b = a;
  ASSERT_TRUE(b.AddCanary(2).ok());
  EXPECT_EQ(a.canary().n, 1);
  EXPECT_EQ(b.canary().n, 2);
  a = b;
  EXPECT_EQ(a.canary().n, 2);
  std::ostringstream os;
  os << a.options();
  EXPECT_THAT(os.str(), HasSubstr("quantile: 0.5"));
}

}  // namespace
}  // namespace sluice::stats

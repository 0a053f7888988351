// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_quantiles.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/stats/boundaries.h"
#include "sluice/testing/status_matchers.h"
#include "tests/stats/stats_test_random.h"

namespace sluice::stats {
namespace {

using ::sluice::stats::testing::TestRandom;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

constexpr double kInf = std::numeric_limits<double>::infinity();

struct AbCase {
  std::string name;
  double quantile = 0;
  double t_opt = 0;
  double alpha_opt = 0;
  double p_value = 0;
  std::vector<double> a;
  std::vector<double> b;
};

std::vector<AbCase> ReadCases() {
  std::ifstream in("tests/stats/testdata/confseq_quantile_ab.txt");
  std::vector<AbCase> cases;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    if (kind == "case") {
      AbCase c;
      fields >> c.name >> c.quantile >> c.t_opt >> c.alpha_opt >> c.p_value;
      cases.push_back(c);
    } else if (kind == "a" || kind == "b") {
      size_t n;
      fields >> n;
      std::vector<double>& v = kind == "a" ? cases.back().a : cases.back().b;
      std::string x;
      while (fields >> x) v.push_back(std::stod(x));
      EXPECT_EQ(v.size(), n) << cases.back().name;
    }
  }
  return cases;
}

SequentialQuantileTest MakeTest(
    const AbCase& c, Alternative alternative = Alternative::kTwoSided) {
  SequentialQuantileOptions options;
  options.quantile = c.quantile;
  options.tuning_observations = c.t_opt;
  options.alpha = c.alpha_opt;
  options.alternative = alternative;
  return SequentialQuantileTest::Create(options).value();
}

// confseq's QuantileABTest p-values (arm 1 = canary, arm 2 = baseline).
TEST(SequentialQuantileTest, PValuesMatchConfseq) {
  const std::vector<AbCase> cases = ReadCases();
  ASSERT_EQ(cases.size(), 21u);
  double worst = 0;
  for (const AbCase& c : cases) {
    SequentialQuantileTest test = MakeTest(c);
    ASSERT_TRUE(test.AddCanaryValues(c.a).ok());
    ASSERT_TRUE(test.AddBaselineValues(c.b).ok());
    const double p = test.result().p_value;
    EXPECT_NEAR(p, c.p_value, 1e-6 * std::max(1e-3, c.p_value)) << c.name;
    worst = std::max(worst, std::fabs(p - c.p_value) / c.p_value);
    // The same with the arms swapped (confseq's test is symmetric).
    SequentialQuantileTest swapped = MakeTest(c);
    ASSERT_TRUE(swapped.AddCanaryValues(c.b).ok());
    ASSERT_TRUE(swapped.AddBaselineValues(c.a).ok());
    EXPECT_NEAR(swapped.result().p_value, c.p_value,
                1e-6 * std::max(1e-3, c.p_value))
        << c.name;
  }
  std::cout << cases.size() << " confseq p-values, worst relative difference "
            << worst << "\n";
}

// The previous construction (one beta-binomial mixture per arm at alpha / 2,
// c = tuning * r*(alpha / 2) - 1, threshold 2 / alpha, a union bound across
// arms): whether its difference sequence excludes 0.
bool PreviousConstructionRejects(std::vector<double> c, std::vector<double> b,
                                 double p, double tuning, double alpha) {
  const double target = -2 * std::log(alpha / 2);
  double s_lo = 0, s_hi = 64;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (s_lo + s_hi);
    (mid - std::log1p(mid) < target ? s_lo : s_hi) = mid;
  }
  const double conc = std::max(1.0, tuning / s_hi - 1);
  auto log_beta = [](double x, double y) {
    return std::lgamma(x) + std::lgamma(y) - std::lgamma(x + y);
  };
  auto bounds = [&](std::vector<double>& v) {
    std::sort(v.begin(), v.end());
    const int t = static_cast<int>(v.size());
    int k_lo = -1, k_hi = -1;
    for (int k = 0; k <= t; ++k) {
      const double log_bf = log_beta(conc * p + k, conc * (1 - p) + t - k) -
                            log_beta(conc * p, conc * (1 - p)) -
                            k * std::log(p) - (t - k) * std::log1p(-p);
      if (log_bf < std::log(2 / alpha)) {
        if (k_lo < 0) k_lo = k;
        k_hi = k;
      }
    }
    return std::make_pair(k_lo >= 1 ? v[k_lo - 1] : -kInf,
                          k_hi + 1 <= t ? v[k_hi] : kInf);
  };
  const auto [cl, cu] = bounds(c);
  const auto [bl, bu] = bounds(b);
  return cl - bu > 0 || cu - bl < 0;
}

// The issue's example: 1,000 log-normal values per arm, the canary's median
// 10% higher. Howard & Ramdas' test (confseq: p = 0.00173) rejects at 0.05;
// the previous, simplified construction did not.
TEST(SequentialQuantileTest, RejectsTheIssuesTenPercentMedianShift) {
  for (const AbCase& c : ReadCases()) {
    if (c.name != "median_shift10_1000") continue;
    ASSERT_EQ(c.a.size(), 1000u);
    SequentialQuantileTest test = MakeTest(c);
    ASSERT_TRUE(test.AddCanaryValues(c.a).ok());
    ASSERT_TRUE(test.AddBaselineValues(c.b).ok());
    const SequentialResult r = test.result();
    EXPECT_TRUE(r.rejected);
    EXPECT_NEAR(r.p_value, 0.0017325801725320425, 1e-9);
    EXPECT_NEAR(r.estimate, 10, 4);
    EXPECT_FALSE(PreviousConstructionRejects(c.a, c.b, 0.5, 1000, 0.05));
    // One-sided (the canary's median higher) is stronger still.
    SequentialQuantileTest greater = MakeTest(c, Alternative::kGreater);
    ASSERT_TRUE(greater.AddCanaryValues(c.a).ok());
    ASSERT_TRUE(greater.AddBaselineValues(c.b).ok());
    EXPECT_LT(greater.result().p_value, r.p_value);
    SequentialQuantileTest less = MakeTest(c, Alternative::kLess);
    ASSERT_TRUE(less.AddCanaryValues(c.a).ok());
    ASSERT_TRUE(less.AddBaselineValues(c.b).ok());
    EXPECT_EQ(less.result().p_value, 1);
    return;
  }
  FAIL() << "case median_shift10_1000 missing";
}

// One-sided tests: for every reference case the two-sided test rejects at
// 0.05, the one-sided test in the data's direction rejects too and the other
// direction finds nothing. (Far beyond the boundary a one-sided p-value can
// be the larger: its mixture is tuned for the crossing, with a larger rho.)
TEST(SequentialQuantileTest, OneSidedRejectsInItsDirection) {
  int compared = 0;
  for (const AbCase& c : ReadCases()) {
    if (!(c.p_value <= 0.05)) continue;
    SequentialQuantileTest g = MakeTest(c, Alternative::kGreater);
    SequentialQuantileTest l = MakeTest(c, Alternative::kLess);
    for (SequentialQuantileTest* t : {&g, &l}) {
      ASSERT_TRUE(t->AddCanaryValues(c.a).ok());
      ASSERT_TRUE(t->AddBaselineValues(c.b).ok());
    }
    const double pg = g.result().p_value;
    const double pl = l.result().p_value;
    EXPECT_LE(std::min(pg, pl), 0.05) << c.name;
    EXPECT_EQ(std::max(pg, pl), 1) << c.name;
    ++compared;
  }
  EXPECT_EQ(compared, 6);
}

// The looks: adding values one at a time looks after each, and the p-value
// is the smallest so far; the last look's e-value is exp(L) now.
TEST(SequentialQuantileTest, LooksAfterEveryAdd) {
  TestRandom random(35);
  SequentialQuantileOptions options;
  options.tuning_observations = 200;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialQuantileTest test,
                              SequentialQuantileTest::Create(options));
  double smallest = 1;
  for (int i = 0; i < 600; ++i) {
    ASSERT_TRUE(i % 2 == 0 ? test.AddCanary(0.5 + random.Normal()).ok()
                           : test.AddBaseline(random.Normal()).ok());
    if (i == 0) continue;
    const double now = std::min(1.0, 1 / test.result().e_value);
    smallest = std::min(smallest, now);
    ASSERT_DOUBLE_EQ(test.result().p_value, smallest) << i;
    ASSERT_EQ(test.ExcludesZero(), now <= options.alpha) << i;
  }
  EXPECT_TRUE(test.result().rejected);
  EXPECT_GT(test.result().lower, -1);
}

// Histogram buckets are the bounds repeated by their counts.
TEST(SequentialQuantileTest, HistogramsAreTheirBucketBounds) {
  Histogram canary;
  canary.upper_bounds = {0.01, 0.05, 0.1, 0.5, 1, kInf};
  canary.cumulative_counts = {10, 300, 800, 990, 1000, 1004};
  Histogram baseline = canary;
  baseline.cumulative_counts = {40, 500, 950, 999, 1003, 1003};
  SequentialQuantileOptions options;
  options.quantile = 0.9;
  options.alternative = Alternative::kGreater;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialQuantileTest from_buckets,
                              SequentialQuantileTest::Create(options));
  ASSERT_TRUE(from_buckets.AddCanaryHistogram(canary).ok());
  ASSERT_TRUE(from_buckets.AddBaselineHistogram(baseline).ok());
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialQuantileTest from_values,
                              SequentialQuantileTest::Create(options));
  for (const auto& [h, is_canary] :
       {std::make_pair(canary, true), std::make_pair(baseline, false)}) {
    std::vector<double> values;
    const std::vector<uint64_t> counts = h.BucketCounts();
    for (size_t i = 0; i < counts.size(); ++i) {
      values.insert(values.end(), counts[i], h.upper_bounds[i]);
    }
    ASSERT_TRUE((is_canary ? from_values.AddCanaryValues(values)
                           : from_values.AddBaselineValues(values))
                    .ok());
  }
  EXPECT_EQ(from_buckets, from_values);
  EXPECT_EQ(from_buckets.result(), from_values.result());
  EXPECT_TRUE(from_buckets.result().rejected);
  EXPECT_EQ(from_buckets.canary().estimate, 0.5);
  EXPECT_EQ(from_buckets.baseline().estimate, 0.1);
  EXPECT_EQ(from_buckets.canary().n, 1004);

  Histogram bad = canary;
  bad.cumulative_counts[2] = 5;
  EXPECT_THAT(
      from_buckets.AddCanaryHistogram(bad),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("histogram.cumulative_counts[2]: must not be less "
                         "than cumulative_counts[1] (got 5 < 300)")));
  EXPECT_EQ(from_buckets.canary().n, 1004);
}

// Each arm's sequence is [X_(floor(t p - u_lo + 1)), X_(ceil(t p + u_hi))]
// with confseq's beta-binomial radii at alpha / 2 (Howard & Ramdas'
// Theorem 1; the demo's fixed_quantile_confidence_bounds).
TEST(SequentialQuantileTest, ArmSequenceIsTheOrderStatisticsOfTheRadii) {
  SequentialQuantileOptions options;
  options.quantile = 0.75;
  options.tuning_observations = 100;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialQuantileTest test,
                              SequentialQuantileTest::Create(options));
  TestRandom random(31);
  std::vector<double> values;
  for (int t = 1; t <= 400; ++t) {
    values.push_back(random.Normal());
    ASSERT_TRUE(test.AddCanary(values.back()).ok());
    if (t % 37 != 0) continue;
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const double v = 0.75 * 0.25 * t, v_opt = 0.75 * 0.25 * 100;
    const double u_hi =
        internal::BetaBinomialMixture(v_opt, 0.025, 0.75, 0.25, false)
            .Bound(v, std::log(40.0));
    const double u_lo =
        internal::BetaBinomialMixture(v_opt, 0.025, 0.25, 0.75, false)
            .Bound(v, std::log(40.0));
    const int lo = static_cast<int>(std::floor(0.75 * t - u_lo + 1));
    const int hi = static_cast<int>(std::ceil(0.75 * t + u_hi));
    const QuantileSequence s = test.canary();
    EXPECT_EQ(s.lower, lo >= 1 ? sorted[lo - 1] : -kInf) << t;
    EXPECT_EQ(s.upper, hi <= t ? sorted[hi - 1] : kInf) << t;
    EXPECT_EQ(s.estimate, sorted[static_cast<int>(std::ceil(t * 0.75)) - 1]);
    EXPECT_LT(s.lower, s.upper);
  }
  // Stitched: valid for every quantile at once, so wider here.
  options.arm_boundary = QuantileBoundary::kStitched;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialQuantileTest stitched,
                              SequentialQuantileTest::Create(options));
  ASSERT_TRUE(stitched.AddCanaryValues(values).ok());
  EXPECT_LE(stitched.canary().lower, test.canary().lower);
  EXPECT_GE(stitched.canary().upper, test.canary().upper);
}

TEST(SequentialQuantileTest, ConfidenceSequenceCoversTheTrueDifference) {
  constexpr int kRuns = 100;
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
    for (int i = 0; i < 40; ++i) {
      std::vector<double> c(10), b(10);
      for (double& x : c) x = 120 * random.Exponential();
      for (double& x : b) x = 100 * random.Exponential();
      ASSERT_TRUE(test.AddCanaryValues(c).ok());
      ASSERT_TRUE(test.AddBaselineValues(b).ok());
      const SequentialResult r = test.result();
      if (r.lower > truth || r.upper < truth) {
        ++misses;
        break;
      }
    }
  }
  EXPECT_LE(misses, 10);  // P(Binomial(100, 0.05) > 10) < 0.012
}

TEST(SequentialQuantileTest, StateRoundTrips) {
  TestRandom random(36);
  SequentialQuantileOptions options;
  options.alternative = Alternative::kGreater;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialQuantileTest test,
                              SequentialQuantileTest::Create(options));
  SequentialQuantileTest resumed = test;
  for (int i = 0; i < 50; ++i) {
    std::vector<double> c(7), b(5);
    for (double& x : c) x = std::round(10 * random.Exponential());
    for (double& x : b) x = std::round(8 * random.Exponential());
    ASSERT_TRUE(test.AddCanaryValues(c).ok());
    ASSERT_TRUE(test.AddBaselineValues(b).ok());
    SLUICE_ASSERT_OK_AND_ASSIGN(
        resumed, SequentialQuantileTest::Restore(options, resumed.SaveState()));
    ASSERT_TRUE(resumed.AddCanaryValues(c).ok());
    ASSERT_TRUE(resumed.AddBaselineValues(b).ok());
    ASSERT_EQ(resumed, test) << i;
  }
  EXPECT_EQ(resumed.result(), test.result());
  EXPECT_THAT(SequentialQuantileTest::Restore(options, {1, 2}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("state")));
  EXPECT_THAT(SequentialQuantileTest::Restore(options, {2, 3, 1, 1, 1, 0, 0, 0})
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("state: values must be ascending")));
  EXPECT_THAT(
      SequentialQuantileTest::Restore(options, {1, 3, 0.5, 0, 0, 0}).status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("state: counts must be whole numbers")));
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
  EXPECT_THAT(test.AddBaselineValues({1, 2, std::nan("")}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("values[2]: must not be NaN")));
  EXPECT_EQ(test.canary().n, 0);
  EXPECT_EQ(test.baseline().n, 0);
  ASSERT_TRUE(test.AddCanary(kInf).ok());  // orders above everything
  EXPECT_EQ(test.canary().n, 1);
  const SequentialResult r = test.result();
  EXPECT_EQ(r.p_value, 1);
  EXPECT_FALSE(r.rejected);
  std::ostringstream os;
  os << test.options();
  EXPECT_THAT(os.str(), HasSubstr("quantile: 0.5"));
  EXPECT_THAT(os.str(), HasSubstr("arm_boundary: beta_binomial"));
}

}  // namespace
}  // namespace sluice::stats

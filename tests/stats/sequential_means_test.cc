// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_means.h"

#include <cmath>
#include <limits>
#include <sstream>

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

SequentialMeanOptions Options() {
  SequentialMeanOptions o;
  o.sigma_canary = 1;
  o.sigma_baseline = 2;
  return o;
}

TEST(SequentialMeanTest, BlocksAndTheMixtureMartingale) {
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest test,
                              SequentialMeanTest::Create(Options()));
  // Block 1: canary 3 then baseline 1 (a = 1, b = 1): d = 2, v = 1 + 4.
  ASSERT_TRUE(test.AddCanary(3).ok());
  ASSERT_TRUE(test.AddBaseline(1).ok());
  // Block 2: baselines 0 and 2, then canary 4 (a = 1, b = 2): d = 3,
  // v = 1 + 4 / 2.
  ASSERT_TRUE(test.AddBaseline(0).ok());
  ASSERT_TRUE(test.AddBaseline(2).ok());
  ASSERT_TRUE(test.AddCanary(4).ok());
  const double w1 = 1 / 5.0, w2 = 1 / 3.0;
  const double s = w1 * 2 + w2 * 3, v = w1 + w2;
  const double rho = test.rho();
  const double log_e =
      0.5 * std::log(rho / (v + rho)) + s * s / (2 * (v + rho));
  EXPECT_NEAR(test.log_e_value(), log_e, 1e-12);
  const SequentialResult r = test.result();
  EXPECT_NEAR(r.estimate, s / v, 1e-12);
  const double u = std::sqrt((v + rho) * std::log((v + rho) / (rho * 0.0025)));
  EXPECT_NEAR(r.lower, (s - u) / v, 1e-12);
  EXPECT_NEAR(r.upper, (s + u) / v, 1e-12);
  EXPECT_EQ(r.n_canary, 2);
  EXPECT_EQ(r.n_baseline, 3);
}

TEST(SequentialMeanTest, RhoIsTunedForTheTuningSampleSize) {
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest test,
                              SequentialMeanTest::Create(Options()));
  // rho / V = 1 / (2 log(1/alpha) + log(1 + 2 log(1/alpha))) with
  // V = 1000 / (1 + 4): confseq's best_rho; one-sided at 2 alpha.
  const double l = 2 * std::log(20.0);
  EXPECT_NEAR(test.rho() / (1000 / 5.0), 1 / (l + std::log1p(l)), 1e-12);
  SequentialMeanOptions greater = Options();
  greater.alternative = Alternative::kGreater;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest one_sided,
                              SequentialMeanTest::Create(greater));
  const double l1 = 2 * std::log(10.0);
  EXPECT_NEAR(one_sided.rho() / (1000 / 5.0), 1 / (l1 + std::log1p(l1)), 1e-12);
}

// Zero leaves the confidence sequence exactly when the e-value reaches
// 1/alpha: the test and the interval agree.
TEST(SequentialMeanTest, RejectionAndConfidenceSequenceAgree) {
  TestRandom random(21);
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest test,
                              SequentialMeanTest::Create(Options()));
  for (int i = 0; i < 3000; ++i) {
    ASSERT_TRUE(test.AddCanary(0.2 + random.Normal()).ok());
    ASSERT_TRUE(test.AddBaseline(2 * random.Normal()).ok());
    const SequentialResult r = test.result();
    const bool excludes = r.lower > 0 || r.upper < 0;
    EXPECT_EQ(excludes, test.log_e_value() >= -std::log(0.05)) << i;
  }
}

TEST(SequentialMeanTest, DetectsAShift) {
  constexpr int kRuns = 50;
  TestRandom random(22);
  int detected = 0;
  for (int run = 0; run < kRuns; ++run) {
    SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest test,
                                SequentialMeanTest::Create(Options()));
    for (int i = 0; i < 2000 && !test.result().rejected; ++i) {
      ASSERT_TRUE(test.AddCanary(0.5 + random.Normal()).ok());
      ASSERT_TRUE(test.AddBaseline(2 * random.Normal()).ok());
    }
    const SequentialResult r = test.result();
    if (r.rejected && r.lower > 0) ++detected;
  }
  EXPECT_GE(detected, 48);
}

TEST(SequentialMeanTest, ConfidenceSequenceCoversTheTrueDifference) {
  constexpr int kRuns = 300;
  TestRandom random(23);
  int misses = 0;
  for (int run = 0; run < kRuns; ++run) {
    SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest test,
                                SequentialMeanTest::Create(Options()));
    for (int i = 0; i < 800; ++i) {
      // Uneven, random interleaving.
      if (random.Bernoulli(0.3)) {
        ASSERT_TRUE(test.AddCanary(10.7 + random.Normal()).ok());
      } else {
        ASSERT_TRUE(test.AddBaseline(10 + 2 * random.Normal()).ok());
      }
      const SequentialResult r = test.result();
      if (r.lower > 0.7 || r.upper < 0.7) {
        ++misses;
        break;
      }
    }
  }
  EXPECT_LE(static_cast<double>(misses) / kRuns,
            0.05 + 3 * std::sqrt(0.05 * 0.95 / kRuns));
}

TEST(SequentialMeanTest, BadInputIsAnErrorNamingTheField) {
  EXPECT_THAT(SequentialMeanTest::Create(SequentialMeanOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("sigma_canary: must be finite and > 0")));
  SequentialMeanOptions o = Options();
  o.sigma_baseline = std::numeric_limits<double>::infinity();
  EXPECT_THAT(SequentialMeanTest::Create(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("sigma_baseline")));
  o = Options();
  o.alpha = 0;
  EXPECT_THAT(SequentialMeanTest::Create(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("alpha: must be in (0, 1) (got 0)")));
  o = Options();
  o.tuning_observations = 0.5;
  EXPECT_THAT(SequentialMeanTest::Create(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("tuning_observations")));
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest test,
                              SequentialMeanTest::Create(Options()));
  EXPECT_THAT(test.AddCanary(std::nan("")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("value: must be finite (got nan)")));
  EXPECT_THAT(test.AddBaseline(-std::numeric_limits<double>::infinity()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("value: must be finite")));
  EXPECT_EQ(test.result().n_canary, 0);
  EXPECT_EQ(test.result().n_baseline, 0);
  EXPECT_EQ(test.result().p_value, 1);
}

// One-sided (kGreater): the e-value is the one-sided normal mixture of the
// same S and V, 0 leaves [lower, +inf) exactly when it reaches 1/alpha, the
// lower end is above the two-sided one on the same data near the tuning
// size, and kLess never rejects a canary that is higher.
TEST(SequentialMeanTest, OneSidedIsTighterAndAgreesWithItsSequence) {
  SequentialMeanOptions options = Options();
  options.tuning_observations = 400;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest two_sided,
                              SequentialMeanTest::Create(options));
  options.alternative = Alternative::kGreater;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest greater,
                              SequentialMeanTest::Create(options));
  options.alternative = Alternative::kLess;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest less,
                              SequentialMeanTest::Create(options));
  TestRandom random(23);
  for (int i = 1; i <= 400; ++i) {
    const double c = 0.25 + random.Normal(), b = 2 * random.Normal();
    for (SequentialMeanTest* t : {&two_sided, &greater, &less}) {
      ASSERT_TRUE(t->AddCanary(c).ok());
      ASSERT_TRUE(t->AddBaseline(b).ok());
    }
    const SequentialResult r = greater.result();
    EXPECT_EQ(r.upper, std::numeric_limits<double>::infinity());
    const double margin = greater.log_e_value() + std::log(0.05);
    if (std::fabs(margin) > 1e-9) {
      EXPECT_EQ(r.lower > 0, margin > 0) << i;
    }
    EXPECT_FALSE(less.result().rejected) << i;
  }
  EXPECT_GT(greater.result().lower, two_sided.result().lower);
  EXPECT_EQ(less.result().lower, -std::numeric_limits<double>::infinity());
}

TEST(SequentialMeanTest, IsACopyableValue) {
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest a,
                              SequentialMeanTest::Create(Options()));
  ASSERT_TRUE(a.AddCanary(1).ok());
  SequentialMeanTest b = a;
  EXPECT_EQ(a, b);
  ASSERT_TRUE(b.AddBaseline(1).ok());
  EXPECT_NE(a, b);
  std::ostringstream os;
  os << a.options();
  EXPECT_THAT(os.str(), HasSubstr("sigma_baseline: 2"));
}

}  // namespace
}  // namespace sluice::stats

// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_counts.h"

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

SequentialCountOptions Options(double share) {
  SequentialCountOptions o;
  o.canary_share = share;
  return o;
}

double LogBeta(double a, double b) {
  return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
}

TEST(SequentialCountTest, BayesFactorIsTheBetaBinomialMixture) {
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest test,
                              SequentialCountTest::Create(Options(0.25)));
  ASSERT_TRUE(test.Update(7, 11).ok());
  const double a = 100 * 0.25, b = 100 * 0.75;
  const double want = LogBeta(a + 7, b + 11) - LogBeta(a, b) -
                      7 * std::log(0.25) - 11 * std::log(0.75);
  EXPECT_NEAR(test.log_e_value(), want, 1e-10);
  EXPECT_NEAR(test.result().e_value, std::exp(want), 1e-10 * std::exp(want));
}

TEST(SequentialCountTest, SingleEventUpdatesMatchBatchUpdates) {
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest one,
                              SequentialCountTest::Create(Options(0.1)));
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest batch,
                              SequentialCountTest::Create(Options(0.1)));
  TestRandom random(7);
  int c = 0, b = 0;
  for (int i = 0; i < 5000; ++i) {
    const bool canary = random.Bernoulli(0.13);
    ASSERT_TRUE(one.Update(canary, !canary).ok());
    c += canary;
    b += !canary;
  }
  ASSERT_TRUE(batch.Update(c, b).ok());
  EXPECT_NEAR(one.log_e_value(), batch.log_e_value(), 1e-8);
  EXPECT_EQ(one.result().n_canary, c);
  EXPECT_EQ(one.result().n_baseline, b);
}

TEST(SequentialCountTest, PValueIsOneOverTheLargestBayesFactorSoFar) {
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest test,
                              SequentialCountTest::Create(Options(0.5)));
  ASSERT_TRUE(test.Update(40, 10).ok());  // lopsided: evidence
  const double peak = test.log_e_value();
  ASSERT_GT(peak, 0);
  ASSERT_TRUE(test.Update(60, 90).ok());  // 100 vs 100: evidence fades
  EXPECT_LT(test.log_e_value(), peak);
  const SequentialResult r = test.result();
  EXPECT_NEAR(r.p_value, std::exp(-peak), 1e-12);
  EXPECT_EQ(r.rejected, peak >= -std::log(0.05));
}

TEST(SequentialCountTest, ConfidenceSequenceIsTheBayesFactorLevelSet) {
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest test,
                              SequentialCountTest::Create(Options(0.2)));
  ASSERT_TRUE(test.Update(30, 90).ok());
  const SequentialResult r = test.result();
  // Rate ratio estimate: (30/120) / 0.2 * (0.8 / (90/120)) = 1.333...
  EXPECT_NEAR(r.estimate, (30.0 / 90) * (0.8 / 0.2), 1e-12);
  EXPECT_LT(r.lower, r.estimate);
  EXPECT_GT(r.upper, r.estimate);
  // At the ends, the Bayes factor of that ratio is 1/alpha.
  auto log_bf_at_ratio = [](double ratio) {
    const double theta = 0.2 * ratio / (0.2 * ratio + 0.8);
    const double a = 20, b = 80;
    return LogBeta(a + 30, b + 90) - LogBeta(a, b) - 30 * std::log(theta) -
           90 * std::log1p(-theta);
  };
  EXPECT_NEAR(log_bf_at_ratio(r.lower), -std::log(0.05), 1e-6);
  EXPECT_NEAR(log_bf_at_ratio(r.upper), -std::log(0.05), 1e-6);
}

TEST(SequentialCountTest, NoEventsGivesTheWholeRange) {
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest test,
                              SequentialCountTest::Create(Options(0.5)));
  SequentialResult r = test.result();
  EXPECT_EQ(r.p_value, 1);
  EXPECT_TRUE(std::isnan(r.estimate));
  EXPECT_EQ(r.lower, 0);
  EXPECT_EQ(r.upper, std::numeric_limits<double>::infinity());
  ASSERT_TRUE(test.Update(0, 5).ok());
  r = test.result();
  EXPECT_EQ(r.estimate, 0);
  EXPECT_EQ(r.lower, 0);
  EXPECT_GT(r.upper, 0);
}

// A canary with twice the baseline's error rate is detected, and the
// detection says "higher".
TEST(SequentialCountTest, DetectsADoubledErrorRate) {
  constexpr int kRuns = 50;
  TestRandom random(11);
  const double share = 0.1;
  const double theta = share * 2 / (share * 2 + (1 - share));
  int detected = 0;
  for (int run = 0; run < kRuns; ++run) {
    SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest test,
                                SequentialCountTest::Create(Options(share)));
    for (int i = 0; i < 3000 && !test.result().rejected; ++i) {
      const bool canary = random.Bernoulli(theta);
      ASSERT_TRUE(test.Update(canary, !canary).ok());
    }
    const SequentialResult r = test.result();
    if (r.rejected && r.lower > 1) ++detected;
  }
  EXPECT_GE(detected, 48);
}

// The confidence sequence covers the true ratio (here 1.5) at all times at
// once in at least 1 - alpha of the runs.
TEST(SequentialCountTest, ConfidenceSequenceCoversTheTrueRatio) {
  constexpr int kRuns = 300;
  TestRandom random(12);
  const double share = 0.3, ratio = 1.5;
  const double theta = share * ratio / (share * ratio + 1 - share);
  int misses = 0;
  for (int run = 0; run < kRuns; ++run) {
    SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest test,
                                SequentialCountTest::Create(Options(share)));
    for (int i = 0; i < 400; ++i) {
      const bool canary = random.Bernoulli(theta);
      ASSERT_TRUE(test.Update(canary, !canary).ok());
      if (i % 10 == 9) {
        const SequentialResult r = test.result();
        if (r.lower > ratio || r.upper < ratio) {
          ++misses;
          break;
        }
      }
    }
  }
  EXPECT_LE(static_cast<double>(misses) / kRuns,
            0.05 + 3 * std::sqrt(0.05 * 0.95 / kRuns));
}

TEST(SequentialCountTest, BadInputIsAnErrorNamingTheField) {
  EXPECT_THAT(SequentialCountTest::Create(SequentialCountOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("canary_share: must be in (0, 1) (got 0)")));
  SequentialCountOptions o = Options(0.5);
  o.alpha = 1;
  EXPECT_THAT(SequentialCountTest::Create(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("alpha: must be in (0, 1) (got 1)")));
  o = Options(0.5);
  o.prior_concentration = -1;
  EXPECT_THAT(SequentialCountTest::Create(o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("prior_concentration")));
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest test,
                              SequentialCountTest::Create(Options(0.5)));
  EXPECT_THAT(test.Update(uint64_t{1} << 60, 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("canary_events: total events would exceed")));
  EXPECT_EQ(test.result().n_canary, 0);
}

TEST(SequentialCountTest, IsACopyableValue) {
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest a,
                              SequentialCountTest::Create(Options(0.5)));
  ASSERT_TRUE(a.Update(3, 4).ok());
  SequentialCountTest b = a;
  EXPECT_EQ(a, b);
  ASSERT_TRUE(b.Update(1, 0).ok());
  EXPECT_NE(a, b);
  std::ostringstream os;
  os << a.result() << " " << a.options();
  EXPECT_THAT(os.str(), HasSubstr("n_canary: 3"));
  EXPECT_THAT(os.str(), HasSubstr("canary_share: 0.5"));
}

}  // namespace
}  // namespace sluice::stats

// Copyright 2026 The Sluice Authors.

#include "sluice/stats/sequential_rates.h"

#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/stats/boundaries.h"
#include "sluice/stats/sequential_counts.h"
#include "sluice/testing/status_matchers.h"
#include "tests/stats/stats_test_random.h"

namespace sluice::stats {
namespace {

using ::sluice::stats::testing::BinomialUpperLimit;
using ::sluice::stats::testing::TestRandom;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

// Poisson(mean) by Knuth's product of uniforms (small means).
uint64_t Poisson(TestRandom& random, double mean) {
  const double limit = std::exp(-mean);
  uint64_t k = 0;
  double product = random.Uniform();
  while (product > limit) {
    ++k;
    product *= random.Uniform();
  }
  return k;
}

TEST(SequentialRateTest, IsTheGammaPoissonMixtureOfTheWindows) {
  SequentialRateOptions options;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialRateTest test,
                              SequentialRateTest::Create(options));
  ASSERT_TRUE(test.Update({3, 1000}, {5, 4000}).ok());  // share 0.2
  ASSERT_TRUE(test.Update({6, 3000}, {2, 1000}).ok());  // share 0.75
  ASSERT_TRUE(test.Update({0, 0}, {7, 1000}).ok());     // no canary: skipped
  const double s = (3 - 0.2 * 8) + (6 - 0.75 * 8);
  const double v = 0.2 * 0.8 * 8 + 0.75 * 0.25 * 8;
  const internal::GammaPoissonMixture mixture(50, 0.05, 1);
  EXPECT_NEAR(test.log_e_value(), mixture.LogValue(s, v), 1e-12);
  const SequentialResult r = test.result();
  EXPECT_EQ(r.n_canary, 9);
  EXPECT_EQ(r.n_baseline, 14);
  EXPECT_NEAR(r.estimate, (9.0 / 4000) / (14.0 / 6000), 1e-12);
  EXPECT_EQ(r.upper, std::numeric_limits<double>::infinity());
  EXPECT_LT(r.lower, r.estimate);
}

// The first example: the canary's real share of the traffic (1/6)
// is not the configured one (0.1). On a good release (same error rate), the
// count test with the configured share raises false alarms; the rate test,
// which measures the share from the request counts of each window, does
// not, even when the share moves from window to window.
TEST(SequentialRateTest, MeasuredShareKeepsFalseAlarmsAtAlpha) {
  constexpr int kRuns = 200;
  constexpr int kWindows = 120;
  TestRandom random(61);
  int rate_alarms = 0;
  int configured_alarms = 0;
  for (int run = 0; run < kRuns; ++run) {
    SLUICE_ASSERT_OK_AND_ASSIGN(SequentialRateTest rates,
                                SequentialRateTest::Create({}));
    SequentialCountOptions count_options;
    count_options.canary_share = 0.1;
    SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest counts,
                                SequentialCountTest::Create(count_options));
    for (int w = 0; w < kWindows; ++w) {
      // Diurnal load, the same error rate on both cohorts.
      const double load = 1 + 0.5 * std::sin(w / 20.0);
      const double rate = 0.002 * (1 + 0.5 * std::cos(w / 15.0));
      const uint64_t rc = static_cast<uint64_t>(1000 * load);
      const uint64_t rb = 5 * rc;  // share 1/6
      const uint64_t ec = Poisson(random, rate * rc);
      const uint64_t eb = Poisson(random, rate * rb);
      ASSERT_TRUE(rates.Update({ec, rc}, {eb, rb}).ok());
      ASSERT_TRUE(counts.Update(ec, eb).ok());
    }
    rate_alarms += rates.result().rejected;
    configured_alarms += counts.result().rejected;
  }
  std::cout << "good release, share 1/6: rate test " << rate_alarms << "/"
            << kRuns << " false alarms; count test with share 0.1 "
            << configured_alarms << "/" << kRuns << "\n";
  EXPECT_LT(rate_alarms, BinomialUpperLimit(kRuns, 0.05));
  EXPECT_GT(configured_alarms, kRuns / 2);
}

// A/A with a share that changes every window (a wave growing from 2% to
// 50%): false alarms after every window within alpha.
TEST(SequentialRateTest, AaWithAMovingShare) {
  constexpr int kRuns = 300;
  TestRandom random(62);
  for (Alternative alternative :
       {Alternative::kGreater, Alternative::kTwoSided}) {
    int alarms = 0;
    for (int run = 0; run < kRuns; ++run) {
      SequentialRateOptions options;
      options.alternative = alternative;
      SLUICE_ASSERT_OK_AND_ASSIGN(SequentialRateTest test,
                                  SequentialRateTest::Create(options));
      for (int w = 0; w < 100 && !test.result().rejected; ++w) {
        const double share = 0.02 + 0.48 * w / 100.0;
        const uint64_t rc = static_cast<uint64_t>(10000 * share);
        const uint64_t rb = 10000 - rc;
        ASSERT_TRUE(test.Update({Poisson(random, 0.001 * rc), rc},
                                {Poisson(random, 0.001 * rb), rb})
                        .ok());
      }
      alarms += test.result().rejected;
    }
    std::cout << "A/A, moving share, " << alternative << ": " << alarms << "/"
              << kRuns << " (limit " << BinomialUpperLimit(kRuns, 0.05)
              << ")\n";
    EXPECT_LT(alarms, BinomialUpperLimit(kRuns, 0.05));
  }
}

// Power: the canary's error rate doubled at a 10% share is caught, the
// sequence's lower end above 1, and the sequence covers the true ratio.
TEST(SequentialRateTest, CatchesADoubledErrorRate) {
  constexpr int kRuns = 100;
  TestRandom random(63);
  int caught = 0;
  int missed_truth = 0;
  double windows_to_catch = 0;
  for (int run = 0; run < kRuns; ++run) {
    SLUICE_ASSERT_OK_AND_ASSIGN(SequentialRateTest test,
                                SequentialRateTest::Create({}));
    int w = 0;
    bool covered = true;
    for (; w < 60 && !test.result().rejected; ++w) {
      ASSERT_TRUE(test.Update({Poisson(random, 2 * 0.002 * 1000), 1000},
                              {Poisson(random, 0.002 * 9000), 9000})
                      .ok());
      if (test.result().lower > 2) covered = false;
    }
    if (test.result().rejected && test.result().lower > 1) {
      ++caught;
      windows_to_catch += w;
    }
    missed_truth += !covered;
  }
  std::cout << "error rate x2, share 0.1, 2 canary errors a window: caught "
            << caught << "/" << kRuns << " within 60 windows, mean "
            << windows_to_catch / std::max(caught, 1) << " windows\n";
  EXPECT_GE(caught, 90);
  EXPECT_LT(missed_truth, BinomialUpperLimit(kRuns, 0.05));
}

TEST(SequentialRateTest, StateRoundTripsAndBadInputIsRejected) {
  SequentialRateOptions options;
  options.alternative = Alternative::kTwoSided;
  options.null_ratio = 1.2;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialRateTest test,
                              SequentialRateTest::Create(options));
  SequentialRateTest resumed = test;
  for (uint64_t i = 1; i < 30; ++i) {
    const CohortCounts c{i % 4, 100 * i}, b{i % 7, 500};
    ASSERT_TRUE(test.Update(c, b).ok());
    SLUICE_ASSERT_OK_AND_ASSIGN(
        resumed, SequentialRateTest::Restore(options, resumed.SaveState()));
    ASSERT_TRUE(resumed.Update(c, b).ok());
    ASSERT_EQ(resumed, test) << i;
  }
  EXPECT_EQ(resumed.result(), test.result());
  EXPECT_THAT(test.Update({5, 4}, {0, 10}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("canary.errors: must not exceed "
                                 "canary.requests (got 5 > 4)")));
  EXPECT_EQ(test, resumed);
  EXPECT_THAT(SequentialRateTest::Restore(options, {1, 2, 3}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("state")));
  options.null_ratio = 0;
  EXPECT_THAT(SequentialRateTest::Create(options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("null_ratio: must be finite and > 0")));
}

}  // namespace
}  // namespace sluice::stats

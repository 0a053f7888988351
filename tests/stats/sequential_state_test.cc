// Copyright 2026 The Sluice Authors.
//
// Saving and restoring the sequential tests' state (SaveState / Restore),
// and the classifier's p-value.

#include <cmath>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/stats/kayenta_classifier.h"
#include "sluice/stats/mann_whitney.h"
#include "sluice/stats/sequential_counts.h"
#include "sluice/stats/sequential_means.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::stats {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

TEST(SequentialStateTest, CountTestRoundTripsAtEveryStep) {
  SequentialCountOptions options;
  options.canary_share = 0.07;
  options.prior_concentration = 12.5;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest test,
                              SequentialCountTest::Create(options));
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialCountTest resumed,
                              SequentialCountTest::Create(options));
  for (int i = 0; i < 200; ++i) {
    const uint64_t c = static_cast<uint64_t>(i % 3 == 0);
    const uint64_t b = static_cast<uint64_t>((i * 7) % 5);
    ASSERT_TRUE(test.Update(c, b).ok());
    SLUICE_ASSERT_OK_AND_ASSIGN(
        resumed, SequentialCountTest::Restore(options, resumed.SaveState()));
    ASSERT_TRUE(resumed.Update(c, b).ok());
    ASSERT_EQ(resumed, test) << i;
    ASSERT_EQ(resumed.result(), test.result());
  }
}

TEST(SequentialStateTest, MeanTestRoundTripsAtEveryStep) {
  SequentialMeanOptions options;
  options.sigma_canary = 0.5;
  options.sigma_baseline = 0.25;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialMeanTest test,
                              SequentialMeanTest::Create(options));
  SequentialMeanTest resumed = test;
  for (int i = 0; i < 300; ++i) {
    const double v = std::sin(i * 0.37);
    SLUICE_ASSERT_OK_AND_ASSIGN(
        resumed, SequentialMeanTest::Restore(options, resumed.SaveState()));
    if (i % 3 == 0) {
      ASSERT_TRUE(test.AddBaseline(v).ok());
      ASSERT_TRUE(resumed.AddBaseline(v).ok());
    } else {
      ASSERT_TRUE(test.AddCanary(v + 0.1).ok());
      ASSERT_TRUE(resumed.AddCanary(v + 0.1).ok());
    }
    ASSERT_EQ(resumed, test) << i;
  }
  EXPECT_EQ(resumed.result(), test.result());
}

TEST(SequentialStateTest, BadStatesAreRejected) {
  SequentialCountOptions counts;
  counts.canary_share = 0.5;
  EXPECT_THAT(SequentialCountTest::Restore(counts, {1, 2}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("state: must hold 4 numbers (got 2)")));
  EXPECT_THAT(SequentialCountTest::Restore(counts, {1.5, 2, 0, 0}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("state: counts must be whole numbers")));
  counts.canary_share = 0;
  EXPECT_THAT(
      SequentialCountTest::Restore(counts, {0, 0, 0, 0}).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("canary_share")));
  SequentialMeanOptions means;
  means.sigma_canary = means.sigma_baseline = 1;
  EXPECT_THAT(SequentialMeanTest::Restore(means, {0, 0, 0}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("state: must hold 9 numbers (got 3)")));
  EXPECT_THAT(
      SequentialMeanTest::Restore(means, {-1, 0, 0, 0, 0, 0, 0, 0, 0}).status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("state: counts must be whole numbers")));
  EXPECT_THAT(SequentialMeanTest::Restore(means, {0, 0, NAN, 0, 0, 0, 0, 0, 0})
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("state: sums must be finite")));
}

TEST(ClassifierPValueTest, IsTheMannWhitneyPValue) {
  const std::vector<double> control = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<double> experiment = {5, 6, 7, 8, 9, 10, 11, 12.5};
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricClassification c,
      ClassifyMetric(MetricClassifierConfig(), "m", control, experiment));
  SLUICE_ASSERT_OK_AND_ASSIGN(MannWhitneyResult mw,
                              MannWhitneyU(experiment, control));
  EXPECT_EQ(c.p_value, mw.p_value);
  // Identical samples pass without a comparison: p = 1.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      c, ClassifyMetric(MetricClassifierConfig(), "m", control, control));
  EXPECT_EQ(c.p_value, 1);
  // No data: NaN.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      c, ClassifyMetric(MetricClassifierConfig(), "m", {}, control));
  EXPECT_TRUE(std::isnan(c.p_value));
}

}  // namespace
}  // namespace sluice::stats

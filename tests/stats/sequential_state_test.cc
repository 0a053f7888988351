// Copyright 2026 The Sluice Authors.
//
// Saving and restoring the sequential tests' state (SaveState / Restore),
// and the classifier's p-value.

#include <cmath>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/stats/kayenta_classifier.h"
#include "sluice/stats/mann_whitney.h"
#include "sluice/stats/sequential_counts.h"
#include "sluice/stats/sequential_means.h"
#include "sluice/stats/sequential_proportion.h"
#include "sluice/stats/sequential_quantiles.h"
#include "sluice/stats/sequential_rates.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/gates.pb.h"

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

// Through the snapshot's wire form: SaveState() into a SequentialTestState,
// serialized, parsed and restored, gives an equal test (doubles are kept bit
// for bit, including -0.0, infinities and denormals among the values).
template <typename Test, typename Options>
void ExpectWireRoundTrip(const Test& test, const Options& options,
                         const char* name) {
  v1::SequentialTestState state;
  state.set_test(name);
  for (double v : test.SaveState()) state.add_numbers(v);
  std::string bytes;
  ASSERT_TRUE(state.SerializeToString(&bytes));
  v1::SequentialTestState parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_EQ(parsed.test(), name);
  const std::vector<double> numbers(parsed.numbers().begin(),
                                    parsed.numbers().end());
  SLUICE_ASSERT_OK_AND_ASSIGN(Test restored, Test::Restore(options, numbers));
  EXPECT_EQ(restored, test) << name;
  EXPECT_EQ(restored.result(), test.result()) << name;
}

TEST(SequentialStateTest, NewTestsRoundTripThroughTheProto) {
  SequentialQuantileOptions quantiles;
  quantiles.quantile = 0.99;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialQuantileTest q,
                              SequentialQuantileTest::Create(quantiles));
  ASSERT_TRUE(q.AddCanaryValues({-0.0, 1e-310, 3.5, 3.5, INFINITY}).ok());
  ASSERT_TRUE(q.AddBaselineValues({-INFINITY, 2, 2, 7}).ok());
  ExpectWireRoundTrip(q, quantiles, "quantiles");

  SequentialProportionOptions proportion;
  proportion.limit = 0.01;
  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialProportionTest p,
                              SequentialProportionTest::Create(proportion));
  ASSERT_TRUE(p.Update(17, 1000).ok());
  ExpectWireRoundTrip(p, proportion, "proportion");

  SLUICE_ASSERT_OK_AND_ASSIGN(SequentialRateTest r,
                              SequentialRateTest::Create({}));
  ASSERT_TRUE(r.Update({3, 1000}, {9, 7000}).ok());
  ASSERT_TRUE(r.Update({8, 1200}, {4, 6000}).ok());
  ExpectWireRoundTrip(r, SequentialRateOptions(), "rates");
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

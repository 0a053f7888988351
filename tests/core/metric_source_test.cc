// Copyright 2026 The Sluice Authors.
//
// Distribution answers of a MetricSource: histograms as Prometheus exposes
// them, their validation and histogram_quantile(), and the default
// QueryDistribution() of a host that answers none.

#include "sluice/metric_source.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

constexpr double kInf = std::numeric_limits<double>::infinity();

// Prometheus' documentation example shape: 0.05, 0.1, 0.2, 0.5, 1, +Inf.
std::vector<HistogramBucket> Example() {
  return {{0.05, 10}, {0.1, 30}, {0.2, 60}, {0.5, 90}, {1, 100}, {kInf, 100}};
}

TEST(HistogramTest, ValidatesBuckets) {
  EXPECT_THAT(ValidateHistogram(Example()), IsOk());
  EXPECT_THAT(ValidateHistogram({}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("buckets: need at least one")));
  EXPECT_THAT(ValidateHistogram({{1, 5}, {1, 6}, {kInf, 7}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("buckets[1].upper_bound: must be > "
                                 "buckets[0]'s (got 1 <= 1)")));
  EXPECT_THAT(ValidateHistogram({{1, 5}, {2, 3}, {kInf, 7}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("buckets[1].cumulative_count: must be >= "
                                 "buckets[0]'s (got 3 < 5)")));
  EXPECT_THAT(ValidateHistogram({{1, 5}, {2, 7}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("buckets[1].upper_bound: the last bucket "
                                 "must be +inf (got 2)")));
  EXPECT_THAT(ValidateHistogram({{NAN, 5}, {kInf, 7}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("buckets[0].upper_bound: must be a number")));
  EXPECT_THAT(ValidateHistogram({{1, -1}, {kInf, 7}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("buckets[0].cumulative_count: must be "
                                 "finite and >= 0 (got -1)")));
}

// Values worked by hand with Prometheus' rule (promql/quantile.go): find
// the first bucket whose count reaches rank = q * total, interpolate
// linearly between its lower and upper bound.
TEST(HistogramTest, QuantileInterpolatesAsPrometheus) {
  const std::vector<HistogramBucket> h = Example();
  // Median: rank 50, in (0.1, 0.2] holding 30..60: 0.1 + 0.1 * 20 / 30.
  EXPECT_NEAR(HistogramQuantile(h, 0.5), 0.1 + 0.1 * 20.0 / 30.0, 1e-12);
  // p90: rank 90 reaches bucket 0.5 exactly (60..90): its upper bound.
  EXPECT_NEAR(HistogramQuantile(h, 0.9), 0.5, 1e-12);
  // p5: rank 5 in the first bucket, which starts at 0.
  EXPECT_NEAR(HistogramQuantile(h, 0.05), 0.025, 1e-12);
  // p99: rank 99 in (0.5, 1] holding 90..100.
  EXPECT_NEAR(HistogramQuantile(h, 0.99), 0.5 + 0.5 * 9.0 / 10.0, 1e-12);
  // A rank in the +Inf bucket answers the largest finite bound.
  EXPECT_EQ(HistogramQuantile({{1, 10}, {kInf, 20}}, 0.9), 1);
  // Empty or invalid: NaN.
  EXPECT_TRUE(std::isnan(HistogramQuantile({{1, 0}, {kInf, 0}}, 0.5)));
  EXPECT_TRUE(std::isnan(HistogramQuantile({{1, 5}}, 0.5)));
  EXPECT_TRUE(std::isnan(HistogramQuantile(h, 1.5)));
}

TEST(MetricDistributionTest, CountsAndPrints) {
  MetricDistribution d = MetricDistribution::FromHistogram(Example());
  EXPECT_EQ(d.kind, MetricDistribution::Kind::kHistogram);
  EXPECT_EQ(d.count(), 100);
  std::ostringstream os;
  os << d;
  EXPECT_EQ(os.str(), "histogram of 6 buckets (n=100)");
  d = MetricDistribution::FromObservations({3, 1, 2});
  EXPECT_EQ(d.count(), 3);
  d.total_count = 300;  // a subsample of 300 observations
  EXPECT_EQ(d.count(), 300);
  os.str("");
  os << d;
  EXPECT_EQ(os.str(), "3 observations (of 300)");
  EXPECT_NE(d, MetricDistribution::FromObservations({3, 1, 2}));
  EXPECT_EQ(MetricDistribution::NoData("x").count(), 0);
  EXPECT_EQ(MetricDistribution::NoData("x"), MetricDistribution::NoData("x"));
}

// A host written before distribution queries existed: only Query().
class SeriesOnlySource : public MetricSource {
 public:
  absl::StatusOr<MetricResult> Query(const MetricQuery&) override {
    return MetricResult::NoData();
  }
};

TEST(MetricSourceTest, DistributionQueriesAreUnimplementedByDefault) {
  SeriesOnlySource source;
  MetricQuery query;
  query.metric = "latency";
  EXPECT_THAT(source.QueryDistribution(query),
              StatusIs(absl::StatusCode::kUnimplemented,
                       HasSubstr("answers no distribution queries (metric "
                                 "\"latency\")")));
}

}  // namespace
}  // namespace sluice

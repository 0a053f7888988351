// Copyright 2026 The Sluice Authors.
//
// sluice/judge_proto.h: the Kayenta judge's config from
// sluice.v1.KayentaJudgeSpec and its result as sluice.v1.JudgeResult.

#include "sluice/judge_proto.h"

#include <cmath>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/proto_io.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::IsOkAndHolds;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;

TEST(JudgeProtoTest, ConvertsTheExampleConfig) {
  v1::KayentaJudgeSpec spec;
  ASSERT_THAT(ParseProtoFile("examples/judge/judge.textproto", &spec), IsOk());
  SLUICE_ASSERT_OK_AND_ASSIGN(stats::KayentaJudgeConfig config,
                              JudgeConfigFromProto(spec));
  ASSERT_EQ(config.groups.size(), 2u);
  EXPECT_EQ(config.groups[0].name, "latency");
  EXPECT_EQ(config.groups[0].weight, 60);
  EXPECT_EQ(config.groups[1].weight, 40);
  ASSERT_EQ(config.metrics.size(), 3u);
  EXPECT_EQ(config.metrics[2].name, "error_rate");
  EXPECT_THAT(config.metrics[2].groups, ElementsAre("errors"));
  EXPECT_EQ(config.metrics[2].classifier.direction,
            stats::MetricDirection::kIncrease);
  EXPECT_TRUE(config.metrics[2].classifier.critical);
  EXPECT_EQ(config.metrics[2].classifier.nan_strategy,
            stats::NanStrategy::kReplace);
  EXPECT_EQ(config.metrics[0].classifier.nan_strategy,
            stats::NanStrategy::kRemove);
  EXPECT_EQ(config.thresholds.pass, 75);
  EXPECT_EQ(config.thresholds.marginal, 50);
}

TEST(JudgeProtoTest, ErrorsNameTheField) {
  v1::KayentaJudgeSpec spec;
  ASSERT_THAT(
      ParseTextProto(R"pb(
                       groups { name: "all" }
                       metrics { name: "latency" groups: "all" }
                       metrics { name: "cpu" groups: "all" confidence: 1.5 }
                     )pb",
                     &spec),
      IsOk());
  EXPECT_THAT(JudgeConfigFromProto(spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "metrics[1].confidence: must be in (0, 1) (got 1.5)"));
  spec.mutable_metrics(1)->clear_confidence();
  spec.mutable_groups(0)->set_weight(90);
  EXPECT_THAT(JudgeConfigFromProto(spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "groups: weights must sum to 100 (got 90)"));
}

TEST(JudgeProtoTest, Directions) {
  EXPECT_THAT(DirectionFromProto(v1::DIRECTION_UNSPECIFIED,
                                 stats::MetricDirection::kDecrease),
              IsOkAndHolds(stats::MetricDirection::kDecrease));
  EXPECT_THAT(DirectionFromProto(v1::DIRECTION_INCREASE,
                                 stats::MetricDirection::kEither),
              IsOkAndHolds(stats::MetricDirection::kIncrease));
  EXPECT_THAT(DirectionFromProto(v1::DIRECTION_DECREASE,
                                 stats::MetricDirection::kEither),
              IsOkAndHolds(stats::MetricDirection::kDecrease));
  EXPECT_THAT(DirectionFromProto(v1::DIRECTION_EITHER,
                                 stats::MetricDirection::kIncrease),
              IsOkAndHolds(stats::MetricDirection::kEither));
  EXPECT_THAT(DirectionFromProto(static_cast<v1::MetricDirection>(42),
                                 stats::MetricDirection::kEither),
              StatusIs(absl::StatusCode::kInvalidArgument, "unknown value 42"));
}

TEST(JudgeProtoTest, ResultToProtoLeavesNonFiniteNumbersUnset) {
  stats::KayentaJudgeConfig config;
  config.thresholds.pass = 90;
  config.thresholds.marginal = 60;
  stats::JudgeResult result;
  result.score = 50;
  result.label = stats::ScoreLabel::kFail;
  result.groups.push_back({"latency", 50, false});
  stats::JudgedMetric metric;
  metric.name = "p99";
  metric.classification.label = stats::MetricLabel::kHigh;
  metric.classification.p_value = 0.001;
  metric.classification.estimate = 12.5;
  metric.classification.lower = std::numeric_limits<double>::quiet_NaN();
  metric.classification.upper = std::numeric_limits<double>::infinity();
  metric.classification.control.count = 40;
  metric.classification.experiment.count = 39;
  result.metrics.push_back(metric);

  const v1::JudgeResult p = JudgeResultToProto(config, result);
  EXPECT_EQ(p.score(), 50);
  EXPECT_EQ(p.verdict(), "Fail");
  EXPECT_EQ(p.pass_threshold(), 90);
  EXPECT_EQ(p.marginal_threshold(), 60);
  ASSERT_EQ(p.groups_size(), 1);
  EXPECT_EQ(p.groups(0).name(), "latency");
  EXPECT_EQ(p.groups(0).score(), 50);
  ASSERT_EQ(p.metrics_size(), 1);
  const v1::JudgedMetricResult& m = p.metrics(0);
  EXPECT_EQ(m.name(), "p99");
  EXPECT_EQ(m.classification(), "High");
  EXPECT_TRUE(m.has_p_value());
  EXPECT_EQ(m.estimate(), 12.5);
  EXPECT_FALSE(m.has_lower());
  EXPECT_FALSE(m.has_upper());
  EXPECT_EQ(m.n_control(), 40);
  EXPECT_EQ(m.n_experiment(), 39);
}

}  // namespace
}  // namespace sluice

// Copyright 2026 The Sluice Authors.
//
// The threshold gate: aggregations, bounds, missing data, errors, and bad
// input.

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/gates.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

// 2023-11-14T22:13:20Z, a Tuesday.
absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

using ::sluice::testing::DriveGate;
using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::IsOkAndHolds;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

ThresholdCheck P99Latency() {
  ThresholdCheck c;
  c.metric.name = "p99_latency";
  c.metric.unit = "ms";
  c.metric.query = "histogram_quantile(0.99, ...)";
  c.metric.params = {{"job", "web"}};
  c.aggregation = {AggregationKind::kQuantile, 0.99};
  c.max = 300;
  return c;
}

TEST(ThresholdGateTest, FailReasonReadsLikeTheIssue) {
  Harness h;
  h.metrics.SetAggregate("p99_latency", Cohort::kWave, T0(), 412, 1240);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate,
                              NewThresholdGate("p99-latency", P99Latency()));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kFail);
  EXPECT_EQ(v.gate, "p99-latency");
  EXPECT_EQ(v.reason,
            "p99_latency 412 ms > max 300 ms over 5m on wave 2 (n=1240)");
  EXPECT_EQ(v.sample_count, 1240);
  EXPECT_THAT(v.observations, ElementsAre(Observation{"p99_latency", 412, "ms"},
                                          Observation{"max", 300, "ms"},
                                          Observation{"n", 1240, ""}));
}

TEST(ThresholdGateTest, QueryCarriesMetricCohortWindowAndHint) {
  Harness h;
  h.metrics.SetAggregate("p99_latency", Cohort::kWave, T0(), 120, 50);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("p99", P99Latency()));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kPass);
  EXPECT_EQ(v.reason,
            "p99_latency 120 ms <= max 300 ms over 5m on wave 2 (n=50)");
  ASSERT_EQ(h.metrics.queries().size(), 1u);
  const testing::RecordedMetricQuery q = h.metrics.queries()[0];
  EXPECT_EQ(q.metric, "p99_latency");
  EXPECT_EQ(q.query, "histogram_quantile(0.99, ...)");
  EXPECT_EQ(q.params.at("job"), "web");
  EXPECT_EQ(q.cohort, Cohort::kWave);
  EXPECT_THAT(q.targets, ElementsAre("web-1", "web-2"));
  EXPECT_EQ(q.wave_index, 2);
  EXPECT_EQ(q.stage, "zone");
  EXPECT_EQ(q.start, T0() - absl::Minutes(5));
  EXPECT_EQ(q.end, T0());
  ASSERT_TRUE(q.aggregation.has_value());
  EXPECT_EQ(AggregationName(*q.aggregation), "p99");
}

TEST(ThresholdGateTest, BaselineAndFleetCohorts) {
  Harness h;
  h.metrics.SetAggregate("m", Cohort::kBaseline, T0(), 1);
  h.metrics.SetAggregate("m", Cohort::kFleet, T0(), 1);
  for (Cohort cohort : {Cohort::kBaseline, Cohort::kFleet}) {
    ThresholdCheck c;
    c.metric.name = "m";
    c.max = 2;
    c.cohort = cohort;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("g", c));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    EXPECT_EQ(v.outcome, Outcome::kPass) << v;
    EXPECT_EQ(h.metrics.queries().back().cohort, cohort);
  }
  EXPECT_THAT(h.metrics.queries()[0].targets, ElementsAre("web-9"));
  EXPECT_TRUE(h.metrics.queries()[1].targets.empty());
}

struct AggCase {
  std::string aggregate;
  double want;
};

// Samples 1..10 at one per 30 s over the 5 m window.
TEST(ThresholdGateTest, AggregatesSamples) {
  std::vector<AggCase> cases = {{"mean", 5.5},
                                {"sum", 55},
                                {"rate", 55.0 / 300},
                                {"count", 10},
                                {"min", 1},
                                {"max", 10},
                                {"p50", 5.5},
                                {"p90", 9.1},
                                {"p99", 9.91},
                                {"median", 5.5},
                                {"quantile(0.25)", 3.25}};
  for (const AggCase& c : cases) {
    Harness h;
    std::vector<Sample> samples;
    for (int i = 10; i >= 1; --i) {  // out of order on purpose
      samples.push_back({T0() - absl::Seconds(30 * i), static_cast<double>(i)});
    }
    samples.push_back({T0() - absl::Seconds(10), std::nan("")});  // dropped
    h.metrics.AddSamples("m", Cohort::kWave, samples);
    ThresholdCheck check;
    check.metric.name = "m";
    SLUICE_ASSERT_OK_AND_ASSIGN(check.aggregation,
                                ParseAggregation(c.aggregate));
    check.max = 1e9;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("g", check));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    ASSERT_EQ(v.outcome, Outcome::kPass) << c.aggregate << ": " << v;
    ASSERT_NE(v.FindObservation("m"), nullptr);
    EXPECT_NEAR(v.FindObservation("m")->value, c.want, 1e-12) << c.aggregate;
    EXPECT_EQ(v.sample_count, 10) << c.aggregate;
  }
}

TEST(ThresholdGateTest, OnlySamplesInsideTheWindowCount) {
  Harness h;
  h.metrics.AddSamples("m", Cohort::kWave,
                       {{T0() - absl::Minutes(10), 100},  // before the window
                        {T0() - absl::Minutes(1), 1},
                        {T0(), 100}});  // the window is [start, end)
  ThresholdCheck check;
  check.metric.name = "m";
  check.max = 5;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("g", check));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v;
  EXPECT_EQ(v.sample_count, 1);
}

struct BoundCase {
  std::optional<double> min, max;
  double value;
  Outcome want;
  std::string reason;
};

TEST(ThresholdGateTest, BoundsAreInclusive) {
  std::vector<BoundCase> cases = {
      {std::nullopt, 300, 300, Outcome::kPass, "m 300 <= max 300"},
      {std::nullopt, 300, 300.5, Outcome::kFail, "m 300.5 > max 300"},
      {0.99, std::nullopt, 0.99, Outcome::kPass, "m 0.99 >= min 0.99"},
      {0.99, std::nullopt, 0.98, Outcome::kFail, "m 0.98 < min 0.99"},
      {1, 2, 1.5, Outcome::kPass, "m 1.5 within [1, 2]"},
      {1, 2, 0.5, Outcome::kFail, "m 0.5 < min 1"},
      {1, 2, 2.5, Outcome::kFail, "m 2.5 > max 2"},
      {1, 1, 1, Outcome::kPass, "m 1 within [1, 1]"},
  };
  for (const BoundCase& c : cases) {
    Harness h;
    h.metrics.SetAggregate("m", Cohort::kWave, T0(), c.value);
    ThresholdCheck check;
    check.metric.name = "m";
    check.aggregation = {AggregationKind::kMax, 0.5};
    check.min = c.min;
    check.max = c.max;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("g", check));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    EXPECT_EQ(v.outcome, c.want) << v;
    EXPECT_THAT(v.reason, HasSubstr("max of " + c.reason))
        << "got " << v.reason;
  }
}

struct MissingCase {
  MissingDataPolicy policy;
  Outcome want;
};

TEST(ThresholdGateTest, MissingDataPolicies) {
  for (const MissingCase& c : std::vector<MissingCase>{
           {MissingDataPolicy::kFail, Outcome::kFail},
           {MissingDataPolicy::kPass, Outcome::kPass},
           {MissingDataPolicy::kInconclusive, Outcome::kInconclusive},
           {MissingDataPolicy::kIgnore, Outcome::kPass}}) {
    // No data in three shapes: NoData, empty samples, NaN aggregate, and
    // an aggregate over zero points.
    for (int shape = 0; shape < 4; ++shape) {
      Harness h;
      switch (shape) {
        case 0:
          h.metrics.SetNoData("m", Cohort::kWave, T0());
          break;
        case 1:
          h.metrics.QueueResponse("m", Cohort::kWave,
                                  MetricResult::FromSamples({}));
          break;
        case 2:
          h.metrics.SetAggregate("m", Cohort::kWave, T0(), std::nan(""));
          break;
        case 3:
          h.metrics.SetAggregate("m", Cohort::kWave, T0(), 0, 0);
          break;
      }
      ThresholdCheck check;
      check.metric.name = "m";
      check.metric.missing_data = c.policy;
      check.max = 5;
      SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("g", check));
      GateState state;
      Verdict v = gate->Evaluate(h.Context(T0()), state);
      EXPECT_EQ(v.outcome, c.want) << "shape " << shape << ": " << v;
      EXPECT_THAT(v.reason, HasSubstr("no data over 5m on wave 2"));
      EXPECT_THAT(v.reason,
                  HasSubstr(absl::StrCat("missing_data: ",
                                         MissingDataPolicyName(c.policy))));
      EXPECT_EQ(v.sample_count, 0);
    }
  }
}

TEST(ThresholdGateTest, RetryableErrorIsRetriedThenErrors) {
  Harness h;
  h.metrics.SetError("m", Cohort::kWave, T0(),
                     absl::DeadlineExceededError("timeout"));
  ThresholdCheck check;
  check.metric.name = "m";
  check.max = 5;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("g", check));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  ASSERT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(v.hold_until, T0() + absl::Seconds(10));
  EXPECT_THAT(v.reason, HasSubstr("retrying after an error"));
  testing::GateRun run = DriveGate(*gate, h, state, v.hold_until);
  EXPECT_EQ(run.verdict.outcome, Outcome::kError);
  EXPECT_EQ(h.metrics.query_count(), 5u);
  EXPECT_THAT(run.verdict.reason,
              HasSubstr("consecutive_error (5) > consecutive_error_limit (4); "
                        "last: querying m on wave 2: DEADLINE_EXCEEDED: "
                        "timeout"));
}

TEST(ThresholdGateTest, RecoversWhenTheSourceComesBack) {
  Harness h;
  h.metrics.SetError("m", Cohort::kWave, T0(), absl::UnavailableError("down"));
  h.metrics.SetAggregate("m", Cohort::kWave, T0() + absl::Seconds(25), 1);
  ThresholdCheck check;
  check.metric.name = "m";
  check.max = 5;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("g", check));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  EXPECT_EQ(run.evaluations.back(), T0() + absl::Seconds(30));
}

TEST(ThresholdGateTest, PermanentErrorsAndMissingSourceErrorAtOnce) {
  {
    Harness h;
    h.metrics.SetError("m", Cohort::kWave, T0(),
                       absl::NotFoundError("no such metric"));
    ThresholdCheck check;
    check.metric.name = "m";
    check.max = 5;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("g", check));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    EXPECT_EQ(v.outcome, Outcome::kError);
    EXPECT_THAT(v.reason, HasSubstr("NOT_FOUND: no such metric"));
  }
  {
    Harness h;
    ThresholdCheck check;
    check.metric.name = "m";
    check.max = 5;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("g", check));
    GateState state;
    GateContext context = h.Context(T0());
    context.metric_source = nullptr;
    Verdict v = gate->Evaluate(context, state);
    EXPECT_EQ(v.outcome, Outcome::kError);
    EXPECT_THAT(v.reason, HasSubstr("metric_source is null"));
  }
}

TEST(ThresholdGateTest, WindowNeverReachesBeforeTheDeploy) {
  Harness h;
  h.deployed_at = T0();
  // The old version's minutes before the deploy were bad, the new one's good.
  h.metrics.AddSamples("p99_latency", Cohort::kWave,
                       {{T0() - absl::Minutes(2), 900},
                        {T0() + absl::Minutes(1), 100},
                        {T0() + absl::Minutes(4), 120}});
  ThresholdCheck c = P99Latency();
  c.aggregation = {AggregationKind::kMax, 0.5};
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("p99", c));
  GateState state;
  // Evaluated at the deploy: it waits for a whole window of the new version.
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kHold) << v;
  EXPECT_EQ(v.hold_until, T0() + absl::Minutes(5));
  EXPECT_THAT(v.reason, HasSubstr("a whole 5m window after the deploy"));
  EXPECT_EQ(h.metrics.query_count(), 0u);
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  ASSERT_EQ(h.metrics.queries().size(), 1u);
  EXPECT_EQ(h.metrics.queries()[0].start, T0());
  EXPECT_EQ(h.metrics.queries()[0].end, T0() + absl::Minutes(5));

  // include_before_deploy: measured at once, over the old version's minutes.
  c.include_before_deploy = true;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto old, NewThresholdGate("p99", c));
  GateState state2;
  v = old->Evaluate(h.Context(T0() + absl::Minutes(1)), state2);
  EXPECT_EQ(v.outcome, Outcome::kFail) << v;
  EXPECT_EQ(h.metrics.queries().back().start, T0() - absl::Minutes(4));
}

TEST(ThresholdGateTest, WindowStartsAtTheDeployInsideABake) {
  // A bake checking every minute with a 5m window: the early checks'
  // windows start at the deploy, never before.
  Harness h;
  h.deployed_at = T0();
  h.metrics.AddSamples("p99_latency", Cohort::kWave,
                       {{T0() - absl::Minutes(1), 900},
                        {T0() + absl::Minutes(2), 100},
                        {T0() + absl::Minutes(6), 100}});
  ThresholdCheck c = P99Latency();
  c.aggregation = {AggregationKind::kMax, 0.5};
  SLUICE_ASSERT_OK_AND_ASSIGN(auto check, NewThresholdGate("p99", c));
  BakeOptions bake;
  bake.duration = absl::Minutes(10);
  bake.interval = absl::Minutes(1);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate,
                              NewBakeGate("bake", bake, std::move(check)));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  for (const testing::RecordedMetricQuery& q : h.metrics.queries()) {
    EXPECT_GE(q.start, T0());
  }
}

TEST(ThresholdGateTest, TooFewSamplesAreInconclusive) {
  Harness h;
  h.metrics.SetAggregate("p99_latency", Cohort::kWave, T0(), 412, 40);
  ThresholdCheck c = P99Latency();
  c.min_samples = 100;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewThresholdGate("p99", c));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kInconclusive) << v;
  EXPECT_EQ(v.reason,
            "p99_latency: too few samples over 5m on wave 2 (n=40 < "
            "min_samples 100)");
  c.min_samples = 40;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto enough, NewThresholdGate("p99", c));
  GateState state2;
  EXPECT_EQ(enough->Evaluate(h.Context(T0()), state2).outcome, Outcome::kFail);
  c.min_samples = -1;
  EXPECT_THAT(NewThresholdGate("p99", c).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("min_samples: must be >= 0")));
}

TEST(ParseAggregationTest, NamesAndQuantiles) {
  EXPECT_THAT(ParseAggregation("p99"),
              IsOkAndHolds(Aggregation{AggregationKind::kQuantile, 0.99}));
  EXPECT_THAT(ParseAggregation("P99.9"),
              IsOkAndHolds(Aggregation{AggregationKind::kQuantile, 0.999}));
  EXPECT_THAT(ParseAggregation("quantile(0.995)"),
              IsOkAndHolds(Aggregation{AggregationKind::kQuantile, 0.995}));
  EXPECT_THAT(ParseAggregation("rate"),
              IsOkAndHolds(Aggregation{AggregationKind::kRate, 0.5}));
  EXPECT_EQ(AggregationName({AggregationKind::kQuantile, 0.999}), "p99.9");
  EXPECT_EQ(AggregationName({AggregationKind::kQuantile, 0.5}), "p50");
  EXPECT_EQ(AggregationName({AggregationKind::kQuantile, 0.05}), "p5");
  EXPECT_EQ(AggregationName({AggregationKind::kQuantile, 0.005}),
            "quantile(0.0050000000000000001)");
  EXPECT_THAT(ParseAggregation("p0.5"),
              IsOkAndHolds(Aggregation{AggregationKind::kQuantile, 0.005}));
  EXPECT_THAT(ParseAggregation("p05"),
              IsOkAndHolds(Aggregation{AggregationKind::kQuantile, 0.05}));
  EXPECT_EQ(AggregationName({AggregationKind::kSum, 0.5}), "sum");
  for (const char* bad : {"p0", "p100", "p150", "quantile(1.5)", "quantile(0)",
                          "quantile(-0.1)"}) {
    EXPECT_THAT(ParseAggregation(bad),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("quantile must be in (0, 1)")))
        << bad;
  }
  EXPECT_THAT(ParseAggregation("avgg"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown aggregation \"avgg\"")));
  EXPECT_THAT(ParseAggregation("quantile(x)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must be a number")));
}

TEST(ThresholdGateTest, BadInputNamesTheField) {
  struct Bad {
    std::function<void(ThresholdCheck&)> edit;
    std::string want;
  };
  std::vector<Bad> cases = {
      {[](ThresholdCheck& c) {
         c.min = 0.5;
         c.max = 0.1;
       },
       "max: must be >= min (got 0.1 < 0.5)"},
      {[](ThresholdCheck& c) { c.aggregation.quantile = 1.0; },
       "aggregation.quantile: must be in (0, 1) (got 1)"},
      {[](ThresholdCheck& c) { c.aggregation.quantile = 0; },
       "aggregation.quantile: must be in (0, 1) (got 0)"},
      {[](ThresholdCheck& c) { c.window = absl::ZeroDuration(); },
       "window: must be finite and > 0 (got 0)"},
      {[](ThresholdCheck& c) { c.window = -absl::Minutes(1); },
       "window: must be finite and > 0"},
      {[](ThresholdCheck& c) { c.max.reset(); },
       "max: at least one of min and max is required"},
      {[](ThresholdCheck& c) {
         c.max = std::numeric_limits<double>::infinity();
       },
       "max: must be finite"},
      {[](ThresholdCheck& c) { c.min = std::nan(""); }, "min: must be finite"},
      {[](ThresholdCheck& c) { c.metric.name.clear(); },
       "metric.name: must not be empty"},
  };
  for (const Bad& b : cases) {
    ThresholdCheck c = P99Latency();
    b.edit(c);
    EXPECT_THAT(
        NewThresholdGate("g", c),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(b.want)));
  }
  EXPECT_THAT(NewThresholdGate("", P99Latency()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("name: must not be empty")));
}

}  // namespace
}  // namespace sluice

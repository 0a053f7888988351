// Copyright 2026 The Sluice Authors.
//
// The relative-to-baseline gate.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/gates.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

// 2023-11-14T22:13:20Z, a Tuesday.
absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

RelativeCheck ErrorRate() {
  RelativeCheck c;
  c.metric.name = "error_rate";
  c.metric.unit = "%";
  return c;
}

struct Case {
  std::string name;
  double wave, baseline;
  std::optional<double> min_ratio, max_ratio, min_difference, max_difference;
  bool require_both;
  Outcome want;
  std::string reason;
};

TEST(RelativeGateTest, RatioAndDifference) {
  std::vector<Case> cases = {
      {"within ratio",
       1.05,
       1.0,
       {},
       1.1,
       {},
       {},
       false,
       Outcome::kPass,
       "ratio 1.05, difference 0.05 % within bounds"},
      {"over ratio",
       1.2,
       1.0,
       {},
       1.1,
       {},
       {},
       false,
       Outcome::kFail,
       "ratio 1.2 > max 1.1"},
      {"under min ratio",
       0.5,
       1.0,
       0.8,
       {},
       {},
       {},
       false,
       Outcome::kFail,
       "ratio 0.5 < min 0.8"},
      {"within difference",
       0.03,
       0.01,
       {},
       {},
       {},
       0.05,
       false,
       Outcome::kPass,
       "within bounds"},
      {"over difference",
       0.2,
       0.01,
       {},
       {},
       {},
       0.05,
       false,
       Outcome::kFail,
       "difference 0.19 % > max 0.05 %"},
      {"under min difference",
       1,
       5,
       {},
       {},
       -2,
       {},
       false,
       Outcome::kFail,
       "difference -4 % < min -2 %"},
      // Tiny values: ratio 3 is bad, but a 0.02 difference is allowed.
      {"either allowance",
       0.03,
       0.01,
       {},
       1.5,
       {},
       0.05,
       false,
       Outcome::kPass,
       "within bounds"},
      {"both required",
       0.03,
       0.01,
       {},
       1.5,
       {},
       0.05,
       true,
       Outcome::kFail,
       "ratio 3 > max 1.5"},
      {"both violated",
       3,
       1,
       {},
       1.5,
       {},
       0.05,
       false,
       Outcome::kFail,
       "ratio 3 > max 1.5 and difference 2 % > max 0.05 %"},
      {"zero baseline zero wave",
       0,
       0,
       {},
       1.1,
       {},
       {},
       false,
       Outcome::kPass,
       "ratio 1,"},
      {"zero baseline",
       0.1,
       0,
       {},
       1.1,
       {},
       {},
       false,
       Outcome::kFail,
       "ratio inf > max 1.1"},
  };
  for (const Case& c : cases) {
    Harness h;
    h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), c.wave, 800);
    h.metrics.SetAggregate("error_rate", Cohort::kBaseline, T0(), c.baseline,
                           900);
    RelativeCheck check = ErrorRate();
    check.min_ratio = c.min_ratio;
    check.max_ratio = c.max_ratio;
    check.min_difference = c.min_difference;
    check.max_difference = c.max_difference;
    check.require_both = c.require_both;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", check));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    EXPECT_EQ(v.outcome, c.want) << c.name << ": " << v;
    EXPECT_THAT(v.reason, HasSubstr(c.reason)) << c.name;
    EXPECT_THAT(v.reason, HasSubstr("(n=800 vs 900)")) << c.name;
    EXPECT_EQ(v.sample_count, 1700) << c.name;
  }
}

TEST(RelativeGateTest, QueriesBothCohortsOverTheSameWindow) {
  Harness h;
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 1);
  h.metrics.SetAggregate("error_rate", Cohort::kBaseline, T0(), 1);
  RelativeCheck check = ErrorRate();
  check.max_ratio = 1.1;
  check.window = absl::Minutes(10);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", check));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  ASSERT_EQ(v.outcome, Outcome::kPass);
  auto q = h.metrics.queries();
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].cohort, Cohort::kWave);
  EXPECT_THAT(q[0].targets, ElementsAre("web-1", "web-2"));
  EXPECT_EQ(q[1].cohort, Cohort::kBaseline);
  EXPECT_THAT(q[1].targets, ElementsAre("web-9"));
  for (const auto& query : q) {
    EXPECT_EQ(query.start, T0() - absl::Minutes(10));
    EXPECT_EQ(query.end, T0());
  }
  EXPECT_EQ(v.reason,
            "mean of error_rate 1 % vs baseline 1 %: ratio 1, difference 0 % "
            "within bounds over 10m on wave 2");
  ASSERT_NE(v.FindObservation("error_rate.baseline"), nullptr);
  EXPECT_EQ(v.FindObservation("ratio")->value, 1);
}

TEST(RelativeGateTest, MissingBaselineFollowsThePolicy) {
  Harness h;
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 1);
  h.metrics.SetNoData("error_rate", Cohort::kBaseline, T0());
  RelativeCheck check = ErrorRate();
  check.max_ratio = 1.1;
  check.metric.missing_data = MissingDataPolicy::kInconclusive;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", check));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kInconclusive);
  EXPECT_THAT(v.reason, HasSubstr("no data on the baseline"));
}

TEST(RelativeGateTest, BaselineErrorIsRetried) {
  Harness h;
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 1);
  h.metrics.QueueResponse("error_rate", Cohort::kBaseline,
                          absl::UnavailableError("down"));
  h.metrics.SetAggregate("error_rate", Cohort::kBaseline, T0(), 1);
  RelativeCheck check = ErrorRate();
  check.max_ratio = 1.1;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("g", check));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  ASSERT_EQ(v.outcome, Outcome::kHold);
  EXPECT_THAT(v.reason, HasSubstr("querying error_rate on the baseline"));
  v = gate->Evaluate(h.Context(v.hold_until), state);
  EXPECT_EQ(v.outcome, Outcome::kPass);
}

TEST(RelativeGateTest, NoBaselinePassesSayingSo) {
  // The last wave of a plan: no target is left on the old version.
  Harness h;
  h.baseline = {};
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 0.5, 100);
  h.metrics.SetAggregate("error_rate", Cohort::kBaseline, T0(), 0.001, 100);
  RelativeCheck c;
  c.metric.name = "error_rate";
  c.max_difference = 0.01;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("rel", c));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v;
  EXPECT_THAT(v.reason, HasSubstr("no baseline for wave 2"));
  EXPECT_EQ(h.metrics.query_count(), 0u);
}

TEST(RelativeGateTest, TooFewWaveSamplesAreInconclusive) {
  // A low-traffic window: the wave's p99 rests on 12 requests.
  Harness h;
  h.metrics.SetAggregate("p99", Cohort::kWave, T0(), 900, 12);
  h.metrics.SetAggregate("p99", Cohort::kBaseline, T0(), 200, 9000);
  RelativeCheck c;
  c.metric.name = "p99";
  c.max_ratio = 1.5;
  c.min_samples = 500;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewRelativeGate("rel", c));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kInconclusive) << v;
  EXPECT_THAT(v.reason, HasSubstr("too few samples"));
  EXPECT_THAT(v.reason, HasSubstr("(n=12 < min_samples 500)"));
}

TEST(RelativeGateTest, BadInputNamesTheField) {
  struct Bad {
    std::function<void(RelativeCheck&)> edit;
    std::string want;
  };
  std::vector<Bad> cases = {
      {[](RelativeCheck&) {},
       "max_ratio: at least one of min_ratio, max_ratio, min_difference and "
       "max_difference is required"},
      {[](RelativeCheck& c) { c.max_ratio = 0; },
       "max_ratio: must be > 0 (got 0)"},
      {[](RelativeCheck& c) { c.min_ratio = -1; },
       "min_ratio: must be >= 0 (got -1)"},
      {[](RelativeCheck& c) {
         c.min_ratio = 2;
         c.max_ratio = 1;
       },
       "max_ratio: must be >= min_ratio (got 1 < 2)"},
      {[](RelativeCheck& c) {
         c.min_difference = 2;
         c.max_difference = 1;
       },
       "max_difference: must be >= min_difference (got 1 < 2)"},
      {[](RelativeCheck& c) {
         c.max_ratio = 1.1;
         c.window = absl::ZeroDuration();
       },
       "window: must be > 0"},
      {[](RelativeCheck& c) {
         c.max_ratio = 1.1;
         c.aggregation = {AggregationKind::kQuantile, 2};
       },
       "aggregation.quantile: must be in (0, 1) (got 2)"},
  };
  for (const Bad& b : cases) {
    RelativeCheck c = ErrorRate();
    b.edit(c);
    EXPECT_THAT(
        NewRelativeGate("g", c),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(b.want)));
  }
}

}  // namespace
}  // namespace sluice

// Copyright 2026 The Sluice Authors.
//
// The bake gate: healthy for the whole bake, checked at an interval.

#include <memory>
#include <string>
#include <utility>
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

using ::sluice::testing::DriveGate;
using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::QueryTimes;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::unique_ptr<HealthGate> ErrorRateCheck(
    MissingDataPolicy missing = MissingDataPolicy::kFail) {
  ThresholdCheck c;
  c.metric.name = "error_rate";
  c.metric.missing_data = missing;
  c.max = 0.01;
  c.window = absl::Minutes(10);
  return *NewThresholdGate("error rate", c);
}

BakeOptions HourEveryTenMinutes() {
  BakeOptions o;
  o.duration = absl::Hours(1);
  o.interval = absl::Minutes(10);
  return o;
}

TEST(BakeGateTest, PassesAfterHealthyChecksAtEveryInterval) {
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 0.001, 500);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      auto bake, NewBakeGate("bake", HourEveryTenMinutes(), ErrorRateCheck()));
  GateState state;
  testing::GateRun run = DriveGate(*bake, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  std::vector<absl::Time> want;
  for (int i = 1; i <= 6; ++i) want.push_back(T0() + absl::Minutes(10 * i));
  EXPECT_EQ(QueryTimes(h.metrics), want);
  EXPECT_EQ(run.verdict.reason,
            "healthy for the whole 1h bake (6 checks passed, 3000 samples)");
  EXPECT_EQ(run.verdict.sample_count, 3000);
  EXPECT_EQ(run.evaluations.back(), T0() + absl::Hours(1));
}

TEST(BakeGateTest, FirstEvaluationHoldsUntilTheFirstCheck) {
  Harness h;
  h.deployed_at = T0();
  SLUICE_ASSERT_OK_AND_ASSIGN(
      auto bake, NewBakeGate("bake", HourEveryTenMinutes(), ErrorRateCheck()));
  GateState state;
  Verdict v = bake->Evaluate(h.Context(T0() + absl::Minutes(3)), state);
  EXPECT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(v.hold_until, T0() + absl::Minutes(10));
  EXPECT_THAT(v.reason, HasSubstr("baking until 2023-11-14T23:13:20Z"));
  EXPECT_EQ(h.metrics.query_count(), 0u);
}

TEST(BakeGateTest, AnyFailureDuringTheBakeFailsAtOnce) {
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 0.001, 500);
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0() + absl::Minutes(25),
                         0.05, 500);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      auto bake, NewBakeGate("bake", HourEveryTenMinutes(), ErrorRateCheck()));
  GateState state;
  testing::GateRun run = DriveGate(*bake, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail);
  EXPECT_EQ(run.evaluations.back(), T0() + absl::Minutes(30));
  EXPECT_THAT(run.verdict.reason,
              HasSubstr("check 3 at 30m into the 1h bake: FAIL: mean of "
                        "error_rate 0.05 > max 0.01"));
  ASSERT_EQ(run.verdict.details.size(), 1u);
  // Decided for good.
  Verdict again = bake->Evaluate(h.Context(T0() + absl::Hours(2)), state);
  EXPECT_EQ(again.outcome, Outcome::kFail);
  EXPECT_EQ(h.metrics.query_count(), 3u);
}

TEST(BakeGateTest, TooFewSamplesIsInconclusiveOrFail) {
  for (Outcome too_few : {Outcome::kInconclusive, Outcome::kFail}) {
    Harness h;
    h.deployed_at = T0();
    h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 0, 3);
    BakeOptions o = HourEveryTenMinutes();
    o.min_samples = 100;
    o.too_few_samples = too_few;
    SLUICE_ASSERT_OK_AND_ASSIGN(auto bake,
                                NewBakeGate("bake", o, ErrorRateCheck()));
    GateState state;
    testing::GateRun run = DriveGate(*bake, h, state, T0());
    EXPECT_EQ(run.verdict.outcome, too_few);
    EXPECT_THAT(run.verdict.reason,
                HasSubstr("saw 18 samples < min_samples 100"));
  }
}

TEST(BakeGateTest, IdleHourWithIgnoredMissingDataProvesNothing) {
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetNoData("error_rate", Cohort::kWave, T0());
  BakeOptions o = HourEveryTenMinutes();
  o.min_samples = 1;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      auto bake,
      NewBakeGate("bake", o, ErrorRateCheck(MissingDataPolicy::kIgnore)));
  GateState state;
  testing::GateRun run = DriveGate(*bake, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kInconclusive);
  EXPECT_EQ(run.verdict.sample_count, 0);
}

TEST(BakeGateTest, RetriesInsideACheckWithoutRestartingIt) {
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 0.001, 10);
  // The 20m check errors once and succeeds on the 10 s retry.
  h.metrics.SetError("error_rate", Cohort::kWave, T0() + absl::Minutes(20),
                     absl::UnavailableError("blip"));
  h.metrics.SetAggregate("error_rate", Cohort::kWave,
                         T0() + absl::Minutes(20) + absl::Seconds(5), 0.001,
                         10);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      auto bake, NewBakeGate("bake", HourEveryTenMinutes(), ErrorRateCheck()));
  GateState state;
  testing::GateRun run = DriveGate(*bake, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  std::vector<absl::Time> times = QueryTimes(h.metrics);
  ASSERT_EQ(times.size(), 7u);
  EXPECT_EQ(times[1], T0() + absl::Minutes(20));
  EXPECT_EQ(times[2], T0() + absl::Minutes(20) + absl::Seconds(10));
  EXPECT_EQ(times[3], T0() + absl::Minutes(30));  // back on the grid
}

TEST(BakeGateTest, StartsAtFirstEvaluationWhenDeployTimeIsUnknown) {
  Harness h;
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 0.001, 10);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      auto bake, NewBakeGate("bake", HourEveryTenMinutes(), ErrorRateCheck()));
  GateState state;
  const absl::Time start = T0() + absl::Minutes(7);
  Verdict v = bake->Evaluate(h.Context(start), state);
  EXPECT_EQ(v.hold_until, start + absl::Minutes(10));
  EXPECT_EQ(state.started_at, start);
}

TEST(BakeGateTest, LateEvaluationChecksOnceAndRejoinsTheGrid) {
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 0.001, 10);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      auto bake, NewBakeGate("bake", HourEveryTenMinutes(), ErrorRateCheck()));
  GateState state;
  // The engine comes back 34 minutes in (a restart): one check now, the next
  // at 40m.
  Verdict v = bake->Evaluate(h.Context(T0() + absl::Minutes(34)), state);
  EXPECT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(v.hold_until, T0() + absl::Minutes(40));
  // An early wake-up does not check again.
  v = bake->Evaluate(h.Context(T0() + absl::Minutes(35)), state);
  EXPECT_EQ(h.metrics.query_count(), 1u);
  // Late past the end: one last check, then pass.
  v = bake->Evaluate(h.Context(T0() + absl::Minutes(75)), state);
  EXPECT_EQ(v.outcome, Outcome::kPass);
  EXPECT_EQ(h.metrics.query_count(), 2u);
}

TEST(BakeGateTest, IntervalNotDividingDurationEndsAtTheEnd) {
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetAggregate("error_rate", Cohort::kWave, T0(), 0.001, 10);
  BakeOptions o;
  o.duration = absl::Minutes(25);
  o.interval = absl::Minutes(10);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto bake,
                              NewBakeGate("bake", o, ErrorRateCheck()));
  GateState state;
  testing::GateRun run = DriveGate(*bake, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  EXPECT_THAT(QueryTimes(h.metrics),
              ElementsAre(T0() + absl::Minutes(10), T0() + absl::Minutes(20),
                          T0() + absl::Minutes(25)));
}

TEST(BakeGateTest, BadInputNamesTheField) {
  BakeOptions zero;
  EXPECT_THAT(NewBakeGate("b", zero, ErrorRateCheck()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("duration: must be finite and > 0 (got 0)")));
  BakeOptions no_interval = HourEveryTenMinutes();
  no_interval.interval = absl::ZeroDuration();
  EXPECT_THAT(NewBakeGate("b", no_interval, ErrorRateCheck()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("interval: must be > 0 (got 0)")));
  BakeOptions long_interval = HourEveryTenMinutes();
  long_interval.interval = absl::Hours(2);
  EXPECT_THAT(
      NewBakeGate("b", long_interval, ErrorRateCheck()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("interval: must be <= duration (got 2h > 1h)")));
  BakeOptions negative = HourEveryTenMinutes();
  negative.min_samples = -1;
  EXPECT_THAT(NewBakeGate("b", negative, ErrorRateCheck()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("min_samples: must be >= 0 (got -1)")));
  BakeOptions hold = HourEveryTenMinutes();
  hold.too_few_samples = Outcome::kHold;
  EXPECT_THAT(
      NewBakeGate("b", hold, ErrorRateCheck()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("too_few_samples: must be INCONCLUSIVE or FAIL")));
  EXPECT_THAT(NewBakeGate("b", HourEveryTenMinutes(), nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("check: must not be null")));
}

}  // namespace
}  // namespace sluice

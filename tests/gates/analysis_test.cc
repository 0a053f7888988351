// Copyright 2026 The Sluice Authors.
//
// Repeated analysis with Argo Rollouts' AnalysisRun semantics, case by
// case: a sequence of measurement outcomes and the limits give the phase.

#include <functional>
#include <memory>
#include <string>
#include <utility>
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
using ::sluice::testing::QueryTimes;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Scripts one measurement per character for metric `metric`:
// P pass (value 1), F fail (value 10), I no data (inconclusive under the
// default policy here), E retryable error, X non-retryable error.
void Script(Harness& h, const std::string& metric, const std::string& seq) {
  for (char c : seq) {
    absl::StatusOr<MetricResult> r;
    switch (c) {
      case 'P':
        r = MetricResult::FromAggregate(1, 100);
        break;
      case 'F':
        r = MetricResult::FromAggregate(10, 100);
        break;
      case 'I':
        r = MetricResult::NoData();
        break;
      case 'E':
        r = absl::UnavailableError("backend down");
        break;
      case 'X':
        r = absl::InvalidArgumentError("bad query");
        break;
      default:
        FAIL() << "bad script char " << c;
    }
    h.metrics.QueueResponse(metric, Cohort::kWave, std::move(r));
  }
}

AnalysisMetric Metric(
    const std::string& name,
    MissingDataPolicy missing = MissingDataPolicy::kInconclusive) {
  ThresholdCheck check;
  check.metric.name = name;
  check.metric.missing_data = missing;
  check.max = 5;
  AnalysisMetric m;
  m.check = check;
  return m;
}

struct Case {
  std::string name;
  std::string sequence;
  int32_t count;
  int32_t failure_limit;
  int32_t inconclusive_limit;
  int32_t consecutive_error_limit;
  int32_t consecutive_success_limit;
  Outcome want;
  int want_measurements;  // queries made
  std::string want_reason;
};

class AnalysisSequenceTest : public ::testing::TestWithParam<Case> {};

TEST_P(AnalysisSequenceTest, PhaseFollowsArgo) {
  const Case& c = GetParam();
  Harness h;
  Script(h, "m", c.sequence);
  AnalysisMetric m = Metric("m");
  m.count = c.count;
  if (c.count > 1) m.interval = absl::Minutes(1);
  m.failure_limit = c.failure_limit;
  m.inconclusive_limit = c.inconclusive_limit;
  m.consecutive_error_limit = c.consecutive_error_limit;
  m.consecutive_success_limit = c.consecutive_success_limit;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("a", {m}));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, c.want) << run.verdict;
  EXPECT_EQ(static_cast<int>(h.metrics.query_count()), c.want_measurements);
  EXPECT_THAT(run.verdict.reason, HasSubstr(c.want_reason));
  // Decided for good: evaluating again measures nothing and agrees.
  Verdict again = gate->Evaluate(h.Context(T0() + absl::Hours(5)), state);
  EXPECT_EQ(again.outcome, c.want);
  EXPECT_EQ(static_cast<int>(h.metrics.query_count()), c.want_measurements);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AnalysisSequenceTest,
    ::testing::Values(
        // name, sequence, count, failure, inconclusive, cons. error,
        // cons. success, want, measurements, reason
        Case{"SinglePass", "P", 1, 0, 0, 4, 0, Outcome::kPass, 1,
             "m 1 <= max 5"},
        Case{"SingleFail", "F", 1, 0, 0, 4, 0, Outcome::kFail, 1,
             "m 10 > max 5"},
        Case{"CountReachedWithinFailureLimit", "PFP", 3, 1, 0, 4, 0,
             Outcome::kPass, 3, "count (3) reached"},
        Case{"FailuresExceedLimit", "FF", 3, 1, 0, 4, 0, Outcome::kFail, 2,
             "failed (2) > failure_limit (1)"},
        Case{"DefaultFailureLimitIsZero", "PF", 3, 0, 0, 4, 0, Outcome::kFail,
             2, "failed (1) > failure_limit (0)"},
        Case{"FailureLimitDisabledSuccessLimitReached", "FFPP", 4, -1, 0, 4, 2,
             Outcome::kPass, 4,
             "consecutive_success (2) >= consecutive_success_limit (2)"},
        Case{"FailureLimitDisabledSuccessLimitMissed", "PFPF", 4, -1, 0, 4, 2,
             Outcome::kFail, 4,
             "count (4) reached without consecutive_success_limit (2)"},
        Case{"BothLimitsNeitherReachedIsInconclusive", "PPFP", 4, 1, 0, 4, 3,
             Outcome::kInconclusive, 4,
             "consecutive_success_limit (3) not reached and failure_limit (1) "
             "not exceeded"},
        Case{"ConsecutiveSuccessEndsEarly", "PP", 5, 1, 0, 4, 2, Outcome::kPass,
             2, "consecutive_success (2)"},
        Case{"FailureBeatsSuccessLimit", "PFF", 5, 1, 0, 4, 3, Outcome::kFail,
             3, "failed (2) > failure_limit (1)"},
        Case{"Inconclusive", "I", 1, 0, 0, 4, 0, Outcome::kInconclusive, 1,
             "no data"},
        Case{"InconclusiveWithinLimit", "IPP", 3, 0, 1, 4, 0, Outcome::kPass, 3,
             "count (3) reached"},
        Case{"InconclusiveOverLimit", "IPI", 3, 0, 1, 4, 0,
             Outcome::kInconclusive, 3,
             "inconclusive (2) > inconclusive_limit (1)"},
        Case{"ErrorsDoNotUseUpCount", "EEEEP", 1, 0, 0, 4, 0, Outcome::kPass, 5,
             "m 1 <= max 5"},
        Case{"ConsecutiveErrorsOverDefaultLimit", "EEEEE", 1, 0, 0, 4, 0,
             Outcome::kError, 5,
             "consecutive_error (5) > consecutive_error_limit (4)"},
        Case{"ConsecutiveErrorLimitZero", "E", 1, 0, 0, 0, 0, Outcome::kError,
             1, "consecutive_error (1) > consecutive_error_limit (0)"},
        Case{"SuccessResetsConsecutiveErrors", "EEPEEEEP", 2, 0, 0, 4, 0,
             Outcome::kPass, 8, "count (2) reached"},
        Case{"ErrorResetsConsecutiveSuccess", "PEPP", 4, 0, 0, 4, 2,
             Outcome::kPass, 4, "consecutive_success (2)"},
        Case{"NonRetryableErrorEndsAtOnce", "X", 3, 0, 0, 4, 0, Outcome::kError,
             1, "not retryable"}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(AnalysisTest, MeasuresEveryIntervalAtExactDueTimes) {
  Harness h;
  Script(h, "m", "PPP");
  AnalysisMetric m = Metric("m");
  m.count = 3;
  m.interval = absl::Minutes(1);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("a", {m}));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  // Sluice measures at last + interval inclusive (virtual time).
  EXPECT_THAT(QueryTimes(h.metrics), ElementsAre(T0(), T0() + absl::Minutes(1),
                                                 T0() + absl::Minutes(2)));
}

TEST(AnalysisTest, HoldsUntilNextMeasurementAndDoesNotMeasureEarly) {
  Harness h;
  Script(h, "m", "PP");
  AnalysisMetric m = Metric("m");
  m.count = 2;
  m.interval = absl::Minutes(5);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("a", {m}));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  ASSERT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(v.hold_until, T0() + absl::Minutes(5));
  // An early wake-up measures nothing.
  v = gate->Evaluate(h.Context(T0() + absl::Minutes(4)), state);
  EXPECT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(h.metrics.query_count(), 1u);
  v = gate->Evaluate(h.Context(T0() + absl::Minutes(5)), state);
  EXPECT_EQ(v.outcome, Outcome::kPass);
  EXPECT_EQ(h.metrics.query_count(), 2u);
}

TEST(AnalysisTest, ErrorIsRetriedAfterTenSecondsNotTheInterval) {
  Harness h;
  Script(h, "m", "PEP");
  AnalysisMetric m = Metric("m");
  m.count = 2;
  m.interval = absl::Minutes(1);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("a", {m}));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  EXPECT_THAT(QueryTimes(h.metrics),
              ElementsAre(T0(), T0() + absl::Minutes(1),
                          T0() + absl::Minutes(1) + absl::Seconds(10)));
}

TEST(AnalysisTest, ErrorRetryIntervalIsConfigurable) {
  Harness h;
  Script(h, "m", "EP");
  AnalysisMetric m = Metric("m");
  m.error_retry_interval = absl::Seconds(30);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("a", {m}));
  GateState state;
  DriveGate(*gate, h, state, T0());
  EXPECT_THAT(QueryTimes(h.metrics),
              ElementsAre(T0(), T0() + absl::Seconds(30)));
}

TEST(AnalysisTest, InitialDelayPostponesTheFirstMeasurement) {
  Harness h;
  Script(h, "m", "P");
  AnalysisMetric m = Metric("m");
  m.initial_delay = absl::Minutes(3);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("a", {m}));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  ASSERT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(v.hold_until, T0() + absl::Minutes(3));
  EXPECT_THAT(v.reason, HasSubstr("initial_delay 3m"));
  EXPECT_EQ(h.metrics.query_count(), 0u);
  testing::GateRun run = DriveGate(*gate, h, state, T0() + absl::Minutes(1));
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  EXPECT_THAT(QueryTimes(h.metrics), ElementsAre(T0() + absl::Minutes(3)));
}

TEST(AnalysisTest, OverallVerdictIsTheWorstMetric) {
  struct Row {
    std::string a, b;
    Outcome want;
  };
  for (const Row& row : std::vector<Row>{{"P", "P", Outcome::kPass},
                                         {"F", "I", Outcome::kFail},
                                         {"I", "F", Outcome::kFail},
                                         {"I", "P", Outcome::kInconclusive},
                                         {"E", "I", Outcome::kError},
                                         {"E", "F", Outcome::kFail},
                                         {"E", "P", Outcome::kError}}) {
    Harness h;
    Script(h, "a", row.a);
    Script(h, "b", row.b);
    AnalysisMetric a = Metric("a"), b = Metric("b");
    a.consecutive_error_limit = 0;  // "E" errors the metric at once
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("g", {a, b}));
    GateState state;
    testing::GateRun run = DriveGate(*gate, h, state, T0());
    EXPECT_EQ(run.verdict.outcome, row.want)
        << row.a << " / " << row.b << ": " << run.verdict;
    ASSERT_EQ(run.verdict.details.size(), 2u);
  }
}

TEST(AnalysisTest, DryRunMetricsNeverChangeTheOutcome) {
  Harness h;
  Script(h, "a", "F");
  Script(h, "b", "P");
  AnalysisMetric a = Metric("a"), b = Metric("b");
  a.dry_run = true;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("g", {a, b}));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  EXPECT_THAT(run.verdict.reason, HasSubstr("dry run: a FAIL"));
  ASSERT_EQ(run.verdict.details.size(), 2u);
  EXPECT_EQ(run.verdict.details[0].gate, "a (dry run)");
  EXPECT_EQ(run.verdict.details[0].outcome, Outcome::kFail);
}

TEST(AnalysisTest, OnlyDryRunMetricsPass) {
  Harness h;
  Script(h, "a", "F");
  AnalysisMetric a = Metric("a");
  a.dry_run = true;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("g", {a}));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  EXPECT_THAT(run.verdict.reason, HasSubstr("dry run (FAIL)"));
}

TEST(AnalysisTest, DryRunFailureDoesNotTerminateTheRun) {
  Harness h;
  Script(h, "a", "F");
  Script(h, "b", "PPP");
  AnalysisMetric a = Metric("a"), b = Metric("b");
  a.dry_run = true;
  b.count = 3;
  b.interval = absl::Minutes(1);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("g", {a, b}));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  EXPECT_EQ(h.metrics.query_count(), 4u);  // b measured all three times
}

TEST(AnalysisTest, FailedMetricTerminatesTheOthersInTheSameEvaluation) {
  Harness h;
  Script(h, "a", "PF");
  Script(h, "b", "PPPPP");
  AnalysisMetric a = Metric("a"), b = Metric("b");
  a.count = 2;
  a.interval = absl::Minutes(1);
  b.count = 5;
  b.interval = absl::Minutes(1);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("g", {a, b}));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail);
  EXPECT_EQ(run.evaluations.back(), T0() + absl::Minutes(1));
  // b measured at 0 and 1m (both due), then was terminated as successful.
  EXPECT_EQ(h.metrics.query_count(), 4u);
  ASSERT_EQ(state.children.size(), 2u);
  EXPECT_EQ(state.children[1].completed, Outcome::kPass);
  EXPECT_EQ(state.children[1].message, "run terminated");
  EXPECT_THAT(run.verdict.reason, HasSubstr("metric a FAIL"));
}

TEST(AnalysisTest, MetricWaitingForInitialDelayIsTerminatedSuccessful) {
  Harness h;
  Script(h, "a", "F");
  AnalysisMetric a = Metric("a"), b = Metric("b");
  b.initial_delay = absl::Minutes(10);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("g", {a, b}));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kFail);
  EXPECT_EQ(state.children[1].completed, Outcome::kPass);
  EXPECT_EQ(state.children[1].message,
            "run terminated before the first measurement");
}

// Argo's assessMetricFailureInconclusiveOrError checks failed, then
// inconclusive, then consecutive errors, and the last match wins.
TEST(AnalysisTest, OrderOfLimitChecksLastMatchWins) {
  struct Row {
    int32_t failed, inconclusive, consecutive_error;
    Outcome want;
  };
  for (const Row& row : std::vector<Row>{{1, 0, 0, Outcome::kFail},
                                         {1, 1, 0, Outcome::kInconclusive},
                                         {1, 1, 5, Outcome::kError},
                                         {1, 0, 5, Outcome::kError},
                                         {0, 1, 5, Outcome::kError}}) {
    Harness h;
    AnalysisMetric m = Metric("m");
    m.count = 10;
    m.interval = absl::Minutes(1);
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("g", {m}));
    GateState state;
    state.started_at = T0();
    GateState& s = state.Child(0);
    s.counts.failed = row.failed;
    s.counts.inconclusive = row.inconclusive;
    s.counts.consecutive_error = row.consecutive_error;
    s.counts.count = row.failed + row.inconclusive;
    Measurement last;
    last.at = T0();
    last.phase = Outcome::kError;
    s.measurements.push_back(last);
    // Not yet due: assessment only.
    Verdict v = gate->Evaluate(h.Context(T0() + absl::Seconds(1)), state);
    EXPECT_EQ(v.outcome, row.want) << v;
    EXPECT_EQ(h.metrics.query_count(), 0u);
  }
}

TEST(AnalysisTest, IgnoredMissingDataUsesUpCountWithoutSuccessOrFailure) {
  Harness h;
  h.metrics.QueueResponse("m", Cohort::kWave, MetricResult::NoData());
  h.metrics.QueueResponse("m", Cohort::kWave,
                          MetricResult::FromAggregate(1, 7));
  h.metrics.QueueResponse("m", Cohort::kWave, MetricResult::NoData());
  AnalysisMetric m = Metric("m", MissingDataPolicy::kIgnore);
  m.count = 3;
  m.interval = absl::Minutes(1);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("g", {m}));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  const MeasurementCounts& c = state.children[0].counts;
  EXPECT_EQ(c.count, 3);
  EXPECT_EQ(c.successful, 1);
  EXPECT_EQ(c.failed, 0);
  EXPECT_EQ(c.samples, 7);
  EXPECT_EQ(run.verdict.sample_count, 7);
  EXPECT_TRUE(state.children[0].measurements[0].ignored);
}

TEST(AnalysisTest, KeepsTheLastTenMeasurementsAndAllCounts) {
  Harness h;
  Script(h, "m", std::string(15, 'P'));
  AnalysisMetric m = Metric("m");
  m.count = 15;
  m.interval = absl::Seconds(30);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("g", {m}));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  EXPECT_EQ(state.children[0].counts.successful, 15);
  EXPECT_EQ(state.children[0].measurements.size(), 10u);
  EXPECT_EQ(state.children[0].measurements.front().at,
            T0() + absl::Seconds(30 * 5));
  EXPECT_EQ(run.verdict.sample_count, 1500);
}

TEST(AnalysisTest, VerdictCarriesCountsAndLastNumbers) {
  Harness h;
  Script(h, "m", "PF");
  AnalysisMetric m = Metric("m");
  m.count = 2;
  m.interval = absl::Minutes(1);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("g", {m}));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  ASSERT_EQ(run.verdict.outcome, Outcome::kFail);
  EXPECT_EQ(run.verdict.gate, "g");
  EXPECT_EQ(run.verdict.reason,
            "failed (1) > failure_limit (0); last: mean of m 10 > max 5 over "
            "5m on wave 2 (n=100)");
  ASSERT_NE(run.verdict.FindObservation("m"), nullptr);
  EXPECT_EQ(run.verdict.FindObservation("m")->value, 10);
  ASSERT_NE(run.verdict.FindObservation("failed"), nullptr);
  EXPECT_EQ(run.verdict.FindObservation("failed")->value, 1);
  EXPECT_EQ(run.verdict.FindObservation("successful")->value, 1);
}

TEST(AnalysisTest, SameInputsSameVerdictAndState) {
  auto run_once = [](GateState& state) {
    Harness h;
    Script(h, "a", "PEPF");
    Script(h, "b", "PPII");
    AnalysisMetric a = Metric("a"), b = Metric("b");
    a.count = b.count = 3;
    a.interval = b.interval = absl::Minutes(2);
    b.inconclusive_limit = 1;
    auto gate = NewAnalysisGate("g", {a, b});
    return DriveGate(**gate, h, state, T0()).verdict;
  };
  GateState s1, s2;
  Verdict v1 = run_once(s1);
  Verdict v2 = run_once(s2);
  EXPECT_EQ(v1, v2);
  EXPECT_EQ(s1, s2);
  EXPECT_EQ(v1.ToString(), v2.ToString());
}

TEST(AnalysisTest, ResumesFromACopiedState) {
  Harness h;
  Script(h, "m", "PPF");
  AnalysisMetric m = Metric("m");
  m.count = 3;
  m.interval = absl::Minutes(1);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAnalysisGate("g", {m}));
  GateState state;
  ASSERT_EQ(gate->Evaluate(h.Context(T0()), state).outcome, Outcome::kHold);
  GateState snapshot = state;  // the engine's snapshot
  // A second gate object (a restarted process) carries on from the copy.
  SLUICE_ASSERT_OK_AND_ASSIGN(auto again, NewAnalysisGate("g", {m}));
  testing::GateRun run =
      DriveGate(*again, h, snapshot, T0() + absl::Minutes(1));
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail);
  EXPECT_EQ(h.metrics.query_count(), 3u);
}

struct BadCase {
  std::string name;
  AnalysisMetric metric;
  std::string want;
};

AnalysisMetric With(std::function<void(AnalysisMetric&)> edit) {
  AnalysisMetric m = Metric("m");
  edit(m);
  return m;
}

TEST(AnalysisTest, BadInputNamesTheField) {
  std::vector<BadCase> cases = {
      {"count0", With([](AnalysisMetric& m) { m.count = 0; }),
       "metrics[0].count: must be >= 1 (got 0)"},
      {"count>1 without interval", With([](AnalysisMetric& m) { m.count = 3; }),
       "metrics[0].interval: must be > 0 when count > 1"},
      {"interval without count",
       With([](AnalysisMetric& m) { m.interval = absl::Minutes(1); }),
       "metrics[0].count: required when interval is set"},
      {"negative interval",
       With([](AnalysisMetric& m) { m.interval = -absl::Seconds(1); }),
       "metrics[0].interval: must be finite and >= 0"},
      {"count < failure limit", With([](AnalysisMetric& m) {
         m.count = 2;
         m.interval = absl::Minutes(1);
         m.failure_limit = 3;
       }),
       "metrics[0].count: must be >= failure_limit (got 2 < 3)"},
      {"count < inconclusive limit", With([](AnalysisMetric& m) {
         m.count = 2;
         m.interval = absl::Minutes(1);
         m.inconclusive_limit = 3;
       }),
       "metrics[0].count: must be >= inconclusive_limit (got 2 < 3)"},
      {"failure limit -2",
       With([](AnalysisMetric& m) { m.failure_limit = -2; }),
       "metrics[0].failure_limit: must be >= 0, or -1 to disable (got -2)"},
      {"failure limit -1 alone",
       With([](AnalysisMetric& m) { m.failure_limit = -1; }),
       "metrics[0].failure_limit: -1 (disabled) needs "
       "consecutive_success_limit > 0"},
      {"inconclusive limit",
       With([](AnalysisMetric& m) { m.inconclusive_limit = -1; }),
       "metrics[0].inconclusive_limit: must be >= 0 (got -1)"},
      {"consecutive error limit",
       With([](AnalysisMetric& m) { m.consecutive_error_limit = -1; }),
       "metrics[0].consecutive_error_limit: must be >= 0 (got -1)"},
      {"consecutive success limit",
       With([](AnalysisMetric& m) { m.consecutive_success_limit = -1; }),
       "metrics[0].consecutive_success_limit: must be >= 0 (got -1)"},
      {"consecutive success > count",
       With([](AnalysisMetric& m) { m.consecutive_success_limit = 2; }),
       "metrics[0].consecutive_success_limit: must be <= count (got 2 > 1)"},
      {"error retry 0", With([](AnalysisMetric& m) {
         m.error_retry_interval = absl::ZeroDuration();
       }),
       "metrics[0].error_retry_interval: must be finite and > 0"},
      {"initial delay",
       With([](AnalysisMetric& m) { m.initial_delay = -absl::Seconds(1); }),
       "metrics[0].initial_delay: must be finite and >= 0"},
      {"check", With([](AnalysisMetric& m) {
         std::get<ThresholdCheck>(m.check).min = 6;
       }),
       "metrics[0].threshold.max: must be >= min (got 5 < 6)"},
  };
  for (const BadCase& c : cases) {
    EXPECT_THAT(NewAnalysisGate("g", {c.metric}),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.want)))
        << c.name;
  }
  EXPECT_THAT(NewAnalysisGate("g", {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("metrics: must not be empty")));
  EXPECT_THAT(NewAnalysisGate("g", {Metric("m"), Metric("m")}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("metrics[1].name: duplicate metric name \"m\" "
                                 "(first at metrics[0])")));
  EXPECT_THAT(NewAnalysisGate("", {Metric("m")}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("name: must not be empty")));
}

}  // namespace
}  // namespace sluice

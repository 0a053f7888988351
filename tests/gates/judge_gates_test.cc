// Copyright 2026 The Sluice Authors.
//
// The statistical gates: the Kayenta judge gate and the sequential count and
// means gates, over virtual time with the fake metric source; their spec
// form and its validation.

#include "sluice/judge_gates.h"

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/gate_policy.h"
#include "sluice/gate_state_proto.h"
#include "sluice/spec.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::DriveGate;
using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// `n` samples, one every 10 s from `from`, value f(i).
template <typename F>
std::vector<Sample> Series(absl::Time from, int n, F f) {
  std::vector<Sample> out;
  for (int i = 0; i < n; ++i) {
    out.push_back({from + absl::Seconds(10 * i), f(i)});
  }
  return out;
}

void AddSeries(Harness& h, const std::string& metric, double wave_base,
               double baseline_base) {
  h.metrics.AddSamples(metric, Cohort::kWave, Series(T0(), 60, [&](int i) {
                         return wave_base + i % 7;
                       }));
  h.metrics.AddSamples(metric, Cohort::kBaseline, Series(T0(), 60, [&](int i) {
                         return baseline_base + (i * 3) % 7;
                       }));
}

// latency (group "latency") and errors (group "errors").
KayentaJudgeGateOptions JudgeOptions(double latency_weight) {
  KayentaJudgeGateOptions o;
  o.judge.groups = {{"latency", latency_weight},
                    {"errors", 100 - latency_weight}};
  stats::JudgedMetricConfig latency;
  latency.name = "latency";
  latency.groups = {"latency"};
  latency.classifier.direction = stats::MetricDirection::kIncrease;
  stats::JudgedMetricConfig errors;
  errors.name = "errors";
  errors.groups = {"errors"};
  o.judge.metrics = {latency, errors};
  o.judge.thresholds = {95, 75};
  MetricDefinition def;
  def.name = "latency";
  def.unit = "ms";
  o.metrics = {def};
  o.window = absl::Minutes(10);
  return o;
}

std::unique_ptr<HealthGate> Judge(KayentaJudgeGateOptions o) {
  absl::StatusOr<std::unique_ptr<HealthGate>> gate =
      NewKayentaJudgeGate("judge", std::move(o));
  EXPECT_THAT(gate.status(), IsOk());
  return gate.ok() ? *std::move(gate) : nullptr;
}

double Obs(const Verdict& v, const std::string& name) {
  const Observation* o = v.FindObservation(name);
  return o == nullptr ? std::nan("") : o->value;
}

TEST(KayentaJudgeGateTest, HoldsForTheWindowThenPasses) {
  Harness h;
  h.deployed_at = T0();
  AddSeries(h, "latency", 100, 100);
  AddSeries(h, "errors", 5, 5);
  std::unique_ptr<HealthGate> gate = Judge(JudgeOptions(50));
  GateState state;
  Verdict first = gate->Evaluate(h.Context(T0() + absl::Minutes(1)), state);
  EXPECT_EQ(first.outcome, Outcome::kHold);
  EXPECT_EQ(first.hold_until, T0() + absl::Minutes(10));
  EXPECT_EQ(h.metrics.query_count(), 0u);

  testing::GateRun run = DriveGate(*gate, h, state, T0() + absl::Minutes(1));
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  EXPECT_THAT(run.verdict.reason, StartsWith("judge score 100 >= pass 95"));
  EXPECT_EQ(Obs(run.verdict, "score"), 100);
  EXPECT_EQ(Obs(run.verdict, "latency.n_experiment"), 60);
  // Queries cover the window on both cohorts.
  ASSERT_EQ(h.metrics.query_count(), 4u);
  EXPECT_EQ(h.metrics.queries()[0].start, T0());
  EXPECT_EQ(h.metrics.queries()[0].end, T0() + absl::Minutes(10));
  // Decided: asking again gives the same verdict without querying.
  Verdict again = gate->Evaluate(h.Context(T0() + absl::Hours(1)), state);
  EXPECT_EQ(again, run.verdict);
  EXPECT_EQ(h.metrics.query_count(), 4u);
}

TEST(KayentaJudgeGateTest, FailsWithTheMetricsNumbersInTheReason) {
  Harness h;
  h.deployed_at = T0();
  AddSeries(h, "latency", 140, 100);
  AddSeries(h, "errors", 5, 5);
  std::unique_ptr<HealthGate> gate = Judge(JudgeOptions(50));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
  EXPECT_THAT(run.verdict.reason,
              StartsWith("judge score 50 < pass 95 (marginal 75): latency "
                         "High (p="));
  EXPECT_THAT(run.verdict.reason, HasSubstr("shift +40 ms [39, 41])"));
  EXPECT_THAT(Obs(run.verdict, "latency.estimate"), DoubleNear(40, 1));
  EXPECT_LT(Obs(run.verdict, "latency.p_value"), 1e-6);
  EXPECT_GT(Obs(run.verdict, "latency.lower"), 35);
  EXPECT_EQ(run.verdict.FindObservation("latency.estimate")->unit, "ms");
  EXPECT_EQ(run.verdict.sample_count, 240);
}

TEST(KayentaJudgeGateTest, MarginalIsConfigurable) {
  for (Outcome marginal :
       {Outcome::kInconclusive, Outcome::kPass, Outcome::kFail}) {
    Harness h;
    h.deployed_at = T0();
    AddSeries(h, "latency", 140, 100);
    AddSeries(h, "errors", 5, 5);
    KayentaJudgeGateOptions o = JudgeOptions(20);  // score 80: marginal
    o.marginal = marginal;
    std::unique_ptr<HealthGate> gate = Judge(o);
    GateState state;
    testing::GateRun run = DriveGate(*gate, h, state, T0());
    EXPECT_EQ(run.verdict.outcome, marginal) << run.verdict;
    EXPECT_THAT(run.verdict.reason,
                StartsWith("judge score 80 < pass 95 (>= marginal 75): "));
  }
}

TEST(KayentaJudgeGateTest, NoDataFollowsKayenta) {
  // Nodata of an ordinary metric does not count...
  {
    Harness h;
    h.deployed_at = T0();
    AddSeries(h, "errors", 5, 5);
    KayentaJudgeGateOptions o = JudgeOptions(50);
    stats::JudgedMetricConfig cpu;
    cpu.name = "cpu";
    cpu.groups = {"errors"};
    o.judge.metrics.push_back(cpu);
    AddSeries(h, "cpu", 5, 5);
    GateState state;
    testing::GateRun run = DriveGate(*Judge(o), h, state, T0());
    // latency: no data (1 of 3 metrics): its group has no data.
    EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
    EXPECT_EQ(Obs(run.verdict, "latency.n_experiment"), 0);
  }
  // ... but fails a metric that must have data.
  {
    Harness h;
    h.deployed_at = T0();
    AddSeries(h, "errors", 5, 5);
    h.metrics.AddSamples("latency", Cohort::kBaseline,
                         Series(T0(), 60, [](int) { return 100.0; }));
    KayentaJudgeGateOptions o = JudgeOptions(50);
    o.judge.metrics[0].classifier.must_have_data = true;
    GateState state;
    testing::GateRun run = DriveGate(*Judge(o), h, state, T0());
    EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
    EXPECT_THAT(run.verdict.reason, HasSubstr("latency NodataFailMetric"));
  }
}

TEST(KayentaJudgeGateTest, RetryableErrorsHoldThenError) {
  Harness h;
  h.deployed_at = T0();
  AddSeries(h, "errors", 5, 5);
  h.metrics.SetError("latency", Cohort::kBaseline, T0(),
                     absl::UnavailableError("prometheus down"));
  std::unique_ptr<HealthGate> gate = Judge(JudgeOptions(50));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0() + absl::Minutes(10)), state);
  EXPECT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(v.hold_until, T0() + absl::Minutes(10) + absl::Seconds(10));
  EXPECT_THAT(v.reason, HasSubstr("querying latency on the baseline"));
  testing::GateRun run = DriveGate(*gate, h, state, v.hold_until);
  EXPECT_EQ(run.verdict.outcome, Outcome::kError);
  EXPECT_THAT(
      run.verdict.reason,
      HasSubstr("consecutive errors (5) > consecutive_error_limit (4)"));
  EXPECT_EQ(run.evaluations.size(), 4u);
}

TEST(KayentaJudgeGateTest, PermanentErrorEndsAtOnce) {
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetError("latency", Cohort::kWave, T0(),
                     absl::NotFoundError("no metric latency"));
  GateState state;
  testing::GateRun run = DriveGate(*Judge(JudgeOptions(50)), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kError);
  EXPECT_THAT(run.verdict.reason, HasSubstr("querying latency on wave 2"));
  EXPECT_THAT(run.verdict.reason, HasSubstr("(not retryable)"));
}

TEST(KayentaJudgeGateTest, DecisionSurvivesTheStateProto) {
  Harness h;
  h.deployed_at = T0();
  AddSeries(h, "latency", 140, 100);
  AddSeries(h, "errors", 5, 5);
  std::unique_ptr<HealthGate> gate = Judge(JudgeOptions(50));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  SLUICE_ASSERT_OK_AND_ASSIGN(GateState restored,
                              GateStateFromProto(GateStateToProto(state)));
  EXPECT_EQ(restored, state);
  Verdict again = Judge(JudgeOptions(50))
                      ->Evaluate(h.Context(T0() + absl::Hours(2)), restored);
  EXPECT_EQ(again, run.verdict);
}

TEST(KayentaJudgeGateTest, FactoryErrorsNameTheField) {
  KayentaJudgeGateOptions o = JudgeOptions(50);
  o.judge.groups[0].weight = 40;
  EXPECT_THAT(NewKayentaJudgeGate("j", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("judge.groups: weights must sum to 100")));
  o = JudgeOptions(50);
  o.judge.metrics[0].classifier.confidence = 1.5;
  EXPECT_THAT(NewKayentaJudgeGate("j", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("judge.metrics[0].confidence")));
  o = JudgeOptions(50);
  o.window = absl::ZeroDuration();
  EXPECT_THAT(NewKayentaJudgeGate("j", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("window: must be finite and > 0")));
  o = JudgeOptions(50);
  o.marginal = Outcome::kHold;
  EXPECT_THAT(
      NewKayentaJudgeGate("j", o).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("marginal: ")));
  o = JudgeOptions(50);
  o.metrics[0].name = "latncy";
  EXPECT_THAT(NewKayentaJudgeGate("j", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("metrics[0].name: \"latncy\" is not a "
                                  "metric of the judge")));
}

// --- Kayenta judge on counts ---

// Per-minute request and error counts for 10 minutes from T0: the wave
// serves `wave_requests` a minute, the baseline five times as much; error
// counts vary by minute around `wave_errors` and the baseline's 1%.
void AddJudgeCounts(Harness& h, double wave_requests, double wave_errors) {
  for (int i = 0; i < 10; ++i) {
    const absl::Time t = T0() + absl::Minutes(i);
    const double wiggle = (i % 3) - 1;  // -1, 0, 1
    h.metrics.AddSamples("requests", Cohort::kWave, {{t, wave_requests}});
    h.metrics.AddSamples("errors", Cohort::kWave,
                         {{t, wave_errors * (1 + 0.5 * wiggle)}});
    h.metrics.AddSamples("requests", Cohort::kBaseline,
                         {{t, 5 * wave_requests}});
    h.metrics.AddSamples("errors", Cohort::kBaseline,
                         {{t, 0.05 * wave_requests * (1 + 0.5 * wiggle)}});
  }
}

// One judged metric, "errors", in one group.
KayentaJudgeGateOptions ErrorsJudge(bool rates) {
  KayentaJudgeGateOptions o;
  o.judge.groups = {{"errors", 100}};
  stats::JudgedMetricConfig errors;
  errors.name = "errors";
  errors.groups = {"errors"};
  o.judge.metrics = {errors};
  o.judge.thresholds = {95, 75};
  o.window = absl::Minutes(10);
  if (rates) {
    MetricDefinition requests;
    requests.name = "requests";
    o.requests_metrics["errors"] = requests;
  }
  return o;
}

TEST(KayentaJudgeCountsTest, RatesFromCountsSeeThroughTheTrafficSplit) {
  // Same 1% error rate on both cohorts, but the wave has a sixth of the
  // traffic: its raw error counts are a fifth of the baseline's, which the
  // judge on counts classifies Low (and fails, DIRECTION_EITHER); on rates
  // it passes.
  for (bool rates : {false, true}) {
    Harness h;
    h.deployed_at = T0();
    AddJudgeCounts(h, 200, 2);
    std::unique_ptr<HealthGate> gate = Judge(ErrorsJudge(rates));
    GateState state;
    testing::GateRun run = DriveGate(*gate, h, state, T0());
    if (rates) {
      EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
      EXPECT_EQ(Obs(run.verdict, "errors.n_experiment"), 10);
      EXPECT_EQ(Obs(run.verdict, "errors.requests_experiment"), 2000);
      EXPECT_EQ(Obs(run.verdict, "errors.requests_control"), 10000);
      EXPECT_NEAR(Obs(run.verdict, "errors.ratio"), 1, 1e-12);
    } else {
      EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
      EXPECT_THAT(run.verdict.reason, HasSubstr("errors Low"));
      EXPECT_EQ(run.verdict.FindObservation("errors.requests_experiment"),
                nullptr);
    }
  }
}

TEST(KayentaJudgeCountsTest, AHigherRateFailsOnRates) {
  // 3% on the wave against 1%: fewer errors than the baseline in raw
  // counts (6 against 10 a minute), a triple rate.
  Harness h;
  h.deployed_at = T0();
  AddJudgeCounts(h, 200, 6);
  std::unique_ptr<HealthGate> gate = Judge(ErrorsJudge(true));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
  EXPECT_THAT(run.verdict.reason, HasSubstr("errors High"));
  EXPECT_NEAR(Obs(run.verdict, "errors.ratio"), 3, 1e-12);
}

TEST(KayentaJudgeCountsTest, MinutesWithoutRequestsAreLeftOut) {
  Harness h;
  h.deployed_at = T0();
  AddJudgeCounts(h, 200, 2);
  // A minute with errors but no request count, and one with 0 requests.
  h.metrics.AddSamples("errors", Cohort::kWave,
                       {{T0() + absl::Seconds(30), 50}});
  h.metrics.AddSamples("requests", Cohort::kWave,
                       {{T0() + absl::Seconds(45), 0}});
  std::unique_ptr<HealthGate> gate = Judge(ErrorsJudge(true));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  EXPECT_EQ(Obs(run.verdict, "errors.n_experiment"), 10);
}

TEST(KayentaJudgeCountsTest, TooFewRequestsAreInconclusiveNotAFailure) {
  // A quiet window: 20 requests a minute on the wave, so a 3x rate rests on
  // a handful of errors.
  Harness h;
  h.deployed_at = T0();
  AddJudgeCounts(h, 20, 0.6);
  KayentaJudgeGateOptions o = ErrorsJudge(true);
  o.min_samples = 1000;
  std::unique_ptr<HealthGate> gate = Judge(o);
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kInconclusive) << run.verdict;
  EXPECT_EQ(run.verdict.reason,
            "too few samples to judge: errors has 200 requests on wave 2 "
            "(min_samples 1000)");
  EXPECT_EQ(Obs(run.verdict, "errors.n_experiment"), 200);
  EXPECT_EQ(Obs(run.verdict, "errors.n_control"), 1000);
  // The decision survives a snapshot.
  SLUICE_ASSERT_OK_AND_ASSIGN(GateState restored,
                              GateStateFromProto(GateStateToProto(state)));
  EXPECT_EQ(Judge(o)->Evaluate(h.Context(T0() + absl::Hours(1)), restored),
            run.verdict);
  // Enough requests: judged (and failed).
  o.min_samples = 200;
  GateState judged;
  run = DriveGate(*Judge(o), h, judged, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
}

TEST(KayentaJudgeCountsTest, MinSamplesCountsDataPointsOfOtherMetrics) {
  Harness h;
  h.deployed_at = T0();
  AddSeries(h, "latency", 100, 100);
  AddSeries(h, "errors", 5, 5);
  KayentaJudgeGateOptions o = JudgeOptions(50);
  o.min_samples = 61;  // 60 points a cohort
  GateState state;
  testing::GateRun run = DriveGate(*Judge(o), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kInconclusive) << run.verdict;
  EXPECT_EQ(run.verdict.reason,
            "too few samples to judge: latency has 60 data points on wave 2 "
            "and 60 data points on the baseline (min_samples 61)");
  // A muted metric is not counted: with latency muted and ten more error
  // points a cohort, the judge judges.
  for (Cohort c : {Cohort::kWave, Cohort::kBaseline}) {
    h.metrics.AddSamples(
        "errors", c,
        Series(T0() + absl::Seconds(5), 10, [](int i) { return 5.0 + i; }));
  }
  o.judge.metrics[0].muted = true;
  GateState muted;
  run = DriveGate(*Judge(o), h, muted, T0());
  EXPECT_NE(run.verdict.outcome, Outcome::kInconclusive) << run.verdict;
}

TEST(KayentaJudgeCountsTest, FactoryErrorsNameTheField) {
  KayentaJudgeGateOptions o = ErrorsJudge(true);
  o.requests_metrics["latency"] = o.requests_metrics["errors"];
  EXPECT_THAT(NewKayentaJudgeGate("j", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("requests_metrics[\"latency\"]: names no "
                                  "judged metric")));
  o = ErrorsJudge(true);
  o.requests_metrics["errors"].name = "errors";
  EXPECT_THAT(
      NewKayentaJudgeGate("j", o).status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               StartsWith("requests_metrics[\"errors\"].name: must differ")));
  o = ErrorsJudge(true);
  o.min_samples = -1;
  EXPECT_THAT(NewKayentaJudgeGate("j", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("min_samples: must be >= 0 (got -1)")));
}

TEST(KayentaJudgeCountsTest, SpecFormAndItsErrors) {
  const std::string head = R"pb(
    name: "s"
    version: "1"
    metrics { name: "errors" }
    metrics { name: "requests" }
  )pb";
  auto judge = [&](const std::string& metric, const std::string& extra) {
    return RolloutSpec::Parse(
        absl::StrCat(head, "gates { default { kayenta_judge { ",
                     "groups { name: \"e\" } metrics { name: \"errors\" ",
                     "groups: \"e\" ", metric, " } ", extra, " } } }"),
        SpecFormat::kTextProto);
  };
  EXPECT_THAT(judge("requests_metric: \"requests\"", "min_samples: 500"),
              IsOk());
  EXPECT_THAT(judge("requests_metric: \"reqs\"", ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("gates.default[0].kayenta_judge.metrics[0]."
                                 "requests_metric: names undeclared metric "
                                 "\"reqs\"")));
  EXPECT_THAT(judge("requests_metric: \"errors\"", ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("metrics[0].requests_metric: must differ")));
  EXPECT_THAT(judge("", "min_samples: -5"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("gates.default[0].kayenta_judge.min_samples: "
                                 "must be >= 0 (got -5)")));
}

// --- Sequential count gate ---

SequentialCountGateOptions CountOptions() {
  SequentialCountGateOptions o;
  o.metric.name = "errors";
  o.test.canary_share = 0.1;
  o.duration = absl::Minutes(30);
  return o;
}

// Per-minute error counts on each cohort for `minutes` minutes from T0.
void AddCounts(Harness& h, int minutes, double wave, double baseline) {
  std::vector<Sample> w, b;
  for (int i = 0; i < minutes; ++i) {
    w.push_back({T0() + absl::Minutes(i) + absl::Seconds(30), wave});
    b.push_back({T0() + absl::Minutes(i) + absl::Seconds(30), baseline});
  }
  h.metrics.AddSamples("errors", Cohort::kWave, w);
  h.metrics.AddSamples("errors", Cohort::kBaseline, b);
}

std::unique_ptr<HealthGate> CountGate(SequentialCountGateOptions o) {
  absl::StatusOr<std::unique_ptr<HealthGate>> gate =
      NewSequentialCountGate("errors sequential", std::move(o));
  EXPECT_THAT(gate.status(), IsOk());
  return gate.ok() ? *std::move(gate) : nullptr;
}

TEST(SequentialCountGateTest, HealthyCanaryPassesAtTheEnd) {
  Harness h;
  h.deployed_at = T0();
  AddCounts(h, 40, 1, 9);
  std::unique_ptr<HealthGate> gate = CountGate(CountOptions());
  GateState state;
  Verdict first = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(first.outcome, Outcome::kHold);
  EXPECT_EQ(first.hold_until, T0() + absl::Minutes(1));
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  EXPECT_EQ(run.evaluations.size(), 31u);
  EXPECT_EQ(run.evaluations.back(), T0() + absl::Minutes(30));
  EXPECT_THAT(run.verdict.reason,
              StartsWith("no harmful difference on wave 2 over 30m: errors "
                         "rate_ratio 1 ["));
  EXPECT_EQ(Obs(run.verdict, "n_canary"), 30);
  EXPECT_EQ(Obs(run.verdict, "n_baseline"), 270);
  EXPECT_EQ(state.counts.count, 30);
}

TEST(SequentialCountGateTest, MoreErrorsFailEarly) {
  Harness h;
  h.deployed_at = T0();
  AddCounts(h, 40, 6, 9);  // rate ratio 6
  GateState state;
  testing::GateRun run = DriveGate(*CountGate(CountOptions()), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
  EXPECT_LT(run.evaluations.back(), T0() + absl::Minutes(10));
  EXPECT_THAT(run.verdict.reason, StartsWith("higher on wave 2 after "));
  EXPECT_GT(Obs(run.verdict, "lower"), 1);
  EXPECT_LE(Obs(run.verdict, "p_value"), 0.05);
}

TEST(SequentialCountGateTest, FewerErrorsAreNotHarmUnlessAskedFor) {
  Harness h;
  h.deployed_at = T0();
  AddCounts(h, 40, 0, 20);
  GateState state;
  testing::GateRun run = DriveGate(*CountGate(CountOptions()), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  EXPECT_LT(Obs(run.verdict, "upper"), 1);

  SequentialCountGateOptions either = CountOptions();
  either.direction = stats::MetricDirection::kEither;
  GateState state2;
  run = DriveGate(*CountGate(either), h, state2, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
  EXPECT_THAT(run.verdict.reason, StartsWith("lower on wave 2"));
}

TEST(SequentialCountGateTest, ResumesExactlyFromTheStateProto) {
  Harness h;
  h.deployed_at = T0();
  AddCounts(h, 40, 2, 9);
  SequentialCountGateOptions o = CountOptions();
  o.test.prior_concentration = 37.5;
  // Uninterrupted.
  GateState straight;
  testing::GateRun whole = DriveGate(*CountGate(o), h, straight, T0());
  // Interrupted after every evaluation: the state goes through its proto and
  // a new gate object picks it up.
  GateState state;
  absl::Time now = T0();
  Verdict v;
  for (int i = 0; i < 100; ++i) {
    v = CountGate(o)->Evaluate(h.Context(now), state);
    SLUICE_ASSERT_OK_AND_ASSIGN(state,
                                GateStateFromProto(GateStateToProto(state)));
    if (v.outcome != Outcome::kHold) break;
    now = v.hold_until;
  }
  EXPECT_EQ(v, whole.verdict);
  EXPECT_EQ(state, straight);
}

TEST(SequentialCountGateTest, RetriesRetryableErrors) {
  Harness h;
  h.deployed_at = T0();
  AddCounts(h, 40, 1, 9);
  h.metrics.SetError("errors", Cohort::kWave, T0() + absl::Minutes(5),
                     absl::DeadlineExceededError("slow"));
  h.metrics.UseSamples("errors", Cohort::kWave,
                       T0() + absl::Minutes(5) + absl::Seconds(15));
  GateState state;
  testing::GateRun run = DriveGate(*CountGate(CountOptions()), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  EXPECT_EQ(state.counts.error, 2);
  // Nothing was lost: every minute's errors were counted.
  EXPECT_EQ(Obs(run.verdict, "n_canary"), 30);
}

TEST(SequentialCountGateTest, FactoryErrorsNameTheField) {
  SequentialCountGateOptions o = CountOptions();
  o.test.canary_share = 0;
  EXPECT_THAT(NewSequentialCountGate("s", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("test.canary_share: is required without a "
                                  "requests metric")));
  o.test.canary_share = 1.5;
  EXPECT_THAT(NewSequentialCountGate("s", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("test.canary_share: must be in (0, 1)")));
  o = CountOptions();
  o.min_samples = -1;
  EXPECT_THAT(NewSequentialCountGate("s", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("min_samples: must be >= 0")));
  o = CountOptions();
  o.requests_metric = MetricDefinition();
  EXPECT_THAT(NewSequentialCountGate("s", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("requests_metric.name: must not be empty")));
  o.requests_metric->name = "requests";
  o.rate_test.null_ratio = 0;
  EXPECT_THAT(NewSequentialCountGate("s", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("rate_test.null_ratio: ")));
  o = CountOptions();
  o.duration = absl::ZeroDuration();
  EXPECT_THAT(NewSequentialCountGate("s", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("duration: must be finite and > 0")));
  o = CountOptions();
  o.interval = absl::Hours(1);
  EXPECT_THAT(NewSequentialCountGate("s", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("interval: must be <= duration")));
  o = CountOptions();
  o.metric.name = "";
  EXPECT_THAT(NewSequentialCountGate("s", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("metric.name: must not be empty")));
}

// --- Sequential count gate at the measured share ---

// Per-minute error and request counts on each cohort for `minutes` minutes
// from `from` (stamped mid-minute).
void AddTraffic(Harness& h, absl::Time from, int minutes, double wave_errors,
                double wave_requests, double base_errors,
                double base_requests) {
  std::vector<Sample> we, wr, be, br;
  for (int i = 0; i < minutes; ++i) {
    const absl::Time t = from + absl::Minutes(i) + absl::Seconds(30);
    we.push_back({t, wave_errors});
    wr.push_back({t, wave_requests});
    be.push_back({t, base_errors});
    br.push_back({t, base_requests});
  }
  h.metrics.AddSamples("errors", Cohort::kWave, we);
  h.metrics.AddSamples("requests", Cohort::kWave, wr);
  h.metrics.AddSamples("errors", Cohort::kBaseline, be);
  h.metrics.AddSamples("requests", Cohort::kBaseline, br);
}

SequentialCountGateOptions MeasuredOptions() {
  SequentialCountGateOptions o;
  o.metric.name = "errors";
  MetricDefinition requests;
  requests.name = "requests";
  o.requests_metric = requests;
  o.duration = absl::Minutes(30);
  return o;
}

TEST(SequentialCountGateTest, MeasuredShareIsNotTheConfiguredOne) {
  // The canary serves 1/6 of the traffic and errs at the baseline's rate.
  Harness h;
  h.deployed_at = T0();
  AddTraffic(h, T0(), 40, 2, 200, 10, 1000);
  SequentialCountGateOptions o = MeasuredOptions();
  o.test.canary_share = 0.1;  // what the spec says: wrong
  GateState state;
  testing::GateRun run = DriveGate(*CountGate(o), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  EXPECT_THAT(Obs(run.verdict, "measured_share"), DoubleNear(1.0 / 6, 1e-9));
  EXPECT_EQ(Obs(run.verdict, "configured_share"), 0.1);
  EXPECT_THAT(run.verdict.reason,
              HasSubstr("measured canary share 0.167; the configured "
                        "canary_share 0.1 disagrees with the measured share"));
  EXPECT_THAT(Obs(run.verdict, "rate_ratio"), DoubleNear(1, 1e-9));

  // The same data judged at the configured share: a false alarm.
  SequentialCountGateOptions configured = CountOptions();
  GateState state2;
  run = DriveGate(*CountGate(configured), h, state2, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
}

TEST(SequentialCountGateTest, MeasuredShareCatchesAWorseCanary) {
  Harness h;
  h.deployed_at = T0();
  AddTraffic(h, T0(), 40, 6, 200, 10, 1000);  // 3x the baseline's rate
  GateState state;
  testing::GateRun run =
      DriveGate(*CountGate(MeasuredOptions()), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
  EXPECT_LT(run.evaluations.back(), T0() + absl::Minutes(15));
  EXPECT_GT(Obs(run.verdict, "lower"), 1);
  // A null ratio above the true one keeps it from failing.
  SequentialCountGateOptions lenient = MeasuredOptions();
  lenient.rate_test.null_ratio = 4;
  GateState state2;
  run = DriveGate(*CountGate(lenient), h, state2, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
}

TEST(SequentialCountGateTest, MeasuredShareResumesFromTheStateProto) {
  Harness h;
  h.deployed_at = T0();
  AddTraffic(h, T0(), 40, 3, 200, 10, 1000);
  GateState straight;
  testing::GateRun whole =
      DriveGate(*CountGate(MeasuredOptions()), h, straight, T0());
  GateState state;
  absl::Time now = T0();
  Verdict v;
  for (int i = 0; i < 100; ++i) {
    v = CountGate(MeasuredOptions())->Evaluate(h.Context(now), state);
    SLUICE_ASSERT_OK_AND_ASSIGN(state,
                                GateStateFromProto(GateStateToProto(state)));
    if (v.outcome != Outcome::kHold) break;
    now = v.hold_until;
  }
  EXPECT_EQ(v, whole.verdict);
  EXPECT_EQ(state, straight);
}

TEST(SequentialCountGateTest, MinutesDeliveredLateAreReadLater) {
  Harness h;
  h.deployed_at = T0();
  std::unique_ptr<HealthGate> gate = CountGate(MeasuredOptions());
  GateState state;
  // At 1m nothing has arrived: the gate waits without consuming the minute.
  Verdict v = gate->Evaluate(h.Context(T0() + absl::Minutes(1)), state);
  EXPECT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(state.measurements[0].at, T0());
  // The first two minutes arrive late; at 2m both are counted.
  AddTraffic(h, T0(), 2, 1, 100, 5, 500);
  v = gate->Evaluate(h.Context(T0() + absl::Minutes(2)), state);
  EXPECT_EQ(v.outcome, Outcome::kHold);
  EXPECT_EQ(Obs(v, "n_canary"), 2);
  EXPECT_EQ(Obs(v, "n_baseline"), 10);
  EXPECT_EQ(state.measurements[0].at,
            T0() + absl::Minutes(1) + absl::Seconds(30) + absl::Nanoseconds(1));
}

TEST(SequentialCountGateTest, TooFewRequestsAreInconclusive) {
  Harness h;
  h.deployed_at = T0();
  AddTraffic(h, T0(), 40, 0, 10, 1, 1000);  // a quiet canary: 300 requests
  SequentialCountGateOptions o = MeasuredOptions();
  o.min_samples = 1000;
  GateState state;
  testing::GateRun run = DriveGate(*CountGate(o), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kInconclusive) << run.verdict;
  EXPECT_THAT(run.verdict.reason,
              StartsWith("too few samples on wave 2 over 30m: 300 requests < "
                         "min_samples 1000"));
  o.min_samples = 300;
  GateState state2;
  run = DriveGate(*CountGate(o), h, state2, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
}

TEST(SequentialCountGateTest, NoBaselinePassesAtOnce) {
  // The last wave of a plan: the engine has no baseline targets.
  Harness h;
  h.deployed_at = T0();
  h.baseline = {};
  AddTraffic(h, T0(), 40, 9, 200, 1, 1000);
  GateState state;
  Verdict v = CountGate(MeasuredOptions())->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v;
  EXPECT_THAT(v.reason,
              StartsWith("no baseline for wave 2: no target is left on the "
                         "old version"));
  EXPECT_EQ(h.metrics.query_count(), 0u);
  // A traffic-routed plan names no targets on either side: it is tested.
  Harness routed;
  routed.deployed_at = T0();
  routed.wave = {};
  routed.baseline = {};
  AddTraffic(routed, T0(), 40, 9, 200, 1, 1000);
  GateState state2;
  testing::GateRun run =
      DriveGate(*CountGate(MeasuredOptions()), routed, state2, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
}

// --- Sequential means gate ---

SequentialMeansGateOptions MeansOptions() {
  SequentialMeansGateOptions o;
  o.metric.name = "latency";
  o.metric.unit = "ms";
  // Values in [35, 75]: sigma (75 - 35) / 2 holds.
  o.test.sigma_canary = o.test.sigma_baseline = 20;
  o.test.tuning_observations = 60;
  o.min_value = 35;
  o.max_value = 75;
  o.duration = absl::Minutes(10);
  return o;
}

std::unique_ptr<HealthGate> MeansGate(SequentialMeansGateOptions o) {
  absl::StatusOr<std::unique_ptr<HealthGate>> gate =
      NewSequentialMeansGate("latency sequential", std::move(o));
  EXPECT_THAT(gate.status(), IsOk());
  return gate.ok() ? *std::move(gate) : nullptr;
}

TEST(SequentialMeansGateTest, SlowerCanaryFailsSameSpeedPasses) {
  {
    Harness h;
    h.deployed_at = T0();
    AddSeries(h, "latency", 60, 40);  // +20 ms
    GateState state;
    testing::GateRun run =
        DriveGate(*MeansGate(MeansOptions()), h, state, T0());
    EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
    EXPECT_THAT(run.verdict.reason, HasSubstr("latency difference "));
    EXPECT_THAT(Obs(run.verdict, "difference"), DoubleNear(20, 2));
    EXPECT_EQ(run.verdict.FindObservation("difference")->unit, "ms");
  }
  {
    Harness h;
    h.deployed_at = T0();
    AddSeries(h, "latency", 40, 40);
    GateState state;
    testing::GateRun run =
        DriveGate(*MeansGate(MeansOptions()), h, state, T0());
    EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
    EXPECT_EQ(Obs(run.verdict, "n_canary"), 60);
    EXPECT_EQ(Obs(run.verdict, "n_baseline"), 60);
    SLUICE_ASSERT_OK_AND_ASSIGN(GateState restored,
                                GateStateFromProto(GateStateToProto(state)));
    EXPECT_EQ(restored, state);
  }
}

TEST(SequentialMeansGateTest, FactoryErrorsNameTheField) {
  SequentialMeansGateOptions o = MeansOptions();
  o.test.sigma_canary = 0;
  EXPECT_THAT(NewSequentialMeansGate("s", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("test.sigma_canary: ")));
  o = MeansOptions();
  o.max_value = -1;
  EXPECT_THAT(NewSequentialMeansGate("s", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("max_value: must be > min_value")));
}

// --- Sequential quantile gate ---

// `n` latencies with a log-normal body and a heavier tail, deterministic:
// the i-th of n quantiles of the body, every 50th pushed into the tail;
// multiplied by `scale`, and the tail by `tail_scale`.
std::vector<double> Latencies(int n, double scale, double tail_scale) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) {
    const double u = (i + 0.5) / n;
    // A logistic stand-in for the normal quantile.
    const double z = std::log(u / (1 - u)) / 1.7;
    double v = 40 * std::exp(0.35 * z) * scale;
    if (i % 50 == 49) v = (150 + 3 * i % 200) * tail_scale * scale;
    out.push_back(v);
  }
  return out;
}

SequentialQuantileGateOptions QuantileOptions() {
  SequentialQuantileGateOptions o;
  o.metric.name = "latency";
  o.metric.unit = "ms";
  o.test.quantile = 0.99;
  o.duration = absl::Minutes(30);
  return o;
}

std::unique_ptr<HealthGate> QuantileGate(SequentialQuantileGateOptions o) {
  absl::StatusOr<std::unique_ptr<HealthGate>> gate =
      NewSequentialQuantileGate("latency quantile", std::move(o));
  EXPECT_THAT(gate.status(), IsOk());
  return gate.ok() ? *std::move(gate) : nullptr;
}

TEST(SequentialQuantileGateTest, SlowerTailFailsSameTailPasses) {
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetDistribution(
      "latency", Cohort::kBaseline, T0(),
      MetricDistribution::FromObservations(Latencies(2000, 1, 1)));
  h.metrics.SetDistribution(
      "latency", Cohort::kWave, T0(),
      MetricDistribution::FromObservations(Latencies(400, 1, 1.4)));
  GateState state;
  testing::GateRun run =
      DriveGate(*QuantileGate(QuantileOptions()), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
  EXPECT_LT(run.evaluations.back(), T0() + absl::Minutes(30));
  EXPECT_THAT(run.verdict.reason, StartsWith("higher on wave 2 after "));
  EXPECT_GT(Obs(run.verdict, "quantile_difference"), 0);
  EXPECT_LE(Obs(run.verdict, "p_value"), 0.05);
  // Each check asked for the distribution since the last one.
  const std::vector<testing::RecordedMetricQuery> q = h.metrics.queries();
  ASSERT_GE(q.size(), 4u);
  EXPECT_EQ(q[0].start, T0());
  EXPECT_EQ(q[2].start, q[0].end);

  Harness same;
  same.deployed_at = T0();
  same.metrics.SetDistribution(
      "latency", Cohort::kBaseline, T0(),
      MetricDistribution::FromObservations(Latencies(2000, 1, 1)));
  same.metrics.SetDistribution(
      "latency", Cohort::kWave, T0(),
      MetricDistribution::FromObservations(Latencies(400, 1, 1)));
  GateState state2;
  run = DriveGate(*QuantileGate(QuantileOptions()), same, state2, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  EXPECT_EQ(Obs(run.verdict, "n_canary"), 30 * 400);
}

// A cumulative histogram of `values` over Prometheus-like bounds.
MetricDistribution HistogramOf(const std::vector<double>& values) {
  const std::vector<double> bounds = {25,  50,  100, 150, 200,
                                      250, 300, 400, 500, 1000};
  std::vector<HistogramBucket> buckets;
  for (double b : bounds) {
    double n = 0;
    for (double v : values) n += v <= b ? 1 : 0;
    buckets.push_back({b, n});
  }
  buckets.push_back({std::numeric_limits<double>::infinity(),
                     static_cast<double>(values.size())});
  return MetricDistribution::FromHistogram(buckets);
}

TEST(SequentialQuantileGateTest, ComparesHistogramBuckets) {
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetDistribution("latency", Cohort::kBaseline, T0(),
                            HistogramOf(Latencies(2000, 1, 1)));
  h.metrics.SetDistribution("latency", Cohort::kWave, T0(),
                            HistogramOf(Latencies(400, 1, 1.6)));
  GateState state;
  testing::GateRun run =
      DriveGate(*QuantileGate(QuantileOptions()), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
}

TEST(SequentialQuantileGateTest, ResumesExactlyFromTheStateProto) {
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetDistribution("latency", Cohort::kBaseline, T0(),
                            HistogramOf(Latencies(2000, 1, 1)));
  h.metrics.SetDistribution("latency", Cohort::kWave, T0(),
                            HistogramOf(Latencies(400, 1, 1.2)));
  GateState straight;
  testing::GateRun whole =
      DriveGate(*QuantileGate(QuantileOptions()), h, straight, T0());
  GateState state;
  absl::Time now = T0();
  Verdict v;
  for (int i = 0; i < 100; ++i) {
    v = QuantileGate(QuantileOptions())->Evaluate(h.Context(now), state);
    SLUICE_ASSERT_OK_AND_ASSIGN(state,
                                GateStateFromProto(GateStateToProto(state)));
    if (v.outcome != Outcome::kHold) break;
    now = v.hold_until;
  }
  EXPECT_EQ(v, whole.verdict);
  EXPECT_EQ(state, straight);
}

TEST(SequentialQuantileGateTest, DelayMinSamplesAndErrors) {
  Harness h;
  h.deployed_at = T0();
  h.metrics.SetDistribution(
      "latency", Cohort::kBaseline, T0(),
      MetricDistribution::FromObservations(Latencies(2000, 1, 1)));
  h.metrics.SetDistribution(
      "latency", Cohort::kWave, T0(),
      MetricDistribution::FromObservations(Latencies(10, 1, 1)));
  SequentialQuantileGateOptions o = QuantileOptions();
  o.delivery_delay = absl::Minutes(2);
  o.min_samples = 1000;
  o.max_observations = 500;
  GateState state;
  testing::GateRun run = DriveGate(*QuantileGate(o), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kInconclusive) << run.verdict;
  EXPECT_THAT(run.verdict.reason,
              StartsWith("too few samples on wave 2 over 30m: 280 "
                         "observations < min_samples 1000"));
  const std::vector<testing::RecordedMetricQuery> q = h.metrics.queries();
  ASSERT_FALSE(q.empty());
  EXPECT_EQ(q[0].end, T0() + absl::Minutes(1));  // the 3m check, 2m back
  EXPECT_EQ(q[0].max_observations, 500);

  o = QuantileOptions();
  o.delivery_delay = absl::Minutes(30);
  EXPECT_THAT(NewSequentialQuantileGate("q", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("delivery_delay: must be >= 0 and < "
                                  "duration")));
  o = QuantileOptions();
  o.test.quantile = 1;
  EXPECT_THAT(NewSequentialQuantileGate("q", o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("test.quantile: ")));
  // A host without distribution queries: an error, not a pass.
  Harness none;
  none.deployed_at = T0();
  none.metrics.SetDistribution("latency", Cohort::kWave, T0(),
                               absl::UnimplementedError("no distributions"));
  GateState state2;
  run = DriveGate(*QuantileGate(QuantileOptions()), none, state2, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kError) << run.verdict;
  EXPECT_THAT(run.verdict.reason,
              HasSubstr("querying the distribution of latency on wave 2"));
}

// --- Spec form ---

constexpr char kHeader[] = R"pb(
  name: "checkout"
  version: "2.4.1"
  metrics { name: "latency" unit: "ms" }
  metrics { name: "errors" }
)pb";

absl::StatusOr<RolloutSpec> Spec(const std::string& gates) {
  return RolloutSpec::Parse(absl::StrCat(kHeader, gates),
                            SpecFormat::kTextProto);
}

constexpr char kJudgeGates[] = R"pb(
  gates {
    default {
      kayenta_judge {
        groups { name: "latency" weight: 50 }
        groups { name: "errors" weight: 50 }
        metrics {
          name: "latency"
          groups: "latency"
          direction: DIRECTION_INCREASE
        }
        metrics { name: "errors" groups: "errors" }
        window { seconds: 600 }
      }
    }
    default {
      sequential_count {
        metric: "errors"
        canary_share: 0.1
        duration { seconds: 1800 }
      }
    }
    default {
      sequential_means {
        metric: "latency"
        sigma_canary: 50
        sigma_baseline: 50
        min_value: 0
        max_value: 100
        duration { seconds: 600 }
      }
    }
  }
)pb";

TEST(JudgeGatesSpecTest, BuildsAndJudges) {
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec all, Spec(kJudgeGates));
  EXPECT_THAT(GatePolicy::FromSpec(all).status(), IsOk());
  // Only the judge, to see its verdict through the policy.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec, Spec(R"pb(
        gates {
          default {
            kayenta_judge {
              groups { name: "latency" weight: 50 }
              groups { name: "errors" weight: 50 }
              metrics { name: "latency" groups: "latency" }
              metrics { name: "errors" groups: "errors" }
              window { seconds: 600 }
            }
          }
        }
      )pb"));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy policy, GatePolicy::FromSpec(spec));
  Harness h;
  h.deployed_at = T0();
  AddSeries(h, "latency", 140, 100);
  AddSeries(h, "errors", 5, 5);
  const HealthGate& gate = policy.ForStage("zone");
  GateState state;
  testing::GateRun run = DriveGate(gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kFail) << run.verdict;
  EXPECT_THAT(run.verdict.ToString(), HasSubstr("kayenta judge"));
  EXPECT_THAT(run.verdict.ToString(), HasSubstr("latency High"));
}

TEST(JudgeGatesSpecTest, ExampleSpecBuilds) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile(
          "examples/specs/codedeploy_canary_sequential.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy policy, GatePolicy::FromSpec(spec));
  // A healthy canary: errors at its traffic share, the same latency.
  Harness h;
  h.deployed_at = T0();
  std::vector<Sample> wave_errors, baseline_errors, wave_latency,
      baseline_latency;
  for (int i = 0; i < 90; ++i) {
    const absl::Time t = T0() + absl::Seconds(10 * i);
    wave_errors.push_back({t, i % 9 == 0 ? 1.0 : 0.0});
    baseline_errors.push_back({t, 1.0});
    wave_latency.push_back({t, 1.5 + 0.1 * (i % 5)});
    baseline_latency.push_back({t, 1.5 + 0.1 * ((i + 2) % 5)});
  }
  h.metrics.AddSamples("errors", Cohort::kWave, wave_errors);
  h.metrics.AddSamples("errors", Cohort::kBaseline, baseline_errors);
  h.metrics.AddSamples("log_latency", Cohort::kWave, wave_latency);
  h.metrics.AddSamples("log_latency", Cohort::kBaseline, baseline_latency);
  AddSeries(h, "p99_latency_ms", 100, 100);
  AddSeries(h, "error_rate", 5, 5);
  GateState state;
  testing::GateRun run = DriveGate(policy.ForStage("canary"), h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass) << run.verdict;
  EXPECT_EQ(run.evaluations.back(), T0() + absl::Minutes(15));
}

TEST(JudgeGatesSpecTest, ErrorsNameTheField) {
  struct Case {
    std::string gates;
    std::string want;
  };
  const std::vector<Case> cases = {
      {R"pb(gates {
              default {
                kayenta_judge {
                  groups { name: "g" weight: 90 }
                  metrics { name: "latency" groups: "g" }
                }
              }
            })pb",
       "gates.default[0].kayenta_judge.groups: weights must sum to 100"},
      {R"pb(gates {
              default {
                kayenta_judge {
                  groups { name: "g" }
                  metrics { name: "latency" groups: "g" confidence: 1.5 }
                }
              }
            })pb",
       "gates.default[0].kayenta_judge.metrics[0].confidence: must be in (0, "
       "1)"},
      {R"pb(gates {
              default {
                kayenta_judge {
                  groups { name: "g" }
                  metrics { name: "latency" groups: "g" }
                  thresholds { pass: 80 marginal: 90 }
                }
              }
            })pb",
       "gates.default[0].kayenta_judge.thresholds.marginal: must be <= "
       "thresholds.pass"},
      {R"pb(gates {
              default {
                kayenta_judge {
                  groups { name: "g" }
                  metrics { name: "latncy" groups: "g" }
                }
              }
            })pb",
       "gates.default[0].kayenta_judge.metrics[0].name: names undeclared "
       "metric \"latncy\""},
      {R"pb(gates {
              default {
                sequential_count {
                  metric: "errors"
                  canary_share: 1.5
                  duration { seconds: 60 }
                }
              }
            })pb",
       "gates.default[0].sequential_count.canary_share: must be in (0, 1)"},
      {R"pb(gates {
              default {
                sequential_count { metric: "errors" canary_share: 0.5 }
              }
            })pb",
       "gates.default[0].sequential_count.duration: is required"},
      {R"pb(gates {
              default {
                sequential_means {
                  metric: "latency"
                  sigma_canary: 1
                  sigma_baseline: 1
                  duration { seconds: 60 }
                  interval { seconds: 120 }
                }
              }
            })pb",
       "gates.default[0].sequential_means.interval: must be <= duration"},
      {R"pb(gates {
              default {
                sequential_means {
                  metric: "latency"
                  sigma_canary: 1
                  duration { seconds: 60 }
                }
              }
            })pb",
       "gates.default[0].sequential_means.sigma_baseline: "},
      {R"pb(gates {
              default {
                sequential_count {
                  metric: "errors"
                  duration { seconds: 60 }
                }
              }
            })pb",
       "gates.default[0].sequential_count.canary_share: is required without "
       "requests_metric"},
      {R"pb(gates {
              default {
                sequential_count {
                  metric: "errors"
                  requests_metric: "requets"
                  duration { seconds: 60 }
                }
              }
            })pb",
       "gates.default[0].sequential_count.requests_metric: names undeclared "
       "metric \"requets\""},
      {R"pb(gates {
              default {
                sequential_count {
                  metric: "errors"
                  requests_metric: "latency"
                  null_ratio: 0
                  duration { seconds: 60 }
                }
              }
            })pb",
       "gates.default[0].sequential_count.null_ratio: "},
      {R"pb(gates {
              default {
                sequential_count {
                  metric: "errors"
                  canary_share: 0.1
                  null_ratio: 1.5
                  duration { seconds: 60 }
                }
              }
            })pb",
       "gates.default[0].sequential_count.null_ratio: needs requests_metric"},
      {R"pb(gates {
              default {
                sequential_count {
                  metric: "errors"
                  requests_metric: "latency"
                  min_samples: -1
                  duration { seconds: 60 }
                }
              }
            })pb",
       "gates.default[0].sequential_count.min_samples: must be >= 0"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(Spec(c.gates).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.want)))
        << c.gates;
  }
}

}  // namespace
}  // namespace sluice

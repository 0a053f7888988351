// Copyright 2026 The Sluice Authors.
//
// Keep watching: bake re-checks (RolloutOptions::bake_recheck_interval) and
// the background analysis (RolloutOptions::background_gate), on virtual time
// with a FakeMetricSource and real threshold gates.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rollout_harness.h"
#include "sluice/analysis_gate.h"
#include "sluice/canary_analysis_gate.h"
#include "sluice/metric_checks.h"
#include "sluice/review.h"
#include "sluice/rollout.h"
#include "sluice/spec.h"
#include "sluice/testing/fake_clock.h"
#include "sluice/testing/fake_metric_source.h"
#include "sluice/testing/rollout_testing.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice {
namespace {

using ::sluice::rollout_test::kT0;
using ::sluice::rollout_test::MakeFleet;
using ::sluice::rollout_test::MakePlan;

// error_rate of the canary cohort must stay <= 1% over 5 minutes.
std::shared_ptr<const HealthGate> ErrorRateGate(const std::string& name) {
  ThresholdCheck check;
  check.metric.name = "error_rate";
  check.metric.unit = "%";
  check.max = 1.0;
  check.window = absl::Minutes(5);
  absl::StatusOr<std::unique_ptr<HealthGate>> gate =
      NewThresholdGate(name, check);
  EXPECT_TRUE(gate.ok()) << gate.status();
  return std::shared_ptr<const HealthGate>(*std::move(gate));
}

struct DriveResult {
  std::unique_ptr<Rollout> rollout;
  std::vector<RolloutEvent> events;
  int restores = 0;
};

// Drives a rollout of waves {1, 3, 5} with the given options to its end,
// optionally restoring it from its snapshot after every step.
DriveResult Drive(RolloutOptions options, const WavePlan& plan,
                  bool crash_every_step, testing::FakeMetricSource& metrics) {
  DriveResult run;
  const Fleet fleet = MakeFleet(9);
  testing::FakeClock clock(kT0);
  testing::FakeTransport transport(fleet.size(), "1.0");
  testing::RecordingEventSink sink;
  options.version = "2.0";
  options.previous_version = "1.0";
  options.metric_source = &metrics;
  options.event_sink = &sink;
  absl::StatusOr<std::unique_ptr<Rollout>> created =
      Rollout::Create(fleet, plan, options);
  EXPECT_TRUE(created.ok()) << created.status();
  if (!created.ok()) return run;
  run.rollout = *std::move(created);
  testing::RolloutDriver driver(*run.rollout, transport, clock);
  for (int step = 0; step < 2000 && !IsTerminal(run.rollout->status());
       ++step) {
    absl::StatusOr<std::vector<Action>> stepped = driver.Step();
    EXPECT_TRUE(stepped.ok()) << stepped.status();
    if (!stepped.ok()) break;
    if (crash_every_step) {
      absl::StatusOr<std::unique_ptr<Rollout>> restored =
          Rollout::Restore(fleet, options, run.rollout->Snapshot());
      EXPECT_TRUE(restored.ok()) << restored.status();
      if (!restored.ok()) break;
      run.rollout = *std::move(restored);
      driver.Reset(*run.rollout);
      ++run.restores;
    }
  }
  run.events = sink.events();
  return run;
}

const RolloutEvent* FirstFailure(const std::vector<RolloutEvent>& events) {
  for (const RolloutEvent& e : events) {
    if (e.kind == EventKind::kWaveFailed) return &e;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Bake re-checks.

// The wave's gate passes five minutes after the deploy; at minute 20 of wave
// 0's hour-long bake its error rate jumps to 6%.
class BakeRecheckTest : public ::testing::TestWithParam<bool> {};

TEST_P(BakeRecheckTest, ReCheckCatchesAFaultThatAppearsMidBake) {
  testing::FakeMetricSource metrics;
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0, 0.2, 500);
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0 + absl::Minutes(20),
                       6.0, 500);
  RolloutOptions options;
  options.gate = ErrorRateGate("error-rate");
  options.bake_recheck_interval = absl::Minutes(5);
  DriveResult run =
      Drive(options, MakePlan({1, 3, 5}, absl::Hours(1)), GetParam(), metrics);
  ASSERT_NE(run.rollout, nullptr);
  EXPECT_EQ(run.rollout->status(), RolloutStatus::kRolledBack);
  const RolloutEvent* failure = FirstFailure(run.events);
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->wave, 0);
  EXPECT_EQ(failure->trigger, FailureTrigger::kGateFail);
  EXPECT_THAT(failure->message, ::testing::HasSubstr("bake re-check"));
  // The first look passes at once (deploy at kT0); re-checks at 5, 10, 15
  // pass and the one at 20 minutes sees the fault.
  EXPECT_EQ(failure->time, kT0 + absl::Minutes(20));
  if (GetParam()) {
    EXPECT_GT(run.restores, 0);
  }
}

TEST_P(BakeRecheckTest, WithoutReChecksTheFaultIsMissed) {
  testing::FakeMetricSource metrics;
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0, 0.2, 500);
  // Only wave 0's bake sees the fault: it is over before wave 1 deploys.
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0 + absl::Minutes(20),
                       6.0, 500);
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0 + absl::Minutes(40),
                       0.2, 500);
  RolloutOptions options;
  options.gate = ErrorRateGate("error-rate");
  options.bake_recheck_interval = absl::ZeroDuration();
  DriveResult run =
      Drive(options, MakePlan({1, 3, 5}, absl::Hours(1)), GetParam(), metrics);
  ASSERT_NE(run.rollout, nullptr);
  EXPECT_EQ(run.rollout->status(), RolloutStatus::kSucceeded);
  EXPECT_EQ(FirstFailure(run.events), nullptr);
}

TEST_P(BakeRecheckTest, ReChecksOfAGoodReleaseAllPass) {
  testing::FakeMetricSource metrics;
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0, 0.2, 500);
  RolloutOptions options;
  options.gate = ErrorRateGate("error-rate");
  options.bake_recheck_interval = absl::Minutes(10);
  DriveResult run =
      Drive(options, MakePlan({1, 3, 5}, absl::Hours(1)), GetParam(), metrics);
  ASSERT_NE(run.rollout, nullptr);
  EXPECT_EQ(run.rollout->status(), RolloutStatus::kSucceeded);
  int rechecks = 0;
  for (const RolloutEvent& e : run.events) {
    if (e.kind == EventKind::kGateVerdict &&
        absl::StartsWith(e.message, "bake re-check")) {
      ++rechecks;
      ASSERT_TRUE(e.verdict.has_value());
      EXPECT_EQ(e.verdict->outcome, Outcome::kPass);
    }
  }
  // Each wave's gate passes at its deploy; re-checks at 10, 20, ..., 50
  // minutes of the hour's bake: 5 per wave.
  EXPECT_EQ(rechecks, 3 * 5);
}

INSTANTIATE_TEST_SUITE_P(CrashResume, BakeRecheckTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "RestoredEveryStep"
                                             : "OneProcess";
                         });

TEST(BakeRecheckOptionsTest, RejectsBadInterval) {
  const Fleet fleet = MakeFleet(9);
  RolloutOptions options;
  options.version = "2.0";
  options.previous_version = "1.0";
  options.bake_recheck_interval = absl::Minutes(-1);
  absl::StatusOr<std::unique_ptr<Rollout>> r =
      Rollout::Create(fleet, MakePlan({1, 3, 5}), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()),
              ::testing::HasSubstr("options.bake_recheck_interval"));
  options.bake_recheck_interval = absl::InfiniteDuration();
  EXPECT_FALSE(Rollout::Create(fleet, MakePlan({1, 3, 5}), options).ok());
}

// ---------------------------------------------------------------------------
// Background analysis.

int CountKind(const std::vector<RolloutEvent>& events, EventKind kind) {
  int n = 0;
  for (const RolloutEvent& e : events) n += e.kind == kind;
  return n;
}

// Gates only on the one-box stage (a common setup), re-checks off: the
// waves after the first are not judged at all.
RolloutOptions OneBoxOnly() {
  RolloutOptions options;
  options.stage_gates["one-box"] = ErrorRateGate("one-box error rate");
  options.bake_recheck_interval = absl::ZeroDuration();
  return options;
}

class BackgroundTest : public ::testing::TestWithParam<bool> {};

TEST_P(BackgroundTest, CatchesARegressionAfterTheFirstWavePassed) {
  testing::FakeMetricSource metrics;
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0, 0.2, 500);
  // Wave 0 passes at minute 30; the fault appears at minute 40, while wave 1
  // bakes.
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0 + absl::Minutes(40),
                       6.0, 500);
  RolloutOptions options = OneBoxOnly();
  options.background_gate = ErrorRateGate("background error rate");
  options.background_interval = absl::Minutes(5);
  DriveResult run = Drive(options, MakePlan({1, 3, 5}, absl::Minutes(30)),
                          GetParam(), metrics);
  ASSERT_NE(run.rollout, nullptr);
  EXPECT_EQ(run.rollout->status(), RolloutStatus::kRolledBack);
  const RolloutEvent* failure = FirstFailure(run.events);
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->wave, 1);
  EXPECT_EQ(failure->trigger, FailureTrigger::kGateFail);
  EXPECT_EQ(failure->time, kT0 + absl::Minutes(40));
  EXPECT_THAT(failure->message,
              ::testing::HasSubstr("background analysis run 8"));
  // The first run's window may not reach before the deploy (issue 11 item
  // 2), so it measures at minute 5; runs at 5, 10, ..., 40 minutes: seven
  // passes, then the failure.
  EXPECT_EQ(CountKind(run.events, EventKind::kBackgroundVerdict), 8);
  // The failing run compared the 4 targets on the new version (waves 0 and
  // 1) with the 5 still on the old one.
  const std::vector<testing::RecordedMetricQuery> queries = metrics.queries();
  const testing::RecordedMetricQuery* last = nullptr;
  for (const testing::RecordedMetricQuery& q : queries) {
    if (q.stage == "background") last = &q;
  }
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->end, kT0 + absl::Minutes(40));
  EXPECT_THAT(last->targets,
              ::testing::ElementsAre("web-0", "web-1", "web-2", "web-3"));
  // A post-incident review finds the failing background run as the first
  // failing check.
  const ReviewMoments moments = FindReviewMoments(run.events);
  EXPECT_EQ(moments.first_failing_check, kT0 + absl::Minutes(40));
}

TEST_P(BackgroundTest, WithoutItTheRegressionIsMissed) {
  testing::FakeMetricSource metrics;
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0, 0.2, 500);
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0 + absl::Minutes(40),
                       6.0, 500);
  DriveResult run = Drive(OneBoxOnly(), MakePlan({1, 3, 5}, absl::Minutes(30)),
                          GetParam(), metrics);
  ASSERT_NE(run.rollout, nullptr);
  EXPECT_EQ(run.rollout->status(), RolloutStatus::kSucceeded);
}

// A leak: the error rate of the new version grows by 0.1 points every 10
// minutes. The one-box gate passes at minute 0 (0%); the background analysis
// sees it cross 1% at minute 110, during wave 2's bake.
TEST_P(BackgroundTest, CatchesALeak) {
  testing::FakeMetricSource metrics;
  for (int k = 0; k <= 20; ++k) {
    metrics.SetAggregate("error_rate", Cohort::kWave,
                         kT0 + absl::Minutes(10 * k), 0.1 * k, 500);
  }
  RolloutOptions options = OneBoxOnly();
  DriveResult missed =
      Drive(options, MakePlan({1, 3, 5}, absl::Hours(1)), GetParam(), metrics);
  ASSERT_NE(missed.rollout, nullptr);
  EXPECT_EQ(missed.rollout->status(), RolloutStatus::kSucceeded);

  options.background_gate = ErrorRateGate("background error rate");
  options.background_interval = absl::Minutes(5);
  DriveResult run =
      Drive(options, MakePlan({1, 3, 5}, absl::Hours(1)), GetParam(), metrics);
  ASSERT_NE(run.rollout, nullptr);
  EXPECT_EQ(run.rollout->status(), RolloutStatus::kRolledBack);
  const RolloutEvent* failure = FirstFailure(run.events);
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->wave, 1);
  EXPECT_EQ(failure->time, kT0 + absl::Minutes(110));
}

// The background analysis is an Argo-style analysis of three measurements a
// minute apart, so every run holds between measurements: restoring from a
// snapshot after every step must give the same events as one process.
TEST(BackgroundCrashResumeTest, SameEventsWhenRestoredMidAnalysis) {
  ThresholdCheck check;
  check.metric.name = "error_rate";
  check.max = 1.0;
  check.window = absl::Minutes(1);
  AnalysisMetric metric;
  metric.check = check;
  metric.interval = absl::Minutes(1);
  metric.count = 3;
  absl::StatusOr<std::unique_ptr<HealthGate>> analysis =
      NewAnalysisGate("background analysis", {metric});
  ASSERT_TRUE(analysis.ok()) << analysis.status();
  RolloutOptions options = OneBoxOnly();
  options.background_gate =
      std::shared_ptr<const HealthGate>(*std::move(analysis));
  options.background_interval = absl::Minutes(10);
  auto metrics_with_fault = [] {
    auto m = std::make_unique<testing::FakeMetricSource>();
    m->SetAggregate("error_rate", Cohort::kWave, kT0, 0.2, 500);
    m->SetAggregate("error_rate", Cohort::kWave, kT0 + absl::Minutes(71), 3.0,
                    500);
    return m;
  };
  auto one = metrics_with_fault();
  auto restored = metrics_with_fault();
  DriveResult a = Drive(options, MakePlan({1, 3, 5}, absl::Hours(1)),
                        /*crash_every_step=*/false, *one);
  DriveResult b = Drive(options, MakePlan({1, 3, 5}, absl::Hours(1)),
                        /*crash_every_step=*/true, *restored);
  ASSERT_NE(a.rollout, nullptr);
  ASSERT_NE(b.rollout, nullptr);
  EXPECT_GT(b.restores, 0);
  EXPECT_EQ(a.rollout->status(), RolloutStatus::kRolledBack);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(one->queries().size(), restored->queries().size());
  const RolloutEvent* failure = FirstFailure(a.events);
  ASSERT_NE(failure, nullptr);
  // The first measurement waits for a whole window after the deploy (1
  // minute); runs start at 0, 13, 26, ... (three measurements at +1, +2, +3,
  // then 10 minutes): the run starting at minute 72 measures 3% at +1.
  EXPECT_EQ(failure->time, kT0 + absl::Minutes(73));
  EXPECT_THAT(failure->message, ::testing::HasSubstr("background analysis"));
}

TEST_P(BackgroundTest, StartsAtTheStartWave) {
  testing::FakeMetricSource metrics;
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0, 0.2, 500);
  RolloutOptions options = OneBoxOnly();
  options.background_gate = ErrorRateGate("background error rate");
  options.background_interval = absl::Minutes(10);
  options.background_start_wave = 1;
  DriveResult run = Drive(options, MakePlan({1, 3, 5}, absl::Minutes(30)),
                          GetParam(), metrics);
  ASSERT_NE(run.rollout, nullptr);
  EXPECT_EQ(run.rollout->status(), RolloutStatus::kSucceeded);
  std::vector<absl::Time> times;
  for (const RolloutEvent& e : run.events) {
    if (e.kind == EventKind::kBackgroundVerdict) times.push_back(e.time);
  }
  // Wave 1 deploys at minute 30; the first run's window may not reach
  // before that deploy, so it measures at minute 35, then every 10 minutes
  // until the rollout ends at minute 90 (the run due at 95 never comes).
  ASSERT_FALSE(times.empty());
  EXPECT_EQ(times.front(), kT0 + absl::Minutes(35));
  EXPECT_EQ(times.back(), kT0 + absl::Minutes(85));
  EXPECT_EQ(times.size(), 6u);
}

INSTANTIATE_TEST_SUITE_P(CrashResume, BackgroundTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "RestoredEveryStep"
                                             : "OneProcess";
                         });

TEST(BackgroundOptionsTest, RejectsBadOptions) {
  const Fleet fleet = MakeFleet(9);
  RolloutOptions options;
  options.version = "2.0";
  options.previous_version = "1.0";
  options.background_interval = absl::ZeroDuration();
  absl::StatusOr<std::unique_ptr<Rollout>> r =
      Rollout::Create(fleet, MakePlan({1, 3, 5}), options);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              ::testing::HasSubstr("options.background_interval"));
  options.background_interval = absl::Minutes(5);
  options.background_start_wave = 3;
  r = Rollout::Create(fleet, MakePlan({1, 3, 5}), options);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              ::testing::HasSubstr("options.background_start_wave: must be in "
                                   "[0, 3) (got 3)"));
}

// ---------------------------------------------------------------------------
// In a spec.

constexpr char kWatchSpec[] = R"pb(
  name: "checkout-api"
  version: "2.0"
  previous_version: "1.0"
  metrics { name: "error_rate" unit: "%" }
  gates {
    stages {
      stage: "one-box"
      gates {
        name: "one-box errors"
        threshold {
          metric: "error_rate"
          max: 1
          window { seconds: 300 }
        }
      }
    }
  }
  watch {
    bake_recheck_interval { seconds: 0 }
    background {
      gates {
        name: "errors"
        threshold {
          metric: "error_rate"
          max: 1
          window { seconds: 300 }
        }
      }
      interval { seconds: 300 }
    }
  }
)pb";

TEST(WatchSpecTest, BackgroundAnalysisFromASpecCatchesTheRegression) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec, RolloutSpec::Parse(kWatchSpec, SpecFormat::kTextProto));
  EXPECT_THAT(spec.Summary(),
              ::testing::HasSubstr("watch: no re-checks, background analysis "
                                   "(1 gate) every 5m from wave 0"));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy gates, GatePolicyFromSpec(spec));
  const Fleet fleet = MakeFleet(9);
  const WavePlan plan = MakePlan({1, 3, 5}, absl::Minutes(30));
  testing::FakeMetricSource metrics;
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0, 0.2, 500);
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0 + absl::Minutes(40),
                       6.0, 500);
  testing::RecordingEventSink sink;
  RolloutOptions options;
  options.metric_source = &metrics;
  options.event_sink = &sink;
  GatesFromPolicy(gates, plan, options);
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> rollout,
                              Rollout::FromSpec(spec, fleet, plan, options));
  testing::FakeClock clock(kT0);
  testing::FakeTransport transport(fleet.size(), "1.0");
  testing::RolloutDriver driver(*rollout, transport, clock);
  ASSERT_TRUE(driver.RunUntilSettled().ok());
  EXPECT_EQ(rollout->status(), RolloutStatus::kRolledBack);
  const RolloutEvent* failure = FirstFailure(sink.events());
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->time, kT0 + absl::Minutes(40));
  EXPECT_THAT(failure->message, ::testing::HasSubstr("background analysis"));
}

TEST(WatchSpecTest, BadWatchFieldsNameThePath) {
  auto parse = [](const std::string& watch) {
    return RolloutSpec::Parse(
        absl::StrCat("name: \"x\" version: \"2\" metrics { name: "
                     "\"error_rate\" } watch { ",
                     watch, " }"),
        SpecFormat::kTextProto);
  };
  EXPECT_THAT(parse("bake_recheck_interval { seconds: -1 }"),
              testing::StatusIs(
                  absl::StatusCode::kInvalidArgument,
                  ::testing::HasSubstr("watch.bake_recheck_interval: must be "
                                       ">= 0")));
  EXPECT_THAT(parse("background { }"),
              testing::StatusIs(
                  absl::StatusCode::kInvalidArgument,
                  ::testing::HasSubstr("watch.background.gates: must name at "
                                       "least one gate")));
  EXPECT_THAT(
      parse("background { gates { name: \"g\" threshold { metric: \"p99\" "
            "max: 1 } } }"),
      testing::StatusIs(absl::StatusCode::kInvalidArgument,
                        ::testing::HasSubstr("watch.background.gates[0]")));
  EXPECT_THAT(parse("background { gates { name: \"g\" threshold { metric: "
                    "\"error_rate\" max: 1 } } interval { seconds: 0 } }"),
              testing::StatusIs(
                  absl::StatusCode::kInvalidArgument,
                  ::testing::HasSubstr("watch.background.interval: must be "
                                       "> 0")));
  EXPECT_THAT(parse("background { gates { name: \"g\" threshold { metric: "
                    "\"error_rate\" max: 1 } } starting_wave: -2 }"),
              testing::StatusIs(
                  absl::StatusCode::kInvalidArgument,
                  ::testing::HasSubstr("watch.background.starting_wave")));
  EXPECT_THAT(parse("baseline: 7"),
              testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                ::testing::HasSubstr("watch.baseline")));
  // A message built in code keeps an unknown enum value; the spec names it.
  v1::RolloutSpec proto;
  proto.set_name("x");
  proto.set_version("2");
  proto.mutable_watch()->set_baseline(static_cast<v1::WatchSpec::Baseline>(7));
  EXPECT_THAT(RolloutSpec::FromProto(proto),
              testing::StatusIs(
                  absl::StatusCode::kInvalidArgument,
                  ::testing::HasSubstr("watch.baseline: must be "
                                       "BASELINE_UNSPECIFIED, "
                                       "BASELINE_NEXT_WAVE or "
                                       "BASELINE_ALL_REMAINING (got 7)")));
}

TEST(WatchSpecTest, SummaryNamesTheBaselineCohort) {
  auto summary = [](const std::string& watch) -> std::string {
    absl::StatusOr<RolloutSpec> spec = RolloutSpec::Parse(
        absl::StrCat("name: \"x\" version: \"2\" watch { ", watch, " }"),
        SpecFormat::kTextProto);
    EXPECT_TRUE(spec.ok()) << spec.status();
    return spec.ok() ? spec->Summary() : "";
  };
  EXPECT_THAT(summary("baseline: BASELINE_ALL_REMAINING"),
              ::testing::HasSubstr(
                  "watch: re-checks every 5m, baseline every remaining "
                  "target"));
  EXPECT_THAT(summary("baseline: BASELINE_NEXT_WAVE"),
              ::testing::HasSubstr("baseline the next wave"));
  EXPECT_THAT(summary("bake_recheck_interval { seconds: 60 }"),
              ::testing::Not(::testing::HasSubstr("baseline")));
}

// ---------------------------------------------------------------------------
// Kayenta's canary analysis as a wave's gate, restored mid-lifetime.

TEST(CanaryAnalysisInTheEngineTest, SameEventsWhenRestoredMidLifetime) {
  CanaryAnalysisGateOptions o;
  o.judge.judge.groups = {{"errors", 60.0}, {"latency", 40.0}};
  stats::JudgedMetricConfig errors;
  errors.name = "error_rate";
  errors.groups = {"errors"};
  errors.classifier.direction = stats::MetricDirection::kIncrease;
  stats::JudgedMetricConfig latency = errors;
  latency.name = "latency";
  latency.groups = {"latency"};
  o.judge.judge.metrics = {errors, latency};
  o.judge.judge.thresholds = {95, 75};
  o.lifetime = absl::Minutes(30);
  o.interval = absl::Minutes(10);
  o.lookback = absl::Minutes(10);
  absl::StatusOr<std::unique_ptr<HealthGate>> gate =
      NewCanaryAnalysisGate("canary analysis", o);
  ASSERT_TRUE(gate.ok()) << gate.status();
  RolloutOptions options;
  options.stage_gates["one-box"] =
      std::shared_ptr<const HealthGate>(*std::move(gate));
  options.bake_recheck_interval = absl::ZeroDuration();
  // One sample a minute per cohort; the canary's latency is 100 higher in
  // minutes [10, 20): judgement 2 scores 60 <= marginal 75.
  auto make_metrics = [] {
    auto m = std::make_unique<testing::FakeMetricSource>();
    const std::vector<std::string> names = {"error_rate", "latency"};
    for (const std::string& name : names) {
      std::vector<Sample> baseline;
      std::vector<Sample> canary;
      for (int k = -10; k < 120; ++k) {
        const absl::Time t = kT0 + absl::Minutes(k) + absl::Seconds(30);
        const double v = 100 + (k % 10 + 10) % 10;
        const bool bad = name == "latency" && k >= 10 && k < 20;
        baseline.push_back({t, v});
        canary.push_back({t, bad ? v + 100 : v});
      }
      m->AddSamples(name, Cohort::kBaseline, baseline);
      m->AddSamples(name, Cohort::kWave, canary);
      m->UseSamples(name, Cohort::kBaseline, kT0 - absl::Hours(1));
      m->UseSamples(name, Cohort::kWave, kT0 - absl::Hours(1));
    }
    return m;
  };
  auto one = make_metrics();
  auto restored = make_metrics();
  DriveResult a = Drive(options, MakePlan({1, 3, 5}, absl::Hours(1)),
                        /*crash_every_step=*/false, *one);
  DriveResult b = Drive(options, MakePlan({1, 3, 5}, absl::Hours(1)),
                        /*crash_every_step=*/true, *restored);
  ASSERT_NE(a.rollout, nullptr);
  ASSERT_NE(b.rollout, nullptr);
  EXPECT_GT(b.restores, 0);
  EXPECT_EQ(a.rollout->status(), RolloutStatus::kRolledBack);
  EXPECT_EQ(a.events, b.events);
  const RolloutEvent* failure = FirstFailure(a.events);
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->wave, 0);
  EXPECT_EQ(failure->time, kT0 + absl::Minutes(20));
  EXPECT_THAT(failure->message,
              ::testing::HasSubstr("judgement 2 of 3 (window 10m..20m): "
                                   "score 60 <= marginal 75"));
}

}  // namespace
}  // namespace sluice

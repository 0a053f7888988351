// Copyright 2026 The Sluice Authors.

#include "sluice/sim/simulator.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/gate_policy.h"
#include "sluice/rollback_policy.h"
#include "sluice/sim/scenario.h"
#include "sluice/spec.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/rollout_spec.pb.h"
#include "tests/sim/sim_test_util.h"

namespace sluice::sim {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kFleet[] = "examples/fleets/three_regions.csv";

Simulator Make(const std::string& spec_name, const std::string& scenario_name,
               void (*tweak)(Scenario&) = nullptr) {
  absl::StatusOr<RolloutSpec> spec =
      RolloutSpec::LoadFile("examples/specs/" + spec_name + ".textproto");
  EXPECT_THAT(spec, IsOk());
  absl::StatusOr<Fleet> fleet = LoadFleetFile(kFleet);
  EXPECT_THAT(fleet, IsOk());
  absl::StatusOr<Scenario> scenario =
      LoadScenarioFile("examples/scenarios/" + scenario_name + ".textproto");
  EXPECT_THAT(scenario, IsOk());
  if (tweak != nullptr) tweak(*scenario);
  absl::StatusOr<Simulator> simulator =
      Simulator::Create(*spec, *fleet, *scenario);
  EXPECT_THAT(simulator, IsOk());
  return *simulator;
}

TEST(SimulatorTest, RejectsAScenarioTheFleetCannotHold) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/regional_waves_gated.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  Scenario scenario;
  scenario.fault.bad = true;
  scenario.fault.scope.kind = FaultScope::Kind::kZone;
  scenario.fault.scope.zone = "use1-az9";
  EXPECT_THAT(Simulator::Create(spec, fleet, scenario),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fault.scope.zone: the fleet has no zone "
                                 "\"use1-az9\"")));
  scenario.fault.scope.kind = FaultScope::Kind::kAll;
  scenario.deploy.failure_probability = 2;
  EXPECT_THAT(Simulator::Create(spec, fleet, scenario),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("deploy.failure_probability")));
}

TEST(SimulatorTest, RejectsABindingForAnUndeclaredMetric) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/regional_waves_gated.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  ASSERT_GT(spec.metric_names().size(), 0u);
  Scenario scenario;
  MetricBinding binding;
  binding.metric = spec.metric_names()[0];
  scenario.metrics.push_back(binding);
  EXPECT_THAT(Simulator::Create(spec, fleet, scenario), IsOk());
  scenario.metrics[0].metric = "error-rate-typo";
  EXPECT_THAT(Simulator::Create(spec, fleet, scenario),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("metrics[0].metric: binds "
                                 "\"error-rate-typo\", which the spec does "
                                 "not declare (its metrics: ")));
}

TEST(SimulatorTest, CatchesABadReleaseEverywhereOnTheFirstWave) {
  const Simulator sim = Make("regional_waves_gated", "bad_release_everywhere");
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome o, sim.Run(0, 42));
  EXPECT_TRUE(o.bad_release);
  EXPECT_TRUE(o.detected) << o;
  EXPECT_TRUE(o.rolled_back) << o;
  EXPECT_EQ(o.final_state, "rolled-back");
  ASSERT_TRUE(o.time_to_detect.has_value());
  EXPECT_LE(*o.time_to_detect, absl::Minutes(30));
  EXPECT_EQ(o.max_bad_targets, 1);
  EXPECT_GT(o.bad_requests, 0);
  EXPECT_FALSE(o.time_to_full_rollout.has_value());
}

TEST(SimulatorTest, CompletesAGoodRelease) {
  const Simulator sim =
      Make("regional_waves_gated", "good_release",
           [](Scenario& s) { s.deploy.failure_probability = 0; });
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome o, sim.Run(0, 1));
  EXPECT_FALSE(o.bad_release);
  EXPECT_FALSE(o.false_rollback) << o;
  EXPECT_EQ(o.final_state, "succeeded");
  ASSERT_TRUE(o.time_to_full_rollout.has_value());
  EXPECT_GT(*o.time_to_full_rollout, absl::Hours(4));
  EXPECT_EQ(o.max_bad_targets, 0);
  EXPECT_EQ(o.bad_requests, 0);
}

TEST(SimulatorTest, SameSeedSameRunAndTrace) {
  const Simulator sim = Make("regional_waves_gated", "bad_release_one_zone");
  RunTrace a, b;
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome x, sim.Run(3, 99, &a));
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome y, sim.Run(3, 99, &b));
  EXPECT_EQ(x, y);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.waves, b.waves);
  EXPECT_EQ(a.curves, b.curves);
  EXPECT_FALSE(a.waves.empty());
  ASSERT_FALSE(a.curves.empty());
  EXPECT_EQ(a.curves[0].metric, "errors");  // the spec's first metric
  EXPECT_EQ(a.curves[0].cohort, "canary");
  EXPECT_EQ(a.curves[1].cohort, "baseline");
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome z, sim.Run(3, 100));
  EXPECT_EQ(z.seed, 100u);
}

TEST(SimulatorTest, MonteCarloIsTheSameForAnyThreadCount) {
  const Simulator sim = Make("regional_waves_gated", "bad_release_one_zone");
  MonteCarloOptions options;
  options.runs = 12;
  options.seed = 5;
  options.threads = 1;
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<RunOutcome> one,
                              sim.RunMany(options));
  options.threads = 3;
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<RunOutcome> three,
                              sim.RunMany(options));
  EXPECT_EQ(one, three);
  // Run i of the study is Run(i, RunSeed(seed, i)).
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome fourth, sim.Run(4, RunSeed(5, 4)));
  EXPECT_EQ(one[4], fourth);
}

TEST(SimulatorTest, InvariantsHoldOverSeedsAndScenarios) {
  for (const char* scenario :
       {"good_release", "bad_release_everywhere", "bad_release_one_zone",
        "small_latency_regression", "flaky_metrics"}) {
    for (const char* spec : {"regional_waves_gated", "codedeploy_linear_gated",
                             "appconfig_exponential_gated",
                             "argo_steps_analysis", "sequential_gate"}) {
      const Simulator sim = Make(spec, scenario);
      for (uint64_t seed = 1; seed <= 4; ++seed) {
        SCOPED_TRACE(absl::StrCat(spec, " on ", scenario, " seed ", seed));
        SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome o, sim.Run(0, seed));
        EXPECT_GE(o.max_bad_weight_share, 0);
        EXPECT_LE(o.max_bad_weight_share, 1);
        EXPECT_LE(o.max_bad_targets, 36);
        EXPECT_EQ(o.detected, o.time_to_detect.has_value());
        EXPECT_EQ(o.detected, o.time_to_detect_from_harm.has_value());
        EXPECT_EQ(o.stopped, o.stop_trigger.has_value());
        EXPECT_LE(o.regions_reached, o.zones_reached);
        if (!o.bad_release) {
          EXPECT_FALSE(o.detected);
          EXPECT_FALSE(o.escaped);
          EXPECT_EQ(o.max_bad_targets, 0);
          // Every stop of a good release is a false rollback.
          EXPECT_EQ(o.false_rollback, o.stopped);
        } else {
          EXPECT_FALSE(o.false_rollback);
          EXPECT_FALSE(o.detected && o.escaped);
          if (o.detected) {
            EXPECT_TRUE(o.stopped);
          }
          EXPECT_EQ(o.escaped, o.final_state == "succeeded");
        }
        if (o.detected) {
          EXPECT_LE(*o.time_to_detect_from_harm,
                    *o.time_to_detect + absl::Minutes(30));
        }
        if (o.time_to_full_rollout.has_value()) {
          EXPECT_EQ(o.final_state, "succeeded");
          EXPECT_FALSE(o.detected);
        }
        if (o.detected) {
          EXPECT_GE(*o.time_to_detect, absl::ZeroDuration());
        }
      }
    }
  }
}

// Where and by what: the zonal fault is caught by a gate of a late wave,
// after the new version reached several zones and regions.
TEST(SimulatorTest, SaysWhereAndByWhichGateAFaultWasCaught) {
  const Simulator sim = Make("regional_waves_gated", "bad_release_one_zone");
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome o, sim.Run(0, 7));
  ASSERT_TRUE(o.detected) << o;
  EXPECT_TRUE(o.stopped);
  EXPECT_EQ(o.stop_trigger, FailureTrigger::kGateFail);
  EXPECT_GT(o.stop_wave, 1);
  EXPECT_FALSE(o.stop_stage.empty());
  EXPECT_THAT(o.decisive_gate, ::testing::AnyOf("errors self-baseline",
                                                "latency self-baseline"));
  EXPECT_GT(o.zones_reached, 1);
  EXPECT_FALSE(o.stopped_in_first_zone);
  // The fault harmed requests only once the waves reached its zone, hours
  // after the first bad target.
  ASSERT_TRUE(o.first_harm.has_value());
  EXPECT_LT(*o.time_to_detect_from_harm, *o.time_to_detect - absl::Hours(1));
  EXPECT_GT(o.excess_errors, 0);
  // Everywhere: caught on the first wave, in the first zone.
  const Simulator everywhere =
      Make("regional_waves_gated", "bad_release_everywhere",
           [](Scenario& s) { s.deploy.failure_probability = 0; });
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome e, everywhere.Run(0, 42));
  ASSERT_TRUE(e.detected) << e;
  EXPECT_EQ(e.stop_wave, 0);
  EXPECT_EQ(e.zones_reached, 1);
  EXPECT_EQ(e.regions_reached, 1);
  EXPECT_TRUE(e.stopped_in_first_zone);
  EXPECT_TRUE(e.stopped_before_region_complete);
}

// A good release stopped by a transient deploy failure is a false rollback,
// and the summary says which trigger stopped it.
// Half of all deploy tries fail: with 3 tries per target one in eight
// targets still fails, so nearly every run stops on deploy failures.
TEST(SimulatorTest, EveryStopOfAGoodReleaseIsAFalseRollback) {
  const Simulator sim =
      Make("regional_waves_gated", "good_release",
           [](Scenario& s) { s.deploy.failure_probability = 0.5; });
  MonteCarloOptions options;
  options.runs = 20;
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<RunOutcome> runs,
                              sim.RunMany(options));
  int64_t deploy_stops = 0;
  for (const RunOutcome& o : runs) {
    EXPECT_EQ(o.false_rollback, o.stopped) << o;
    if (o.stop_trigger == FailureTrigger::kDeployFailures) ++deploy_stops;
  }
  ASSERT_GT(deploy_stops, 10);
  const MonteCarloSummary s = Summarize(runs, options.seed);
  EXPECT_GE(s.false_rollback.successes, deploy_stops);
  ASSERT_FALSE(s.false_rollback_triggers.empty());
  EXPECT_EQ(s.false_rollback_triggers[0].trigger, "deploy-failures");
  EXPECT_EQ(s.false_rollback_triggers[0].count, deploy_stops);
}

// Crash-looping targets fail their deployment: the bad release is stopped
// by its own symptoms even without a gate that sees them.
TEST(SimulatorTest, CrashLoopsStopABadReleaseThroughDeployFailures) {
  const Simulator sim =
      Make("regional_waves", "bad_release_everywhere", [](Scenario& s) {
        s.deploy.failure_probability = 0;
        s.fault.error_multiplier = 1;
        s.fault.latency_shift_ms = 0;
        s.fault.crash.deploy_failure_probability = 1;
      });
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome o, sim.Run(0, 1));
  EXPECT_TRUE(o.detected) << o;
  EXPECT_TRUE(o.stopped_by_fault);
  EXPECT_EQ(o.stop_trigger, FailureTrigger::kDeployFailures);
  EXPECT_EQ(o.decisive_gate, "");
  EXPECT_EQ(o.max_bad_targets, 0);  // no target ever ran it
  // A transient failure of a healthy release is not the fault's doing.
  const Simulator transient =
      Make("regional_waves", "bad_release_everywhere", [](Scenario& s) {
        s.deploy.failure_probability = 1;
        s.fault.error_multiplier = 1;
        s.fault.latency_shift_ms = 0;
      });
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome t, transient.Run(0, 1));
  EXPECT_TRUE(t.stopped) << t;
  EXPECT_FALSE(t.detected);
  EXPECT_FALSE(t.stopped_by_fault);
}

// A fault no gate watches (regional waves without gates) escapes to the
// whole fleet.
TEST(SimulatorTest, AnUnseenFaultEscapes) {
  const Simulator sim =
      Make("regional_waves", "small_latency_regression", [](Scenario& s) {
        s.deploy.failure_probability = 0;
        s.fault.latency_shift_ms = 200;
      });
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome o, sim.Run(0, 5));
  EXPECT_TRUE(o.escaped) << o;
  EXPECT_FALSE(o.detected);
  EXPECT_EQ(o.zones_reached, 9);
  EXPECT_EQ(o.regions_reached, 3);
  EXPECT_DOUBLE_EQ(o.max_bad_weight_share, 1.0);
}

TEST(SimulatorTest, SequentialGateCatchesErrorsWithinMinutes) {
  const Simulator sim = Make("sequential_gate", "bad_release_everywhere");
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome o, sim.Run(0, seed));
    EXPECT_TRUE(o.detected) << o;
    ASSERT_TRUE(o.time_to_detect.has_value());
    EXPECT_LE(*o.time_to_detect, absl::Minutes(10)) << o;
    EXPECT_LE(o.max_bad_targets, 4) << o;
  }
}

// A 10% canary watched for 15 minutes by the sequential quantile gate on
// every request's latency (observations, up to 1,000 a minute per cohort).
constexpr char kQuantileSpec[] = R"pb(
  name: "quantile canary"
  version: "2"
  previous_version: "1"
  waves {
    canary {
      percent: 10
      interval { seconds: 900 }
      final_bake { seconds: 900 }
    }
  }
  metrics { name: "latency_ms" unit: "ms" }
  gates {
    default {
      name: "p99 sequential"
      sequential_quantile {
        metric: "latency_ms"
        quantile: 0.99
        interval { seconds: 60 }
        duration { seconds: 900 }
        delivery_delay { seconds: 120 }
      }
    }
  }
)pb";

// Runs `runs` seeds of the quantile canary on the good-release scenario,
// with the canary's first zone's latency tail multiplied by `tail` (1: a
// good release); returns how many runs the gate stopped.
int QuantileStops(double tail, int runs) {
  absl::StatusOr<RolloutSpec> spec =
      RolloutSpec::Parse(kQuantileSpec, SpecFormat::kTextProto);
  EXPECT_THAT(spec, IsOk());
  absl::StatusOr<Fleet> fleet = LoadFleetFile(kFleet);
  EXPECT_THAT(fleet, IsOk());
  absl::StatusOr<Scenario> scenario =
      LoadScenarioFile("examples/scenarios/good_release.textproto");
  EXPECT_THAT(scenario, IsOk());
  if (!spec.ok() || !fleet.ok() || !scenario.ok()) return -1;
  scenario->deploy.failure_probability = 0;
  MetricBinding latency;
  latency.metric = "latency_ms";
  latency.signal = Signal::kLatencyMs;
  latency.distribution = MetricBinding::Distribution::kObservations;
  latency.max_observations_per_minute = 1000;
  scenario->metrics.push_back(latency);
  if (tail != 1) {
    absl::StatusOr<Simulator> probe =
        Simulator::Create(*spec, *fleet, *scenario);
    EXPECT_THAT(probe, IsOk());
    if (!probe.ok()) return -1;
    const Target& first = fleet->target(probe->plan().waves[0].targets[0]);
    scenario->fault.bad = true;
    scenario->fault.tail_multiplier = tail;
    scenario->fault.scope.kind = FaultScope::Kind::kZone;
    scenario->fault.scope.region = first.topology.region;
    scenario->fault.scope.zone = first.topology.zone;
  }
  absl::StatusOr<Simulator> sim = Simulator::Create(*spec, *fleet, *scenario);
  EXPECT_THAT(sim, IsOk());
  if (!sim.ok()) return -1;
  int stops = 0;
  for (int seed = 1; seed <= runs; ++seed) {
    absl::StatusOr<RunOutcome> o = sim->Run(0, seed);
    EXPECT_THAT(o, IsOk());
    if (o.ok() && o->stopped) ++stops;
  }
  return stops;
}

TEST(SimulatorTest, QuantileGateCatchesASlowerTailInOneZone) {
  // The tail (2% of requests) is the p99's home, so its multiplier is the
  // p99's on the hurt targets; only the canary's targets in the first
  // target's zone are hurt. Measured when this test was written (20 seeds):
  // tail x1.5 stopped 20, x1.2 (+20% p99 on that zone) 7, a good release 0.
  EXPECT_GE(QuantileStops(1.5, 20), 18);
  EXPECT_GE(QuantileStops(1.2, 20), 4);
  EXPECT_LE(QuantileStops(1.0, 20), 1);  // alpha 0.05
}

TEST(SimulatorTest, TrafficRoutedPlansMoveTheSplit) {
  const Simulator sim =
      Make("appconfig_exponential_gated", "good_release",
           [](Scenario& s) { s.deploy.failure_probability = 0; });
  ASSERT_TRUE(sim.plan().traffic_routed());
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome o, sim.Run(0, 3));
  EXPECT_EQ(o.final_state, "succeeded") << o;
}

TEST(SimulatorTest, ReplaysARecordedBackground) {
  const Simulator sim = Make("regional_waves_gated", "replay_elb_bad_release");
  ASSERT_TRUE(sim.scenario().background.has_value());
  SLUICE_ASSERT_OK_AND_ASSIGN(RunOutcome o, sim.Run(0, 11));
  EXPECT_TRUE(o.bad_release);
}

TEST(BacktestTest, CountsFalseAlarmsOnAHealthyWeek) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/regional_waves_gated.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(GatePolicy policy, GatePolicy::FromSpec(spec));
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Scenario scenario,
      LoadScenarioFile("examples/scenarios/replay_elb_bad_release.textproto"));
  EXPECT_THAT(
      BacktestGate(policy.ForStage("one-box"), scenario, fleet, 1),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("fault.bad: a backtest needs a good release")));
  scenario.fault = Fault();
  scenario.duration = absl::Hours(24 * 7);
  BacktestOptions options;
  options.every = absl::Hours(2);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      BacktestResult result,
      BacktestGate(policy.ForStage("one-box"), scenario, fleet, 1, options));
  EXPECT_EQ(result.evaluations, 84);
  EXPECT_EQ(result.false_alarm_rate.trials, 84);
  EXPECT_LE(result.failed + result.inconclusive + result.errors, 84);
  EXPECT_LT(result.false_alarm_rate.rate, 0.5);
  // Every evaluation's verdict, two hours apart.
  ASSERT_EQ(result.verdicts.size(), 84u);
  EXPECT_EQ(result.verdicts[1].at - result.verdicts[0].at, absl::Hours(2));
  int64_t failed = 0;
  for (const BacktestVerdict& v : result.verdicts) {
    failed += v.outcome == Outcome::kFail;
  }
  EXPECT_EQ(failed, result.failed);
  options.canary_targets = 0;
  EXPECT_THAT(
      BacktestGate(policy.ForStage("one-box"), scenario, fleet, 1, options),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("canary_targets: must be in [1, 36) (got 0)")));
}

}  // namespace
}  // namespace sluice::sim

// Copyright 2026 The Sluice Authors.

#include "sluice/sim/simulator.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/gate_policy.h"
#include "sluice/sim/scenario.h"
#include "sluice/spec.h"
#include "sluice/testing/status_matchers.h"
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
  EXPECT_EQ(a.curves[0].metric, "error_rate");
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
        if (!o.bad_release) {
          EXPECT_FALSE(o.detected);
          EXPECT_EQ(o.max_bad_targets, 0);
        } else {
          EXPECT_FALSE(o.false_rollback);
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
  options.canary_targets = 0;
  EXPECT_THAT(
      BacktestGate(policy.ForStage("one-box"), scenario, fleet, 1, options),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("canary_targets: must be in [1, 36) (got 0)")));
}

}  // namespace
}  // namespace sluice::sim

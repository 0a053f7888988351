// Copyright 2026 The Sluice Authors.
//
// A user's unit test of their own rollout policy with the simulator: the
// policy (a spec: waves, gates, rollback) must catch a bad release almost
// always and almost never roll back a good one. Copy it, point it at your
// spec, fleet and scenarios, and run it in CI: a change to a gate that makes
// it blind or trigger-happy fails the build, not a production rollout.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/sim/monte_carlo.h"
#include "sluice/sim/scenario.h"
#include "sluice/sim/simulator.h"
#include "sluice/spec.h"
#include "sluice/testing/status_matchers.h"

namespace {

// 100 simulated rollouts of `spec_path` on the example fleet in `scenario`.
sluice::sim::MonteCarloSummary Study(const std::string& spec_path,
                                     const std::string& scenario_path) {
  absl::StatusOr<sluice::RolloutSpec> spec =
      sluice::RolloutSpec::LoadFile(spec_path);
  absl::StatusOr<sluice::Fleet> fleet =
      sluice::LoadFleetFile("examples/fleets/three_regions.csv");
  absl::StatusOr<sluice::sim::Scenario> scenario =
      sluice::sim::LoadScenarioFile(scenario_path);
  EXPECT_THAT(spec, sluice::testing::IsOk());
  EXPECT_THAT(fleet, sluice::testing::IsOk());
  EXPECT_THAT(scenario, sluice::testing::IsOk());
  if (!spec.ok() || !fleet.ok() || !scenario.ok()) return {};
  absl::StatusOr<sluice::sim::Simulator> simulator =
      sluice::sim::Simulator::Create(*spec, *fleet, *scenario);
  EXPECT_THAT(simulator, sluice::testing::IsOk());
  if (!simulator.ok()) return {};
  sluice::sim::MonteCarloOptions options;
  options.runs = 100;
  options.seed = 2026;  // fixed: the test gives the same answer every time
  absl::StatusOr<std::vector<sluice::sim::RunOutcome>> outcomes =
      simulator->RunMany(options);
  EXPECT_THAT(outcomes, sluice::testing::IsOk());
  if (!outcomes.ok()) return {};
  return sluice::sim::Summarize(*outcomes, options.seed);
}

constexpr char kSpec[] = "examples/specs/regional_waves_gated.textproto";

TEST(MyRolloutPolicy, CatchesABadReleaseOnTheFirstWave) {
  const sluice::sim::MonteCarloSummary s =
      Study(kSpec, "examples/scenarios/bad_release_everywhere.textproto");
  ASSERT_EQ(s.detection.trials, 100);
  EXPECT_GE(s.detection.low, 0.9);  // the 95% interval's lower end
  EXPECT_LE(s.max_bad_targets.p90, 1);
  EXPECT_LE(s.time_to_detect_s.p90, 30 * 60);
}

TEST(MyRolloutPolicy, RarelyRollsBackAGoodRelease) {
  const sluice::sim::MonteCarloSummary s =
      Study(kSpec, "examples/scenarios/good_release.textproto");
  ASSERT_EQ(s.false_rollback.trials, 100);
  // Every stop of a good release is a false rollback, whatever stopped it;
  // the scenario's transient deploy failures stop some. The gates' own
  // share: the stops whose trigger was a gate verdict.
  int64_t by_gates = 0;
  for (const sluice::sim::TriggerCount& t : s.false_rollback_triggers) {
    if (t.trigger.rfind("gate-", 0) == 0) by_gates += t.count;
  }
  // Fewer than 10% of good releases stopped by the gates, at 95%
  // confidence, and fewer than 20% stopped for any reason.
  EXPECT_LE(sluice::sim::WilsonInterval(by_gates, 100).high, 0.10);
  EXPECT_LE(s.false_rollback.high, 0.20);
}

}  // namespace

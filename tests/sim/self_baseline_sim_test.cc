// Copyright 2026 The Sluice Authors.
//
// The self-baseline gate in the simulator's production world: the metric
// model serves a cohort's background before its deploy, the same whatever
// happens later; and on good releases the gate keeps its false-alarm rate
// under per-target heterogeneity, zone incidents and overdispersion, where
// the same canary compared with the fleet-wide baseline does not.

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/judge_gates.h"
#include "sluice/self_baseline_gate.h"
#include "sluice/sim/efficacy.h"
#include "sluice/sim/metric_model.h"
#include "sluice/sim/sim_sources.h"
#include "sluice/sim/simulator.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::sim {
namespace {

constexpr char kFleet[] = "examples/fleets/three_regions.csv";

std::vector<Sample> Samples(const MetricModel& model,
                            const VersionHistory& versions, absl::Time now,
                            const std::string& metric,
                            const std::vector<std::string>& targets,
                            absl::Time from, absl::Time to) {
  VirtualClock clock(now);
  SimMetricSource source(model, versions, clock);
  MetricQuery q;
  q.metric = metric;
  q.cohort = Cohort::kWave;
  q.targets = targets;
  q.start = from;
  q.end = to;
  absl::StatusOr<MetricResult> r = source.Query(q);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->samples : std::vector<Sample>{};
}

TEST(SelfBaselineSimTest, TheModelServesTheSameBackgroundBeforeADeploy) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  Scenario scenario = ProductionScenario(fleet);
  scenario.delivery.drop_probability = 0;
  scenario.delivery.error_probability = 0;
  scenario.fault.bad = true;
  scenario.fault.error_multiplier = 5;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(scenario, fleet, 7));
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel again,
                              MetricModel::Create(scenario, fleet, 7));
  const std::vector<std::string> canary = {fleet.target(0).id};
  const absl::Time deploy = scenario.start + absl::Minutes(20);
  // From an hour before the scenario starts to 40 minutes after the deploy.
  const absl::Time from = scenario.start - absl::Hours(1);
  const absl::Time to = deploy + absl::Minutes(40);
  VersionHistory untouched(fleet.size());
  VersionHistory deployed(fleet.size());
  deployed.SetNew(0, deploy);
  for (const char* metric : {"errors", "requests"}) {
    SCOPED_TRACE(metric);
    const std::vector<Sample> before =
        Samples(model, untouched, to, metric, canary, from, to);
    const std::vector<Sample> after =
        Samples(model, deployed, to, metric, canary, from, to);
    ASSERT_EQ(before.size(), 120u);  // every minute, also before the start
    ASSERT_EQ(after.size(), before.size());
    EXPECT_EQ(Samples(again, deployed, to, metric, canary, from, to), after);
    double errors_before = 0, errors_after = 0;
    for (size_t i = 0; i < before.size(); ++i) {
      if (before[i].time <= deploy) {
        // Up to the deploy: identical, whatever happened later.
        EXPECT_EQ(before[i], after[i]) << i;
      } else if (std::string(metric) == "errors") {
        errors_before += before[i].value;
        errors_after += after[i].value;
      }
    }
    if (std::string(metric) == "errors") {
      EXPECT_GT(errors_after, 2.5 * errors_before);
    }
  }
}

// Fraction of backtest evaluations (good release, one-box canary of the
// fleet's first target, every 2 hours over 24 hours, seeds 1..seeds) that
// failed.
struct Tally {
  int64_t failed = 0, evaluations = 0;
};

Tally Backtest(const HealthGate& gate, const Fleet& fleet, int seeds) {
  Tally tally;
  for (int seed = 1; seed <= seeds; ++seed) {
    Scenario scenario = ProductionScenario(fleet);
    scenario.errors.target_spread = 0.5;
    BacktestOptions options;
    options.every = absl::Hours(2);
    options.canary_targets = 1;
    absl::StatusOr<BacktestResult> r =
        BacktestGate(gate, scenario, fleet, seed, options);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) continue;
    tally.failed += r->failed;
    tally.evaluations += r->evaluations;
  }
  return tally;
}

TEST(SelfBaselineSimTest, HoldsItsFalseAlarmRateWhereTheFleetBaselineDoesNot) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  constexpr int kSeeds = 12;

  SelfBaselineGateOptions self;
  self.errors.name = "errors";
  self.requests.name = "requests";
  self.duration = absl::Minutes(30);
  self.delivery_delay = absl::Minutes(2);
  self.alpha = 0.01;
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<HealthGate> self_gate,
                              NewSelfBaselineGate("self", self));

  // The same canary against the fleet-wide baseline: the anytime-valid
  // rate test on the same counts, at the same alpha and duration.
  SequentialCountGateOptions fleet_wide;
  fleet_wide.metric.name = "errors";
  fleet_wide.requests_metric = MetricDefinition{};
  fleet_wide.requests_metric->name = "requests";
  fleet_wide.test.alpha = 0.01;
  fleet_wide.rate_test.alpha = 0.01;
  fleet_wide.duration = absl::Minutes(30);
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<HealthGate> fleet_gate,
                              NewSequentialCountGate("fleet-wide", fleet_wide));

  const Tally s = Backtest(*self_gate, fleet, kSeeds);
  const Tally f = Backtest(*fleet_gate, fleet, kSeeds);
  ASSERT_EQ(s.evaluations, 12 * kSeeds);
  ASSERT_EQ(f.evaluations, 12 * kSeeds);
  // 144 evaluations of a test at alpha 0.01: at most 5 failures with
  // probability 0.999 (the binomial limit).
  EXPECT_LE(s.failed, 5) << "self-baseline: " << s.failed << " of "
                         << s.evaluations;
  // The fleet-wide comparison stops good releases whenever the canary box
  // errs more than the fleet by itself.
  EXPECT_GE(f.failed, 20) << "fleet-wide: " << f.failed << " of "
                          << f.evaluations;
  // Measured: 0 of 144 (self-baseline) and 34 of 144 (fleet-wide).
  RecordProperty("self_baseline_failed", static_cast<int>(s.failed));
  RecordProperty("fleet_wide_failed", static_cast<int>(f.failed));
}

}  // namespace
}  // namespace sluice::sim

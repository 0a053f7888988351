// Copyright 2026 The Sluice Authors.
//
// The efficacy benchmark at a reduced size, as CI runs it: the suite's
// families, the figures computed for every family, and the same figures for
// any thread count. It checks that the figures are computed, not that the
// example specs meet the goals (docs/efficacy.md reports those).

#include "sluice/sim/efficacy.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/rollout_event.h"
#include "sluice/sim/history.h"
#include "sluice/sim/metric_model.h"
#include "sluice/spec.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/verdict.h"
#include "sluice/wave_scheduler.h"

namespace sluice::sim {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kFleet[] = "examples/fleets/three_regions.csv";

TEST(HistoryTest, LoadsFilesDirectoriesAndBindings) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<HistorySeries> history,
      LoadHistory({"examples/data",
                   "error_rate=examples/data/elb_request_count_8c0756.csv"}));
  ASSERT_EQ(history.size(), 7u);
  // A directory's series in name order, unbound.
  EXPECT_EQ(history[0].name, "ec2_cpu_utilization_5f5533");
  EXPECT_FALSE(history[0].signal.has_value());
  EXPECT_EQ(history[6].signal, Signal::kErrorRate);
  // The bound series is the error rate's only candidate; the six pool
  // series rotate through traffic and latency.
  EXPECT_EQ(HistoryRotations(history), 6u);
  Scenario s;
  AddHistoryBackgrounds(history, 2, HistoryReplay(), s);
  ASSERT_EQ(s.backgrounds.size(), 3u);
  EXPECT_EQ(s.backgrounds[0].signal, Signal::kRequestRate);
  EXPECT_EQ(s.backgrounds[0].path, history[2].path);
  EXPECT_TRUE(s.backgrounds[0].keep_daily_cycle);
  EXPECT_EQ(s.backgrounds[0].cv, 0.15);
  EXPECT_EQ(s.backgrounds[1].signal, Signal::kErrorRate);
  EXPECT_EQ(s.backgrounds[1].path, history[6].path);
  EXPECT_FALSE(s.backgrounds[1].cv.has_value());  // replayed as recorded
  EXPECT_EQ(s.backgrounds[2].path, history[4].path);
  EXPECT_EQ(s.backgrounds[2].cv, 0.1);
}

TEST(HistoryTest, RejectsBadEntries) {
  EXPECT_THAT(LoadHistory({}), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("history: no series")));
  EXPECT_THAT(LoadHistory({"cpu=examples/data"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("history[0]: signal: want request_rate, "
                                 "error_rate or latency_ms (got \"cpu\")")));
  EXPECT_THAT(LoadHistory({"examples/data", "examples/specs"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("history[1]: no *.csv series in directory "
                                 "examples/specs")));
  EXPECT_THAT(LoadHistory({"examples/data/none.csv"}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("none.csv")));
}

TEST(EfficacyTest, PlacesFaultsAlongThePlan) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/regional_waves_gated.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> scheduler,
                              NewScheduler(spec));
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan, scheduler->Plan(fleet));
  const Fleet::TargetIndex first = plan.waves[0].targets[0];
  const Fleet::Zone& zone = fleet.zones()[fleet.zone_of(first)];
  FaultScope scope = PlaceFault(FaultPlace::kFirstZone, plan, fleet);
  EXPECT_EQ(scope.kind, FaultScope::Kind::kZone);
  EXPECT_EQ(scope.zone, zone.name);
  EXPECT_EQ(scope.region, fleet.regions()[zone.region]);
  scope = PlaceFault(FaultPlace::kFirstRegion, plan, fleet);
  EXPECT_EQ(scope.kind, FaultScope::Kind::kRegion);
  EXPECT_EQ(scope.region, fleet.regions()[zone.region]);
  // The late zone: the one whose first target comes last in the plan.
  const Fleet::TargetIndex last = plan.waves.back().targets.back();
  scope = PlaceFault(FaultPlace::kLateZone, plan, fleet);
  EXPECT_EQ(scope.kind, FaultScope::Kind::kZone);
  EXPECT_NE(scope.zone, zone.name);
  EXPECT_EQ(scope.region, fleet.regions()[fleet.region_of(last)]);
  EXPECT_EQ(PlaceFault(FaultPlace::kEverywhere, plan, fleet).kind,
            FaultScope::Kind::kAll);
}

TEST(EfficacyTest, TheLatencyFamiliesMoveP99AsNamed) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  const Scenario base = ProductionScenario(fleet);
  for (double ratio : {1.05, 1.2}) {
    Scenario s = base;
    s.fault.bad = true;
    s.fault.tail_multiplier = TailMultiplierForP99(base, fleet, ratio);
    SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                                MetricModel::Create(s, fleet, 1));
    EXPECT_NEAR(
        model.MixtureQuantile(0.99, 1, 1) / model.MixtureQuantile(0.99, 0, 1),
        ratio, 1e-6);
    // The median barely moves: a tail-only fault.
    EXPECT_NEAR(
        model.MixtureQuantile(0.5, 1, 1) / model.MixtureQuantile(0.5, 0, 1), 1,
        0.01);
  }
}

TEST(EfficacyTest, TheStandardSuite) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  const std::vector<ReleaseFamily> families =
      StandardFamilies(ProductionScenario(fleet), fleet, 3);
  ASSERT_EQ(families.size(), 3u + 12 + 2 + 2);
  EXPECT_EQ(families[0].name, "good (rotation 0)");
  EXPECT_EQ(families[0].rotation, 0u);
  EXPECT_FALSE(families[0].fault.bad);
  EXPECT_EQ(families[3].name, "errors x1.5 everywhere");
  EXPECT_EQ(families[8].name, "errors x2 first zone");
  EXPECT_EQ(families[8].place, FaultPlace::kFirstZone);
  EXPECT_EQ(families[8].fault.error_multiplier, 2);
  EXPECT_EQ(families[14].name, "errors x5 late zone");
  EXPECT_EQ(families[16].name, "p99 +20%");
  EXPECT_GT(families[16].fault.tail_multiplier, 1.1);
  EXPECT_EQ(families[17].fault.ramp, absl::Hours(2));
  ASSERT_TRUE(families[18].fault.intermittent.has_value());
  for (size_t i = 3; i < families.size(); ++i) {
    EXPECT_TRUE(families[i].fault.bad) << families[i].name;
  }
}

TEST(EfficacyTest, FiguresAreComputedAndTheSameForAnyThreadCount) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/regional_waves_gated.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<HistorySeries> history,
                              LoadHistory({"examples/data"}));
  EfficacyOptions options;
  // The smallest size that still checks every family and both kinds of run
  // (it runs three times: one thread, three threads, another seed).
  options.runs = 3;
  options.good_runs = 2;
  options.seed = 5;
  options.threads = 1;
  int64_t last = 0, calls = 0;
  options.progress = [&](int64_t done, int64_t total) {
    EXPECT_GT(done, last);
    last = done;
    ++calls;
    EXPECT_EQ(total, 6 * 2 + 16 * 3);
  };
  SLUICE_ASSERT_OK_AND_ASSIGN(SpecEfficacy one,
                              RunEfficacy(spec, fleet, history, options));
  EXPECT_EQ(last, 6 * 2 + 16 * 3);
  EXPECT_EQ(calls, last);
  options.progress = nullptr;
  options.threads = 3;
  SLUICE_ASSERT_OK_AND_ASSIGN(SpecEfficacy three,
                              RunEfficacy(spec, fleet, history, options));
  EXPECT_EQ(one, three);
  // Every family ran and is summarized.
  EXPECT_EQ(one.spec, spec.name());
  ASSERT_EQ(one.families.size(), 6u + 16);
  for (const FamilyEfficacy& f : one.families) {
    SCOPED_TRACE(f.family);
    EXPECT_EQ(f.summary.runs, f.bad ? 3 : 2);
    if (f.bad) {
      EXPECT_EQ(f.summary.detection.trials, 3);
      EXPECT_EQ(f.summary.max_bad_targets.count, 3);
    } else {
      EXPECT_EQ(f.summary.false_rollback.trials, 2);
    }
  }
  EXPECT_EQ(one.good.runs, 12);
  EXPECT_EQ(one.headline.false_rollback, one.good.false_rollback);
  EXPECT_EQ(one.headline.x2_caught_in_first_zone.trials, 3);
  EXPECT_EQ(one.headline.x5_caught_in_first_zone.trials, 3);
  EXPECT_EQ(one.headline.p99_20_detected.trials, 3);
  EXPECT_EQ(one.headline.x2_max_bad_weight_share.count, 3);
  // A bad release x5 everywhere is caught at least sometimes by these
  // gates; a different seed gives different figures.
  EXPECT_GT(one.families[6 + 8].summary.detection.successes, 0);
  options.seed = 6;
  SLUICE_ASSERT_OK_AND_ASSIGN(SpecEfficacy other,
                              RunEfficacy(spec, fleet, history, options));
  EXPECT_NE(one, other);
}

TEST(EfficacyTest, RejectsBadOptions) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/sequential_gate.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<HistorySeries> history,
                              LoadHistory({"examples/data"}));
  EfficacyOptions options;
  options.runs = 0;
  EXPECT_THAT(RunEfficacy(spec, fleet, history, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("runs: must be >= 1 (got 0)")));
  options.runs = 1;
  options.good_runs = -2;
  EXPECT_THAT(RunEfficacy(spec, fleet, history, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("good_runs: must be >= 1 (got -2)")));
  options.good_runs = 1;
  EXPECT_THAT(RunEfficacy(spec, fleet, {}, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("history: no series")));
  // A family whose fault the fleet cannot hold names the family and field.
  ReleaseFamily family;
  family.name = "mars";
  family.fault.bad = true;
  options.families = {family};
  Scenario base = ProductionScenario(fleet);
  base.regions.push_back({"mars-1", 0});
  options.base = base;
  EXPECT_THAT(RunEfficacy(spec, fleet, history, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("mars: regions[3].name: the fleet has no "
                                 "region \"mars-1\"")));
}

// The stopped good releases come back with the verdict that stopped them,
// and asking for them changes no figure. regional_waves_strict stops every
// good release.
TEST(EfficacyTest, ExplainsStoppedGoodReleases) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/regional_waves_strict.textproto"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::vector<HistorySeries> history,
      LoadHistory({"examples/data/elb_request_count_8c0756.csv",
                   "examples/data/rds_cpu_utilization_cc0c53.csv"}));
  EfficacyOptions options;
  options.runs = 1;
  options.good_runs = 2;
  options.threads = 1;
  SLUICE_ASSERT_OK_AND_ASSIGN(SpecEfficacy plain,
                              RunEfficacy(spec, fleet, history, options));
  EXPECT_TRUE(plain.false_rollback_stops.empty());
  ASSERT_EQ(plain.good.false_rollback.successes, 4);
  options.explain_false_rollbacks = 3;
  SLUICE_ASSERT_OK_AND_ASSIGN(SpecEfficacy explained,
                              RunEfficacy(spec, fleet, history, options));
  // In suite and run order, up to the number asked for.
  ASSERT_EQ(explained.false_rollback_stops.size(), 3u);
  const std::vector<std::pair<std::string, int64_t>> expected = {
      {"good (rotation 0)", 0},
      {"good (rotation 0)", 1},
      {"good (rotation 1)", 0}};
  for (size_t i = 0; i < 3; ++i) {
    const FalseRollbackStop& stop = explained.false_rollback_stops[i];
    SCOPED_TRACE(stop.family);
    EXPECT_EQ(stop.family, expected[i].first);
    EXPECT_EQ(stop.run, expected[i].second);
    EXPECT_EQ(stop.seed, stop.outcome.seed);
    EXPECT_TRUE(stop.outcome.false_rollback);
    // The event is the failing verdict of a gate on the stopped wave, and
    // the run's decisive gate is in it.
    EXPECT_EQ(stop.event.kind, EventKind::kGateVerdict);
    EXPECT_EQ(stop.event.wave, stop.outcome.stop_wave);
    ASSERT_TRUE(stop.event.verdict.has_value());
    EXPECT_EQ(stop.event.verdict->outcome, Outcome::kFail);
    EXPECT_THAT(stop.event.verdict->ToString(),
                HasSubstr(stop.outcome.decisive_gate));
    EXPECT_FALSE(stop.event.verdict->ToString().empty());
  }
  // The same figures.
  explained.false_rollback_stops.clear();
  EXPECT_EQ(explained, plain);
  options.explain_false_rollbacks = -1;
  EXPECT_THAT(RunEfficacy(spec, fleet, history, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("explain_false_rollbacks: must be >= 0")));
}

}  // namespace
}  // namespace sluice::sim

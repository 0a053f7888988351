// Copyright 2026 The Sluice Authors.
//
// RolloutSpec.waves: every strategy from text format to a scheduler, errors
// with the spec's field paths, checks against a fleet, summaries.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/spec.h"
#include "sluice/testing/fleets.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using ::sluice::testing::Bakes;
using ::sluice::testing::GridFleet;
using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::sluice::testing::Traffic;
using ::sluice::testing::WaveSizes;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::StatusOr<RolloutSpec> Spec(const std::string& waves) {
  return RolloutSpec::Parse(
      absl::StrCat("name: \"t\" version: \"2\" waves { ", waves, " }"),
      SpecFormat::kTextProto);
}

absl::StatusOr<WavePlan> PlanSpec(const std::string& waves,
                                  const Fleet& fleet) {
  absl::StatusOr<RolloutSpec> spec = Spec(waves);
  if (!spec.ok()) return spec.status();
  absl::StatusOr<std::unique_ptr<WaveScheduler>> s = NewScheduler(*spec);
  if (!s.ok()) return s.status();
  return (*s)->Plan(fleet);
}

struct SpecCase {
  const char* waves;
  const char* strategy;
  std::vector<size_t> sizes;  // empty for traffic plans
};

TEST(SpecWavesTest, EveryStrategyParsesAndPlans) {
  const Fleet fleet = GridFleet(2, 2, 5);  // 20 targets
  const SpecCase cases[] = {
      {"all_at_once { bake { seconds: 60 } }", "all-at-once", {20}},
      {"one_at_a_time {}", "one-at-a-time", std::vector<size_t>(20, 1)},
      {"half_at_a_time {}", "half-at-a-time", {10, 10}},
      {"batches { size { percent: 25 } }", "batches(25%)", {5, 5, 5, 5}},
      {"min_healthy { host_count: 14 }",
       "min-healthy(HOST_COUNT 14)",
       {6, 6, 6, 2}},
      {"min_healthy { fleet_percent: 90 }", "min-healthy(FLEET_PERCENT 90)",
       std::vector<size_t>(10, 2)},
      {"rolling { max_surge { count: 1 } max_unavailable { count: 0 } }",
       "rolling(maxSurge 1, maxUnavailable 0)", std::vector<size_t>(20, 1)},
      {"rolling {}", "rolling(maxSurge 25%, maxUnavailable 25%)", {10, 10}},
      {"linear { step_percent: 50 }", "linear(50% every 1m)", {10, 10}},
      {"canary { percent: 10 }",
       "canary(10%, then the rest after 5m)",
       {2, 18}},
      {"exponential { growth_factor: 25 deployment_duration { seconds: 90 } "
       "}",
       "exponential(25% x 2^N over 1m30s)",
       {5, 5, 10}},
      {"steps { steps { percent: 5 } steps { percent: 50 } }",
       "steps(5%, 50%)",
       {1, 9, 10}},
      {"flagger { step_weight: 50 }",
       "flagger(stepWeight 50, maxWeight 100)",
       {}},
      {"staged { no_first_zone_batch: true }", "staged", {1, 4, 5, 5, 5}},
      {"composite { stages { name: \"r0\" selector { regions: \"r0\" } "
       "scheduler { all_at_once {} } } stages { name: \"rest\" scheduler { "
       "half_at_a_time {} } } }",
       "composite(r0: all-at-once; rest: half-at-a-time)",
       {10, 5, 5}},
  };
  for (const SpecCase& c : cases) {
    SCOPED_TRACE(c.waves);
    absl::StatusOr<WavePlan> plan = PlanSpec(c.waves, fleet);
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_EQ(plan->strategy, c.strategy);
    if (std::vector<size_t>(c.sizes).empty()) {
      EXPECT_TRUE(plan->traffic_routed());
    } else {
      EXPECT_EQ(WaveSizes(*plan), c.sizes);
    }
  }
}

TEST(SpecWavesTest, DurationsAndOptionsReachTheScheduler) {
  const Fleet fleet = GridFleet(1, 1, 10);
  absl::StatusOr<WavePlan> plan = PlanSpec(
      "linear { step_percent: 25 deployment_duration { seconds: 600 } "
      "final_bake { seconds: 60 } traffic_routed: true }",
      fleet);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Traffic(*plan), ElementsAre(25, 50, 75, 100));
  const absl::Duration i = absl::Seconds(150);
  EXPECT_THAT(Bakes(*plan), ElementsAre(i, i, i, i + absl::Minutes(1)));
  plan = PlanSpec(
      "staged { first_zone_batch { count: 3 } bakes { one_box { seconds: 5 } "
      "first_zone { seconds: 7 } first_region { seconds: 9 } } }",
      fleet);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(WaveSizes(*plan), ElementsAre(1, 3, 6));
  EXPECT_THAT(Bakes(*plan), ElementsAre(absl::Seconds(5), absl::Minutes(30),
                                        absl::Seconds(9)));
  // CodeDeploy's zonal mapping: only the zone bake (monitor duration) set;
  // the first zone waits that long too, not Sluice's default 1h.
  const Fleet zones = GridFleet(1, 3, 4);
  plan = PlanSpec(
      "staged { no_one_box: true no_first_zone_batch: true bakes { zone { "
      "seconds: 900 } first_region { seconds: 900 } } }",
      zones);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(WaveSizes(*plan), ElementsAre(4, 4, 4));
  const absl::Duration m = absl::Minutes(15);
  EXPECT_THAT(Bakes(*plan), ElementsAre(m, m, m));
  plan = PlanSpec("flagger { step_weight: 50 target_waves: true }", fleet);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(WaveSizes(*plan), ElementsAre(5, 5));
}

TEST(SpecWavesTest, ErrorsCarryTheSpecFieldPath) {
  const std::pair<const char*, const char*> cases[] = {
      {"staged { max_regions_per_wave: 0 }",
       "waves.staged.max_regions_per_wave: must be >= 1 (got 0)"},
      {"staged { max_zones_per_wave: 0 }",
       "waves.staged.max_zones_per_wave: must be >= 1 (got 0)"},
      {"staged { region_growth: 1 }",
       "waves.staged.region_growth: must be finite and > 1 (got 1)"},
      {"staged { first_zone_batch {} }",
       "waves.staged.first_zone_batch: set count or percent"},
      {"staged { no_first_zone_batch: true first_zone_batch { count: 2 } }",
       "waves.staged.first_zone_batch: is set together with "
       "no_first_zone_batch"},
      {"staged { bakes { zone { seconds: -5 } } }",
       "waves.staged.bakes.zone: must be finite and >= 0 (got -5s)"},
      {"staged { bakes { zone { seconds: 1 nanos: -5 } } }",
       "waves.staged.bakes.zone: duration out of range"},
      {"batches {}", "waves.batches.size: is required"},
      {"batches { size { percent: 0 } }",
       "waves.batches.size.percent: must be in (0, 100] (got 0)"},
      {"min_healthy {}", "waves.min_healthy: set host_count or fleet_percent"},
      {"min_healthy { fleet_percent: 101 }",
       "waves.min_healthy.fleet_percent: must be in [0, 100] (got 101)"},
      {"linear {}", "waves.linear.step_percent: must be in (0, 100] (got 0)"},
      {"linear { step_percent: 10 interval { seconds: 1 } "
       "deployment_duration { seconds: 1 } }",
       "waves.linear.deployment_duration: set either interval"},
      {"canary { percent: 120 }",
       "waves.canary.percent: must be in (0, 100] (got 120)"},
      {"exponential { growth_factor: 10 }",
       "waves.exponential.deployment_duration: is required"},
      {"exponential { growth_factor: 10 multiplier: 0.5 deployment_duration "
       "{ seconds: 1 } }",
       "waves.exponential.multiplier: must be finite and > 1 (got 0.5)"},
      {"steps { steps { percent: 50 } steps { percent: 40 } }",
       "waves.steps.steps[1].percent: must be greater than the step before"},
      {"steps { steps { percent: 50 bake { seconds: -1 } } }",
       "waves.steps.steps[0].bake: must be finite and >= 0"},
      {"flagger { step_weight: 30 max_weight: 20 }",
       "waves.flagger.max_weight: must be in [step_weight, 100]"},
      {"rolling { max_surge { count: 0 } max_unavailable { percent: 0 } }",
       "waves.rolling.max_unavailable: may not be 0 when max_surge is 0"},
      {"composite {}", "waves.composite.stages: must not be empty"},
      {"composite { stages { name: \"a\" } }",
       "waves.composite.stages[0].scheduler: is required"},
      {"composite { stages { name: \"a\" scheduler { staged { "
       "max_zones_per_wave: 0 } } } }",
       "waves.composite.stages[0].scheduler.staged.max_zones_per_wave: must "
       "be >= 1 (got 0)"},
      {"composite { stages { name: \"a\" selector { cells: \"\" } scheduler { "
       "all_at_once {} } } }",
       "waves.composite.stages[0].selector.cells[0]: must not be empty"},
  };
  for (const auto& [waves, message] : cases) {
    EXPECT_THAT(Spec(waves), StatusIs(absl::StatusCode::kInvalidArgument,
                                      HasSubstr(message)))
        << waves;
  }
}

TEST(SpecWavesTest, ValidateAgainstTheFleet) {
  const Fleet fleet = GridFleet(2, 2, 2);
  absl::StatusOr<RolloutSpec> spec =
      Spec("staged { region_order: \"r1\" region_order: \"us-west-2\" }");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_THAT(spec->ValidateAgainst(fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves.staged.region_order[1]: region "
                                 "\"us-west-2\" is not in the fleet")));
  spec = Spec(
      "composite { stages { name: \"c\" selector { labels { key: \"tier\" "
      "value: \"canary\" } } scheduler { all_at_once {} } } }");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_THAT(spec->ValidateAgainst(fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves.composite.stages[0].selector: matches "
                                 "no target (label tier=canary)")));
  spec = Spec("min_healthy { host_count: 8 }");
  ASSERT_TRUE(spec.ok());
  EXPECT_THAT(spec->ValidateAgainst(fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves.min_healthy.host_count: 8 of 8 targets "
                                 "must stay healthy")));
  spec = Spec("staged { region_order: \"r1\" }");
  EXPECT_THAT(spec->ValidateAgainst(fleet), IsOk());
}

TEST(SpecWavesTest, SummaryNamesTheStrategy) {
  absl::StatusOr<RolloutSpec> spec = Spec("staged { max_regions_per_wave: 4 }");
  ASSERT_TRUE(spec.ok());
  EXPECT_THAT(spec->Summary(),
              HasSubstr("waves: staged(max 4 regions per wave)"));
}

TEST(SpecWavesTest, SpecWithoutWaves) {
  absl::StatusOr<RolloutSpec> spec =
      RolloutSpec::Parse("name: \"t\" version: \"2\"", SpecFormat::kTextProto);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_THAT(NewScheduler(*spec), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("waves: is required")));
  EXPECT_THAT(spec->Summary(), ::testing::Not(HasSubstr("waves")));
}

TEST(SpecWavesTest, JsonSpecs) {
  absl::StatusOr<RolloutSpec> spec = RolloutSpec::Parse(
      R"({"name": "t", "version": "2", "waves": {"canary": {"percent": 20,
          "interval": "600s", "trafficRouted": true}}})",
      SpecFormat::kJson);
  ASSERT_TRUE(spec.ok()) << spec.status();
  absl::StatusOr<WavePlan> plan =
      (*NewScheduler(*spec))->Plan(GridFleet(1, 1, 1));
  ASSERT_TRUE(plan.ok());
  EXPECT_THAT(Traffic(*plan), ElementsAre(20, 100));
  EXPECT_EQ(plan->waves[0].bake, absl::Minutes(10));
}

TEST(SpecWavesTest, ExampleSpecsLoad) {
  absl::StatusOr<Fleet> fleet =
      LoadFleetFile("examples/fleets/three_regions.csv");
  ASSERT_TRUE(fleet.ok()) << fleet.status();
  for (const char* name :
       {"appconfig_exponential", "argo_steps", "codedeploy_canary",
        "codedeploy_half_at_a_time", "codedeploy_linear",
        "codedeploy_min_healthy", "composite_canary_cells",
        "flagger_progressive", "kubernetes_rolling", "regional_waves"}) {
    absl::StatusOr<RolloutSpec> spec = RolloutSpec::LoadFile(
        absl::StrCat("examples/specs/", name, ".textproto"));
    ASSERT_TRUE(spec.ok()) << name << ": " << spec.status();
    EXPECT_THAT(spec->ValidateAgainst(*fleet), IsOk()) << name;
  }
}

}  // namespace
}  // namespace sluice

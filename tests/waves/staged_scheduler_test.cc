// Copyright 2026 The Sluice Authors.
//
// The topology-aware staged scheduler.

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/fleets.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using ::sluice::testing::Bakes;
using ::sluice::testing::Budgets;
using ::sluice::testing::GridFleet;
using ::sluice::testing::StatusIs;
using ::sluice::testing::WaveSizes;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Names(const WavePlan& plan) {
  std::vector<std::string> out;
  for (const Wave& w : plan.waves) out.push_back(w.name);
  return out;
}

std::vector<std::string> Stages(const WavePlan& plan) {
  std::vector<std::string> out;
  for (const Wave& w : plan.waves) out.push_back(w.stage);
  return out;
}

absl::StatusOr<WavePlan> PlanStaged(const StagedOptions& options,
                                    const Fleet& fleet) {
  absl::StatusOr<std::unique_ptr<WaveScheduler>> s =
      NewStagedScheduler(options);
  if (!s.ok()) return s.status();
  return (*s)->Plan(fleet);
}

// 4 regions x 3 zones x 10 hosts; region weights r0=4, r1=1, r2=3, r3=2, so
// least weight first is r1, r3, r2, r0.
Fleet FourRegions() {
  return GridFleet(4, 3, 10, [](int r) {
    static constexpr double kWeights[] = {4, 1, 3, 2};
    return kWeights[r];
  });
}

TEST(StagedTest, DefaultShape) {
  absl::StatusOr<WavePlan> plan = PlanStaged(StagedOptions{}, FourRegions());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(
      Names(*plan),
      ElementsAre("r1 / r1-z0 one-box", "r1 / r1-z0 batch", "r1 / r1-z0 rest",
                  "r1 / r1-z1", "r1 / r1-z2", "r3 / r3-z0", "r3 / r3-z1",
                  "r3 / r3-z2", "region wave 2 (r2, r0) zone 1",
                  "region wave 2 (r2, r0) zone 2",
                  "region wave 2 (r2, r0) zone 3"));
  EXPECT_THAT(Stages(*plan),
              ElementsAre("one-box", "first-zone-batch", "first-zone", "zone",
                          "zone", "region-wave", "region-wave", "region-wave",
                          "region-wave", "region-wave", "region-wave"));
  // One box, 10% of the zone (1), the rest of the zone (8), zone by zone.
  EXPECT_THAT(WaveSizes(*plan),
              ElementsAre(1, 1, 8, 10, 10, 10, 10, 10, 20, 20, 20));
  const absl::Duration m30 = absl::Minutes(30);
  EXPECT_THAT(Bakes(*plan),
              ElementsAre(m30, m30, absl::Hours(1), m30, absl::Hours(2), m30,
                          m30, m30, m30, m30, m30));
  EXPECT_THAT(plan->waves[0].targets, ElementsAre(30));  // r1-z0-h0
  // The second region wave deploys the first zone of r2 and of r0 together.
  const Fleet fleet = FourRegions();
  std::set<std::string> zones;
  for (Fleet::TargetIndex t : plan->waves[8].targets) {
    zones.insert(fleet.target(t).topology.zone);
  }
  EXPECT_THAT(zones, ElementsAre("r0-z0", "r2-z0"));
  // Cumulative shares: by count and by weight (r1 weighs 1 of 100).
  EXPECT_DOUBLE_EQ(plan->waves[0].cumulative_count_fraction, 1.0 / 120);
  EXPECT_DOUBLE_EQ(plan->waves[0].cumulative_weight_fraction, 1.0 / 300);
  EXPECT_EQ(plan->waves.back().cumulative_count_fraction, 1.0);
  EXPECT_EQ(plan->waves.back().cumulative_weight_fraction, 1.0);
  EXPECT_EQ(plan->strategy, "staged");
}

TEST(StagedTest, ExplicitRegionOrderThenByNameOrWeight) {
  StagedOptions options;
  options.region_order = {"r2"};
  options.max_regions_per_wave = 1;
  absl::StatusOr<WavePlan> plan = PlanStaged(options, FourRegions());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->waves[0].name, "r2 / r2-z0 one-box");
  EXPECT_EQ(plan->waves[5].name, "r1 / r1-z0");  // then least weight: r1
  EXPECT_EQ(plan->waves[8].name, "r3 / r3-z0");
  EXPECT_EQ(plan->waves[11].name, "r0 / r0-z0");
  options.region_order_default = RegionOrder::kByName;
  plan = PlanStaged(options, FourRegions());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->waves[5].name, "r0 / r0-z0");
  EXPECT_EQ(plan->waves[8].name, "r1 / r1-z0");
}

TEST(StagedTest, RegionWavesGrowUpToTheLimit) {
  const Fleet fleet = GridFleet(12, 1, 1);
  StagedOptions options;
  options.one_box = false;
  options.first_zone_batch.reset();
  options.region_order_default = RegionOrder::kByName;
  absl::StatusOr<WavePlan> plan = PlanStaged(options, fleet);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // First region, then 1, 2, 4, 4 (the rest) regions.
  EXPECT_THAT(WaveSizes(*plan), ElementsAre(1, 1, 2, 4, 4));
  options.max_regions_per_wave = 3;
  options.first_region_wave_size = 2;
  plan = PlanStaged(options, fleet);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(WaveSizes(*plan), ElementsAre(1, 2, 3, 3, 3));
  options.max_regions_per_wave.reset();
  options.first_region_wave_size = 1;
  options.region_growth = 1.5;  // 1, 1.5 -> 2, 2.25 -> 3, 3.4 -> 4, ...
  plan = PlanStaged(options, fleet);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(WaveSizes(*plan), ElementsAre(1, 1, 2, 3, 4, 1));
  // Regions sort by name: r0 | r1 | r10, r11 | r2, r3, r4 | r5..r8 | r9.
  EXPECT_EQ(plan->waves[3].name, "region wave 3 (r2, r3, r4) zone 1");
  EXPECT_EQ(plan->waves[4].name, "region wave 4 (r5, r6, r7, +1 more) zone 1");
}

TEST(StagedTest, ZonesPerWaveAndOneBoxPerRegion) {
  StagedOptions options;
  options.max_zones_per_wave = 2;
  options.one_box_every_region = true;
  options.first_zone_batch = CountOrPercent::Count(3);
  options.region_order_default = RegionOrder::kByName;
  const Fleet fleet = GridFleet(3, 3, 4);
  absl::StatusOr<WavePlan> plan = PlanStaged(options, fleet);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Names(*plan),
              ElementsAre("r0 / r0-z0 one-box", "r0 / r0-z0 batch",
                          "r0 / r0-z1 + r0-z2", "r1 one-box",
                          "r1 / r1-z0 + r1-z1", "r1 / r1-z2", "r2 one-box",
                          "r2 / r2-z0 + r2-z1", "r2 / r2-z2"));
  EXPECT_THAT(WaveSizes(*plan), ElementsAre(1, 3, 8, 1, 7, 4, 1, 7, 4));
  EXPECT_EQ(plan->waves[3].stage, "region-one-box");
}

TEST(StagedTest, ZoneBatchSplitsEveryZoneNoEarlierWaveTouched) {
  StagedOptions options;
  options.one_box_every_region = true;
  options.region_order_default = RegionOrder::kByName;
  options.zone_batch = CountOrPercent::Count(2);
  options.bakes.zone_batch = absl::Minutes(10);
  absl::StatusOr<WavePlan> plan = PlanStaged(options, GridFleet(2, 3, 4));
  ASSERT_TRUE(plan.ok()) << plan.status();
  // The first zone keeps its one-box and batch; the first region's other
  // zones and every region zone but the one-box's are split in two.
  EXPECT_THAT(
      Names(*plan),
      ElementsAre("r0 / r0-z0 one-box", "r0 / r0-z0 batch", "r0 / r0-z0 rest",
                  "r0 / r0-z1 batch", "r0 / r0-z1 rest", "r0 / r0-z2 batch",
                  "r0 / r0-z2 rest", "r1 one-box", "r1 / r1-z0",
                  "r1 / r1-z1 batch", "r1 / r1-z1 rest", "r1 / r1-z2 batch",
                  "r1 / r1-z2 rest"));
  EXPECT_THAT(Stages(*plan),
              ElementsAre("one-box", "first-zone-batch", "first-zone",
                          "zone-batch", "zone", "zone-batch", "zone",
                          "region-one-box", "region-wave", "region-zone-batch",
                          "region-wave", "region-zone-batch", "region-wave"));
  EXPECT_THAT(WaveSizes(*plan),
              ElementsAre(1, 1, 2, 2, 2, 2, 2, 1, 3, 2, 2, 2, 2));
  const absl::Duration m10 = absl::Minutes(10), m30 = absl::Minutes(30);
  EXPECT_THAT(Bakes(*plan),
              ElementsAre(m30, m30, absl::Hours(1), m10, m30, m10,
                          absl::Hours(2), m30, m30, m10, m30, m10, m30));
  // The batch is the zone's first targets in fleet order: r0-z1-h0, h1.
  EXPECT_THAT(plan->waves[3].targets, ElementsAre(4, 5));
  EXPECT_THAT(plan->waves[4].targets, ElementsAre(6, 7));
}

TEST(StagedTest, ZoneBatchKeepsAZoneOfOneWholeAndALargeBatchBelowTheZone) {
  StagedOptions options;
  options.zone_batch = CountOrPercent::Count(1);
  absl::StatusOr<WavePlan> plan = PlanStaged(options, GridFleet(1, 2, 1));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Names(*plan), ElementsAre("r0 / r0-z0 one-box", "r0 / r0-z1"));
  EXPECT_THAT(Stages(*plan), ElementsAre("one-box", "zone"));

  options.zone_batch = CountOrPercent::Percent(100);
  plan = PlanStaged(options, GridFleet(1, 2, 10));
  ASSERT_TRUE(plan.ok()) << plan.status();
  // 100% of ten would leave no rest: the batch stops at nine.
  EXPECT_THAT(WaveSizes(*plan), ElementsAre(1, 1, 8, 9, 1));
  EXPECT_EQ(plan->waves[3].stage, "zone-batch");
}

TEST(StagedTest, ZoneBatchPercentRoundsAndBatchesOfAWaveGoTogether) {
  StagedOptions options;
  options.first_zone_batch = CountOrPercent::Count(1);
  options.zone_batch = CountOrPercent::Percent(25);  // of 10: 2.5
  options.rounding = PercentRounding::kDown;
  options.max_zones_per_wave = 2;
  absl::StatusOr<WavePlan> plan = PlanStaged(options, GridFleet(2, 3, 10));
  ASSERT_TRUE(plan.ok()) << plan.status();
  // Two zones a wave: their batches (2 + 2) together, then their rests
  // (8 + 8); r1's third zone alone.
  EXPECT_THAT(WaveSizes(*plan), ElementsAre(1, 1, 8, 4, 16, 4, 16, 2, 8));
  EXPECT_EQ(plan->waves[3].name, "r0 / r0-z1 + r0-z2 batch");
  EXPECT_EQ(plan->waves[4].name, "r0 / r0-z1 + r0-z2 rest");
  EXPECT_EQ(plan->waves[5].name, "r1 / r1-z0 + r1-z1 batch");
  EXPECT_EQ(plan->waves[5].stage, "region-zone-batch");
  options.rounding = PercentRounding::kUp;  // 3 of 10
  plan = PlanStaged(options, GridFleet(2, 3, 10));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->waves[3].targets.size(), 6u);
}

TEST(StagedTest, OneBoxByWeight) {
  // One zone whose targets weigh 5, 1, 1, 3 (plus a heavy second region).
  std::vector<Target> targets;
  const double weights[] = {5, 1, 1, 3};
  for (int i = 0; i < 4; ++i) {
    targets.push_back({absl::StrCat("a", i), {"a", "a1", ""}, weights[i], {}});
  }
  targets.push_back({"b0", {"b", "b1", ""}, 90, {}});
  const Fleet fleet = *Fleet::Create(targets);  // total weight 100
  StagedOptions options;
  options.one_box_max_weight_percent = 2.5;  // fits the two 1s
  options.first_zone_batch.reset();
  absl::StatusOr<WavePlan> plan = PlanStaged(options, fleet);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(plan->waves[0].targets, ElementsAre(1, 2));
  EXPECT_THAT(plan->waves[1].targets, ElementsAre(0, 3));
  EXPECT_DOUBLE_EQ(plan->waves[0].cumulative_weight_fraction, 0.02);
  options.one_box_max_weight_percent = 0.5;
  EXPECT_THAT(PlanStaged(options, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("staged.one_box_max_weight_percent: no target "
                                 "of a / a1 weighs at most 0.5% of the fleet's "
                                 "weight (the lightest is 1%)")));
}

TEST(StagedTest, WithoutOneBoxOrBatchAndWithFinalBake) {
  StagedOptions options;
  options.one_box = false;
  options.first_zone_batch.reset();
  options.bakes.final_bake = absl::Hours(6);
  options.max_failed_per_wave = CountOrPercent::Percent(25);
  absl::StatusOr<WavePlan> plan = PlanStaged(options, GridFleet(1, 2, 8));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(Names(*plan), ElementsAre("r0 / r0-z0", "r0 / r0-z1"));
  EXPECT_THAT(Stages(*plan), ElementsAre("first-zone", "zone"));
  EXPECT_THAT(Bakes(*plan), ElementsAre(absl::Hours(1), absl::Hours(6)));
  EXPECT_THAT(Budgets(*plan), ElementsAre(2, 2));
}

TEST(StagedTest, TinyFleet) {
  absl::StatusOr<WavePlan> plan =
      PlanStaged(StagedOptions{}, GridFleet(1, 1, 1));
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->waves.size(), 1u);
  EXPECT_EQ(plan->waves[0].stage, "one-box");
  // The one wave completes the first zone and the first region.
  EXPECT_EQ(plan->waves[0].bake, absl::Hours(2));
}

TEST(StagedTest, RegionNotInTheFleet) {
  StagedOptions options;
  options.region_order = {"r1", "nowhere"};
  EXPECT_THAT(PlanStaged(options, FourRegions()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("staged.region_order[1]: region \"nowhere\" "
                                 "is not in the fleet")));
}

TEST(StagedTest, BadOptionsNameTheParameter) {
  struct Case {
    void (*edit)(StagedOptions&);
    const char* message;
  };
  const Case cases[] = {
      {[](StagedOptions& o) { o.max_regions_per_wave = 0; },
       "staged.max_regions_per_wave: must be >= 1 (got 0)"},
      {[](StagedOptions& o) { o.max_zones_per_wave = 0; },
       "staged.max_zones_per_wave: must be >= 1 (got 0)"},
      {[](StagedOptions& o) { o.first_region_wave_size = 0; },
       "staged.first_region_wave_size: must be >= 1 (got 0)"},
      {[](StagedOptions& o) { o.region_growth = 1; },
       "staged.region_growth: must be finite and > 1 (got 1)"},
      {[](StagedOptions& o) {
         o.region_order = {"a", "b", "a"};
       },
       "staged.region_order[2]: region \"a\" is listed twice"},
      {[](StagedOptions& o) { o.region_order = {""}; },
       "staged.region_order[0]: must not be empty"},
      {[](StagedOptions& o) { o.one_box_max_weight_percent = 0; },
       "staged.one_box_max_weight_percent: must be in (0, 100] (got 0)"},
      {[](StagedOptions& o) { o.first_zone_batch = CountOrPercent::Count(0); },
       "staged.first_zone_batch.count: must be a whole number >= 1 (got 0)"},
      {[](StagedOptions& o) { o.bakes.first_region = -absl::Minutes(1); },
       "staged.bakes.first_region: must be finite and >= 0"},
      {[](StagedOptions& o) { o.zone_batch = CountOrPercent::Count(0); },
       "staged.zone_batch.count: must be a whole number >= 1 (got 0)"},
      {[](StagedOptions& o) { o.zone_batch = CountOrPercent::Percent(0); },
       "staged.zone_batch.percent: must be in (0, 100] (got 0)"},
      {[](StagedOptions& o) { o.bakes.zone_batch = -absl::Minutes(1); },
       "staged.bakes.zone_batch: must be finite and >= 0"},
      {[](StagedOptions& o) {
         o.max_failed_per_wave = CountOrPercent::Percent(200);
       },
       "staged.max_failed_per_wave.percent: must be in [0, 100] (got 200)"},
  };
  for (const Case& c : cases) {
    StagedOptions options;
    c.edit(options);
    EXPECT_THAT(
        NewStagedScheduler(options),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)));
  }
}

TEST(StagedTest, NameSummarizesOptions) {
  StagedOptions options;
  options.region_order = {"us-east-1", "eu-west-1"};
  options.max_regions_per_wave = 4;
  options.max_zones_per_wave = 2;
  absl::StatusOr<std::unique_ptr<WaveScheduler>> s =
      NewStagedScheduler(options);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->name(),
            "staged(regions us-east-1, eu-west-1 first; max 4 regions per "
            "wave; max 2 zones per region per wave)");
  options.region_order.clear();
  options.max_regions_per_wave.reset();
  options.max_zones_per_wave = 1;
  options.zone_batch = CountOrPercent::Count(2);
  s = NewStagedScheduler(options);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->name(), "staged(zone batches of 2)");
}

TEST(StagedTest, SubsetPlansOnlyItsTargets) {
  const Fleet fleet = FourRegions();
  absl::StatusOr<std::unique_ptr<WaveScheduler>> s =
      NewStagedScheduler(StagedOptions{});
  ASSERT_TRUE(s.ok());
  // Only r0 and r2 (indices 0..29 and 60..89).
  std::vector<Fleet::TargetIndex> subset;
  for (Fleet::TargetIndex t = 0; t < 30; ++t) subset.push_back(t);
  for (Fleet::TargetIndex t = 60; t < 90; ++t) subset.push_back(t);
  absl::StatusOr<WavePlan> plan = (*s)->PlanSubset(fleet, subset);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->waves[0].name, "r2 / r2-z0 one-box");  // r2 is lighter
  EXPECT_EQ(plan->target_count(), 60u);
  EXPECT_DOUBLE_EQ(plan->waves.back().cumulative_count_fraction, 0.5);
}

TEST(StagedSchedulerTest, DefaultBudgetScalesWithTheWave) {
  // 1% of each wave, rounding down: none for the one-box and small batches,
  // 4 for a 400-target zone.
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> scheduler,
                              NewStagedScheduler(StagedOptions{}));
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan,
                              scheduler->Plan(GridFleet(2, 2, 400)));
  for (const Wave& w : plan.waves) {
    EXPECT_EQ(w.max_failed_targets,
              static_cast<int64_t>(w.targets.size()) / 100)
        << w.name;
  }
  EXPECT_EQ(plan.waves[0].max_failed_targets, 0);
  EXPECT_EQ(plan.waves.back().max_failed_targets, 4);
}

// ---- Targets spanning several zones or regions.

Target Host(std::string id, std::string region, std::string zone) {
  Target t;
  t.id = std::move(id);
  t.topology = {std::move(region), std::move(zone), ""};
  return t;
}

// r1 (light): zones a, b, c with 4 hosts each; r2 (heavy): zones a, b with 4
// hosts each. Then, listed first so that the one-box would take it if it
// were a one-zone target: an autoscaling group spanning r1's three zones;
// last, a load balancer spanning both regions and an instance role spanning
// r2's two zones.
std::vector<Target> InfraTargets() {
  std::vector<Target> targets;
  Target asg = Host("asg-r1", "r1", "a");
  asg.kind = "autoscaling_group";
  asg.zones = {"a", "b", "c"};
  targets.push_back(asg);
  for (const char* zone : {"a", "b", "c"}) {
    for (int h = 0; h < 4; ++h) {
      targets.push_back(Host(absl::StrCat("r1-", zone, h), "r1", zone));
    }
  }
  for (const char* zone : {"a", "b"}) {
    for (int h = 0; h < 4; ++h) {
      Target t = Host(absl::StrCat("r2-", zone, h), "r2", zone);
      t.weight = 10;
      targets.push_back(t);
    }
  }
  Target lb = Host("lb", "r2", "a");
  lb.kind = "load_balancer";
  lb.regions = {"r1", "r2"};
  targets.push_back(lb);
  Target role = Host("role-r2", "r2", "b");
  role.kind = "instance_role";
  role.zones = {"a", "b"};
  targets.push_back(role);
  return targets;
}

// Every spanning target is alone in its wave, and every wave deploying a
// zone it covers (for a region-spanning one: any zone of its regions) comes
// before it; no spanning target is in the one-box or first-zone waves.
void ExpectSpanningTargetsAfterTheirZones(const Fleet& fleet,
                                          const WavePlan& plan) {
  const std::vector<int32_t> wave_of = plan.WaveIndexByTarget(fleet.size());
  for (Fleet::TargetIndex s : fleet.spanning_targets()) {
    SCOPED_TRACE(fleet.target(s).id);
    ASSERT_GE(wave_of[s], 0);
    const Wave& wave = plan.waves[wave_of[s]];
    EXPECT_THAT(wave.targets, ElementsAre(s));
    EXPECT_NE(wave.stage, "one-box");
    EXPECT_NE(wave.stage, "first-zone");
    EXPECT_NE(wave.stage, "first-zone-batch");
    EXPECT_THAT(wave.note, HasSubstr(fleet.target(s).id));
    std::set<uint32_t> covered(fleet.zones_spanned(s).begin(),
                               fleet.zones_spanned(s).end());
    absl::Span<const uint32_t> regions = fleet.regions_spanned(s);
    for (uint32_t z = 0; z < fleet.zones().size(); ++z) {
      if (regions.size() > 1 &&
          std::find(regions.begin(), regions.end(), fleet.zones()[z].region) !=
              regions.end()) {
        covered.insert(z);
      }
    }
    for (size_t t = 0; t < fleet.size(); ++t) {
      if (fleet.spans_several(t) || covered.count(fleet.zone_of(t)) == 0) {
        continue;
      }
      EXPECT_LT(wave_of[t], wave_of[s]) << fleet.target(t).id;
    }
  }
}

TEST(StagedSpanningTest, SpanningTargetsGoAloneAfterTheirZones) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, Fleet::Create(InfraTargets()));
  StagedOptions options;
  options.first_zone_batch = CountOrPercent::Count(1);
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan, PlanStaged(options, fleet));
  EXPECT_THAT(
      Names(plan),
      ElementsAre("r1 / a one-box", "r1 / a batch", "r1 / a rest", "r1 / b",
                  "r1 / c", "r1 / a + b + c: asg-r1", "r2 / a", "r2 / b",
                  "r2 / a + b: role-r2", "r1 + r2: lb"));
  EXPECT_THAT(Stages(plan),
              ElementsAre("one-box", "first-zone-batch", "first-zone", "zone",
                          "zone", "spanning", "region-wave", "region-wave",
                          "spanning", "spanning"));
  // The one-box is a host of r1 / a, not the group listed first.
  EXPECT_EQ(fleet.target(plan.waves[0].targets[0]).id, "r1-a0");
  // A spanning wave bakes as long as the wave that completed its zones: the
  // group as long as the first region (2h), so r2 starts 2h after it.
  EXPECT_EQ(plan.waves[4].bake, absl::Hours(2));
  EXPECT_EQ(plan.waves[5].bake, absl::Hours(2));
  EXPECT_EQ(plan.waves[9].bake, plan.waves[7].bake);
  EXPECT_EQ(plan.waves[5].max_failed_targets, 0);
  EXPECT_EQ(plan.waves[5].note,
            "asg-r1 (autoscaling_group) spans r1 / a + b + c, so it cannot be "
            "in a one-zone wave: it deploys alone after wave 4, once every "
            "zone it spans has been deployed and baked");
  EXPECT_EQ(plan.waves[9].note,
            "lb (load_balancer) spans r1 + r2, so it cannot be in a "
            "one-region wave: it deploys alone after wave 8, once every "
            "region it spans has been deployed and baked");
  // Every target once; fractions reach 1.
  EXPECT_EQ(plan.target_count(), fleet.size());
  EXPECT_DOUBLE_EQ(plan.waves.back().cumulative_count_fraction, 1.0);
  ExpectSpanningTargetsAfterTheirZones(fleet, plan);
}

TEST(StagedSpanningTest, FinalBakeStillAppliesToTheLastWave) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, Fleet::Create(InfraTargets()));
  StagedOptions options;
  options.bakes.final_bake = absl::Hours(5);
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan, PlanStaged(options, fleet));
  EXPECT_EQ(plan.waves.back().stage, "spanning");
  EXPECT_EQ(plan.waves.back().bake, absl::Hours(5));
}

TEST(StagedSpanningTest, HoldsForEveryShapeAndIsDeterministic) {
  std::vector<Target> base = InfraTargets();
  // More spanning targets on a bigger grid: 3 regions x 3 zones x 3 hosts.
  for (int r = 0; r < 3; ++r) {
    for (int z = 0; z < 3; ++z) {
      for (int h = 0; h < 3; ++h) {
        base.push_back(Host(absl::StrCat("g", r, z, h), absl::StrCat("g", r),
                            absl::StrCat("z", z)));
      }
    }
    Target asg = Host(absl::StrCat("g", r, "-asg"), absl::StrCat("g", r), "z1");
    asg.zones = {"z0", "z1", "z2"};
    base.push_back(asg);
    Target pair =
        Host(absl::StrCat("g", r, "-pair"), absl::StrCat("g", r), "z0");
    pair.zones = {"z0", "z1"};
    base.push_back(pair);
  }
  Target global = Host("global", "g0", "z0");
  global.regions = {"g0", "g1", "g2", "r1", "r2"};
  base.push_back(global);
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, Fleet::Create(base));
  for (int64_t zones_per_wave : {1, 2, 3}) {
    for (bool every_region : {false, true}) {
      for (std::optional<int64_t> max_regions :
           {std::optional<int64_t>(), std::optional<int64_t>(1)}) {
        SCOPED_TRACE(absl::StrCat(zones_per_wave, " ", every_region, " ",
                                  max_regions.value_or(0)));
        StagedOptions options;
        options.max_zones_per_wave = zones_per_wave;
        options.one_box_every_region = every_region;
        options.max_regions_per_wave = max_regions;
        SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan, PlanStaged(options, fleet));
        EXPECT_EQ(plan.target_count(), fleet.size());
        ExpectSpanningTargetsAfterTheirZones(fleet, plan);
        // The global resource covers every zone: it is last.
        EXPECT_EQ(fleet.target(plan.waves.back().targets[0]).id, "global");
        SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan again, PlanStaged(options, fleet));
        EXPECT_EQ(plan, again);
      }
    }
  }
}

TEST(StagedSpanningTest, InputOrderDoesNotChangeTheShape) {
  std::vector<Target> targets = InfraTargets();
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, Fleet::Create(targets));
  std::reverse(targets.begin(), targets.end());
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet reversed, Fleet::Create(targets));
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan a, PlanStaged(StagedOptions{}, fleet));
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan b,
                              PlanStaged(StagedOptions{}, reversed));
  EXPECT_EQ(Stages(a), Stages(b));
  std::vector<std::string> spanning_a, spanning_b;
  for (const Wave& w : a.waves) {
    if (w.stage == "spanning") spanning_a.push_back(w.name);
  }
  for (const Wave& w : b.waves) {
    if (w.stage == "spanning") spanning_b.push_back(w.name);
  }
  EXPECT_EQ(spanning_a, spanning_b);
}

TEST(StagedSpanningTest, ASubsetOfOnlySpanningTargetsPlansThemLast) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, Fleet::Create(InfraTargets()));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> scheduler,
                              NewStagedScheduler(StagedOptions{}));
  const Fleet::TargetIndex asg = *fleet.IndexOf("asg-r1");
  const Fleet::TargetIndex lb = *fleet.IndexOf("lb");
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan,
                              scheduler->PlanSubset(fleet, {lb, asg}));
  ASSERT_EQ(plan.waves.size(), 2u);
  // Fewer zones covered first.
  EXPECT_THAT(plan.waves[0].targets, ElementsAre(asg));
  EXPECT_THAT(plan.waves[1].targets, ElementsAre(lb));
  EXPECT_EQ(plan.waves[0].bake, StagedOptions{}.bakes.first_region);
  EXPECT_THAT(plan.waves[0].note,
              HasSubstr("deploys alone, last: no other wave of this plan "
                        "deploys the zones it spans"));
}

TEST(StagedSpanningTest, OneZoneFleetsPlanAsBefore) {
  // A target listing only its own zone is an ordinary one-zone target.
  std::vector<Target> targets = {Host("a0", "r", "a"), Host("a1", "r", "a"),
                                 Host("b0", "r", "b")};
  targets[0].kind = "autoscaling_group";
  targets[0].zones = {"a"};
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, Fleet::Create(targets));
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan,
                              PlanStaged(StagedOptions{}, fleet));
  EXPECT_THAT(Stages(plan), ElementsAre("one-box", "first-zone-batch", "zone"));
  EXPECT_THAT(plan.waves[0].targets, ElementsAre(0));
  for (const Wave& w : plan.waves) EXPECT_EQ(w.note, "");
}

}  // namespace
}  // namespace sluice

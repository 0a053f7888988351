// Copyright 2026 The Sluice Authors.
//
// Composite schedulers: stages applied to subsets picked by selectors.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/fleets.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using ::sluice::testing::GridFleet;
using ::sluice::testing::StatusIs;
using ::sluice::testing::WaveSizes;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::unique_ptr<WaveScheduler> Must(
    absl::StatusOr<std::unique_ptr<WaveScheduler>> s) {
  EXPECT_TRUE(s.ok()) << s.status();
  return *std::move(s);
}

CompositeStage Stage(std::string name, Selector selector,
                     std::unique_ptr<WaveScheduler> scheduler) {
  CompositeStage stage;
  stage.name = std::move(name);
  stage.selector = std::move(selector);
  stage.scheduler = std::move(scheduler);
  return stage;
}

Selector Regions(std::vector<std::string> regions) {
  Selector s;
  s.regions = std::move(regions);
  return s;
}

// 3 regions x 2 zones x 3 hosts; host 0 of each zone is labelled canary.
Fleet LabelledFleet() {
  const Fleet grid = GridFleet(3, 2, 3);
  std::vector<Target> targets(grid.targets().begin(), grid.targets().end());
  for (size_t i = 0; i < targets.size(); i += 3) {
    targets[i].labels["tier"] = "canary";
  }
  return *Fleet::Create(targets);
}

TEST(CompositeTest, StagesPlanTheirSubsetsInOrder) {
  CompositeOptions options;
  Selector canaries;
  canaries.labels = {{"tier", "canary"}};
  options.stages.push_back(
      Stage("canaries", canaries, Must(NewOneAtATimeScheduler())));
  BatchOptions batches;
  batches.size = CountOrPercent::Count(4);
  options.stages.push_back(
      Stage("r0", Regions({"r0"}), Must(NewBatchScheduler(batches))));
  StagedOptions staged;
  staged.first_zone_batch.reset();
  staged.region_order_default = RegionOrder::kByName;
  options.stages.push_back(
      Stage("rest", Selector{}, Must(NewStagedScheduler(staged))));
  absl::StatusOr<std::unique_ptr<WaveScheduler>> composite =
      NewCompositeScheduler(std::move(options));
  ASSERT_TRUE(composite.ok()) << composite.status();
  const Fleet fleet = LabelledFleet();
  absl::StatusOr<WavePlan> plan = (*composite)->Plan(fleet);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // 6 canaries one at a time; r0's other 4 hosts in one batch; then the
  // rest (r1, r2 minus canaries) staged: one-box, zone rest, zone, region.
  EXPECT_THAT(WaveSizes(*plan),
              ElementsAre(1, 1, 1, 1, 1, 1, 4, 1, 1, 2, 2, 2));
  EXPECT_EQ(plan->waves[0].stage, "canaries");
  EXPECT_EQ(plan->waves[0].name, "canaries: batch 1/6");
  EXPECT_EQ(plan->waves[6].name, "r0: batch 1/1");
  EXPECT_EQ(plan->waves[7].name, "rest: r1 / r1-z0 one-box");
  EXPECT_EQ(plan->waves[7].stage, "rest");
  EXPECT_EQ(fleet.target(plan->waves[7].targets[0]).id, "r1-z0-h1");
  EXPECT_EQ(plan->target_count(), fleet.size());
  EXPECT_EQ(plan->waves.back().cumulative_count_fraction, 1.0);
  EXPECT_DOUBLE_EQ(plan->waves[5].cumulative_count_fraction, 6.0 / 18);
  EXPECT_THAT((*composite)->name(), HasSubstr("composite(canaries: "
                                              "one-at-a-time; r0: batches(4)"));
}

TEST(CompositeTest, MinHealthyIsRelativeToTheStage) {
  CompositeOptions options;
  options.stages.push_back(
      Stage("r0", Regions({"r0"}), Must(NewHalfAtATimeScheduler())));
  options.stages.push_back(
      Stage("rest", Selector{}, Must(NewAllAtOnceScheduler())));
  absl::StatusOr<WavePlan> plan =
      Must(NewCompositeScheduler(std::move(options)))->Plan(GridFleet(2, 1, 6));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(WaveSizes(*plan), ElementsAre(3, 3, 6));
}

TEST(CompositeTest, SelectorsThatPickNothing) {
  CompositeOptions options;
  options.stages.push_back(
      Stage("us", Regions({"asia"}), Must(NewAllAtOnceScheduler())));
  EXPECT_THAT(
      Must(NewCompositeScheduler(std::move(options)))->Plan(LabelledFleet()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("composite.stages[0].selector: matches no "
                         "target (region in (asia))")));
  options = {};
  options.stages.push_back(
      Stage("all", Selector{}, Must(NewAllAtOnceScheduler())));
  options.stages.push_back(
      Stage("r1", Regions({"r1"}), Must(NewAllAtOnceScheduler())));
  EXPECT_THAT(
      Must(NewCompositeScheduler(std::move(options)))->Plan(LabelledFleet()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("composite.stages[1].selector: every target "
                         "it matches (region in (r1)) was taken by an "
                         "earlier stage")));
}

TEST(CompositeTest, TargetsNoStageTakes) {
  CompositeOptions options;
  options.stages.push_back(
      Stage("r0", Regions({"r0"}), Must(NewAllAtOnceScheduler())));
  EXPECT_THAT(
      Must(NewCompositeScheduler(std::move(options)))->Plan(LabelledFleet()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("composite.stages: 12 targets match no stage "
                         "(first: \"r1-z0-h0\"); end with a stage "
                         "whose selector is empty")));
}

TEST(CompositeTest, InnerErrorsCarryTheStagePath) {
  StagedOptions staged;
  staged.region_order = {"r9"};
  CompositeOptions options;
  options.stages.push_back(
      Stage("all", Selector{}, Must(NewStagedScheduler(staged))));
  EXPECT_THAT(
      Must(NewCompositeScheduler(std::move(options)))->Plan(LabelledFleet()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("composite.stages[0].scheduler.staged.region_"
                         "order[0]: region \"r9\" is not in the fleet")));
}

TEST(CompositeTest, TrafficStagesCannotBeComposed) {
  CanaryOptions canary;
  canary.traffic_routed = true;
  CompositeOptions options;
  options.stages.push_back(
      Stage("all", Selector{}, Must(NewCanaryScheduler(canary))));
  EXPECT_THAT(
      Must(NewCompositeScheduler(std::move(options)))->Plan(LabelledFleet()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("composite.stages[0].scheduler: canary(10%, "
                         "then the rest after 5m) plans traffic waves")));
}

TEST(CompositeTest, BadOptions) {
  EXPECT_THAT(NewCompositeScheduler({}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("composite.stages: must not be empty")));
  CompositeOptions options;
  options.stages.push_back(
      Stage("", Selector{}, Must(NewAllAtOnceScheduler())));
  EXPECT_THAT(
      NewCompositeScheduler(std::move(options)),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("composite.stages[0].name: must not be empty")));
  options = {};
  options.stages.push_back(
      Stage("a", Selector{}, Must(NewAllAtOnceScheduler())));
  options.stages.push_back(
      Stage("a", Selector{}, Must(NewAllAtOnceScheduler())));
  EXPECT_THAT(
      NewCompositeScheduler(std::move(options)),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("composite.stages[1].name: \"a\" is used by an "
                         "earlier stage")));
  options = {};
  options.stages.push_back(Stage("a", Selector{}, nullptr));
  EXPECT_THAT(
      NewCompositeScheduler(std::move(options)),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("composite.stages[0].scheduler: is required")));
  options = {};
  options.stages.push_back(
      Stage("a", Regions({""}), Must(NewAllAtOnceScheduler())));
  EXPECT_THAT(NewCompositeScheduler(std::move(options)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("composite.stages[0].selector.regions[0]: "
                                 "must not be empty")));
}

TEST(CompositeTest, CompositesNest) {
  CompositeOptions inner;
  inner.stages.push_back(Stage(
      "z0",
      [] {
        Selector s;
        s.zones = {"r0-z0"};
        return s;
      }(),
      Must(NewOneAtATimeScheduler())));
  inner.stages.push_back(
      Stage("z-rest", Selector{}, Must(NewAllAtOnceScheduler())));
  CompositeOptions outer;
  outer.stages.push_back(Stage("first", Regions({"r0"}),
                               Must(NewCompositeScheduler(std::move(inner)))));
  outer.stages.push_back(
      Stage("rest", Selector{}, Must(NewAllAtOnceScheduler())));
  absl::StatusOr<WavePlan> plan =
      Must(NewCompositeScheduler(std::move(outer)))->Plan(LabelledFleet());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(WaveSizes(*plan), ElementsAre(1, 1, 1, 3, 12));
  EXPECT_EQ(plan->waves[0].name, "first: z0: batch 1/3");
}

TEST(CompositeTest, AZoneStageLeavesASpanningTargetToTheStagedStage) {
  std::vector<Target> targets;
  for (const char* zone : {"a", "b", "c"}) {
    for (int h = 0; h < 2; ++h) {
      Target t;
      t.id = std::string(zone) + std::to_string(h);
      t.topology = {"r", zone, ""};
      targets.push_back(t);
    }
  }
  Target asg;
  asg.id = "asg";
  asg.kind = "autoscaling_group";
  asg.topology = {"r", "a", ""};
  asg.zones = {"a", "b", "c"};
  targets.insert(targets.begin(), asg);
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, Fleet::Create(targets));
  Selector zone_a;
  zone_a.zones = {"a"};
  CompositeOptions options;
  options.stages.push_back(
      Stage("zone-a", zone_a, Must(NewAllAtOnceScheduler())));
  StagedOptions staged;
  staged.first_zone_batch.reset();
  options.stages.push_back(
      Stage("rest", Selector(), Must(NewStagedScheduler(staged))));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> scheduler,
                              NewCompositeScheduler(std::move(options)));
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan, scheduler->Plan(fleet));
  ASSERT_EQ(plan.waves.size(), 5u);
  // zone-a: its two hosts only; rest: b one-box, b rest, c, then the group.
  EXPECT_THAT(plan.waves[0].targets, ElementsAre(1, 2));
  EXPECT_EQ(plan.waves[3].name, "rest: r / c");
  EXPECT_EQ(plan.waves.back().name, "rest: r / a + b + c: asg");
  EXPECT_THAT(plan.waves.back().targets, ElementsAre(0));
  EXPECT_THAT(plan.waves.back().note,
              HasSubstr("asg (autoscaling_group) spans r / a + b + c"));
}

}  // namespace
}  // namespace sluice

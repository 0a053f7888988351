// Copyright 2026 The Sluice Authors.
//
// Replan(): keeping started waves when the fleet changes.

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/fleets.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using ::sluice::testing::FlatFleet;
using ::sluice::testing::GridFleet;
using ::sluice::testing::IsOkAndHolds;
using ::sluice::testing::StatusIs;
using ::sluice::testing::Traffic;
using ::sluice::testing::WaveSizes;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Ids(const Fleet& fleet, const Wave& wave) {
  std::vector<std::string> out;
  for (Fleet::TargetIndex t : wave.targets) out.push_back(fleet.target(t).id);
  return out;
}

std::unique_ptr<WaveScheduler> Batches(int size) {
  BatchOptions options;
  options.size = CountOrPercent::Count(size);
  return *NewBatchScheduler(options);
}

TEST(ReplanTest, UnchangedFleetGivesTheSamePlan) {
  const Fleet fleet = GridFleet(3, 2, 4);
  std::unique_ptr<WaveScheduler> s = *NewStagedScheduler(StagedOptions{});
  const WavePlan plan = *s->Plan(fleet);
  for (size_t started = 0; started <= plan.waves.size(); ++started) {
    EXPECT_THAT(Replan(*s, plan, started, fleet, fleet), IsOkAndHolds(plan))
        << started;
  }
}

TEST(ReplanTest, NewTargetsGoOnlyIntoWavesNotStarted) {
  const Fleet old_fleet = FlatFleet(6);  // h0..h5
  std::unique_ptr<WaveScheduler> s = Batches(2);
  const WavePlan plan = *s->Plan(old_fleet);  // [h0 h1] [h2 h3] [h4 h5]
  // h1 leaves, h6 and h7 join (listed first in the new fleet).
  std::vector<Target> targets;
  for (const char* id : {"h7", "h6", "h0", "h2", "h3", "h4", "h5"}) {
    targets.push_back({id, {"r", "z", ""}, 1, {}});
  }
  const Fleet new_fleet = *Fleet::Create(targets);
  absl::StatusOr<WavePlan> replanned =
      Replan(*s, plan, 2, old_fleet, new_fleet);
  ASSERT_TRUE(replanned.ok()) << replanned.status();
  ASSERT_GE(replanned->waves.size(), 3u);
  // Started waves as they were, minus h1, which left.
  EXPECT_THAT(Ids(new_fleet, replanned->waves[0]), ElementsAre("h0"));
  EXPECT_THAT(Ids(new_fleet, replanned->waves[1]), ElementsAre("h2", "h3"));
  EXPECT_EQ(replanned->waves[1].name, plan.waves[1].name);
  // The new plan for the new fleet is [h7 h6] [h0 h2] [h3 h4] [h5]; without
  // the deployed h0, h2, h3: [h7 h6] [h4] [h5].
  EXPECT_THAT(WaveSizes(*replanned), ElementsAre(1, 2, 2, 1, 1));
  EXPECT_THAT(Ids(new_fleet, replanned->waves[2]), ElementsAre("h7", "h6"));
  EXPECT_EQ(replanned->target_count(), new_fleet.size());
  EXPECT_EQ(replanned->waves.back().cumulative_count_fraction, 1.0);
  EXPECT_DOUBLE_EQ(replanned->waves[1].cumulative_count_fraction, 3.0 / 7);
}

TEST(ReplanTest, NothingStartedIsAFreshPlan) {
  const Fleet old_fleet = FlatFleet(4);
  const Fleet new_fleet = FlatFleet(7);
  std::unique_ptr<WaveScheduler> s = Batches(3);
  EXPECT_THAT(Replan(*s, *s->Plan(old_fleet), 0, old_fleet, new_fleet),
              IsOkAndHolds(*s->Plan(new_fleet)));
}

TEST(ReplanTest, TrafficPlansContinueAboveTheLastStartedPercent) {
  LinearOptions options;
  options.step_percent = 25;
  options.traffic_routed = true;
  std::unique_ptr<WaveScheduler> s = *NewLinearScheduler(options);
  const Fleet fleet = FlatFleet(3);
  const WavePlan plan = *s->Plan(fleet);
  absl::StatusOr<WavePlan> replanned = Replan(*s, plan, 2, fleet, FlatFleet(5));
  ASSERT_TRUE(replanned.ok()) << replanned.status();
  EXPECT_THAT(Traffic(*replanned), ElementsAre(25, 50, 75, 100));
}

TEST(ReplanTest, BadArguments) {
  const Fleet fleet = FlatFleet(4);
  std::unique_ptr<WaveScheduler> s = Batches(2);
  WavePlan plan = *s->Plan(fleet);
  EXPECT_THAT(Replan(*s, plan, 3, fleet, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("waves_started: must be in [0, 2] (got 3)")));
  plan.waves[1].targets.push_back(12);
  EXPECT_THAT(Replan(*s, plan, 1, fleet, fleet),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("previous.waves[1].targets[2]: index 12 is "
                                 "not in old_fleet (size 4)")));
}

TEST(ReplanTest, SchedulerErrorsForTheNewFleetPassThrough) {
  MinHealthyOptions options;
  options.min_healthy = CountOrPercent::Count(3);
  std::unique_ptr<WaveScheduler> s = *NewMinHealthyScheduler(options);
  const Fleet old_fleet = FlatFleet(6);
  const WavePlan plan = *s->Plan(old_fleet);
  EXPECT_THAT(Replan(*s, plan, 1, old_fleet, FlatFleet(3)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("min_healthy.host_count: 3 of 3")));
}

}  // namespace
}  // namespace sluice

// Copyright 2026 The Sluice Authors.
//
// PercentRounding: the percent-based schedulers turn a percent of targets
// into a count up, down or to the nearest (at least one target per wave that
// deploys anything), or by their own rule by default; the spec selects it
// and refuses it where nothing would be rounded.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/waves/builtin_schedulers.h"
#include "sluice/spec.h"
#include "sluice/testing/fleets.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using ::sluice::testing::FlatFleet;
using ::sluice::testing::GridFleet;
using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::sluice::testing::WaveSizes;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr PercentRounding kUp = PercentRounding::kUp;
constexpr PercentRounding kDown = PercentRounding::kDown;
constexpr PercentRounding kNearest = PercentRounding::kNearest;

TEST(RoundPercentOfTest, UpDownNearestAndAtLeastOne) {
  struct Case {
    int64_t n;
    double percent;
    int64_t up, down, nearest;
  };
  const Case cases[] = {
      {15, 10, 2, 1, 2},      // 1.5: up 2, down 1, nearest (tie) up
      {14, 10, 2, 1, 1},      // 1.4
      {16, 10, 2, 1, 2},      // 1.6
      {10, 1, 1, 1, 1},       // 0.1: at least one
      {10, 99, 10, 9, 10},    // 9.9: up and nearest reach n
      {30, 10, 3, 3, 3},      // exactly 3, no floating-point noise
      {10, 100, 10, 10, 10},  // 100% is n
      {1, 5, 1, 1, 1},        // one target: that target
      {7, 0, 0, 0, 0},        // 0% deploys nothing
  };
  for (const Case& c : cases) {
    EXPECT_EQ(internal::RoundPercentOf(c.n, c.percent, kUp), c.up)
        << c.n << " " << c.percent;
    EXPECT_EQ(internal::RoundPercentOf(c.n, c.percent, kDown), c.down)
        << c.n << " " << c.percent;
    EXPECT_EQ(internal::RoundPercentOf(c.n, c.percent, kNearest), c.nearest)
        << c.n << " " << c.percent;
  }
  EXPECT_EQ(PercentRoundingName(PercentRounding::kDefault), "default");
  EXPECT_EQ(PercentRoundingName(kNearest), "nearest");
}

WavePlan Plan(const absl::StatusOr<std::unique_ptr<WaveScheduler>>& s,
              const Fleet& fleet) {
  EXPECT_TRUE(s.ok()) << s.status();
  if (!s.ok()) return WavePlan();
  absl::StatusOr<WavePlan> plan = (*s)->Plan(fleet);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : WavePlan();
}

TEST(PercentRoundingTest, CanaryCountsFollowTheRounding) {
  CanaryOptions o;
  o.percent = 30;  // 4.2 of 14 targets
  const Fleet fleet = FlatFleet(14);
  EXPECT_THAT(WaveSizes(Plan(NewCanaryScheduler(o), fleet)),
              ElementsAre(4, 10));  // default: Argo's nearest
  o.rounding = kUp;
  EXPECT_THAT(WaveSizes(Plan(NewCanaryScheduler(o), fleet)), ElementsAre(5, 9));
  o.rounding = kDown;
  EXPECT_THAT(WaveSizes(Plan(NewCanaryScheduler(o), fleet)),
              ElementsAre(4, 10));
  // 99% of 10: Argo keeps one target back; up and nearest take them all in
  // the first wave (the 100% step adds nothing, its bake joins it).
  o.percent = 99;
  o.rounding = PercentRounding::kDefault;
  EXPECT_THAT(WaveSizes(Plan(NewCanaryScheduler(o), FlatFleet(10))),
              ElementsAre(9, 1));
  o.rounding = kNearest;
  const WavePlan all = Plan(NewCanaryScheduler(o), FlatFleet(10));
  EXPECT_THAT(WaveSizes(all), ElementsAre(10));
  EXPECT_EQ(all.waves[0].bake, o.interval + o.final_bake);
  o.rounding = kDown;
  EXPECT_THAT(WaveSizes(Plan(NewCanaryScheduler(o), FlatFleet(10))),
              ElementsAre(9, 1));
  // 1% of 10 rounds down to 0: still one target.
  o.percent = 1;
  EXPECT_THAT(WaveSizes(Plan(NewCanaryScheduler(o), FlatFleet(10))),
              ElementsAre(1, 9));
}

TEST(PercentRoundingTest, LinearStepsFollowTheRounding) {
  LinearOptions o;
  o.step_percent = 10;  // 1.5, 3, 4.5, ... of 15
  const Fleet fleet = FlatFleet(15);
  o.rounding = kUp;
  EXPECT_THAT(WaveSizes(Plan(NewLinearScheduler(o), fleet)),
              ElementsAre(2, 1, 2, 1, 2, 1, 2, 1, 2, 1));
  o.rounding = kDown;
  const absl::StatusOr<std::unique_ptr<WaveScheduler>> down =
      NewLinearScheduler(o);
  EXPECT_THAT(WaveSizes(Plan(down, fleet)),
              ElementsAre(1, 2, 1, 2, 1, 2, 1, 2, 1, 2));
  EXPECT_EQ((*down)->name(), "linear(10% every 1m, rounding down)");
}

TEST(PercentRoundingTest, StepsExponentialAndFlaggerTakeIt) {
  StepsOptions steps;
  steps.steps = {{10, absl::Minutes(1)}, {50, absl::Minutes(1)}};
  steps.rounding = kDown;
  EXPECT_THAT(WaveSizes(Plan(NewStepsScheduler(steps), FlatFleet(15))),
              ElementsAre(1, 6, 8));  // 1.5 -> 1, 7.5 -> 7
  steps.rounding = kUp;
  EXPECT_THAT(WaveSizes(Plan(NewStepsScheduler(steps), FlatFleet(15))),
              ElementsAre(2, 6, 7));  // 1.5 -> 2, 7.5 -> 8
  ExponentialOptions exp;
  exp.growth_factor = 10;  // 10, 20, 40, 80, 100% of 15
  exp.rounding = kDown;
  EXPECT_THAT(WaveSizes(Plan(NewExponentialScheduler(exp), FlatFleet(15))),
              ElementsAre(1, 2, 3, 6, 3));
  FlaggerOptions flagger;
  flagger.traffic_routed = false;
  flagger.step_weight = 25;  // 3.5, 7, 10.5, 14 of 14
  flagger.rounding = kDown;
  EXPECT_THAT(WaveSizes(Plan(NewFlaggerScheduler(flagger), FlatFleet(14))),
              ElementsAre(3, 4, 3, 4));
}

TEST(PercentRoundingTest, BatchesAndTheStagedFirstZoneBatch) {
  BatchOptions b;
  b.size = CountOrPercent::Percent(10);  // 1.5 of 15
  EXPECT_THAT(WaveSizes(Plan(NewBatchScheduler(b), FlatFleet(15))),
              ElementsAre(2, 2, 2, 2, 2, 2, 2, 1));  // default: up
  b.rounding = kDown;
  const absl::StatusOr<std::unique_ptr<WaveScheduler>> down =
      NewBatchScheduler(b);
  EXPECT_EQ(WaveSizes(Plan(down, FlatFleet(15))).size(), 15u);
  EXPECT_EQ((*down)->name(), "batches(10%, rounding down)");

  StagedOptions s;
  s.first_zone_batch = CountOrPercent::Percent(10);  // 1.5 of a 15-host zone
  const Fleet one_zone = GridFleet(1, 1, 15);
  const WavePlan up = Plan(NewStagedScheduler(s), one_zone);
  s.rounding = kDown;
  const WavePlan floor = Plan(NewStagedScheduler(s), one_zone);
  ASSERT_GE(up.waves.size(), 2u);
  ASSERT_GE(floor.waves.size(), 2u);
  EXPECT_EQ(up.waves[1].stage, "first-zone-batch");
  EXPECT_EQ(up.waves[1].targets.size(), 2u);
  EXPECT_EQ(floor.waves[1].stage, "first-zone-batch");
  EXPECT_EQ(floor.waves[1].targets.size(), 1u);
}

TEST(PercentRoundingTest, ARoundingThatWouldBeIgnoredIsAnError) {
  CanaryOptions traffic;
  traffic.traffic_routed = true;
  traffic.rounding = kDown;
  EXPECT_THAT(NewCanaryScheduler(traffic).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("canary.rounding: is down, but traffic "
                                 "waves set exact percents")));
  BatchOptions count;
  count.size = CountOrPercent::Count(3);
  count.rounding = kUp;
  EXPECT_THAT(NewBatchScheduler(count).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("batches.rounding: is up, but it applies to "
                                 "a percent size only")));
  StagedOptions staged;
  staged.first_zone_batch.reset();
  staged.rounding = kNearest;
  EXPECT_THAT(NewStagedScheduler(staged).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("staged.rounding: is nearest, but it applies "
                                 "to a percent first_zone_batch or zone_batch "
                                 "only")));
  // A percent zone_batch is one to round.
  staged.zone_batch = CountOrPercent::Percent(50);
  EXPECT_THAT(NewStagedScheduler(staged).status(), IsOk());
  LinearOptions bad;
  bad.rounding = static_cast<PercentRounding>(7);
  EXPECT_THAT(NewLinearScheduler(bad).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linear.rounding: must be default, up, down "
                                 "or nearest (got 7)")));
}

absl::StatusOr<RolloutSpec> Spec(const std::string& waves) {
  return RolloutSpec::Parse(
      absl::StrCat("name: \"t\" version: \"2\" waves { ", waves, " }"),
      SpecFormat::kTextProto);
}

TEST(PercentRoundingTest, TheSpecSelectsItAndNamesTheFieldOnError) {
  absl::StatusOr<RolloutSpec> spec =
      Spec("canary { percent: 30 rounding: ROUND_UP }");
  ASSERT_TRUE(spec.ok()) << spec.status();
  absl::StatusOr<std::unique_ptr<WaveScheduler>> s = NewScheduler(*spec);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(WaveSizes(*(*s)->Plan(FlatFleet(14))), ElementsAre(5, 9));
  const std::pair<const char*, const char*> errors[] = {
      {"linear { step_percent: 10 rounding: 99 }",
       "waves.linear.rounding: unknown value 99"},
      {"canary { percent: 10 traffic_routed: true rounding: ROUND_DOWN }",
       "waves.canary.rounding: is down, but traffic waves"},
      {"flagger { step_weight: 10 rounding: ROUND_UP }",
       "waves.flagger.rounding: is up, but traffic waves"},
      {"batches { size { count: 2 } rounding: ROUND_DOWN }",
       "waves.batches.rounding: is down, but it applies to a percent size"},
      {"staged { first_zone_batch { count: 2 } rounding: ROUND_DOWN }",
       "waves.staged.rounding: is down, but it applies to a percent "
       "first_zone_batch"},
  };
  for (const auto& [waves, error] : errors) {
    absl::StatusOr<RolloutSpec> bad = Spec(waves);
    absl::Status status = bad.ok() ? NewScheduler(*bad).status() : bad.status();
    EXPECT_THAT(status,
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(error)))
        << waves;
  }
}

}  // namespace
}  // namespace sluice

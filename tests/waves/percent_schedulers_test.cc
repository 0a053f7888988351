// Copyright 2026 The Sluice Authors.
//
// Linear, canary, exponential, explicit steps and Flagger progressions, as
// CodeDeploy, AppConfig, Argo Rollouts and Flagger define them: the traffic
// timeline (percent and bake of each step) and the target counts.

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

using ::sluice::testing::Bakes;
using ::sluice::testing::FlatFleet;
using ::sluice::testing::StatusIs;
using ::sluice::testing::Traffic;
using ::sluice::testing::WaveSizes;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

WavePlan PlanOrDie(const absl::StatusOr<std::unique_ptr<WaveScheduler>>& s,
                   const Fleet& fleet) {
  EXPECT_TRUE(s.ok()) << s.status();
  if (!s.ok()) return {};
  absl::StatusOr<WavePlan> plan = (*s)->Plan(fleet);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : WavePlan{};
}

const absl::Duration kMin = absl::Minutes(1);

TEST(LinearTest, CodeDeployLinear10PercentEvery1Minute) {
  LinearOptions options;
  options.step_percent = 10;
  options.interval = kMin;
  options.traffic_routed = true;
  const WavePlan plan = PlanOrDie(NewLinearScheduler(options), FlatFleet(3));
  EXPECT_THAT(Traffic(plan),
              ElementsAre(10, 20, 30, 40, 50, 60, 70, 80, 90, 100));
  // 10% at 0, 20% at 1m, ..., 100% at 9m, then done.
  EXPECT_THAT(Bakes(plan), ElementsAre(kMin, kMin, kMin, kMin, kMin, kMin, kMin,
                                       kMin, kMin, absl::ZeroDuration()));
  EXPECT_THAT(WaveStartTimes(plan),
              ElementsAre(0 * kMin, kMin, 2 * kMin, 3 * kMin, 4 * kMin,
                          5 * kMin, 6 * kMin, 7 * kMin, 8 * kMin, 9 * kMin));
  EXPECT_TRUE(plan.traffic_routed());
  EXPECT_EQ(plan.waves[0].name, "step 1/10: 10%");
  EXPECT_THAT(plan.waves[0].targets, ::testing::IsEmpty());
  EXPECT_DOUBLE_EQ(plan.waves[2].cumulative_weight_fraction, 0.3);
  EXPECT_EQ(plan.strategy, "linear(10% every 1m)");
}

TEST(LinearTest, AppConfigLinear20PercentEvery6Minutes) {
  // 30 minute deployment, 20% growth, 30 minute final bake.
  LinearOptions options;
  options.step_percent = 20;
  options.deployment_duration = absl::Minutes(30);
  options.final_bake = absl::Minutes(30);
  const WavePlan plan = PlanOrDie(NewLinearScheduler(options), FlatFleet(10));
  EXPECT_THAT(WaveSizes(plan), ElementsAre(2, 2, 2, 2, 2));
  const absl::Duration six = absl::Minutes(6);
  EXPECT_THAT(Bakes(plan),
              ElementsAre(six, six, six, six, six + absl::Minutes(30)));
  EXPECT_FALSE(plan.traffic_routed());
}

TEST(LinearTest, AppConfigLinear50PercentEvery30Seconds) {
  LinearOptions options;
  options.step_percent = 50;
  options.deployment_duration = absl::Minutes(1);
  options.final_bake = absl::Minutes(1);
  options.traffic_routed = true;
  const WavePlan plan = PlanOrDie(NewLinearScheduler(options), FlatFleet(1));
  EXPECT_THAT(Traffic(plan), ElementsAre(50, 100));
  EXPECT_THAT(Bakes(plan), ElementsAre(absl::Seconds(30), absl::Seconds(90)));
}

TEST(LinearTest, UnevenStepEndsAt100) {
  LinearOptions options;
  options.step_percent = 30;
  options.traffic_routed = true;
  EXPECT_THAT(Traffic(PlanOrDie(NewLinearScheduler(options), FlatFleet(1))),
              ElementsAre(30, 60, 90, 100));
  options.step_percent = 100.0 / 3;
  EXPECT_EQ(PlanOrDie(NewLinearScheduler(options), FlatFleet(1)).waves.size(),
            3u);
}

TEST(LinearTest, BadOptions) {
  LinearOptions options;
  options.step_percent = 0;
  EXPECT_THAT(NewLinearScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linear.step_percent: must be in (0, 100] "
                                 "(got 0)")));
  options.step_percent = 0.001;
  EXPECT_THAT(NewLinearScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linear.step_percent: gives 100000 steps")));
  options.step_percent = 10;
  options.interval = -kMin;
  EXPECT_THAT(NewLinearScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linear.interval")));
}

TEST(CanaryTest, CodeDeployCanary10Percent5Minutes) {
  CanaryOptions options;
  options.percent = 10;
  options.interval = absl::Minutes(5);
  options.traffic_routed = true;
  WavePlan plan = PlanOrDie(NewCanaryScheduler(options), FlatFleet(1));
  EXPECT_THAT(Traffic(plan), ElementsAre(10, 100));
  EXPECT_THAT(Bakes(plan), ElementsAre(absl::Minutes(5), absl::ZeroDuration()));
  EXPECT_EQ(plan.waves[0].stage, "canary");
  EXPECT_EQ(plan.waves[1].stage, "rest");
  // On targets: 10% of 20 is 2, then the other 18.
  options.traffic_routed = false;
  plan = PlanOrDie(NewCanaryScheduler(options), FlatFleet(20));
  EXPECT_THAT(WaveSizes(plan), ElementsAre(2, 18));
  EXPECT_THAT(plan.waves[0].targets, ElementsAre(0, 1));
  // A tiny canary still gets one target (Argo never rounds 1..99 to 0).
  options.percent = 1;
  EXPECT_THAT(WaveSizes(PlanOrDie(NewCanaryScheduler(options), FlatFleet(20))),
              ElementsAre(1, 19));
}

TEST(CanaryTest, BadPercent) {
  CanaryOptions options;
  options.percent = 150;
  EXPECT_THAT(NewCanaryScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("canary.percent: must be in (0, 100] (got "
                                 "150)")));
}

TEST(ExponentialTest, AppConfigCanary10Percent20Minutes) {
  // Exponential, growth factor 10, 20 minutes, final bake 10 minutes.
  ExponentialOptions options;
  options.growth_factor = 10;
  options.deployment_duration = absl::Minutes(20);
  options.final_bake = absl::Minutes(10);
  options.traffic_routed = true;
  const WavePlan plan =
      PlanOrDie(NewExponentialScheduler(options), FlatFleet(1));
  EXPECT_THAT(Traffic(plan), ElementsAre(10, 20, 40, 80, 100));
  const absl::Duration four = absl::Minutes(4);
  EXPECT_THAT(Bakes(plan),
              ElementsAre(four, four, four, four, four + absl::Minutes(10)));
  // 10% at 0, 20% at 4m, 40% at 8m, 80% at 12m, 100% at 16m; done, with
  // the final bake, at 30m.
  EXPECT_EQ(WaveStartTimes(plan).back(), absl::Minutes(16));
}

TEST(ExponentialTest, AppConfigDocumentedGrowthFactor2) {
  // "2*(2^0) 2*(2^1) 2*(2^2) ... 2%, 4%, 8%, and continues until ... all".
  ExponentialOptions options;
  options.growth_factor = 2;
  options.traffic_routed = true;
  EXPECT_THAT(
      Traffic(PlanOrDie(NewExponentialScheduler(options), FlatFleet(1))),
      ElementsAre(2, 4, 8, 16, 32, 64, 100));
  // 12.5 * 2^3 is exactly 100: no extra step.
  options.growth_factor = 12.5;
  EXPECT_THAT(
      Traffic(PlanOrDie(NewExponentialScheduler(options), FlatFleet(1))),
      ElementsAre(12.5, 25, 50, 100));
}

TEST(ExponentialTest, TargetWavesFollowArgoRounding) {
  ExponentialOptions options;
  options.growth_factor = 10;
  // 10% of 30 is 3, 20% is 6, 40% is 12, 80% is 24, then 30.
  EXPECT_THAT(
      WaveSizes(PlanOrDie(NewExponentialScheduler(options), FlatFleet(30))),
      ElementsAre(3, 3, 6, 12, 6));
}

TEST(ExponentialTest, GrowthMustExceedOne) {
  ExponentialOptions options;
  options.multiplier = 1;
  EXPECT_THAT(NewExponentialScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("exponential.multiplier: must be finite and "
                                 "> 1 (got 1)")));
  options.multiplier = 2;
  options.growth_factor = -1;
  EXPECT_THAT(NewExponentialScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("exponential.growth_factor: must be in "
                                 "(0, 100] (got -1)")));
  options.growth_factor = 1e-30;
  options.multiplier = 1.0001;
  EXPECT_THAT(NewExponentialScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("steps, more than 10000")));
}

TEST(StepsTest, ArgoSetWeightStepsWithPauses) {
  // setWeight 20, pause {}, setWeight 40, pause 40s, setWeight 60, pause
  // 20s, setWeight 80, pause 20s; then Argo promotes to 100%.
  StepsOptions options;
  options.steps = {{20, absl::ZeroDuration()},
                   {40, absl::Seconds(40)},
                   {60, absl::Seconds(20)},
                   {80, absl::Seconds(20)}};
  options.final_bake = absl::Minutes(5);
  WavePlan plan = PlanOrDie(NewStepsScheduler(options), FlatFleet(5));
  EXPECT_THAT(WaveSizes(plan), ElementsAre(1, 1, 1, 1, 1));
  EXPECT_EQ(plan.waves[4].stage, "promotion");
  EXPECT_EQ(plan.waves[4].bake, absl::Minutes(5));
  EXPECT_EQ(plan.strategy, "steps(20%, 40%, 60%, 80%)");
  options.traffic_routed = true;
  plan = PlanOrDie(NewStepsScheduler(options), FlatFleet(5));
  EXPECT_THAT(Traffic(plan), ElementsAre(20, 40, 60, 80, 100));
  EXPECT_THAT(Bakes(plan), ElementsAre(absl::ZeroDuration(), absl::Seconds(40),
                                       absl::Seconds(20), absl::Seconds(20),
                                       absl::Minutes(5)));
}

TEST(StepsTest, FlaggerStepWeightsEndingAt100) {
  // stepWeights [1, 2, 10, 80]: the last step is followed by promotion.
  StepsOptions options;
  options.steps = {{1, kMin}, {2, kMin}, {10, kMin}, {100, kMin}};
  options.final_bake = kMin;
  options.traffic_routed = true;
  const WavePlan plan = PlanOrDie(NewStepsScheduler(options), FlatFleet(1));
  EXPECT_THAT(Traffic(plan), ElementsAre(1, 2, 10, 100));
  EXPECT_EQ(plan.waves.back().bake, 2 * kMin);  // its own bake + final
}

TEST(StepsTest, ALeadingStepAddingNoTargetKeepsItsBake) {
  // On 1 target, 10% adds nobody: its 5m joins the first wave's bake, so
  // the plan takes 5m + 10m + the final 1m = 16m (docs/waves.md: "the
  // timeline keeps its length").
  StepsOptions options;
  options.steps = {{10, 5 * kMin}, {50, 10 * kMin}};
  options.final_bake = kMin;
  const WavePlan plan = PlanOrDie(NewStepsScheduler(options), FlatFleet(1));
  absl::Duration total = absl::ZeroDuration();
  for (const Wave& w : plan.waves) total += w.bake;
  EXPECT_EQ(total, 16 * kMin);
  EXPECT_THAT(WaveSizes(plan), ElementsAre(1));
}

TEST(StepsTest, StepsAddingNoTargetJoinTheWaveBefore) {
  // On 10 targets: 1% -> 1 target, 2% -> 1, 5% -> 1 (0.5 rounds up): the
  // 2% and 5% steps add nothing, so their pauses extend the first wave.
  StepsOptions options;
  options.steps = {{1, kMin}, {2, 2 * kMin}, {5, 3 * kMin}};
  const WavePlan plan = PlanOrDie(NewStepsScheduler(options), FlatFleet(10));
  EXPECT_THAT(WaveSizes(plan), ElementsAre(1, 9));
  EXPECT_EQ(plan.waves[0].bake, 6 * kMin);
}

TEST(StepsTest, BadSteps) {
  StepsOptions options;
  EXPECT_THAT(NewStepsScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("steps.steps: must not be empty")));
  options.steps = {{20, kMin}, {10, kMin}};
  EXPECT_THAT(NewStepsScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("steps.steps[1].percent: must be greater "
                                 "than the step before (got 10 after 20)")));
  options.steps = {{20, kMin}, {101, kMin}};
  EXPECT_THAT(NewStepsScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("steps.steps[1].percent: must be in (0, 100] "
                                 "(got 101)")));
}

TEST(FlaggerTest, StepWeightOvershootsMaxWeightAsFlaggerDoes) {
  // stepWeight 20, maxWeight 50: 20, 40, 60 (Flagger adds stepWeight while
  // below maxWeight), then promotion.
  FlaggerOptions options;
  options.step_weight = 20;
  options.max_weight = 50;
  options.interval = kMin;
  options.final_bake = absl::Minutes(3);
  WavePlan plan = PlanOrDie(NewFlaggerScheduler(options), FlatFleet(1));
  EXPECT_THAT(Traffic(plan), ElementsAre(20, 40, 60, 100));
  EXPECT_THAT(Bakes(plan), ElementsAre(kMin, kMin, kMin, absl::Minutes(3)));
  EXPECT_EQ(plan.waves.back().stage, "promotion");
  // stepWeight 10, maxWeight 50: 10..50, then promotion.
  options.step_weight = 10;
  EXPECT_THAT(Traffic(PlanOrDie(NewFlaggerScheduler(options), FlatFleet(1))),
              ElementsAre(10, 20, 30, 40, 50, 100));
  // Default maxWeight is 100: the step reaching 100 is the promotion.
  options.max_weight = 100;
  options.step_weight = 25;
  plan = PlanOrDie(NewFlaggerScheduler(options), FlatFleet(1));
  EXPECT_THAT(Traffic(plan), ElementsAre(25, 50, 75, 100));
  EXPECT_EQ(plan.waves.back().bake, kMin + absl::Minutes(3));
  // Target waves on 8 targets: 25% -> 2 each.
  options.traffic_routed = false;
  EXPECT_THAT(WaveSizes(PlanOrDie(NewFlaggerScheduler(options), FlatFleet(8))),
              Each(2u));
}

TEST(FlaggerTest, BadOptions) {
  FlaggerOptions options;
  options.step_weight = 20;
  options.max_weight = 10;
  EXPECT_THAT(NewFlaggerScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("flagger.max_weight: must be in [step_weight, "
                                 "100] = [20, 100] (got 10)")));
  options.step_weight = 0;
  EXPECT_THAT(NewFlaggerScheduler(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("flagger.step_weight")));
}

TEST(ProgressionTest, DeterministicAndKeepsFleetOrder) {
  StepsOptions options;
  options.steps = {{10, kMin}, {50, kMin}};
  absl::StatusOr<std::unique_ptr<WaveScheduler>> s = NewStepsScheduler(options);
  const Fleet fleet = FlatFleet(10);
  const WavePlan a = PlanOrDie(s, fleet);
  EXPECT_EQ(a, PlanOrDie(s, fleet));
  std::vector<Fleet::TargetIndex> all;
  for (const Wave& w : a.waves) {
    all.insert(all.end(), w.targets.begin(), w.targets.end());
  }
  EXPECT_THAT(all, ElementsAre(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
}

}  // namespace
}  // namespace sluice

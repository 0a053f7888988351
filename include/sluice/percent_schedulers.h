// Copyright 2026 The Sluice Authors.
//
// Percent progressions: linear and canary (CodeDeploy, AppConfig),
// exponential (AppConfig), explicit steps (Argo Rollouts' setWeight, Flagger's
// stepWeights) and Flagger's stepWeight / maxWeight.
//
// Each is a list of cumulative percents with a bake after each, planned
// either as traffic waves (`traffic_routed = true`: each wave sets a traffic
// percent and deploys nothing) or as target waves (the percent of the fleet
// is turned into a target count as Argo Rollouts does for a basic canary:
// the nearest count, ties rounding up; see docs/waves.md). Factories
// validate their options; errors name the option, e.g.
// "linear.step_percent: must be in (0, 100] (got 0)". The schedulers are
// thread-safe (const).
//
// Example (Argo Rollouts' steps 10%, 50%, then promotion, as traffic):
//
//   sluice::StepsOptions options;
//   options.steps = {{10, absl::Minutes(10)}, {50, absl::Minutes(30)}};
//   options.traffic_routed = true;
//   absl::StatusOr<std::unique_ptr<sluice::WaveScheduler>> scheduler =
//       sluice::NewStepsScheduler(options);
//   if (!scheduler.ok()) return scheduler.status();
//   absl::StatusOr<sluice::WavePlan> plan = (*scheduler)->Plan(fleet);

#ifndef SLUICE_PERCENT_SCHEDULERS_H_
#define SLUICE_PERCENT_SCHEDULERS_H_

#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/wave_scheduler.h"

namespace sluice {

// Linear: `step_percent` more every `interval` until 100%, as CodeDeploy's
// Linear configurations (e.g. Linear10PercentEvery1Minute: 10%, 20%, ...,
// 100%, a minute apart) and AppConfig's LINEAR growth type (interval =
// deployment_duration / number of steps).
// Value type; thread-compatible.
struct LinearOptions {
  // The percent added at each step, in (0, 100]. Default: 10.
  double step_percent = 10;
  // Time between steps (the bake after every step but the last), as
  // CodeDeploy. Ignored when deployment_duration is set. Default: 1 minute.
  absl::Duration interval = absl::Minutes(1);
  // AppConfig's deployment time: when set, interval = deployment_duration /
  // ceil(100 / step_percent) and every step, the last included, bakes one
  // interval (the last then also bakes final_bake), so the rollout lasts
  // deployment_duration + final_bake as in AppConfig. Default: unset.
  std::optional<absl::Duration> deployment_duration;
  // Bake after the last step (AppConfig's final bake time). Default: zero.
  absl::Duration final_bake = absl::ZeroDuration();
  // Plan traffic waves (true) or target waves (false). Default: false.
  bool traffic_routed = false;
  // How each step's percent becomes a target count (target waves only;
  // must stay kDefault with traffic_routed). Default: kDefault (Argo
  // Rollouts' nearest count, ties up, kept in [1, n - 1] below 100%).
  PercentRounding rounding = PercentRounding::kDefault;
};
// Makes the linear scheduler; errors name the option, e.g.
// "linear.step_percent: must be in (0, 100] (got 0)".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewLinearScheduler(
    const LinearOptions& options);

// Canary: `percent`, then after `interval` the rest, as CodeDeploy's Canary
// configurations (e.g. Canary10Percent5Minutes).
// Value type; thread-compatible.
struct CanaryOptions {
  // The first step's percent, in (0, 100]; 100 is a single wave.
  // Default: 10.
  double percent = 10;
  // Time between the canary and the rest. Default: 5 minutes.
  absl::Duration interval = absl::Minutes(5);
  // Bake after the last step. Default: zero.
  absl::Duration final_bake = absl::ZeroDuration();
  // Plan traffic waves (true) or target waves (false). Default: false.
  bool traffic_routed = false;
  // How each step's percent becomes a target count (target waves only;
  // must stay kDefault with traffic_routed). Default: kDefault (Argo
  // Rollouts' nearest count, ties up, kept in [1, n - 1] below 100%).
  PercentRounding rounding = PercentRounding::kDefault;
};
// Makes the canary scheduler; errors name the option, e.g.
// "canary.percent: must be in (0, 100] (got 150)".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewCanaryScheduler(
    const CanaryOptions& options);

// Exponential growth as AppConfig's EXPONENTIAL growth type: step N (from 0)
// reaches G * multiplier^N percent, capped at 100; the steps are spread evenly
// over deployment_duration (AppConfig's multiplier is 2: G=10 gives 10%, 20%,
// 40%, 80%, 100%). As AppConfig, every step bakes deployment_duration / the
// number of steps, and the last step then also bakes final_bake.
// Value type; thread-compatible.
struct ExponentialOptions {
  // G, the first step's percent, in (0, 100]. AppConfig calls it the growth
  // factor. Default: 10.
  double growth_factor = 10;
  // The ratio between consecutive steps; must be > 1. AppConfig uses 2.
  // Default: 2.
  double multiplier = 2;
  // Total time over which the steps are spread: interval = duration / number
  // of steps. Default: 20 minutes (AppConfig.Canary10Percent20Minutes).
  absl::Duration deployment_duration = absl::Minutes(20);
  // Bake after the last step (AppConfig's final bake time). Default: zero.
  absl::Duration final_bake = absl::ZeroDuration();
  // Plan traffic waves (true) or target waves (false). Default: false.
  bool traffic_routed = false;
  // How each step's percent becomes a target count (target waves only;
  // must stay kDefault with traffic_routed). Default: kDefault (Argo
  // Rollouts' nearest count, ties up, kept in [1, n - 1] below 100%).
  PercentRounding rounding = PercentRounding::kDefault;
};
// Makes the exponential scheduler; errors name the option, e.g.
// "exponential.multiplier: must be finite and > 1 (got 1)".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewExponentialScheduler(
    const ExponentialOptions& options);

// One explicit step: the cumulative percent and the bake after it.
// Value type; thread-compatible.
struct WeightStep {
  // Cumulative percent after the step, in (0, 100]. Default: 0 (invalid).
  double percent = 0;
  // Bake (Argo's pause duration) after the step. Default: zero.
  absl::Duration bake = absl::ZeroDuration();

  friend bool operator==(const WeightStep& a, const WeightStep& b) {
    return a.percent == b.percent && a.bake == b.bake;
  }
};

// Explicit steps, as Argo Rollouts' setWeight steps or Flagger's
// stepWeights. Percents must strictly increase. If the last is below 100, a
// final 100% step ("promotion") follows, baking final_bake (Argo and Flagger
// promote to 100% after the last step); if the last is 100, it bakes its own
// bake plus final_bake.
// Value type; thread-compatible.
struct StepsOptions {
  // The steps, at least one. Default: empty (invalid).
  std::vector<WeightStep> steps;
  // Bake after the final 100% step. Default: zero.
  absl::Duration final_bake = absl::ZeroDuration();
  // Plan traffic waves (true) or target waves (false). Default: false.
  bool traffic_routed = false;
  // How each step's percent becomes a target count (target waves only;
  // must stay kDefault with traffic_routed). Default: kDefault (Argo
  // Rollouts' nearest count, ties up, kept in [1, n - 1] below 100%).
  PercentRounding rounding = PercentRounding::kDefault;
};
// Makes the explicit-steps scheduler; errors name the step, e.g.
// "steps.steps[1].percent: must be greater than the step before".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewStepsScheduler(
    const StepsOptions& options);

// Flagger's progressive canary: the canary weight grows by stepWeight each
// analysis `interval` while it is below maxWeight (capped at 100, so the last
// step may pass maxWeight: step 20, max 50 gives 20, 40, 60), then promotion
// routes 100% to the new version. When a step reaches 100 it is the
// promotion.
// Value type; thread-compatible.
struct FlaggerOptions {
  // stepWeight, in (0, 100]. Default: 10.
  double step_weight = 10;
  // maxWeight, in [step_weight, 100]. Default: 100 (Flagger's value when
  // maxWeight is unset).
  double max_weight = 100;
  // The analysis interval: the bake after each step. Default: 1 minute.
  absl::Duration interval = absl::Minutes(1);
  // Bake after promotion. Default: zero.
  absl::Duration final_bake = absl::ZeroDuration();
  // Plan traffic waves (true, Flagger's own mode) or target waves (false).
  // Default: true.
  bool traffic_routed = true;
  // How each step's percent becomes a target count (target waves only;
  // must stay kDefault with traffic_routed). Default: kDefault (Argo
  // Rollouts' nearest count, ties up, kept in [1, n - 1] below 100%).
  PercentRounding rounding = PercentRounding::kDefault;
};
// Makes the Flagger scheduler; errors name the option, e.g.
// "flagger.max_weight: must be in [step_weight, 100] ...".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewFlaggerScheduler(
    const FlaggerOptions& options);

}  // namespace sluice

#endif  // SLUICE_PERCENT_SCHEDULERS_H_

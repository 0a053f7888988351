// Copyright 2026 The Sluice Authors.
//
// WaveScheduler: turns a Fleet into a WavePlan (sluice/wave_plan.h), the
// ordered waves of a rollout.
//
// Built-in schedulers cover the shapes operators use, each made by a
// validating factory whose errors name the parameter
// ("staged.max_regions_per_wave: must be >= 1 (got 0)"):
//
//   all-at-once, one-at-a-time, half-at-a-time   CodeDeploy's predefined
//                                                 configurations
//   batches        fixed batches of a count or a percent of the fleet
//   min-healthy    CodeDeploy minimum healthy hosts (HOST_COUNT/FLEET_PERCENT)
//   rolling        Kubernetes maxSurge / maxUnavailable
//   linear, canary CodeDeploy Linear/Canary, AppConfig linear
//   exponential    AppConfig exponential (G * 2^N)
//   steps          Argo Rollouts setWeight steps, Flagger stepWeights
//   flagger        Flagger stepWeight / maxWeight
//   staged         one-box -> zone batch -> zone -> zones -> growing region
//                  waves, the regional shape large operators use
//   composite      stages, each a scheduler applied to the targets a Selector
//                  picks
//
// Percent-based strategies (linear, canary, exponential, steps, flagger) plan
// either traffic waves (`traffic_routed = true`: each wave sets a traffic
// percent and deploys nothing) or target waves (the percent of the fleet is
// turned into a target count as Argo Rollouts does for a basic canary: the
// nearest count, ties rounding up; see docs/waves.md).
//
// Every built-in is deterministic: the same fleet and options give the same
// plan, byte for byte.
//
// Example:
//
//   sluice::StagedOptions options;
//   options.region_order = {"us-west-2"};  // then least weight first
//   options.max_regions_per_wave = 4;
//   options.bakes.first_region = absl::Hours(2);
//   absl::StatusOr<std::unique_ptr<sluice::WaveScheduler>> scheduler =
//       sluice::NewStagedScheduler(options);
//   if (!scheduler.ok()) return scheduler.status();
//   absl::StatusOr<sluice::WavePlan> plan = (*scheduler)->Plan(fleet);
//   if (!plan.ok()) return plan.status();  // e.g. "staged.region_order[0]:
//                                          // region \"us-west-2\" is not in
//                                          // the fleet"

#ifndef SLUICE_WAVE_SCHEDULER_H_
#define SLUICE_WAVE_SCHEDULER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/fleet.h"
#include "sluice/selector.h"
#include "sluice/wave_plan.h"

namespace sluice {

// Makes wave plans. Host code may implement it; built-ins come from the
// factories below.
//
// Implementations must be deterministic and must put every target they are
// given in exactly one wave (or, for traffic-routed plans, none).
//
// Thread-safe: Plan() and PlanSubset() are const and may be called
// concurrently; implementations must keep that contract.
class WaveScheduler {
 public:
  virtual ~WaveScheduler() = default;

  // A short description for logs and plans, e.g. "min-healthy(HOST_COUNT 6)".
  virtual std::string name() const = 0;

  // Plans the whole fleet. Errors are kInvalidArgument naming the parameter
  // that the fleet cannot satisfy, e.g. "min_healthy.host_count: 9 of 9
  // targets must stay healthy, so no batch can deploy".
  virtual absl::StatusOr<WavePlan> Plan(const Fleet& fleet) const = 0;

  // Plans only `subset` (distinct indices into `fleet`, at least one): the
  // waves hold only those targets, and sizes and percents are relative to
  // the subset. Cumulative fractions in the result are relative to the whole
  // `fleet`. Composite schedulers and Replan() use it.
  //
  // The default builds a Fleet of the subset's targets, calls Plan() and maps
  // the indices back; built-ins override it to avoid the copy.
  virtual absl::StatusOr<WavePlan> PlanSubset(
      const Fleet& fleet, absl::Span<const Fleet::TargetIndex> subset) const;
};

// A number of targets, given as a count or as a percent of the fleet (or of
// the part of it the strategy is applied to). Value type; thread-compatible.
struct CountOrPercent {
  // Which of the two the value is.
  enum class Unit { kCount, kPercent };
  // Default: kCount.
  Unit unit = Unit::kCount;
  // The count (a whole number) or the percent. Default: 0.
  double value = 0;

  // A count of targets.
  static CountOrPercent Count(int64_t count) {
    return {Unit::kCount, static_cast<double>(count)};
  }
  // A percent of the fleet, e.g. Percent(25) for 25%.
  static CountOrPercent Percent(double percent) {
    return {Unit::kPercent, percent};
  }

  friend bool operator==(const CountOrPercent& a, const CountOrPercent& b) {
    return a.unit == b.unit && a.value == b.value;
  }
  friend bool operator!=(const CountOrPercent& a, const CountOrPercent& b) {
    return !(a == b);
  }
};

// ---- CodeDeploy's predefined configurations and fixed batches.

// One wave with every target. As CodeDeploy's CodeDeployDefault.AllAtOnce
// (minimum healthy hosts: 0), the wave tolerates all but one failure: it
// succeeds when at least one target deploys. Set `max_failed_targets` to be
// stricter.
// Value type; thread-compatible.
struct AllAtOnceOptions {
  // Bake time after the wave (the final bake). Default: zero.
  absl::Duration bake = absl::ZeroDuration();
  // Failures tolerated; must be >= 0. Default: unset, meaning all but one
  // target, as CodeDeploy.
  std::optional<int64_t> max_failed_targets;
};
// Makes the all-at-once scheduler; errors name the option, e.g.
// "all_at_once.max_failed_targets: must be >= 0 (got -1)".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewAllAtOnceScheduler(
    const AllAtOnceOptions& options = {});

// One target per wave, in fleet order. As CodeDeploy's
// CodeDeployDefault.OneAtATime: every wave but the last tolerates no failure;
// the last tolerates one ("if deployment to the last instance fails, the
// overall deployment still succeeds").
// Value type; thread-compatible.
struct OneAtATimeOptions {
  // Bake time after each wave. Default: zero.
  absl::Duration bake = absl::ZeroDuration();
};
// Makes the one-at-a-time scheduler; errors name the option
// ("one_at_a_time.bake: ...").
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewOneAtATimeScheduler(
    const OneAtATimeOptions& options = {});

// Half the fleet (rounded down) per wave, as CodeDeploy's
// CodeDeployDefault.HalfAtATime, which is minimum healthy hosts FLEET_PERCENT
// 50: the minimum rounds up, so 9 targets deploy 4, 4, 1. A one-target fleet
// deploys its target in one wave tolerating no failure, where CodeDeploy would
// fail the deployment (see docs/waves.md).
// Value type; thread-compatible.
struct HalfAtATimeOptions {
  // Bake time after each wave. Default: zero.
  absl::Duration bake = absl::ZeroDuration();
};
// Makes the half-at-a-time scheduler; errors name the option
// ("half_at_a_time.bake: ...").
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewHalfAtATimeScheduler(
    const HalfAtATimeOptions& options = {});

// Fixed batches of `size` targets, in fleet order; the last may be smaller.
// A percent is of the fleet and rounds up to at least one target.
// Value type; thread-compatible.
struct BatchOptions {
  // Targets per batch: a count >= 1 or a percent in (0, 100]. Default: 1.
  CountOrPercent size = CountOrPercent::Count(1);
  // Bake time after each batch. Default: zero.
  absl::Duration bake = absl::ZeroDuration();
  // Failures each batch tolerates: a count >= 0 or a percent in [0, 100] of
  // the batch, rounding down. Default: 0.
  CountOrPercent max_failed_per_batch = CountOrPercent::Count(0);
};
// Makes the fixed-batch scheduler; errors name the option, e.g.
// "batches.size.count: must be a whole number >= 1 (got 0)".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewBatchScheduler(
    const BatchOptions& options);

// CodeDeploy's minimum healthy hosts. A percent (FLEET_PERCENT) converts to a
// count M by rounding up; each batch is the largest that keeps M targets
// healthy, N - M; e.g. 9 targets with HOST_COUNT 6 deploy 3, 3, 3. A count of
// 0 deploys all at once. M >= N (no batch can deploy) is an error, as
// CodeDeploy fails such a deployment at once. The failure budgets keep at
// least M targets healthy at every wave, and at least one target must
// succeed (CodeDeploy's rule).
// Value type; thread-compatible.
struct MinHealthyOptions {
  // The minimum: a count >= 0 (HOST_COUNT) or a percent in [0, 100)
  // (FLEET_PERCENT). Default: a count of 0 (all targets in one wave).
  CountOrPercent min_healthy = CountOrPercent::Count(0);
  // Bake time after each batch. Default: zero.
  absl::Duration bake = absl::ZeroDuration();
};
// Makes the minimum-healthy scheduler; errors name the option, e.g.
// "min_healthy.fleet_percent: must be in [0, 100] (got 120)". A minimum
// the fleet cannot satisfy is reported by Plan().
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewMinHealthyScheduler(
    const MinHealthyOptions& options);

// ---- Kubernetes.

// A Kubernetes rolling update with maxSurge / maxUnavailable. Percents are of
// the fleet; surge rounds up and unavailable rounds down; if both are 0,
// unavailable becomes 1 (ResolveFenceposts). Each wave updates surge +
// unavailable targets: the host brings up `surge` extra capacity so that at
// most `unavailable` targets' worth is missing. The failure budgets keep
// N - unavailable targets available.
// Value type; thread-compatible.
struct RollingOptions {
  // Extra targets allowed above the fleet size: a count >= 0 or a percent in
  // [0, 100]. Default: 25%, as Kubernetes.
  CountOrPercent max_surge = CountOrPercent::Percent(25);
  // Targets allowed to be unavailable: a count >= 0 or a percent in
  // [0, 100]. Default: 25%, as Kubernetes.
  CountOrPercent max_unavailable = CountOrPercent::Percent(25);
  // Bake time after each wave (Kubernetes' minReadySeconds plays this role).
  // Default: zero.
  absl::Duration bake = absl::ZeroDuration();
};
// Makes the rolling-update scheduler; errors name the option, e.g.
// "rolling.max_unavailable: may not be 0 when max_surge is 0".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewRollingScheduler(
    const RollingOptions& options = {});

// ---- Percent progressions (traffic or targets).

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
};
// Makes the linear scheduler; errors name the option, e.g.
// "linear.step_percent: must be in (0, 100] (got 0)".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewLinearScheduler(
    const LinearOptions& options);

// Canary: `percent`, then after `interval` the rest, as CodeDeploy's Canary
// configurations (e.g. Canary10Percent5Minutes).
// Value type; thread-compatible.
struct CanaryOptions {
  // The first step's percent, in (0, 100). Default: 10.
  double percent = 10;
  // Time between the canary and the rest. Default: 5 minutes.
  absl::Duration interval = absl::Minutes(5);
  // Bake after the last step. Default: zero.
  absl::Duration final_bake = absl::ZeroDuration();
  // Plan traffic waves (true) or target waves (false). Default: false.
  bool traffic_routed = false;
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
};
// Makes the Flagger scheduler; errors name the option, e.g.
// "flagger.max_weight: must be in [step_weight, 100] ...".
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewFlaggerScheduler(
    const FlaggerOptions& options);

// ---- Topology-aware staged plans.

// The order regions are deployed in after those listed in
// StagedOptions::region_order.
enum class RegionOrder {
  // Least total weight (traffic) first; ties by name.
  kLeastWeightFirst,
  // By name.
  kByName,
};

// Bake times of the staged plan's stages. Each applies to the waves of its
// stage; `first_zone` and `first_region` replace the bake of the wave that
// completes the first zone / the first region.
// Value type; thread-compatible.
struct StagedBakes {
  // After the one-box wave. Default: 30 minutes.
  absl::Duration one_box = absl::Minutes(30);
  // After each batch inside the first zone. Default: 30 minutes.
  absl::Duration first_zone_batch = absl::Minutes(30);
  // After the wave that completes the first zone (CodeDeploy's first zone
  // monitor duration). Default: 1 hour.
  absl::Duration first_zone = absl::Hours(1);
  // After each later zone wave of the first region. Default: 30 minutes.
  absl::Duration zone = absl::Minutes(30);
  // After the wave that completes the first region. Default: 2 hours.
  absl::Duration first_region = absl::Hours(2);
  // After each region's one-box wave in a region wave. Default: 30 minutes.
  absl::Duration region_one_box = absl::Minutes(30);
  // After each zone wave of a region wave. Default: 30 minutes.
  absl::Duration region_wave = absl::Minutes(30);
  // After the last wave, replacing its stage's bake. Default: unset (the
  // stage's bake).
  std::optional<absl::Duration> final_bake;

  friend bool operator==(const StagedBakes& a, const StagedBakes& b);
};

// The staged, topology-aware plan:
//   1. one-box: one target (or targets weighing at most
//      one_box_max_weight_percent) in the first zone of the first region;
//   2. first-zone-batch: batches inside that zone;
//   3. first-zone: the rest of that zone;
//   4. zone: the other zones of the first region, max_zones_per_wave at a
//      time;
//   5. region waves: the other regions in waves of 1, 2, 4, ... regions
//      (first_region_wave_size * region_growth^k, at most
//      max_regions_per_wave), each split into zone waves that hold at most
//      max_zones_per_wave zones of each region (region-one-box waves first
//      when one_box_every_region).
// Zones deploy in name order within a region; targets keep fleet order.
// Value type; thread-compatible.
struct StagedOptions {
  // Regions to deploy first, in order; must be in the fleet. Other regions
  // follow in `region_order_default` order. Default: empty.
  std::vector<std::string> region_order;
  // The order of regions not listed. Default: kLeastWeightFirst.
  RegionOrder region_order_default = RegionOrder::kLeastWeightFirst;
  // Start with a one-box wave. Default: true.
  bool one_box = true;
  // When set, the one-box wave takes the first zone's targets, in fleet
  // order, that fit under this percent of the fleet's weight, in (0, 100];
  // at least one must fit. Default: unset (exactly one target).
  std::optional<double> one_box_max_weight_percent;
  // Start every later region with a one-box wave too (one target of each
  // region of the region wave). Default: false.
  bool one_box_every_region = false;
  // Batch size inside the first zone after the one-box: a count >= 1 or a
  // percent in (0, 100] of the zone, rounding up. Unset skips the stage.
  // Default: 10%.
  std::optional<CountOrPercent> first_zone_batch = CountOrPercent::Percent(10);
  // At most this many zones of one region deploy in one wave; >= 1.
  // Default: 1.
  int64_t max_zones_per_wave = 1;
  // At most this many regions in one region wave; >= 1. Default: unset (no
  // limit).
  std::optional<int64_t> max_regions_per_wave;
  // Regions in the first region wave; >= 1. Default: 1.
  int64_t first_region_wave_size = 1;
  // Each region wave has region_growth times as many regions as the one
  // before (rounded up); > 1. Default: 2.
  double region_growth = 2;
  // Bake times per stage. Default: see StagedBakes.
  StagedBakes bakes;
  // Failures each wave tolerates: a count >= 0 or a percent in [0, 100] of
  // the wave, rounding down. Default: 0.
  CountOrPercent max_failed_per_wave = CountOrPercent::Count(0);
};
// Makes the staged scheduler; errors name the option, e.g.
// "staged.max_regions_per_wave: must be >= 1 (got 0)". Regions the fleet
// lacks are reported by Plan().
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewStagedScheduler(
    const StagedOptions& options);

// ---- Composition.

// One stage of a composite plan: a scheduler applied to the targets its
// selector picks that no earlier stage took.
// Move-only (it owns its scheduler); thread-compatible.
struct CompositeStage {
  // The stage's name; non-empty and unique in the composite. It becomes the
  // Wave::stage of the stage's waves and prefixes their names. Default: empty.
  std::string name;
  // The targets of the stage; the empty selector takes every target not yet
  // taken. Default: empty.
  Selector selector;
  // Plans the stage's targets; required. Must not be traffic-routed.
  // Default: null (invalid).
  std::unique_ptr<WaveScheduler> scheduler;
};

// Stages run in order; every target must be taken by some stage (end with an
// empty selector to take the rest), and every stage must take at least one
// target, else Plan() fails naming the stage. Move-only (it owns the stages'
// schedulers); thread-compatible.
struct CompositeOptions {
  // The stages, at least one. Default: empty (invalid).
  std::vector<CompositeStage> stages;
};
// Makes the composite scheduler, taking ownership of the stages'
// schedulers; errors name the stage, e.g. "composite.stages[1].name: must
// not be empty". Selectors that match nothing are reported by Plan().
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewCompositeScheduler(
    CompositeOptions options);

// ---- Replanning.

// Replans a rollout whose fleet changed. `previous` was made by `scheduler`
// for `old_fleet`, and its first `waves_started` waves have started. The new
// plan, for `new_fleet` (targets matched by id):
//   - keeps every started wave as it was (targets no longer in the fleet are
//     dropped from it; its name, stage, bake and budget are unchanged);
//   - then follows scheduler.Plan(new_fleet) with the started waves' targets
//     removed and waves left empty dropped, so new targets land only in waves
//     not yet started, where the scheduler puts them for the new fleet.
// Traffic-routed plans keep the started waves and then the new plan's waves
// whose percent is above the last started one.
// Errors (kInvalidArgument) name the argument: "waves_started: must be in
// [0, 5] (got 7)", "previous.waves[2].targets[0]: index 12 is not in
// old_fleet (size 10)".
absl::StatusOr<WavePlan> Replan(const WaveScheduler& scheduler,
                                const WavePlan& previous, size_t waves_started,
                                const Fleet& old_fleet, const Fleet& new_fleet);

}  // namespace sluice

#endif  // SLUICE_WAVE_SCHEDULER_H_

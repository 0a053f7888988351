// Copyright 2026 The Sluice Authors.
//
// Count-based wave schedulers: CodeDeploy's predefined configurations
// (all-at-once, one-at-a-time, half-at-a-time), fixed batches, CodeDeploy's
// minimum healthy hosts, and Kubernetes' rolling update (maxSurge /
// maxUnavailable).
//
// Each cuts the fleet, in fleet order, into waves of a number of targets and
// gives every wave a failure budget (Wave::max_failed_targets) following its
// peer's rule, with the peer's rounding (docs/waves.md). Factories validate
// their options; errors name the option, e.g. "batches.size.count: must be a
// whole number >= 1 (got 0)". The schedulers are thread-safe (const).
//
// Example (CodeDeploy's HOST_COUNT 6 on 9 targets: waves of 3, 3, 3):
//
//   sluice::MinHealthyOptions options;
//   options.min_healthy = sluice::CountOrPercent::Count(6);
//   options.bake = absl::Minutes(5);
//   absl::StatusOr<std::unique_ptr<sluice::WaveScheduler>> scheduler =
//       sluice::NewMinHealthyScheduler(options);
//   if (!scheduler.ok()) return scheduler.status();
//   absl::StatusOr<sluice::WavePlan> plan = (*scheduler)->Plan(fleet);

#ifndef SLUICE_BATCH_SCHEDULERS_H_
#define SLUICE_BATCH_SCHEDULERS_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/wave_scheduler.h"

namespace sluice {

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
// A percent is of the fleet and rounds up (or as `rounding` says) to at
// least one target.
// Value type; thread-compatible.
struct BatchOptions {
  // Targets per batch: a count >= 1 or a percent in (0, 100]. Default: 1.
  CountOrPercent size = CountOrPercent::Count(1);
  // How a percent `size` becomes a count (at least 1). Default: kDefault
  // (up).
  PercentRounding rounding = PercentRounding::kDefault;
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
// the fleet; surge rounds up and unavailable rounds down; if both resolve to
// 0, unavailable becomes 1 (ResolveFenceposts); both set to 0 is an error
// (as Kubernetes validation). Each wave updates surge +
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

}  // namespace sluice

#endif  // SLUICE_BATCH_SCHEDULERS_H_

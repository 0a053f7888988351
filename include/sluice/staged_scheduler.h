// Copyright 2026 The Sluice Authors.
//
// The staged, topology-aware wave scheduler: the regional shape large
// operators use.
//
// One box first, then batches inside the first zone, the rest of that zone,
// the other zones of the first region, then the other regions in growing
// waves (1, 2, 4, ... regions), each region wave split into zone waves so
// that no wave touches two zones of one region at once. Every stage has its
// own bake. Planning is linear in the number of targets and deterministic.
// Errors name the option, e.g. "staged.max_regions_per_wave: must be >= 1
// (got 0)"; regions the fleet lacks are reported by Plan(). The scheduler is
// thread-safe (const).
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

#ifndef SLUICE_STAGED_SCHEDULER_H_
#define SLUICE_STAGED_SCHEDULER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/wave_scheduler.h"

namespace sluice {

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
  // After each zone batch (StagedOptions::zone_batch) of the first region's
  // later zones and of region waves. Default: 30 minutes.
  absl::Duration zone_batch = absl::Minutes(30);
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
// With zone_batch, each zone wave of steps 4 and 5 whose zones hold no
// target of an earlier wave is preceded by a wave of each zone's first
// zone_batch targets (stage "zone-batch", or "region-zone-batch" in region
// waves), so every wave that completes a zone has targets of its own zone
// on each version to be judged against: the batch the old-version rest, the
// rest the batch (docs/waves.md#staged, docs/gates.md#self-baseline).
// Zones deploy in name order within a region; targets keep fleet order.
// A target spanning several zones or regions (Fleet::spans_several: an
// autoscaling group for three zones, a global load balancer) is in none of
// these waves: it deploys in a wave of its own, stage "spanning", right after
// the last wave that deploys any zone it spans (any zone of the regions it
// spans), so only once all of them have been deployed and baked; that wave
// bakes as long as the wave before it (bakes.first_region when no wave
// deploys its zones: it then goes last) and carries a Wave::note saying why.
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
  // Batch size of every later zone that no earlier wave has touched (the
  // first region's other zones; in region waves, every zone but the one
  // holding the region's one-box): a count >= 1 or a percent in (0, 100] of
  // the zone, rounding as `rounding`, at least 1 and at most the zone's
  // size minus 1 (a zone of one target is not split). With
  // max_zones_per_wave > 1 the batches of a wave's zones deploy together.
  // Unset: each zone deploys whole. Default: unset.
  std::optional<CountOrPercent> zone_batch;
  // How a percent first_zone_batch or zone_batch becomes a count (at least
  // 1). Default: kDefault (up).
  PercentRounding rounding = PercentRounding::kDefault;
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
  // the wave, rounding down, so the budget scales with the wave (1% of a
  // 400-target zone is 4; a one-box or a wave under 100 targets tolerates
  // none). A target counts once it has used all its tries
  // (RolloutOptions::deploy_attempts). Count(0) tolerates no failure.
  // Default: 1%.
  CountOrPercent max_failed_per_wave = CountOrPercent::Percent(1);
};
// Makes the staged scheduler; errors name the option, e.g.
// "staged.max_regions_per_wave: must be >= 1 (got 0)". Regions the fleet
// lacks are reported by Plan().
absl::StatusOr<std::unique_ptr<WaveScheduler>> NewStagedScheduler(
    const StagedOptions& options);

}  // namespace sluice

#endif  // SLUICE_STAGED_SCHEDULER_H_

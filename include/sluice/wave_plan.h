// Copyright 2026 The Sluice Authors.
//
// WavePlan: the ordered waves a rollout goes through, the output of a
// WaveScheduler (sluice/wave_scheduler.h) and the input of the rollout engine.
//
// A wave either deploys to a set of targets (indices into the Fleet the plan
// was made for, in a stable order) or, for traffic-routed rollouts, sets the
// share of traffic the new version receives (`traffic_percent`; `targets` is
// then empty: the host routes traffic, it deploys nothing per wave). Each wave
// carries the cumulative share of the fleet reached after it, the time to bake
// (watch the health gates) after it, and how many per-target failures it
// tolerates.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<sluice::WaveScheduler>> scheduler =
//       sluice::NewStagedScheduler(sluice::StagedOptions{});
//   if (!scheduler.ok()) return scheduler.status();
//   absl::StatusOr<sluice::WavePlan> plan = (*scheduler)->Plan(fleet);
//   if (!plan.ok()) return plan.status();
//   for (const sluice::Wave& wave : plan->waves) {
//     std::cout << wave.name << ": " << wave.targets.size() << " targets\n";
//   }
//   std::cout << sluice::WavePlanToTable(*plan, fleet);
//
// The proto form (sluice.v1.WavePlan, with target ids) is in
// sluice/wave_plan_proto.h.

#ifndef SLUICE_WAVE_PLAN_H_
#define SLUICE_WAVE_PLAN_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "sluice/fleet.h"

namespace sluice {

// One step of a rollout. Value type; thread-compatible.
struct Wave {
  // What a person reads in a log, e.g. "us-east-1 / use1-az2 one-box".
  // Default: empty.
  std::string name;
  // The stage of the strategy the wave belongs to, e.g. "one-box",
  // "first-zone-batch", "first-zone", "zone-batch", "zone", "region-one-box",
  // "region-zone-batch", "region-wave", "batch", "canary", "step".
  // Health-gate overrides are keyed by it.
  // Default: empty.
  std::string stage;
  // The targets deployed in this wave, as indices into the Fleet the plan was
  // made for, in a stable order (ascending fleet order unless the strategy
  // says otherwise). Empty for traffic-routed waves. Default: empty.
  std::vector<Fleet::TargetIndex> targets;
  // For traffic-routed waves: the percent of traffic, in (0, 100], the new
  // version receives from this wave on. Unset for target waves.
  // Default: unset.
  std::optional<double> traffic_percent;
  // The fraction of the fleet's targets, in [0, 1], deployed once this wave is
  // done (traffic waves: traffic_percent / 100). Default: 0.
  double cumulative_count_fraction = 0;
  // The fraction of the fleet's total weight, in [0, 1], deployed once this
  // wave is done (traffic waves: traffic_percent / 100). Default: 0.
  double cumulative_weight_fraction = 0;
  // How long to watch the health gates after the wave before the next one
  // starts. For the last wave, the final bake before the rollout completes.
  // Default: zero.
  absl::Duration bake = absl::ZeroDuration();
  // How many of this wave's targets may fail to deploy before the wave (and
  // the rollout) fails, derived from the strategy's minimum-healthy or
  // max-unavailable rule, as CodeDeploy counts failed instances. 0 means any
  // failure fails the wave. Default: 0.
  int64_t max_failed_targets = 0;
  // Why the strategy put the wave where it is, when that is not obvious from
  // its stage, for people reading the plan, e.g. why a target spanning
  // several zones deploys alone after them. Default: empty.
  std::string note;

  friend bool operator==(const Wave& a, const Wave& b);
  friend bool operator!=(const Wave& a, const Wave& b) { return !(a == b); }
};

// Prints the wave on one line, e.g.
// "Wave(\"us-east-1 / use1-az2 one-box\", stage one-box, 1 targets,
// cumulative 1.0% count / 0.9% weight, bake 10m, max failed 0)".
std::ostream& operator<<(std::ostream& os, const Wave& wave);

// An ordered list of waves. Value type; thread-compatible.
struct WavePlan {
  // The name of the strategy that made the plan, e.g. "staged",
  // "min-healthy(HOST_COUNT 6)". Default: empty.
  std::string strategy;
  // The waves in the order they run. Default: empty.
  std::vector<Wave> waves;

  // True when the plan's waves set traffic percentages instead of deploying
  // targets (every wave has traffic_percent).
  bool traffic_routed() const;
  // The number of target entries over all waves.
  size_t target_count() const;
  // The index of the wave that deploys `target`, or nullopt. Linear in the
  // plan's size: for many lookups use WaveIndexByTarget().
  std::optional<size_t> WaveOf(Fleet::TargetIndex target) const;
  // For each target index in [0, fleet_size), the index of its wave, or -1
  // when no wave deploys it. A target listed twice maps to its first wave.
  // Target indices >= fleet_size are ignored.
  std::vector<int32_t> WaveIndexByTarget(size_t fleet_size) const;

  friend bool operator==(const WavePlan& a, const WavePlan& b) {
    return a.strategy == b.strategy && a.waves == b.waves;
  }
  friend bool operator!=(const WavePlan& a, const WavePlan& b) {
    return !(a == b);
  }
};

// Prints "WavePlan(<strategy>, N waves)" followed by one line per wave.
std::ostream& operator<<(std::ostream& os, const WavePlan& plan);

// Renders the plan as a fixed-width table for people, one row per wave:
// wave index (from 0, as everywhere), name, stage, number of targets, the
// cumulative percent of the fleet by count and by weight, the bake time, and
// the failure budget, with a wave's note (Wave::note), if any, on an indented
// line below its row; for traffic plans: wave index, name, stage, start time
// (WaveStartTimes()), traffic percent and bake. Target ids are listed after the
// name when a wave has at most `max_ids` targets (default 3; 0 lists none).
// Requires that the plan was made for `fleet` (indices out of range are shown
// as "?").
std::string WavePlanToTable(const WavePlan& plan, const Fleet& fleet,
                            size_t max_ids = 3);

// When each wave starts if deploying took no time: the first at zero, each
// next one when the wave before it has baked. For traffic plans this is the
// traffic timeline (CodeDeploy's Linear10PercentEvery1Minute: 10% at 0, 20%
// at 1m, ..., 100% at 9m). The sum of all bakes is the plan's minimum length.
std::vector<absl::Duration> WaveStartTimes(const WavePlan& plan);

// Recomputes every target wave's cumulative count and weight fractions for
// `fleet` (traffic waves get traffic_percent / 100). Schedulers and Replan()
// call it; hosts that build or edit plans by hand may too.
void FillCumulativeFractions(const Fleet& fleet, WavePlan& plan);

}  // namespace sluice

#endif  // SLUICE_WAVE_PLAN_H_

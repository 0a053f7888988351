// Copyright 2026 The Sluice Authors.
//
// WaveScheduler: turns a Fleet into a WavePlan (sluice/wave_plan.h), the
// ordered waves of a rollout.
//
// This header holds the interface (which host code may implement) and
// CountOrPercent, the "6 targets or 25%" value the built-ins take. The
// built-ins cover the shapes operators use, each made by a validating
// factory whose errors name the parameter
// ("staged.max_regions_per_wave: must be >= 1 (got 0)"), one header per
// family:
//
//   sluice/batch_schedulers.h     all-at-once, one-at-a-time, half-at-a-time
//                                 (CodeDeploy's predefined configurations),
//                                 fixed batches, min-healthy (CodeDeploy
//                                 minimum healthy hosts), rolling
//                                 (Kubernetes maxSurge / maxUnavailable)
//   sluice/percent_schedulers.h   linear, canary (CodeDeploy, AppConfig),
//                                 exponential (AppConfig), steps (Argo
//                                 Rollouts, Flagger stepWeights), flagger
//                                 (stepWeight / maxWeight)
//   sluice/staged_scheduler.h     one-box -> zone batch -> zone -> zones ->
//                                 growing region waves, the regional shape
//                                 large operators use
//   sluice/composite_scheduler.h  stages, each a scheduler applied to the
//                                 targets a Selector picks
//   sluice/replan.h               a new plan for a changed fleet that keeps
//                                 the started waves
// A spec's strategy becomes a scheduler with NewScheduler(spec)
// (sluice/spec.h). For compatibility this header still includes the family
// headers at its end, so code that includes only "sluice/wave_scheduler.h"
// and calls, e.g., NewStagedScheduler() keeps compiling; new code includes
// the family header it uses.
//
// Every built-in is deterministic: the same fleet and options give the same
// plan, byte for byte.
//
// Example, a scheduler of the host's own:
//
//   // Every target of a region in one wave, regions by name.
//   class RegionByRegion : public sluice::WaveScheduler {
//    public:
//     std::string name() const override { return "region-by-region"; }
//     absl::StatusOr<sluice::WavePlan> Plan(
//         const sluice::Fleet& fleet) const override {
//       sluice::WavePlan plan;
//       plan.strategy = name();
//       for (const std::string& region : fleet.regions()) {
//         sluice::Wave wave;
//         wave.name = region;
//         for (sluice::Fleet::TargetIndex t = 0; t < fleet.size(); ++t) {
//           if (fleet.target(t).topology.region == region) {
//             wave.targets.push_back(t);
//           }
//         }
//         plan.waves.push_back(std::move(wave));
//       }
//       sluice::FillCumulativeFractions(fleet, plan);
//       return plan;
//     }
//   };

#ifndef SLUICE_WAVE_SCHEDULER_H_
#define SLUICE_WAVE_SCHEDULER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/fleet.h"
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

// How a percent of targets becomes a whole number of targets in the
// percent-based schedulers (the progressions' target waves, BatchOptions'
// size, StagedOptions' first_zone_batch). Whatever the rule, a wave that
// deploys anything has at least one target, and 100% is the whole fleet.
// docs/waves.md names each peer's rule and the setting that reproduces it.
enum class PercentRounding {
  // The scheduler's own rule, as its options struct says (the progressions:
  // Argo Rollouts' nearest count, ties up, kept in [1, n - 1] below 100%;
  // batches and the staged first-zone batch: up).
  kDefault,
  // Up (ceil): 10% of 15 is 2 (Kubernetes' maxSurge, CodeDeploy's minimum
  // healthy hosts).
  kUp,
  // Down (floor), at least 1: 10% of 15 is 1 (Kubernetes' maxUnavailable,
  // Azure Kubernetes Fleet Manager's maxConcurrency).
  kDown,
  // Nearest, ties up, at least 1: 10% of 15 is 2, 10% of 14 is 1.
  kNearest,
};
// "default", "up", "down", "nearest".
absl::string_view PercentRoundingName(PercentRounding rounding);

}  // namespace sluice

// Compatibility: the factories used to be declared here. Each family header
// includes this one first, so the order of these includes does not matter.
#include "sluice/batch_schedulers.h"     // IWYU pragma: export
#include "sluice/composite_scheduler.h"  // IWYU pragma: export
#include "sluice/percent_schedulers.h"   // IWYU pragma: export
#include "sluice/replan.h"               // IWYU pragma: export
#include "sluice/staged_scheduler.h"     // IWYU pragma: export

#endif  // SLUICE_WAVE_SCHEDULER_H_

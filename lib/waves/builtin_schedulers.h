// Copyright 2026 The Sluice Authors.
//
// Shared pieces of the built-in wave schedulers: the base class that turns
// Plan() into PlanSubset() over every target, the rounding rules of each peer
// (CodeDeploy, Kubernetes, Argo Rollouts), failure budgets, and option
// validation helpers whose errors name the parameter.

#ifndef SLUICE_LIB_WAVES_BUILTIN_SCHEDULERS_H_
#define SLUICE_LIB_WAVES_BUILTIN_SCHEDULERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/fleet.h"
#include "sluice/wave_plan.h"
#include "sluice/wave_scheduler.h"

namespace sluice::internal {

// Base of every built-in: Plan(fleet) plans all targets in fleet order;
// PlanSubset() checks the subset (in range, distinct, non-empty), calls
// PlanTargets(), sets the strategy name and fills the cumulative fractions.
// Thread-safe (const).
class BuiltinScheduler : public WaveScheduler {
 public:
  absl::StatusOr<WavePlan> Plan(const Fleet& fleet) const final;
  absl::StatusOr<WavePlan> PlanSubset(
      const Fleet& fleet,
      absl::Span<const Fleet::TargetIndex> subset) const final;

 protected:
  // Plans `targets` (valid, distinct, non-empty, in the order to keep).
  // Waves must be non-empty; fractions and strategy are filled by the caller.
  virtual absl::StatusOr<WavePlan> PlanTargets(
      const Fleet& fleet,
      absl::Span<const Fleet::TargetIndex> targets) const = 0;
};

// ---- Targets that span several zones or regions (Fleet::spans_several).

// Plans `targets` for a zone-aware strategy: `plan_one_zone` plans the
// targets that are each in one zone (it is not called when there are none);
// then every target spanning several zones or regions gets a wave of its own
// (stage "spanning", with a note saying why), placed right after the last
// wave that deploys a target in any zone it spans (for a target spanning
// several regions: any zone of those regions), so it starts only once all of
// them have been deployed and baked. That wave bakes as long as the wave
// before it; `fallback_bake` is used when no wave deploys any of its zones
// (the spanning wave then goes last). Spanning targets placed after the same
// wave go in order of how many zones they cover (fewer first), then in the
// order of `targets`. Each spanning wave tolerates `max_failed` failures,
// clamped to [0, 1]. Deterministic.
absl::StatusOr<WavePlan> PlanSpanningTargetsAfterTheirZones(
    const Fleet& fleet, absl::Span<const Fleet::TargetIndex> targets,
    absl::Duration fallback_bake, int64_t max_failed,
    absl::FunctionRef<
        absl::StatusOr<WavePlan>(absl::Span<const Fleet::TargetIndex>)>
        plan_one_zone);

// ---- Rounding.

// n * percent / 100 rounded up / down, robust to floating-point noise
// (30 * 10% is exactly 3). Percent in [0, 100].
int64_t CeilPercentOf(int64_t n, double percent);
int64_t FloorPercentOf(int64_t n, double percent);

// The target count for a weight, as Argo Rollouts' basic canary (no traffic
// routing, maxSurge 0; approximateWeightedCanaryStableReplicaCounts): the
// count nearest n * percent / 100, ties rounding up; for 0 < percent < 100
// and n >= 2 the count is kept in [1, n - 1]; 100% is n.
int64_t ArgoWeightToCount(int64_t n, double percent);

// n * percent / 100 rounded as `rounding` says (kDefault is the caller's
// to resolve first: it is treated as kUp), at least 1 when n >= 1 and
// percent > 0, at most n; 100% is n.
int64_t RoundPercentOf(int64_t n, double percent, PercentRounding rounding);

// Checks that `rounding` is one of the enum's values, and that a rounding
// other than kDefault has a percent to round: `traffic_routed` schedulers
// plan exact traffic percents, and `rounds_a_percent` false (e.g. a count
// batch size) leaves nothing to round, so it would be ignored: an error
// naming `path` ("... applies to <what>").
absl::Status CheckRounding(PercentRounding rounding, absl::string_view path,
                           bool traffic_routed = false,
                           bool rounds_a_percent = true,
                           absl::string_view what = "target waves");

// " rounding <name>" for a rounding other than kDefault (scheduler labels),
// else "".
std::string RoundingLabel(PercentRounding rounding);

// A batch size against n: a count as it is, a percent by RoundPercentOf()
// (kDefault: up).
int64_t BatchCount(const CountOrPercent& size, int64_t n,
                   PercentRounding rounding);

// Resolves a CountOrPercent against n: counts as they are, percents rounded
// up (`round_up`) or down.
int64_t Resolve(const CountOrPercent& value, int64_t n, bool round_up);

// Sets each wave's max_failed_targets so that, even if every earlier wave
// used its whole budget, at least `min_healthy` of the `n` targets stay
// healthy while the next wave deploys (with `surge` extra capacity), and at
// least one target succeeds: the budget of wave w is
//   min(size_w, n + surge - min_healthy - size_{w+1} - used,
//       n - min_healthy - used)                                 (not last)
//   min(size_w, n - min_healthy - used, n - 1 - used)           (last)
// clamped at 0. This is CodeDeploy's minimum-healthy rule, and Kubernetes'
// maxUnavailable with min_healthy = n - unavailable.
void AssignFailureBudgets(int64_t n, int64_t min_healthy, int64_t surge,
                          std::vector<Wave>& waves);

// ---- Validation (errors are kInvalidArgument "<path>: <message>").

// A duration that is finite and >= 0.
absl::Status CheckBake(absl::Duration d, absl::string_view path);
// A percent in (0, 100] (or [0, 100] with allow_zero).
absl::Status CheckPercent(double p, absl::string_view path,
                          bool allow_zero = false);
// A count (a whole number >= min_count) or a percent in (0, 100] (or
// [0, 100] when min_count is 0).
absl::Status CheckCountOrPercent(const CountOrPercent& v,
                                 absl::string_view path, int64_t min_count);

// "6" or "25%".
std::string FormatCountOrPercent(const CountOrPercent& v);
// "1m", "30s", "0s".
std::string FormatDurationShort(absl::Duration d);

// The most steps a percent progression may have.
inline constexpr int64_t kMaxSteps = 10000;

}  // namespace sluice::internal

#endif  // SLUICE_LIB_WAVES_BUILTIN_SCHEDULERS_H_

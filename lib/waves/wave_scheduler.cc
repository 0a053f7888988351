// Copyright 2026 The Sluice Authors.
//
// The WaveScheduler base class: the default PlanSubset().

#include "sluice/wave_scheduler.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"

namespace sluice {

absl::StatusOr<WavePlan> WaveScheduler::PlanSubset(
    const Fleet& fleet, absl::Span<const Fleet::TargetIndex> subset) const {
  if (subset.empty()) {
    return absl::InvalidArgumentError("subset: must not be empty");
  }
  std::vector<Target> targets;
  targets.reserve(subset.size());
  for (Fleet::TargetIndex t : subset) {
    if (t >= fleet.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("subset: index ", t, " is not in the fleet (size ",
                       fleet.size(), ")"));
    }
    targets.push_back(fleet.target(t));
  }
  // Duplicates are caught here, as duplicate ids.
  SLUICE_ASSIGN_OR_RETURN(Fleet sub, Fleet::Create(std::move(targets)));
  SLUICE_ASSIGN_OR_RETURN(WavePlan plan, Plan(sub));
  for (Wave& wave : plan.waves) {
    for (Fleet::TargetIndex& t : wave.targets) {
      if (t >= subset.size()) {
        return absl::InternalError(
            absl::StrCat(name(), ": planned target index ", t,
                         " outside a fleet of ", subset.size()));
      }
      t = subset[t];
    }
  }
  FillCumulativeFractions(fleet, plan);
  return plan;
}

absl::string_view PercentRoundingName(PercentRounding rounding) {
  switch (rounding) {
    case PercentRounding::kDefault:
      return "default";
    case PercentRounding::kUp:
      return "up";
    case PercentRounding::kDown:
      return "down";
    case PercentRounding::kNearest:
      return "nearest";
  }
  return "unknown";
}

}  // namespace sluice

// Copyright 2026 The Sluice Authors.
//
// Replan(): a new plan for a changed fleet that keeps the started waves.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "sluice/wave_scheduler.h"

namespace sluice {

absl::StatusOr<WavePlan> Replan(const WaveScheduler& scheduler,
                                const WavePlan& previous, size_t waves_started,
                                const Fleet& old_fleet,
                                const Fleet& new_fleet) {
  if (waves_started > previous.waves.size()) {
    return internal::InvalidArgumentAt(
        "waves_started", absl::StrCat("must be in [0, ", previous.waves.size(),
                                      "] (got ", waves_started, ")"));
  }
  for (size_t w = 0; w < previous.waves.size(); ++w) {
    const std::vector<Fleet::TargetIndex>& targets = previous.waves[w].targets;
    for (size_t j = 0; j < targets.size(); ++j) {
      if (targets[j] >= old_fleet.size()) {
        return internal::InvalidArgumentAt(
            absl::StrCat("previous.waves[", w, "].targets[", j, "]"),
            absl::StrCat("index ", targets[j], " is not in old_fleet (size ",
                         old_fleet.size(), ")"));
      }
    }
  }

  WavePlan out;
  out.strategy = scheduler.name();
  std::vector<bool> deployed(new_fleet.size(), false);
  double started_traffic = 0;
  for (size_t w = 0; w < waves_started; ++w) {
    const Wave& old_wave = previous.waves[w];
    Wave wave = old_wave;
    wave.targets.clear();
    wave.targets.reserve(old_wave.targets.size());
    for (Fleet::TargetIndex t : old_wave.targets) {
      std::optional<Fleet::TargetIndex> index =
          new_fleet.IndexOf(old_fleet.target(t).id);
      if (!index.has_value() || deployed[*index]) continue;
      deployed[*index] = true;
      wave.targets.push_back(*index);
    }
    if (wave.traffic_percent.has_value()) {
      started_traffic = std::max(started_traffic, *wave.traffic_percent);
    }
    out.waves.push_back(std::move(wave));
  }

  SLUICE_ASSIGN_OR_RETURN(WavePlan fresh, scheduler.Plan(new_fleet));
  for (Wave& wave : fresh.waves) {
    if (wave.traffic_percent.has_value()) {
      if (*wave.traffic_percent > started_traffic) {
        out.waves.push_back(std::move(wave));
      }
      continue;
    }
    std::vector<Fleet::TargetIndex> kept;
    kept.reserve(wave.targets.size());
    for (Fleet::TargetIndex t : wave.targets) {
      if (!deployed[t]) kept.push_back(t);
    }
    if (kept.empty()) continue;
    wave.max_failed_targets =
        std::min<int64_t>(wave.max_failed_targets, kept.size());
    wave.targets = std::move(kept);
    out.waves.push_back(std::move(wave));
  }
  FillCumulativeFractions(new_fleet, out);
  return out;
}

}  // namespace sluice

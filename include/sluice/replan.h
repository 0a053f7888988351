// Copyright 2026 The Sluice Authors.
//
// Replan: a new wave plan for a fleet that changed while a rollout runs
// (targets added, removed or moved), keeping the waves already started.
//
// Started waves stay as they were (minus targets that left the fleet); new
// targets land only in waves not yet started, where the scheduler puts them
// for the new fleet. The host then makes a new Rollout of the new plan, or
// keeps going with the old one if nothing it has started changed.
//
// Example:
//
//   absl::StatusOr<sluice::WavePlan> plan = sluice::Replan(
//       *scheduler, old_plan, /*waves_started=*/3, old_fleet, new_fleet);
//   if (!plan.ok()) return plan.status();

#ifndef SLUICE_REPLAN_H_
#define SLUICE_REPLAN_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "sluice/fleet.h"
#include "sluice/wave_plan.h"
#include "sluice/wave_scheduler.h"

namespace sluice {

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

#endif  // SLUICE_REPLAN_H_

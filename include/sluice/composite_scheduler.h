// Copyright 2026 The Sluice Authors.
//
// The composite wave scheduler: stages, each a scheduler applied to the
// targets a Selector (sluice/selector.h) picks among those no earlier stage
// took.
//
// A composite plan lets one rollout mix shapes, e.g. a canary cell first
// (one target at a time), then one region staged, then the rest in batches.
// Each stage's waves are named after the stage and carry it as Wave::stage,
// so gate policies can treat them differently. Errors name the stage, e.g.
// "composite.stages[1].name: must not be empty"; selectors that match
// nothing are reported by Plan(). The scheduler is thread-safe (const).
//
// Example (with sluice/batch_schedulers.h for the stages' schedulers):
//
//   sluice::CompositeOptions options;
//   sluice::CompositeStage canary;
//   canary.name = "canary-cell";
//   canary.selector.cells = {"cell-1"};
//   canary.scheduler = *sluice::NewOneAtATimeScheduler();
//   options.stages.push_back(std::move(canary));
//   sluice::CompositeStage rest;
//   rest.name = "rest";
//   rest.scheduler = *sluice::NewHalfAtATimeScheduler();
//   options.stages.push_back(std::move(rest));
//   absl::StatusOr<std::unique_ptr<sluice::WaveScheduler>> scheduler =
//       sluice::NewCompositeScheduler(std::move(options));
//   if (!scheduler.ok()) return scheduler.status();

#ifndef SLUICE_COMPOSITE_SCHEDULER_H_
#define SLUICE_COMPOSITE_SCHEDULER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sluice/selector.h"
#include "sluice/wave_scheduler.h"

namespace sluice {

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

}  // namespace sluice

#endif  // SLUICE_COMPOSITE_SCHEDULER_H_

// Copyright 2026 The Sluice Authors.
//
// The `watch` part of a RolloutSpec (WatchSpec, proto/sluice/v1/
// rollout_spec.proto): bake re-checks and background analysis. Validation
// names the field's path; ApplyWatchSpec() sets the RolloutOptions fields.

#ifndef SLUICE_LIB_ROLLOUT_SPEC_WATCH_H_
#define SLUICE_LIB_ROLLOUT_SPEC_WATCH_H_

#include <string>

#include "absl/status/status.h"
#include "sluice/rollout.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice::internal {

// Checks RolloutSpec.watch (when set). Errors are kInvalidArgument naming the
// field, e.g. "watch.background.interval: must be > 0 (got 0)",
// "watch.background.gates[0].threshold.metric: names undeclared metric
// \"p99\"".
absl::Status ValidateWatchSpec(const v1::RolloutSpec& spec);

// "watch: re-checks every 5m, background analysis (2 gates) every 5m from
// wave 0", or empty when the spec has no `watch`.
std::string SummarizeWatchSpec(const v1::RolloutSpec& spec);

// Sets options.bake_recheck_interval and the background analysis
// (background_gate, background_interval, background_start_wave) from a
// validated spec's `watch`; fields the spec leaves unset keep their values
// in `options`.
absl::Status ApplyWatchSpec(const v1::RolloutSpec& spec,
                            RolloutOptions& options);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_ROLLOUT_SPEC_WATCH_H_

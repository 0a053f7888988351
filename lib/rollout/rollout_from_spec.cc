// Copyright 2026 The Sluice Authors.
//
// Rollout::FromSpec(): a rollout made from a validated RolloutSpec.

#include <memory>
#include <utility>

#include "lib/core/status_macros.h"
#include "lib/rollout/spec_watch.h"
#include "sluice/gate_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/spec.h"
#include "sluice/v1/rollout_spec.pb.h"
#include "sluice/wave_scheduler.h"

namespace sluice {

absl::StatusOr<std::unique_ptr<Rollout>> Rollout::FromSpec(
    const RolloutSpec& spec, const Fleet& fleet, WavePlan plan,
    RolloutOptions options) {
  options.name = spec.name();
  options.version = spec.version();
  if (!spec.previous_version().empty()) {
    options.previous_version = spec.previous_version();
  }
  if (options.previous_version.empty()) {
    return internal::InvalidArgumentAt("previous_version",
                                       "must be set in the spec or in options");
  }
  if (spec.proto().has_rollback()) {
    SLUICE_RETURN_IF_ERROR(
        ApplyRollbackPolicySpec(spec.proto().rollback(), options));
  }
  SLUICE_RETURN_IF_ERROR(internal::ApplyWatchSpec(spec.proto(), options));
  return Create(fleet, std::move(plan), std::move(options));
}

absl::StatusOr<std::unique_ptr<Rollout>> Rollout::FromSpec(
    const RolloutSpec& spec, const Fleet& fleet, RolloutOptions options) {
  SLUICE_RETURN_IF_ERROR(spec.ValidateAgainst(fleet));
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<WaveScheduler> scheduler,
                          NewScheduler(spec));
  SLUICE_ASSIGN_OR_RETURN(WavePlan plan, scheduler->Plan(fleet));
  SLUICE_ASSIGN_OR_RETURN(GatePolicy gates, GatePolicyFromSpec(spec));
  GatesFromPolicy(gates, plan, options);
  return FromSpec(spec, fleet, std::move(plan), std::move(options));
}

}  // namespace sluice

// Copyright 2026 The Sluice Authors.
//
// Dispatch to the validators of each part of a RolloutSpec, and what the
// parts build (NewScheduler, GatePolicyFromSpec in sluice/spec.h). Each part
// (strategy, metrics and gates, rollback policy) adds its call here.

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/status_macros.h"
#include "lib/gates/spec_gates.h"
#include "lib/rollout/spec_rollback.h"
#include "lib/rollout/spec_validation.h"
#include "lib/rollout/spec_watch.h"
#include "lib/waves/spec_waves.h"
#include "sluice/gate_policy.h"
#include "sluice/spec.h"
#include "sluice/v1/rollout_spec.pb.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace internal {

namespace {

// A per-stage gate override for a stage the strategy never produces would
// silently never run: an error naming the stages that exist.
absl::Status ValidateStageOverrides(const v1::RolloutSpec& spec) {
  if (spec.waves().strategy_case() == v1::WaveStrategy::STRATEGY_NOT_SET) {
    return absl::OkStatus();
  }
  const std::vector<std::string> stages = StagesOfStrategy(spec.waves());
  for (int i = 0; i < spec.gates().stages_size(); ++i) {
    const std::string& stage = spec.gates().stages(i).stage();
    if (std::find(stages.begin(), stages.end(), stage) == stages.end()) {
      return InvalidArgumentAt(
          absl::StrCat("gates.stages[", i, "].stage"),
          absl::StrCat("the strategy never produces a stage \"", stage,
                       "\", so its gates would never run; its stages are ",
                       absl::StrJoin(stages, ", ")));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSpecParts(const v1::RolloutSpec& spec) {
  SLUICE_RETURN_IF_ERROR(ValidateWaveStrategy(spec.waves()));
  SLUICE_RETURN_IF_ERROR(ValidateGatesSpec(spec));
  SLUICE_RETURN_IF_ERROR(ValidateStageOverrides(spec));
  SLUICE_RETURN_IF_ERROR(ValidateRollbackSpec(spec));
  SLUICE_RETURN_IF_ERROR(ValidateWatchSpec(spec));
  return absl::OkStatus();
}

absl::Status ValidateSpecPartsAgainst(const v1::RolloutSpec& spec,
                                      const Fleet& fleet) {
  SLUICE_RETURN_IF_ERROR(ValidateWaveStrategyAgainst(spec.waves(), fleet));
  return absl::OkStatus();
}

std::vector<std::string> SummarizeSpecParts(const v1::RolloutSpec& spec) {
  std::vector<std::string> parts;
  if (std::string waves = SummarizeWaveStrategy(spec.waves()); !waves.empty()) {
    parts.push_back(std::move(waves));
  }
  if (std::string gates = SummarizeGates(spec); !gates.empty()) {
    parts.push_back(std::move(gates));
  }
  if (std::string rollback = SummarizeRollbackSpec(spec); !rollback.empty()) {
    parts.push_back(std::move(rollback));
  }
  if (std::string watch = SummarizeWatchSpec(spec); !watch.empty()) {
    parts.push_back(std::move(watch));
  }
  return parts;
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewScheduler(
    const RolloutSpec& spec) {
  return internal::NewSchedulerFromSpec(spec.proto().waves());
}

absl::StatusOr<GatePolicy> GatePolicyFromSpec(const RolloutSpec& spec) {
  SLUICE_ASSIGN_OR_RETURN(internal::BuiltGates built,
                          internal::BuildGates(spec.proto()));
  return GatePolicy::Create(std::move(built.default_gates),
                            std::move(built.stage_gates));
}

}  // namespace sluice

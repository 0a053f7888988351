// Copyright 2026 The Sluice Authors.
//
// Dispatch to the validators of each part of a RolloutSpec. Each part
// (strategy, metrics and gates, rollback policy) adds its call here.

#include "lib/core/status_macros.h"
#include "lib/gates/spec_gates.h"
#include "lib/rollout/spec_rollback.h"
#include "lib/rollout/spec_validation.h"
#include "lib/waves/spec_waves.h"

namespace sluice::internal {

absl::Status ValidateSpecParts(const v1::RolloutSpec& spec) {
  SLUICE_RETURN_IF_ERROR(ValidateWaveStrategy(spec.waves()));
  SLUICE_RETURN_IF_ERROR(ValidateGatesSpec(spec));
  SLUICE_RETURN_IF_ERROR(ValidateRollbackSpec(spec));
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
  return parts;
}

}  // namespace sluice::internal

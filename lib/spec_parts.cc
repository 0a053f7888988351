// Copyright 2026 The Sluice Authors.
//
// Dispatch to the validators of each part of a RolloutSpec. Each part
// (strategy, metrics and gates, rollback policy) adds its call here.

#include "lib/internal/spec_validation.h"

namespace sluice::internal {

absl::Status ValidateSpecParts(const v1::RolloutSpec& spec) {
  return absl::OkStatus();
}

absl::Status ValidateSpecPartsAgainst(const v1::RolloutSpec& spec,
                                      const Fleet& fleet) {
  return absl::OkStatus();
}

std::vector<std::string> SummarizeSpecParts(const v1::RolloutSpec& spec) {
  return {};
}

}  // namespace sluice::internal

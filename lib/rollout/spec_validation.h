// Copyright 2026 The Sluice Authors.
//
// The parts of a RolloutSpec owned by other components (the wave strategy,
// metrics and gates, the rollback policy) validate and summarize themselves
// here. lib/rollout/spec_parts.cc calls each part in turn; a new part adds one
// line to each function there.

#ifndef SLUICE_LIB_ROLLOUT_SPEC_VALIDATION_H_
#define SLUICE_LIB_ROLLOUT_SPEC_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sluice/fleet.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice::internal {

// Checks every part of the spec that needs no fleet.
absl::Status ValidateSpecParts(const v1::RolloutSpec& spec);

// Checks the parts of the spec that refer to the fleet.
absl::Status ValidateSpecPartsAgainst(const v1::RolloutSpec& spec,
                                      const Fleet& fleet);

// One short phrase per configured part, e.g. "strategy: staged", in a fixed
// order.
std::vector<std::string> SummarizeSpecParts(const v1::RolloutSpec& spec);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_ROLLOUT_SPEC_VALIDATION_H_

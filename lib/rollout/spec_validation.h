// Copyright 2026 The Sluice Authors.
//
// The parts of a RolloutSpec owned by other components (the wave strategy,
// metrics and gates, the rollback policy, watch) convert, validate and
// summarize themselves; lib/rollout/spec_parts.cc calls each part in turn. A
// new part adds one line to each function there and a field to SpecData.

#ifndef SLUICE_LIB_ROLLOUT_SPEC_VALIDATION_H_
#define SLUICE_LIB_ROLLOUT_SPEC_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "lib/rollout/spec_data.h"
#include "sluice/fleet.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice::internal {

// Validates every part of `spec` that needs no fleet and converts it into
// `out` (waves, metrics, gates, rollback, watch). Errors are
// kInvalidArgument naming the field's path.
absl::Status ConvertSpecParts(const v1::RolloutSpec& spec, SpecData& out);

// Sets the parts' fields of `out` from `data` (the inverse of
// ConvertSpecParts).
void SpecPartsToProto(const SpecData& data, v1::RolloutSpec& out);

// Checks the parts of the spec that refer to the fleet.
absl::Status ValidateSpecPartsAgainst(const SpecData& spec, const Fleet& fleet);

// One short phrase per configured part, e.g. "strategy: staged", in a fixed
// order.
std::vector<std::string> SummarizeSpecParts(const SpecData& spec);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_ROLLOUT_SPEC_VALIDATION_H_

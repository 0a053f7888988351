// Copyright 2026 The Sluice Authors.
//
// Target validation shared by Fleet::Create and the fleet loaders, which name
// targets differently ("targets[3]" vs "line 5").

#ifndef SLUICE_LIB_CORE_FLEET_VALIDATION_H_
#define SLUICE_LIB_CORE_FLEET_VALIDATION_H_

#include <cstddef>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "sluice/fleet.h"

namespace sluice::internal {

// Checks every rule a Fleet enforces; `name_of(i)` names target i in errors.
absl::Status ValidateTargets(absl::Span<const Target> targets,
                             absl::FunctionRef<std::string(size_t)> name_of);

// The span rules alone (Target::zones and Target::regions: non-empty,
// distinct, including the target's own zone / region, each known to the
// fleet); ValidateTargets() ends with it.
absl::Status ValidateSpans(absl::Span<const Target> targets,
                           absl::FunctionRef<std::string(size_t)> name_of);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_CORE_FLEET_VALIDATION_H_

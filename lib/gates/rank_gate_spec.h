// Copyright 2026 The Sluice Authors.
//
// GateSpec.rank_test (proto/sluice/v1/gates.proto) converted to a rank test
// gate (sluice/rank_gate.h). Kept beside the gate, out of spec_gates.cc, so
// the builder only dispatches to it.

#ifndef SLUICE_LIB_GATES_RANK_GATE_SPEC_H_
#define SLUICE_LIB_GATES_RANK_GATE_SPEC_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lib/core/field_path.h"
#include "sluice/health_gate.h"
#include "sluice/metric_checks.h"
#include "sluice/v1/gates.pb.h"

namespace sluice::internal {

// Builds the rank test gate `name` from `spec`, its metric looked up in the
// spec's declared `metrics`. Errors are kInvalidArgument with `path` (the
// spec's path, e.g. "gates.default[0].rank_test") before the field:
// "<path>.metric: names undeclared metric \"p99\" (declared: ...)",
// "<path>.window: must be finite and > 0 (got 0)", "<path>.alpha: ...".
absl::StatusOr<std::unique_ptr<HealthGate>> BuildRankTestGate(
    const v1::RankTestGateSpec& spec, const std::string& name,
    const std::map<std::string, MetricDefinition>& metrics,
    const FieldPath& path);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_GATES_RANK_GATE_SPEC_H_

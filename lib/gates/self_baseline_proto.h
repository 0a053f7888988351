// Copyright 2026 The Sluice Authors.
//
// The self-baseline gate from its spec (GateSpec.self_baseline), for
// spec_gates.cc. Private to lib/gates.

#ifndef SLUICE_LIB_GATES_SELF_BASELINE_PROTO_H_
#define SLUICE_LIB_GATES_SELF_BASELINE_PROTO_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lib/core/field_path.h"
#include "sluice/health_gate.h"
#include "sluice/metric_checks.h"
#include "sluice/v1/gates.pb.h"

namespace sluice::internal {

// Builds the gate named `name`; `metrics` are the spec's declared metrics by
// name; errors are kInvalidArgument under `path` (e.g.
// "gates.default[0].self_baseline.requests_metric: is required").
absl::StatusOr<std::unique_ptr<HealthGate>> SelfBaselineFromProto(
    const std::string& name, const v1::SelfBaselineGateSpec& p,
    const std::map<std::string, MetricDefinition>& metrics,
    const FieldPath& path);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_GATES_SELF_BASELINE_PROTO_H_

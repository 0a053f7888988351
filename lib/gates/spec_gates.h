// Copyright 2026 The Sluice Authors.
//
// The metrics and gates part of a RolloutSpec (RolloutSpec.metrics and
// RolloutSpec.gates, proto/sluice/v1/gates.proto): validation with field
// paths, a summary phrase, and the builder that turns the spec into gate
// objects. Validation is building: a spec is valid exactly when its gates
// build, so the two never disagree.

#ifndef SLUICE_LIB_GATES_SPEC_GATES_H_
#define SLUICE_LIB_GATES_SPEC_GATES_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sluice/health_gate.h"
#include "sluice/metric_checks.h"
#include "sluice/v1/gates.pb.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice::internal {

// How deep gates may nest (a top-level gate is level 1; each all_of, any_of,
// at_least, weighted, shadow or bake check adds one). Deeper specs are
// refused with the path of the first gate past the limit.
inline constexpr int kMaxGateDepth = 16;

// The gates of a spec, built.
struct BuiltGates {
  // RolloutSpec.gates.default, in order.
  std::vector<std::unique_ptr<HealthGate>> default_gates;
  // RolloutSpec.gates.stages, by stage name.
  std::map<std::string, std::vector<std::unique_ptr<HealthGate>>> stage_gates;
};

// Validates RolloutSpec.metrics and RolloutSpec.gates and builds the gates.
// Errors are kInvalidArgument with the field's path, e.g.
// "gates.default[0].threshold.metric: names undeclared metric \"p99\"".
absl::StatusOr<BuiltGates> BuildGates(const v1::RolloutSpec& spec);

// BuildGates(spec).status().
absl::Status ValidateGatesSpec(const v1::RolloutSpec& spec);

// "gates: 2 default (threshold p99_latency, alarms), 1 stage override
// (one-box); 3 metrics", or empty when the spec has neither metrics nor
// gates.
std::string SummarizeGates(const v1::RolloutSpec& spec);

// Converts one metric declaration (validated: errors name "name", ...).
absl::StatusOr<MetricDefinition> MetricFromProto(const v1::MetricSpec& proto);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_GATES_SPEC_GATES_H_

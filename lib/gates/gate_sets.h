// Copyright 2026 The Sluice Authors.
//
// Gate sets: the all-of a GatePolicy hands out for a stage. Unlike
// NewAllOfGate(), a set may be empty (it then passes at once).

#ifndef SLUICE_LIB_GATES_GATE_SETS_H_
#define SLUICE_LIB_GATES_GATE_SETS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sluice/health_gate.h"

namespace sluice::internal {

// The all-of of `gates` (possibly none). Requires ValidateGateSet(gates).
std::unique_ptr<HealthGate> NewGateSet(
    std::string name, std::vector<std::unique_ptr<HealthGate>> gates);

// Checks that no gate is null and names are unique; errors name
// "gates[i]".
absl::Status ValidateGateSet(
    const std::vector<std::unique_ptr<HealthGate>>& gates);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_GATES_GATE_SETS_H_

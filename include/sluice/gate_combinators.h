// Copyright 2026 The Sluice Authors.
//
// Gate combinators: gates made of other gates.
//
//   NewAllOfGate    every gate must pass (the worst outcome wins).
//   NewAnyOfGate    one gate must pass (the best outcome wins).
//   NewAtLeastGate  k of n gates must pass.
//   NewWeightedGate a weighted score against pass and marginal thresholds,
//                   as Kayenta scores metrics.
//   NewShadowGate   evaluates a gate and records its verdict but always
//                   passes: a shadow or dry run, to try a gate before it can
//                   block a rollout.
// A combinator owns its gates and keeps each one's state as a child of its
// own GateState (GateState::Child(i)), so any gate composes with any other.
//
// Example (latency and errors must pass; a new judge runs in shadow):
//
//   std::vector<std::unique_ptr<sluice::HealthGate>> gates;
//   gates.push_back(*std::move(latency_gate));
//   gates.push_back(*std::move(errors_gate));
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> shadow =
//       sluice::NewShadowGate("judge (shadow)", *std::move(judge_gate));
//   if (!shadow.ok()) return shadow.status();
//   gates.push_back(*std::move(shadow));
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> all =
//       sluice::NewAllOfGate("wave checks", std::move(gates));
//   if (!all.ok()) return all.status();

#ifndef SLUICE_GATE_COMBINATORS_H_
#define SLUICE_GATE_COMBINATORS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sluice/health_gate.h"

namespace sluice {

// All gates must pass; the verdict is the worst outcome (by
// OutcomeSeverity()), so any failure fails at once and a hold waits. At
// least one gate; names unique (errors name "gates[i]").
absl::StatusOr<std::unique_ptr<HealthGate>> NewAllOfGate(
    std::string name, std::vector<std::unique_ptr<HealthGate>> gates);

// One gate must pass; the verdict is the best outcome. Requirements as
// NewAllOfGate().
absl::StatusOr<std::unique_ptr<HealthGate>> NewAnyOfGate(
    std::string name, std::vector<std::unique_ptr<HealthGate>> gates);

// At least k of the gates must pass: the verdict is the k-th best outcome
// (all-of is k = n, any-of is k = 1). k in [1, number of gates].
absl::StatusOr<std::unique_ptr<HealthGate>> NewAtLeastGate(
    std::string name, int k, std::vector<std::unique_ptr<HealthGate>> gates);

// A gate and its weight in a weighted score. Move-only (it owns its gate);
// thread-compatible.
struct WeightedGate {
  // The gate's weight; finite and > 0. Default: 1.
  double weight = 1;
  // The gate. Required. Default: null (invalid).
  std::unique_ptr<HealthGate> gate;
};

// score = 100 * (weight of passing gates) / (total weight). Passes once
// score >= pass_score; when no gate holds any more: inconclusive at
// marginal_score <= score < pass_score, fails below (Kayenta's score
// thresholds). Fails early when even the holding gates could not lift the
// score to marginal_score. pass_score in (0, 100]; marginal_score in
// [0, pass_score]. Default marginal_score: pass_score.
absl::StatusOr<std::unique_ptr<HealthGate>> NewWeightedGate(
    std::string name, std::vector<WeightedGate> gates, double pass_score,
    std::optional<double> marginal_score = {});

// Evaluates `gate` and records its verdict in the details, but always
// passes (a shadow or dry run).
absl::StatusOr<std::unique_ptr<HealthGate>> NewShadowGate(
    std::string name, std::unique_ptr<HealthGate> gate);

}  // namespace sluice

#endif  // SLUICE_GATE_COMBINATORS_H_

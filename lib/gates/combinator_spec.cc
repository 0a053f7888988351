// Copyright 2026 The Sluice Authors.
//
// The combinator gate kinds (sluice/gate_combinators.h): all_of, any_of
// (v1::GateListSpec), at_least (v1::AtLeastGateSpec), weighted
// (v1::WeightedGateSpec) and shadow (a nested v1::GateSpec).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/gate_combinators.h"

namespace sluice::internal {
namespace {

// The children of all_of, any_of and at_least ("<kind>.gates", non-empty).
absl::StatusOr<std::vector<std::unique_ptr<HealthGate>>> Children(
    const GateInput& in,
    const google::protobuf::RepeatedPtrField<v1::GateSpec>& gates) {
  const FieldPath list = in.kind_path.Field("gates");
  if (gates.empty()) return list.Invalid(kMustNotBeEmpty);
  return in.BuildChildren(gates, list);
}

absl::StatusOr<std::unique_ptr<HealthGate>> BuildAllOf(const GateInput& in) {
  SLUICE_ASSIGN_OR_RETURN(auto children,
                          Children(in, in.spec.all_of().gates()));
  return in.Made(NewAllOfGate(in.name, std::move(children)));
}

absl::StatusOr<std::unique_ptr<HealthGate>> BuildAnyOf(const GateInput& in) {
  SLUICE_ASSIGN_OR_RETURN(auto children,
                          Children(in, in.spec.any_of().gates()));
  return in.Made(NewAnyOfGate(in.name, std::move(children)));
}

absl::StatusOr<std::unique_ptr<HealthGate>> BuildAtLeast(const GateInput& in) {
  SLUICE_ASSIGN_OR_RETURN(auto children,
                          Children(in, in.spec.at_least().gates()));
  return in.Made(
      NewAtLeastGate(in.name, in.spec.at_least().k(), std::move(children)));
}

absl::StatusOr<std::unique_ptr<HealthGate>> BuildWeighted(const GateInput& in) {
  const v1::WeightedGateSpec& w = in.spec.weighted();
  const FieldPath list = in.kind_path.Field("gates");
  if (w.gates().empty()) return list.Invalid(kMustNotBeEmpty);
  std::vector<WeightedGate> entries;
  std::map<std::string, int> seen;
  for (int i = 0; i < w.gates_size(); ++i) {
    const FieldPath gate = list.Index(i).Field("gate");
    if (!w.gates(i).has_gate()) return gate.Invalid(kIsRequired);
    const std::string child = GateName(w.gates(i).gate());
    auto [it, inserted] = seen.emplace(child, i);
    if (!inserted) {
      return gate.Field("name").Invalid(
          absl::StrCat("duplicate gate name \"", child, "\" (first at ",
                       list.Index(it->second).str(), ")"));
    }
    WeightedGate e;
    e.weight = w.gates(i).weight();
    SLUICE_ASSIGN_OR_RETURN(e.gate, in.BuildChild(w.gates(i).gate(), gate));
    entries.push_back(std::move(e));
  }
  std::optional<double> marginal;
  if (w.has_marginal_score()) marginal = w.marginal_score();
  return in.Made(
      NewWeightedGate(in.name, std::move(entries), w.pass_score(), marginal));
}

absl::StatusOr<std::unique_ptr<HealthGate>> BuildShadow(const GateInput& in) {
  // The shadowed gate is the kind's message itself ("<gate>.shadow.<kind>").
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<HealthGate> child,
                          in.BuildChild(in.spec.shadow(), in.kind_path));
  absl::StatusOr<std::unique_ptr<HealthGate>> gate =
      NewShadowGate(in.name, std::move(child));
  if (!gate.ok()) return in.path.Nest(gate.status());
  return gate;
}

}  // namespace

GateKind AllOfGateKind() {
  return {v1::GateSpec::kAllOf,
          [](const v1::GateSpec&) { return std::string("all of"); },
          BuildAllOf};
}

GateKind AnyOfGateKind() {
  return {v1::GateSpec::kAnyOf,
          [](const v1::GateSpec&) { return std::string("any of"); },
          BuildAnyOf};
}

GateKind AtLeastGateKind() {
  return {v1::GateSpec::kAtLeast,
          [](const v1::GateSpec& g) {
            return absl::StrCat("at least ", g.at_least().k(), " of");
          },
          BuildAtLeast};
}

GateKind WeightedGateKind() {
  return {v1::GateSpec::kWeighted,
          [](const v1::GateSpec&) { return std::string("weighted score"); },
          BuildWeighted};
}

GateKind ShadowGateKind() {
  return {v1::GateSpec::kShadow,
          [](const v1::GateSpec& g) {
            return absl::StrCat("shadow ", DefaultGateName(g.shadow()));
          },
          BuildShadow};
}

}  // namespace sluice::internal

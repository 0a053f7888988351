// Copyright 2026 The Sluice Authors.
//
// The table of gate kinds and the builder that looks GateSpecs up in it.

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/status_macros.h"
#include "lib/gates/checks.h"
#include "lib/gates/gate_kind.h"
#include "lib/gates/spec_gates.h"

namespace sluice::internal {

absl::Span<const GateKind> GateKinds() {
  // One line per kind (the order of the "needs a kind" error).
  static const std::vector<GateKind>* const kTable = new std::vector<GateKind>{
      ThresholdGateKind(),
      RelativeGateKind(),
      AlarmGateKind(),
      AnalysisGateKind(),
      BakeGateKind(),
      WindowGateKind(),
      ManualApprovalGateKind(),
      AllOfGateKind(),
      AnyOfGateKind(),
      AtLeastGateKind(),
      WeightedGateKind(),
      ShadowGateKind(),
      KayentaJudgeGateKind(),
      SequentialCountGateKind(),
      SequentialMeansGateKind(),
      SequentialQuantileGateKind(),
      CanaryAnalysisGateKind(),
      SelfBaselineGateKind(),
      RankTestGateKind(),
  };
  return *kTable;
}

const GateKind* FindGateKind(v1::GateSpec::KindCase kind) {
  for (const GateKind& k : GateKinds()) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

const std::string& GateKindField(v1::GateSpec::KindCase kind) {
  static const std::string* const kNone = new std::string();
  const google::protobuf::FieldDescriptor* field =
      v1::GateSpec::descriptor()->FindFieldByNumber(static_cast<int>(kind));
  return field == nullptr ? *kNone : field->name();
}

std::string DefaultGateName(const v1::GateSpec& spec) {
  const GateKind* kind = FindGateKind(spec.kind_case());
  return kind == nullptr ? "gate" : kind->default_name(spec);
}

std::string GateName(const v1::GateSpec& spec) {
  return spec.name().empty() ? DefaultGateName(spec) : spec.name();
}

absl::StatusOr<std::unique_ptr<HealthGate>> GateInput::BuildChild(
    const v1::GateSpec& child, const FieldPath& child_path) const {
  return BuildGate(child, metrics, child_path, depth + 1);
}

absl::StatusOr<std::vector<std::unique_ptr<HealthGate>>>
GateInput::BuildChildren(
    const google::protobuf::RepeatedPtrField<v1::GateSpec>& children,
    const FieldPath& list_path) const {
  return BuildGateList(children, metrics, list_path, depth + 1);
}

absl::StatusOr<std::unique_ptr<HealthGate>> GateInput::Made(
    absl::StatusOr<std::unique_ptr<HealthGate>> gate) const {
  if (!gate.ok()) return kind_path.Nest(gate.status());
  return gate;
}

absl::StatusOr<std::unique_ptr<HealthGate>> BuildGate(
    const v1::GateSpec& spec, const MetricsByName& metrics,
    const FieldPath& path, int depth) {
  if (depth > kMaxGateDepth) {
    return path.Invalid(
        absl::StrCat("gates nest more than ", kMaxGateDepth,
                     " levels deep (the limit); flatten the spec"));
  }
  const std::string name = GateName(spec);
  if (absl::Status s = ValidateGateName(name); !s.ok()) return path.Nest(s);
  const GateKind* kind = FindGateKind(spec.kind_case());
  if (kind == nullptr) {
    std::vector<std::string> kinds;
    for (const GateKind& k : GateKinds()) {
      kinds.push_back(GateKindField(k.kind));
    }
    return path.Invalid(
        absl::StrCat("needs a kind: one of ", absl::StrJoin(kinds, ", ")));
  }
  const FieldPath kind_path = path.Field(GateKindField(kind->kind));
  return kind->build(GateInput{spec, name, path, kind_path, metrics, depth});
}

absl::StatusOr<std::vector<std::unique_ptr<HealthGate>>> BuildGateList(
    const google::protobuf::RepeatedPtrField<v1::GateSpec>& specs,
    const MetricsByName& metrics, const FieldPath& path, int depth) {
  std::vector<std::unique_ptr<HealthGate>> out;
  std::map<std::string, int> seen;
  for (int i = 0; i < specs.size(); ++i) {
    const FieldPath child = path.Index(i);
    const std::string name = GateName(specs[i]);
    auto [it, inserted] = seen.emplace(name, i);
    if (!inserted) {
      return child.Field("name").Invalid(absl::StrCat(
          "duplicate gate name \"", name, "\" (first at ",
          path.Index(it->second).str(), "; give the gates distinct names)"));
    }
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<HealthGate> gate,
                            BuildGate(specs[i], metrics, child, depth));
    out.push_back(std::move(gate));
  }
  return out;
}

absl::StatusOr<MetricDefinition> FindMetric(const MetricsByName& metrics,
                                            const std::string& name,
                                            const FieldPath& field) {
  if (name.empty()) return field.Invalid(kMustNotBeEmpty);
  auto it = metrics.find(name);
  if (it == metrics.end()) {
    std::vector<std::string> declared;
    for (const auto& [n, m] : metrics) declared.push_back(n);
    return field.Invalid(absl::StrCat(
        "names undeclared metric \"", name, "\" (declared: ",
        declared.empty() ? "none" : absl::StrJoin(declared, ", "), ")"));
  }
  return it->second;
}

}  // namespace sluice::internal

// Copyright 2026 The Sluice Authors.
//
// The table of gate kinds: how a v1::GateSpec becomes a HealthGate. Each kind
// of GateSpec's `kind` oneof (threshold, bake, all_of, ...) has one entry, a
// GateKind, defined in its own file beside the gate's code
// (lib/gates/<kind>_spec.cc) and listed once in GateKinds()
// (lib/gates/gate_kinds.cc). An entry gives the kind's default gate name and
// its conversion: it validates the kind's message, converts it to the gate's
// options (its FromProto) and builds the gate. BuildGate looks the kind up in
// the table; the gate's default name and the "needs a kind: one of ..." error
// derive from it, so adding a gate kind is one file and one line in the table
// (CONTRIBUTING.md). tests/gates/gate_kinds_test.cc fails when a oneof case
// has no entry.

#ifndef SLUICE_LIB_GATES_GATE_KIND_H_
#define SLUICE_LIB_GATES_GATE_KIND_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/repeated_field.h"
#include "lib/core/field_path.h"
#include "sluice/health_gate.h"
#include "sluice/judge_gates.h"
#include "sluice/metric_checks.h"
#include "sluice/v1/gates.pb.h"

namespace sluice::internal {

// The spec's declared metrics (RolloutSpec.metrics), by name.
using MetricsByName = std::map<std::string, MetricDefinition>;

// What a gate kind's build function gets: one GateSpec whose kind is the
// entry's, its name and paths, and a way to build the gates nested in it.
// Valid during the call only. Thread-compatible.
struct GateInput {
  // The whole GateSpec (its name and its kind's message).
  const v1::GateSpec& spec;
  // The gate's name: GateSpec.name, or the kind's default name.
  const std::string& name;
  // The GateSpec's path, e.g. "gates.default[0]".
  const FieldPath& path;
  // The kind's message's path, e.g. "gates.default[0].threshold".
  const FieldPath& kind_path;
  // The spec's declared metrics.
  const MetricsByName& metrics;
  // How deep the GateSpec is nested (1 at the top; kMaxGateDepth at most).
  int depth;

  // Builds `child`, nested in this gate, at `child_path`, one level deeper.
  absl::StatusOr<std::unique_ptr<HealthGate>> BuildChild(
      const v1::GateSpec& child, const FieldPath& child_path) const;
  // Builds sibling gates nested in this gate at `list_path` ("<list_path>[i]"
  // each), one level deeper; their names must be distinct.
  absl::StatusOr<std::vector<std::unique_ptr<HealthGate>>> BuildChildren(
      const google::protobuf::RepeatedPtrField<v1::GateSpec>& children,
      const FieldPath& list_path) const;
  // `gate`, or its error (the gate's own C++ validation, with paths relative
  // to the kind's message) under kind_path.
  absl::StatusOr<std::unique_ptr<HealthGate>> Made(
      absl::StatusOr<std::unique_ptr<HealthGate>> gate) const;
};

// One entry of the table: a kind of GateSpec's `kind` oneof.
struct GateKind {
  // The oneof case (also the kind field's number); the field's name (e.g.
  // "manual_approval") is the kind's path segment and its name in errors.
  v1::GateSpec::KindCase kind;
  // The gate's name when GateSpec.name is empty, e.g. "threshold p99".
  std::string (*default_name)(const v1::GateSpec& spec);
  // Validates the kind's message, converts it and builds the gate. Errors
  // are kInvalidArgument with paths at or below input.kind_path.
  absl::StatusOr<std::unique_ptr<HealthGate>> (*build)(const GateInput& input);
};

// The table, in the order the "needs a kind" error lists the kinds.
absl::Span<const GateKind> GateKinds();

// The entry for `kind`; nullptr for KIND_NOT_SET or a kind without an entry.
const GateKind* FindGateKind(v1::GateSpec::KindCase kind);

// The name of the kind's field in GateSpec, e.g. "manual_approval".
const std::string& GateKindField(v1::GateSpec::KindCase kind);

// The kind's default name for `spec` ("gate" when it has no kind).
std::string DefaultGateName(const v1::GateSpec& spec);

// GateSpec.name, or DefaultGateName when it is empty.
std::string GateName(const v1::GateSpec& spec);

// Builds one GateSpec at `path` through the table (its kind's entry).
// Errors: nested past kMaxGateDepth, a bad name, no kind, the kind's own.
absl::StatusOr<std::unique_ptr<HealthGate>> BuildGate(
    const v1::GateSpec& spec, const MetricsByName& metrics,
    const FieldPath& path, int depth = 1);

// Builds sibling gates at `path` ("<path>[i]" each); names must be distinct.
absl::StatusOr<std::vector<std::unique_ptr<HealthGate>>> BuildGateList(
    const google::protobuf::RepeatedPtrField<v1::GateSpec>& specs,
    const MetricsByName& metrics, const FieldPath& path, int depth = 1);

// The entries, each defined in lib/gates/<kind>_spec.cc.
GateKind ThresholdGateKind();
GateKind RelativeGateKind();
GateKind AlarmGateKind();
GateKind AnalysisGateKind();
GateKind BakeGateKind();
GateKind WindowGateKind();
GateKind ManualApprovalGateKind();
GateKind AllOfGateKind();
GateKind AnyOfGateKind();
GateKind AtLeastGateKind();
GateKind WeightedGateKind();
GateKind ShadowGateKind();
GateKind KayentaJudgeGateKind();
GateKind SequentialCountGateKind();
GateKind SequentialMeansGateKind();
GateKind SequentialQuantileGateKind();
// GateSpec.self_baseline (self_baseline_spec.cc).
GateKind SelfBaselineGateKind();
// GateSpec.rank_test (rank_gate_spec.cc).
GateKind RankTestGateKind();
GateKind CanaryAnalysisGateKind();

// Conversions shared by several kinds.

// The declared metric `name`, set in the field at `field` (e.g.
// "<check>.metric"). Errors: empty, or "names undeclared metric \"x\"
// (declared: a, b)".
absl::StatusOr<MetricDefinition> FindMetric(const MetricsByName& metrics,
                                            const std::string& name,
                                            const FieldPath& field);

// A threshold, relative or alarm check (threshold_spec.cc, relative_spec.cc,
// alarm_spec.cc), also the checks of an analysis gate. `path` is the check's
// own, e.g. "gates.default[0].threshold".
absl::StatusOr<ThresholdCheck> ThresholdFromProto(
    const v1::ThresholdGateSpec& p, const MetricsByName& metrics,
    const FieldPath& path);
absl::StatusOr<RelativeCheck> RelativeFromProto(const v1::RelativeGateSpec& p,
                                                const MetricsByName& metrics,
                                                const FieldPath& path);
AlarmCheck AlarmFromProto(const v1::AlarmGateSpec& p);

// A Kayenta-style judge (kayenta_judge_spec.cc), also a canary analysis
// gate's judge. Its metrics must be declared ("<path>.metrics[i].name").
absl::StatusOr<KayentaJudgeGateOptions> KayentaJudgeFromProto(
    const v1::KayentaJudgeSpec& p, const MetricsByName& metrics,
    const FieldPath& path);

// The outcome a KayentaJudgeSpec.marginal value names; MARGINAL_UNSPECIFIED
// is `unspecified` (the judge's and the canary analysis' defaults differ).
// An unknown value is kInvalidArgument at `path`.
absl::StatusOr<Outcome> MarginalFromProto(int marginal, Outcome unspecified,
                                          const FieldPath& path);

// The aggregation of a threshold or relative check ("<path>.aggregate").
absl::StatusOr<Aggregation> CheckAggregationFromProto(const std::string& text,
                                                      const FieldPath& path);
// The window of a threshold or relative check ("<path>.window"); 5m unset.
absl::StatusOr<absl::Duration> CheckWindowFromProto(
    bool has, const google::protobuf::Duration& d, const FieldPath& path);

}  // namespace sluice::internal

#endif  // SLUICE_LIB_GATES_GATE_KIND_H_

// Copyright 2026 The Sluice Authors.
//
// The threshold gate kind (GateSpec.threshold, v1::ThresholdGateSpec), and the
// parts of a check shared with the relative kind: aggregation and window.

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/metric_checks.h"

namespace sluice::internal {
namespace {

absl::StatusOr<Cohort> CohortFromProto(v1::Cohort c, const FieldPath& path) {
  switch (c) {
    case v1::COHORT_UNSPECIFIED:
    case v1::COHORT_WAVE:
      return Cohort::kWave;
    case v1::COHORT_BASELINE:
      return Cohort::kBaseline;
    case v1::COHORT_FLEET:
      return Cohort::kFleet;
    default:
      return path.Invalid(absl::StrCat("unknown value ", c));
  }
}

absl::StatusOr<std::unique_ptr<HealthGate>> Build(const GateInput& in) {
  SLUICE_ASSIGN_OR_RETURN(
      ThresholdCheck c,
      ThresholdFromProto(in.spec.threshold(), in.metrics, in.kind_path));
  return in.Made(NewThresholdGate(in.name, std::move(c)));
}

}  // namespace

absl::StatusOr<Aggregation> CheckAggregationFromProto(const std::string& text,
                                                      const FieldPath& path) {
  if (text.empty()) return Aggregation{};
  absl::StatusOr<Aggregation> a = ParseAggregation(text);
  if (!a.ok()) return PrefixStatus(a.status(), path.Field("aggregate").str());
  return a;
}

absl::StatusOr<absl::Duration> CheckWindowFromProto(
    bool has, const google::protobuf::Duration& d, const FieldPath& path) {
  if (!has) return absl::Minutes(5);
  return DurationFromProto(d, path.Field("window"));
}

absl::StatusOr<ThresholdCheck> ThresholdFromProto(
    const v1::ThresholdGateSpec& p, const MetricsByName& metrics,
    const FieldPath& path) {
  ThresholdCheck c;
  SLUICE_ASSIGN_OR_RETURN(
      c.metric, FindMetric(metrics, p.metric(), path.Field("metric")));
  SLUICE_ASSIGN_OR_RETURN(c.aggregation,
                          CheckAggregationFromProto(p.aggregate(), path));
  if (p.has_min()) c.min = p.min();
  if (p.has_max()) c.max = p.max();
  SLUICE_ASSIGN_OR_RETURN(
      c.window, CheckWindowFromProto(p.has_window(), p.window(), path));
  SLUICE_ASSIGN_OR_RETURN(c.cohort,
                          CohortFromProto(p.cohort(), path.Field("cohort")));
  c.include_before_deploy = p.include_before_deploy();
  c.min_samples = p.min_samples();
  return c;
}

GateKind ThresholdGateKind() {
  return {v1::GateSpec::kThreshold,
          [](const v1::GateSpec& g) {
            return absl::StrCat("threshold ", g.threshold().metric());
          },
          Build};
}

}  // namespace sluice::internal

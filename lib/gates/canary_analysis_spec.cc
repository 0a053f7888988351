// Copyright 2026 The Sluice Authors.
//
// The canary analysis gate kind (GateSpec.canary_analysis,
// v1::CanaryAnalysisGateSpec): a Kayenta judge run on a schedule over the
// canary's lifetime.

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/canary_analysis_gate.h"

namespace sluice::internal {
namespace {

absl::StatusOr<CanaryAnalysisGateOptions> CanaryAnalysisFromProto(
    const v1::CanaryAnalysisGateSpec& p, const MetricsByName& metrics,
    const FieldPath& path) {
  CanaryAnalysisGateOptions o;
  if (!p.has_judge()) return path.Field("judge").Invalid(kIsRequired);
  SLUICE_ASSIGN_OR_RETURN(
      o.judge, KayentaJudgeFromProto(p.judge(), metrics, path.Field("judge")));
  if (!p.has_lifetime()) return path.Field("lifetime").Invalid(kIsRequired);
  SLUICE_ASSIGN_OR_RETURN(
      o.lifetime, DurationFromProto(p.lifetime(), path.Field("lifetime")));
  if (p.has_interval()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.interval, DurationFromProto(p.interval(), path.Field("interval")));
  }
  if (p.has_warmup()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.warmup, DurationFromProto(p.warmup(), path.Field("warmup")));
  }
  if (p.has_lookback()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.lookback, DurationFromProto(p.lookback(), path.Field("lookback")));
  }
  SLUICE_ASSIGN_OR_RETURN(
      o.marginal,
      MarginalFromProto(p.marginal(), Outcome::kFail, path.Field("marginal")));
  return o;
}

absl::StatusOr<std::unique_ptr<HealthGate>> Build(const GateInput& in) {
  SLUICE_ASSIGN_OR_RETURN(CanaryAnalysisGateOptions o,
                          CanaryAnalysisFromProto(in.spec.canary_analysis(),
                                                  in.metrics, in.kind_path));
  return in.Made(NewCanaryAnalysisGate(in.name, std::move(o)));
}

}  // namespace

GateKind CanaryAnalysisGateKind() {
  return {v1::GateSpec::kCanaryAnalysis,
          [](const v1::GateSpec&) { return std::string("canary analysis"); },
          Build};
}

}  // namespace sluice::internal

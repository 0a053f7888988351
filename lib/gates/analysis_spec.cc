// Copyright 2026 The Sluice Authors.
//
// The analysis gate kind (GateSpec.analysis, v1::AnalysisGateSpec): checks
// measured repeatedly on a schedule.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/analysis_gate.h"

namespace sluice::internal {
namespace {

// One metric of an analysis gate at `path` ("...analysis.metrics[i]").
absl::StatusOr<AnalysisMetric> AnalysisMetricFromProto(
    const v1::AnalysisMetricSpec& p, const MetricsByName& metrics,
    const FieldPath& path) {
  AnalysisMetric m;
  m.name = p.name();
  switch (p.check_case()) {
    case v1::AnalysisMetricSpec::kThreshold: {
      SLUICE_ASSIGN_OR_RETURN(
          ThresholdCheck c,
          ThresholdFromProto(p.threshold(), metrics, path.Field("threshold")));
      m.check = std::move(c);
      break;
    }
    case v1::AnalysisMetricSpec::kRelative: {
      SLUICE_ASSIGN_OR_RETURN(
          RelativeCheck c,
          RelativeFromProto(p.relative(), metrics, path.Field("relative")));
      m.check = std::move(c);
      break;
    }
    case v1::AnalysisMetricSpec::kAlarm:
      m.check = AlarmFromProto(p.alarm());
      break;
    case v1::AnalysisMetricSpec::CHECK_NOT_SET:
      return path.Invalid("needs a check: one of threshold, relative or alarm");
  }
  if (p.has_interval()) {
    const FieldPath interval = path.Field("interval");
    SLUICE_ASSIGN_OR_RETURN(m.interval,
                            DurationFromProto(p.interval(), interval));
    if (m.interval == absl::ZeroDuration()) {
      return interval.Invalid("must be > 0 when set (got 0s)");
    }
  }
  if (p.has_count()) m.count = p.count();
  if (p.has_initial_delay()) {
    SLUICE_ASSIGN_OR_RETURN(
        m.initial_delay,
        DurationFromProto(p.initial_delay(), path.Field("initial_delay")));
  }
  if (p.has_failure_limit()) m.failure_limit = p.failure_limit();
  if (p.has_inconclusive_limit()) m.inconclusive_limit = p.inconclusive_limit();
  if (p.has_consecutive_error_limit()) {
    m.consecutive_error_limit = p.consecutive_error_limit();
  }
  m.consecutive_success_limit = p.consecutive_success_limit();
  m.dry_run = p.dry_run();
  if (p.has_error_retry_interval()) {
    SLUICE_ASSIGN_OR_RETURN(
        m.error_retry_interval,
        DurationFromProto(p.error_retry_interval(),
                          path.Field("error_retry_interval")));
  }
  return m;
}

absl::StatusOr<std::unique_ptr<HealthGate>> Build(const GateInput& in) {
  const v1::AnalysisGateSpec& a = in.spec.analysis();
  const FieldPath list = in.kind_path.Field("metrics");
  std::vector<AnalysisMetric> ms;
  for (int i = 0; i < a.metrics_size(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(
        AnalysisMetric m,
        AnalysisMetricFromProto(a.metrics(i), in.metrics, list.Index(i)));
    ms.push_back(std::move(m));
  }
  return in.Made(NewAnalysisGate(in.name, std::move(ms)));
}

}  // namespace

GateKind AnalysisGateKind() {
  return {v1::GateSpec::kAnalysis,
          [](const v1::GateSpec&) { return std::string("analysis"); }, Build};
}

}  // namespace sluice::internal

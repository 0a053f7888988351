// Copyright 2026 The Sluice Authors.
//
// The relative gate kind (GateSpec.relative, v1::RelativeGateSpec): the
// canary's metric against the baseline's.

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/metric_checks.h"

namespace sluice::internal {
namespace {

absl::StatusOr<std::unique_ptr<HealthGate>> Build(const GateInput& in) {
  SLUICE_ASSIGN_OR_RETURN(
      RelativeCheck c,
      RelativeFromProto(in.spec.relative(), in.metrics, in.kind_path));
  return in.Made(NewRelativeGate(in.name, std::move(c)));
}

}  // namespace

absl::StatusOr<RelativeCheck> RelativeFromProto(const v1::RelativeGateSpec& p,
                                                const MetricsByName& metrics,
                                                const FieldPath& path) {
  RelativeCheck c;
  SLUICE_ASSIGN_OR_RETURN(
      c.metric, FindMetric(metrics, p.metric(), path.Field("metric")));
  SLUICE_ASSIGN_OR_RETURN(c.aggregation,
                          CheckAggregationFromProto(p.aggregate(), path));
  if (p.has_min_ratio()) c.min_ratio = p.min_ratio();
  if (p.has_max_ratio()) c.max_ratio = p.max_ratio();
  if (p.has_min_difference()) c.min_difference = p.min_difference();
  if (p.has_max_difference()) c.max_difference = p.max_difference();
  c.require_both = p.require_both();
  SLUICE_ASSIGN_OR_RETURN(
      c.window, CheckWindowFromProto(p.has_window(), p.window(), path));
  c.include_before_deploy = p.include_before_deploy();
  c.min_samples = p.min_samples();
  if (!p.requests_metric().empty()) {
    SLUICE_ASSIGN_OR_RETURN(c.requests_metric,
                            FindMetric(metrics, p.requests_metric(),
                                       path.Field("requests_metric")));
    const AggregationKind k = c.aggregation.kind;
    if (!p.aggregate().empty() && k != AggregationKind::kSum &&
        k != AggregationKind::kRate && k != AggregationKind::kMean) {
      return path.Field("aggregate")
          .Invalid(
              absl::StrCat("must be unset, \"sum\", \"rate\" or \"mean\" with "
                           "requests_metric (got \"",
                           p.aggregate(),
                           "\"): each cohort's error and request counts are "
                           "summed into one rate"));
    }
    if (p.aggregate().empty()) c.aggregation.kind = AggregationKind::kSum;
  }
  if (p.has_significance_alpha()) c.significance_alpha = p.significance_alpha();
  return c;
}

GateKind RelativeGateKind() {
  return {v1::GateSpec::kRelative,
          [](const v1::GateSpec& g) {
            return absl::StrCat("relative ", g.relative().metric());
          },
          Build};
}

}  // namespace sluice::internal

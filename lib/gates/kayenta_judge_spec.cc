// Copyright 2026 The Sluice Authors.
//
// The Kayenta judge gate kind (GateSpec.kayenta_judge, v1::KayentaJudgeSpec):
// the judge's configuration (sluice/judge_proto.h) and the spec's metrics it
// scores.

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/judge_gates.h"
#include "sluice/judge_proto.h"

namespace sluice::internal {
namespace {

absl::StatusOr<std::unique_ptr<HealthGate>> Build(const GateInput& in) {
  SLUICE_ASSIGN_OR_RETURN(
      KayentaJudgeGateOptions o,
      KayentaJudgeFromProto(in.spec.kayenta_judge(), in.metrics, in.kind_path));
  return in.Made(NewKayentaJudgeGate(in.name, std::move(o)));
}

}  // namespace

absl::StatusOr<KayentaJudgeGateOptions> KayentaJudgeFromProto(
    const v1::KayentaJudgeSpec& p, const MetricsByName& metrics,
    const FieldPath& path) {
  KayentaJudgeGateOptions o;
  absl::StatusOr<stats::KayentaJudgeConfig> judge = JudgeConfigFromProto(p);
  if (!judge.ok()) return path.Nest(judge.status());
  o.judge = *std::move(judge);
  for (int i = 0; i < p.metrics_size(); ++i) {
    const v1::JudgeMetricSpec& m = p.metrics(i);
    const FieldPath mp = path.Field("metrics").Index(i);
    SLUICE_ASSIGN_OR_RETURN(MetricDefinition def,
                            FindMetric(metrics, m.name(), mp.Field("name")));
    o.metrics.push_back(std::move(def));
    if (!m.requests_metric().empty()) {
      const FieldPath req = mp.Field("requests_metric");
      SLUICE_ASSIGN_OR_RETURN(MetricDefinition requests,
                              FindMetric(metrics, m.requests_metric(), req));
      if (m.requests_metric() == m.name()) {
        return req.Invalid(absl::StrCat("must differ from name (both \"",
                                        m.requests_metric(), "\")"));
      }
      o.requests_metrics[m.name()] = std::move(requests);
    }
  }
  if (p.min_samples() < 0) {
    return path.Field("min_samples")
        .Invalid(MustBe(kMustBeNonNegative, p.min_samples()));
  }
  o.min_samples = p.min_samples();
  if (p.has_window()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.window, DurationFromProto(p.window(), path.Field("window")));
  }
  SLUICE_ASSIGN_OR_RETURN(
      o.marginal, MarginalFromProto(p.marginal(), Outcome::kInconclusive,
                                    path.Field("marginal")));
  return o;
}

absl::StatusOr<Outcome> MarginalFromProto(int marginal, Outcome unspecified,
                                          const FieldPath& path) {
  switch (marginal) {
    case v1::KayentaJudgeSpec::MARGINAL_UNSPECIFIED:
      return unspecified;
    case v1::KayentaJudgeSpec::MARGINAL_INCONCLUSIVE:
      return Outcome::kInconclusive;
    case v1::KayentaJudgeSpec::MARGINAL_PASS:
      return Outcome::kPass;
    case v1::KayentaJudgeSpec::MARGINAL_FAIL:
      return Outcome::kFail;
    default:
      return path.Invalid(absl::StrCat("unknown value ", marginal));
  }
}

GateKind KayentaJudgeGateKind() {
  return {v1::GateSpec::kKayentaJudge,
          [](const v1::GateSpec&) { return std::string("kayenta judge"); },
          Build};
}

}  // namespace sluice::internal

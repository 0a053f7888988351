// Copyright 2026 The Sluice Authors.
//
// RolloutSpec.metrics and RolloutSpec.gates: validation, summary, building.
// Each gate kind converts its own message (lib/gates/<kind>_spec.cc, listed
// in the table of lib/gates/gate_kinds.cc).

#include "lib/gates/spec_gates.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/metric_checks.h"

namespace sluice::internal {
namespace {

bool ValidMetricNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '-' || c == '.' || c == ':' || c == '/';
}

absl::StatusOr<MissingDataPolicy> MissingDataFromProto(
    v1::MetricSpec::MissingData m) {
  switch (m) {
    case v1::MetricSpec::MISSING_DATA_UNSPECIFIED:
    case v1::MetricSpec::MISSING_DATA_FAIL:
      return MissingDataPolicy::kFail;
    case v1::MetricSpec::MISSING_DATA_PASS:
      return MissingDataPolicy::kPass;
    case v1::MetricSpec::MISSING_DATA_INCONCLUSIVE:
      return MissingDataPolicy::kInconclusive;
    case v1::MetricSpec::MISSING_DATA_IGNORE:
      return MissingDataPolicy::kIgnore;
    default:
      return FieldPath("missing_data")
          .Invalid(absl::StrCat("unknown value ", m));
  }
}

absl::StatusOr<MetricsByName> BuildMetrics(const v1::RolloutSpec& spec) {
  MetricsByName metrics;
  std::map<std::string, int> first;
  const FieldPath list("metrics");
  for (int i = 0; i < spec.metrics_size(); ++i) {
    const FieldPath path = list.Index(i);
    absl::StatusOr<MetricDefinition> m = MetricFromProto(spec.metrics(i));
    if (!m.ok()) return path.Nest(m.status());
    auto [it, inserted] = first.emplace(m->name, i);
    if (!inserted) {
      return path.Field("name").Invalid(
          absl::StrCat("duplicate metric \"", m->name, "\" (first at ",
                       list.Index(it->second).str(), ")"));
    }
    metrics.emplace(m->name, *std::move(m));
  }
  return metrics;
}

}  // namespace

absl::StatusOr<MetricDefinition> MetricFromProto(const v1::MetricSpec& proto) {
  MetricDefinition m;
  const FieldPath name("name");
  if (proto.name().empty()) return name.Invalid(kMustNotBeEmpty);
  if (proto.name().size() > 200) {
    return name.Invalid(absl::StrCat("must be at most 200 characters (got ",
                                     proto.name().size(), ")"));
  }
  for (char c : proto.name()) {
    if (!ValidMetricNameChar(c)) {
      return name.Invalid(absl::StrCat("\"", proto.name(),
                                       "\" has a character other than letters, "
                                       "digits, '_', '-', '.', ':' and '/'"));
    }
  }
  m.name = proto.name();
  m.query = proto.query();
  for (const auto& [k, v] : proto.params()) m.params[k] = v;
  if (proto.has_prometheus()) {
    // The Prometheus form is the query plus the adapter's params
    // (docs/prometheus.md).
    const v1::PrometheusMetric& p = proto.prometheus();
    const FieldPath prometheus("prometheus");
    if (!proto.query().empty()) {
      return prometheus.Invalid("set either query or prometheus, not both");
    }
    if (p.query().empty()) {
      return prometheus.Field("query").Invalid(kMustNotBeEmpty);
    }
    for (const char* key : {"prometheus.range", "prometheus.step"}) {
      if (m.params.count(key) > 0) {
        return FieldPath("params").Key(key).Invalid(
            "set by prometheus: do not also set it in params");
      }
    }
    m.query = p.query();
    if (p.range()) m.params["prometheus.range"] = "true";
    if (p.has_step()) {
      SLUICE_ASSIGN_OR_RETURN(
          absl::Duration step,
          DurationFromProto(p.step(), prometheus.Field("step"),
                            DurationRule::kPositive));
      m.params["prometheus.step"] = absl::FormatDuration(step);
    }
  }
  m.unit = proto.unit();
  SLUICE_ASSIGN_OR_RETURN(m.missing_data,
                          MissingDataFromProto(proto.missing_data()));
  return m;
}

absl::StatusOr<BuiltGates> BuildGates(const v1::RolloutSpec& spec) {
  SLUICE_ASSIGN_OR_RETURN(MetricsByName metrics, BuildMetrics(spec));
  const FieldPath gates("gates");
  BuiltGates out;
  SLUICE_ASSIGN_OR_RETURN(
      out.default_gates,
      BuildGateList(spec.gates().default_(), metrics, gates.Field("default")));
  std::map<std::string, int> first;
  const FieldPath stages = gates.Field("stages");
  for (int i = 0; i < spec.gates().stages_size(); ++i) {
    const v1::StageGates& stage = spec.gates().stages(i);
    const FieldPath path = stages.Index(i);
    if (stage.stage().empty()) {
      return path.Field("stage").Invalid(kMustNotBeEmpty);
    }
    auto [it, inserted] = first.emplace(stage.stage(), i);
    if (!inserted) {
      return path.Field("stage").Invalid(
          absl::StrCat("duplicate stage \"", stage.stage(), "\" (first at ",
                       stages.Index(it->second).str(), ")"));
    }
    SLUICE_ASSIGN_OR_RETURN(
        auto built, BuildGateList(stage.gates(), metrics, path.Field("gates")));
    out.stage_gates.emplace(stage.stage(), std::move(built));
  }
  return out;
}

absl::Status ValidateGatesSpec(const v1::RolloutSpec& spec) {
  return BuildGates(spec).status();
}

std::string SummarizeGates(const v1::RolloutSpec& spec) {
  const v1::GatePolicy& g = spec.gates();
  if (spec.metrics_size() == 0 && g.default__size() == 0 &&
      g.stages_size() == 0) {
    return "";
  }
  std::vector<std::string> names;
  for (const v1::GateSpec& gate : g.default_()) names.push_back(GateName(gate));
  std::string out = absl::StrCat("gates: ", g.default__size(), " default");
  if (!names.empty())
    absl::StrAppend(&out, " (", absl::StrJoin(names, ", "), ")");
  if (g.stages_size() > 0) {
    std::vector<std::string> stages;
    for (const v1::StageGates& s : g.stages()) stages.push_back(s.stage());
    absl::StrAppend(&out, ", ", g.stages_size(), " stage override",
                    g.stages_size() == 1 ? "" : "s", " (",
                    absl::StrJoin(stages, ", "), ")");
  }
  absl::StrAppend(&out, "; ", spec.metrics_size(), " metric",
                  spec.metrics_size() == 1 ? "" : "s");
  return out;
}

}  // namespace sluice::internal

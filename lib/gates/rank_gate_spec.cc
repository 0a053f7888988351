// Copyright 2026 The Sluice Authors.

#include "lib/gates/rank_gate_spec.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/rank_gate.h"

namespace sluice::internal {

absl::StatusOr<std::unique_ptr<HealthGate>> BuildRankTestGate(
    const v1::RankTestGateSpec& spec, const std::string& name,
    const std::map<std::string, MetricDefinition>& metrics,
    const FieldPath& path) {
  RankTestGateOptions o;
  if (spec.metric().empty()) {
    return path.Field("metric").Invalid(kMustNotBeEmpty);
  }
  auto it = metrics.find(spec.metric());
  if (it == metrics.end()) {
    std::vector<std::string> declared;
    for (const auto& [n, m] : metrics) declared.push_back(n);
    return path.Field("metric").Invalid(absl::StrCat(
        "names undeclared metric \"", spec.metric(), "\" (declared: ",
        declared.empty() ? "none" : absl::StrJoin(declared, ", "), ")"));
  }
  o.metric = it->second;
  if (spec.has_window()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.window, DurationFromProto(spec.window(), path.Field("window")));
  }
  if (spec.has_alpha()) o.alpha = spec.alpha();
  if (spec.has_min_superiority()) o.min_superiority = spec.min_superiority();
  o.min_samples = spec.min_samples();
  o.max_observations = spec.max_observations();
  absl::StatusOr<std::unique_ptr<HealthGate>> gate =
      NewRankTestGate(name, std::move(o));
  if (!gate.ok()) return path.Nest(gate.status());
  return gate;
}

}  // namespace sluice::internal

namespace sluice::internal {

GateKind RankTestGateKind() {
  return {
      v1::GateSpec::kRankTest,
      [](const v1::GateSpec& g) {
        return absl::StrCat("rank test ", g.rank_test().metric());
      },
      [](const GateInput& in) -> absl::StatusOr<std::unique_ptr<HealthGate>> {
        return BuildRankTestGate(in.spec.rank_test(), in.name, in.metrics,
                                 in.kind_path);
      }};
}

}  // namespace sluice::internal

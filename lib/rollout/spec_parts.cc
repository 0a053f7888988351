// Copyright 2026 The Sluice Authors.
//
// Dispatch to the converters of each part of a RolloutSpec, and what the
// parts build (NewScheduler, GatePolicyFromSpec in sluice/spec.h). Each part
// (strategy, metrics and gates, rollback policy) adds its call here.

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/gates/spec_gates.h"
#include "lib/rollout/spec_data.h"
#include "lib/rollout/spec_rollback.h"
#include "lib/rollout/spec_validation.h"
#include "lib/rollout/spec_watch.h"
#include "lib/waves/spec_waves.h"
#include "sluice/gate_policy.h"
#include "sluice/spec.h"
#include "sluice/v1/rollout_spec.pb.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace internal {

namespace {

// A per-stage gate override for a stage the strategy never produces would
// silently never run: an error naming the stages that exist.
absl::Status ValidateStageOverrides(const SpecData& data) {
  if (!data.waves.has_value() || !data.waves->has_strategy() ||
      !data.gates.has_value()) {
    return absl::OkStatus();
  }
  const std::vector<std::string>& stages = data.waves->stages();
  for (int i = 0; i < data.gates->stages_size(); ++i) {
    const std::string& stage = data.gates->stages(i).stage();
    if (std::find(stages.begin(), stages.end(), stage) == stages.end()) {
      return FieldPath("gates").Field("stages").Index(i).Field("stage").Invalid(
          absl::StrCat("the strategy never produces a stage \"", stage,
                       "\", so its gates would never run; its stages are ",
                       absl::StrJoin(stages, ", ")));
    }
  }
  return absl::OkStatus();
}

}  // namespace

v1::RolloutSpec SpecData::GatesInput() const {
  v1::RolloutSpec out;
  *out.mutable_metrics() = metrics;
  if (gates.has_value()) *out.mutable_gates() = *gates;
  return out;
}

absl::Status ConvertSpecParts(const v1::RolloutSpec& spec, SpecData& out) {
  // The order of the checks is the order of the errors a spec with several
  // mistakes reports first.
  SLUICE_ASSIGN_OR_RETURN(WavesConfig waves,
                          WavesConfig::FromProto(spec.waves()));
  if (spec.has_waves()) out.waves = std::move(waves);
  out.metrics = spec.metrics();
  out.metric_names.clear();
  for (const v1::MetricSpec& metric : spec.metrics()) {
    out.metric_names.push_back(metric.name());
  }
  if (spec.has_gates()) out.gates = spec.gates();
  SLUICE_RETURN_IF_ERROR(ValidateGatesSpec(out.GatesInput()));
  SLUICE_RETURN_IF_ERROR(ValidateStageOverrides(out));
  if (spec.has_rollback()) {
    SLUICE_ASSIGN_OR_RETURN(
        out.rollback, RollbackConfig::FromProto(spec.rollback(), "rollback"));
  }
  if (spec.has_watch()) {
    SLUICE_ASSIGN_OR_RETURN(out.watch,
                            WatchConfig::FromProto(spec.watch(), out.metrics));
  }
  return absl::OkStatus();
}

void SpecPartsToProto(const SpecData& data, v1::RolloutSpec& out) {
  if (data.waves.has_value()) *out.mutable_waves() = data.waves->ToProto();
  *out.mutable_metrics() = data.metrics;
  if (data.gates.has_value()) *out.mutable_gates() = *data.gates;
  if (data.rollback.has_value()) {
    *out.mutable_rollback() = data.rollback->ToProto();
  }
  if (data.watch.has_value()) *out.mutable_watch() = data.watch->ToProto();
}

absl::Status ValidateSpecPartsAgainst(const SpecData& spec,
                                      const Fleet& fleet) {
  if (spec.waves.has_value()) {
    SLUICE_RETURN_IF_ERROR(spec.waves->ValidateAgainst(fleet));
  }
  return absl::OkStatus();
}

std::vector<std::string> SummarizeSpecParts(const SpecData& spec) {
  std::vector<std::string> parts;
  if (spec.waves.has_value() && !spec.waves->Summary().empty()) {
    parts.push_back(spec.waves->Summary());
  }
  if (std::string gates = SummarizeGates(spec.GatesInput()); !gates.empty()) {
    parts.push_back(std::move(gates));
  }
  if (spec.rollback.has_value()) parts.push_back(spec.rollback->Summary());
  if (spec.watch.has_value()) parts.push_back(spec.watch->Summary());
  return parts;
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewScheduler(
    const RolloutSpec& spec) {
  const internal::SpecData& data = internal::DataOf(spec);
  return data.waves.has_value() ? data.waves->NewScheduler()
                                : internal::WavesConfig().NewScheduler();
}

absl::StatusOr<GatePolicy> GatePolicyFromSpec(const RolloutSpec& spec) {
  SLUICE_ASSIGN_OR_RETURN(
      internal::BuiltGates built,
      internal::BuildGates(internal::DataOf(spec).GatesInput()));
  return GatePolicy::Create(std::move(built.default_gates),
                            std::move(built.stage_gates));
}

}  // namespace sluice

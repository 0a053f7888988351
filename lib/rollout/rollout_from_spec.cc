// Copyright 2026 The Sluice Authors.
//
// Rollout::FromSpec(): a rollout made from a validated RolloutSpec.

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/proto_bytes.h"
#include "lib/core/sha256.h"
#include "lib/core/status_macros.h"
#include "lib/rollout/rollout_engine.h"
#include "lib/rollout/spec_data.h"
#include "sluice/gate_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/spec.h"
#include "sluice/v1/rollout.pb.h"
#include "sluice/v1/rollout_spec.pb.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

// The spec's parts that govern decisions (waves, metrics, gates, rollback),
// fingerprinted for RolloutOptions::config_id: a snapshot restored under a
// spec whose gate thresholds changed is noticed even when the gates keep
// their names.
std::string SpecConfigId(const RolloutSpec& spec) {
  // The same bytes as before the parts were converted: each part is
  // written, set or not, from its ToProto().
  const v1::RolloutSpec whole = spec.ToProto();
  v1::RolloutSpec parts;
  *parts.mutable_waves() = whole.waves();
  *parts.mutable_metrics() = whole.metrics();
  *parts.mutable_gates() = whole.gates();
  *parts.mutable_rollback() = whole.rollback();
  *parts.mutable_watch() = whole.watch();
  return absl::StrCat(
      "spec ",
      internal::DigestHex(internal::Sha256(internal::DeterministicBytes(parts)))
          .substr(0, 16));
}

// What FromSpec() takes from the spec besides the plan and the gates.
absl::Status ApplySpec(const RolloutSpec& spec, RolloutOptions& options) {
  options.name = spec.name();
  options.version = spec.version();
  if (!spec.previous_version().empty()) {
    options.previous_version = spec.previous_version();
  }
  if (options.previous_version.empty()) {
    return internal::FieldPath("previous_version")
        .Invalid("must be set in the spec or in options");
  }
  const internal::SpecData& data = internal::DataOf(spec);
  if (data.rollback.has_value()) {
    SLUICE_RETURN_IF_ERROR(data.rollback->Apply(options, "rollback"));
  }
  if (data.watch.has_value()) {
    SLUICE_RETURN_IF_ERROR(data.watch->Apply(data.metrics, options));
  }
  options.config_id = SpecConfigId(spec);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Rollout>> Rollout::FromSpec(
    const RolloutSpec& spec, const Fleet& fleet, WavePlan plan,
    RolloutOptions options) {
  SLUICE_RETURN_IF_ERROR(ApplySpec(spec, options));
  return Create(fleet, std::move(plan), std::move(options));
}

absl::StatusOr<std::unique_ptr<Rollout>> Rollout::FromSpec(
    const RolloutSpec& spec, const Fleet& fleet, RolloutOptions options) {
  SLUICE_RETURN_IF_ERROR(spec.ValidateAgainst(fleet));
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<WaveScheduler> scheduler,
                          NewScheduler(spec));
  SLUICE_ASSIGN_OR_RETURN(WavePlan plan, scheduler->Plan(fleet));
  SLUICE_ASSIGN_OR_RETURN(GatePolicy gates, GatePolicyFromSpec(spec));
  GatesFromPolicy(gates, plan, options);
  return FromSpec(spec, fleet, std::move(plan), std::move(options));
}

absl::StatusOr<RolloutOptions> Rollout::OptionsFromSpec(
    const RolloutSpec& spec, const WavePlan& plan, RolloutOptions options) {
  SLUICE_ASSIGN_OR_RETURN(GatePolicy gates, GatePolicyFromSpec(spec));
  GatesFromPolicy(gates, plan, options);
  SLUICE_RETURN_IF_ERROR(ApplySpec(spec, options));
  return options;
}

absl::StatusOr<std::unique_ptr<Rollout>> Rollout::RestoreFromSpec(
    const RolloutSpec& spec, const Fleet& fleet, RolloutOptions options,
    absl::string_view snapshot, const RestoreOptions& restore) {
  SLUICE_RETURN_IF_ERROR(spec.ValidateAgainst(fleet));
  // The gates of the stages the snapshot's plan has (its plan may differ
  // from the spec's today, e.g. after a replan).
  SLUICE_ASSIGN_OR_RETURN(
      v1::RolloutState state,
      internal::ParseSnapshot(snapshot, options.snapshot_key));
  WavePlan stages;
  for (const v1::WaveRecord& r : state.waves()) {
    Wave w;
    w.stage = r.stage();
    stages.waves.push_back(std::move(w));
  }
  SLUICE_ASSIGN_OR_RETURN(GatePolicy gates, GatePolicyFromSpec(spec));
  GatesFromPolicy(gates, stages, options);
  // previous_version may come from the snapshot alone.
  if (spec.previous_version().empty() && options.previous_version.empty()) {
    options.previous_version = state.previous_version();
  }
  SLUICE_RETURN_IF_ERROR(ApplySpec(spec, options));
  return Restore(fleet, std::move(options), snapshot, restore);
}

}  // namespace sluice

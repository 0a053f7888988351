// Copyright 2026 The Sluice Authors.
//
// The bake gate kind (GateSpec.bake, v1::BakeGateSpec): a nested check
// sampled for a while.

#include <memory>
#include <string>
#include <utility>

#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/bake_gate.h"

namespace sluice::internal {
namespace {

absl::StatusOr<std::unique_ptr<HealthGate>> Build(const GateInput& in) {
  const v1::BakeGateSpec& b = in.spec.bake();
  const FieldPath& p = in.kind_path;
  if (!b.has_duration()) return p.Field("duration").Invalid(kIsRequired);
  if (!b.has_interval()) return p.Field("interval").Invalid(kIsRequired);
  BakeOptions o;
  SLUICE_ASSIGN_OR_RETURN(o.duration,
                          DurationFromProto(b.duration(), p.Field("duration")));
  SLUICE_ASSIGN_OR_RETURN(o.interval,
                          DurationFromProto(b.interval(), p.Field("interval")));
  o.min_samples = b.min_samples();
  o.too_few_samples =
      b.too_few_samples() == v1::BakeGateSpec::TOO_FEW_SAMPLES_FAIL
          ? Outcome::kFail
          : Outcome::kInconclusive;
  if (!b.has_check()) return p.Field("check").Invalid(kIsRequired);
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<HealthGate> check,
                          in.BuildChild(b.check(), p.Field("check")));
  return in.Made(NewBakeGate(in.name, o, std::move(check)));
}

}  // namespace

GateKind BakeGateKind() {
  return {v1::GateSpec::kBake,
          [](const v1::GateSpec&) { return std::string("bake"); }, Build};
}

}  // namespace sluice::internal

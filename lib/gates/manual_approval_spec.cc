// Copyright 2026 The Sluice Authors.
//
// The manual approval gate kind (GateSpec.manual_approval,
// v1::ManualApprovalGateSpec).

#include <memory>
#include <string>

#include "lib/core/status_macros.h"
#include "lib/gates/gate_kind.h"
#include "sluice/approval_gate.h"

namespace sluice::internal {
namespace {

absl::StatusOr<std::unique_ptr<HealthGate>> Build(const GateInput& in) {
  const v1::ManualApprovalGateSpec& a = in.spec.manual_approval();
  ManualApprovalOptions o;
  if (a.has_timeout()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.timeout,
        DurationFromProto(a.timeout(), in.kind_path.Field("timeout")));
  }
  switch (a.on_timeout()) {
    case v1::ManualApprovalGateSpec::ON_TIMEOUT_PASS:
      o.on_timeout = Outcome::kPass;
      break;
    case v1::ManualApprovalGateSpec::ON_TIMEOUT_INCONCLUSIVE:
      o.on_timeout = Outcome::kInconclusive;
      break;
    default:
      o.on_timeout = Outcome::kFail;
      break;
  }
  return in.Made(NewManualApprovalGate(in.name, o));
}

}  // namespace

GateKind ManualApprovalGateKind() {
  return {v1::GateSpec::kManualApproval,
          [](const v1::GateSpec&) { return std::string("manual approval"); },
          Build};
}

}  // namespace sluice::internal

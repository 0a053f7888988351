// Copyright 2026 The Sluice Authors.
//
// GateSpec.self_baseline's entry in the table of gate kinds; the conversion
// itself is SelfBaselineFromProto (lib/gates/self_baseline_gate.cc).

#include <memory>

#include "absl/strings/str_cat.h"
#include "lib/gates/gate_kind.h"
#include "lib/gates/self_baseline_proto.h"

namespace sluice::internal {

GateKind SelfBaselineGateKind() {
  return {
      v1::GateSpec::kSelfBaseline,
      [](const v1::GateSpec& g) {
        return absl::StrCat("self-baseline ", g.self_baseline().metric());
      },
      [](const GateInput& in) -> absl::StatusOr<std::unique_ptr<HealthGate>> {
        return SelfBaselineFromProto(in.name, in.spec.self_baseline(),
                                     in.metrics, in.kind_path);
      }};
}

}  // namespace sluice::internal

// Copyright 2026 The Sluice Authors.
//
// The manual-approval gate: holds until an operator approves or rejects.
//
// The gate reads the operator signals the engine passes in
// GateContext::signals (Rollout::Approve() and Reject() with a gate name, or
// none for every approval gate of the wave): any rejection fails, else an
// approval passes, and the verdict says who decided. Without a decision it
// holds, until `timeout` (when set) gives `on_timeout`.
//
// Example (a release manager has four hours to approve):
//
//   sluice::ManualApprovalOptions options;
//   options.timeout = absl::Hours(4);
//   options.on_timeout = sluice::Outcome::kFail;
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> gate =
//       sluice::NewManualApprovalGate("release-manager", options);
//   if (!gate.ok()) return gate.status();

#ifndef SLUICE_APPROVAL_GATE_H_
#define SLUICE_APPROVAL_GATE_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/health_gate.h"
#include "sluice/verdict.h"

namespace sluice {

// Parameters of a manual-approval gate. Value type; thread-compatible.
struct ManualApprovalOptions {
  // How long to wait from the gate's first evaluation; > 0. Default: none
  // (wait forever).
  std::optional<absl::Duration> timeout;
  // The outcome at the timeout: kFail, kPass or kInconclusive. Default:
  // kFail.
  Outcome on_timeout = Outcome::kFail;
};

// Holds until GateContext::signals has a decision for this gate (a signal
// naming it, or naming no gate): any rejection fails, else an approval
// passes; the verdict says who. Errors name the option, e.g. "timeout: must
// be finite and > 0 (got 0)".
absl::StatusOr<std::unique_ptr<HealthGate>> NewManualApprovalGate(
    std::string name, ManualApprovalOptions options);

}  // namespace sluice

#endif  // SLUICE_APPROVAL_GATE_H_

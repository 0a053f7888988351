// Copyright 2026 The Sluice Authors.
//
// Names and printing of the rollout's status and wave phase.

#include <ostream>

#include "sluice/rollout.h"

namespace sluice {

absl::string_view RolloutStatusName(RolloutStatus status) {
  switch (status) {
    case RolloutStatus::kPending:
      return "pending";
    case RolloutStatus::kRunning:
      return "running";
    case RolloutStatus::kPaused:
      return "paused";
    case RolloutStatus::kRollingBack:
      return "rolling-back";
    case RolloutStatus::kSucceeded:
      return "succeeded";
    case RolloutStatus::kRolledBack:
      return "rolled-back";
    case RolloutStatus::kAborted:
      return "aborted";
    case RolloutStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, RolloutStatus status) {
  return os << RolloutStatusName(status);
}

bool IsTerminal(RolloutStatus status) {
  return status == RolloutStatus::kSucceeded ||
         status == RolloutStatus::kRolledBack ||
         status == RolloutStatus::kAborted || status == RolloutStatus::kFailed;
}

absl::string_view WavePhaseName(WavePhase phase) {
  switch (phase) {
    case WavePhase::kNotStarted:
      return "not-started";
    case WavePhase::kAwaitingApproval:
      return "awaiting-approval";
    case WavePhase::kDeploying:
      return "deploying";
    case WavePhase::kVerifying:
      return "verifying";
    case WavePhase::kBaking:
      return "baking";
    case WavePhase::kRetryBackoff:
      return "retry-backoff";
    case WavePhase::kPassed:
      return "passed";
    case WavePhase::kFailed:
      return "failed";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, WavePhase phase) {
  return os << WavePhaseName(phase);
}

}  // namespace sluice

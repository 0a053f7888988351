// Copyright 2026 The Sluice Authors.
//
// Names, printing and comparison of RolloutEvent (sluice/rollout_event.h).

#include "sluice/rollout_event.h"

#include <ostream>

#include "absl/time/time.h"

namespace sluice {

absl::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kRolloutStarted:
      return "rollout-started";
    case EventKind::kWaveStarted:
      return "wave-started";
    case EventKind::kApprovalRequested:
      return "approval-requested";
    case EventKind::kWaveDeployed:
      return "wave-deployed";
    case EventKind::kGateVerdict:
      return "gate-verdict";
    case EventKind::kWavePassed:
      return "wave-passed";
    case EventKind::kWaveFailed:
      return "wave-failed";
    case EventKind::kPolicyDecision:
      return "policy-decision";
    case EventKind::kRollbackStarted:
      return "rollback-started";
    case EventKind::kRollbackFailed:
      return "rollback-failed";
    case EventKind::kRollbackCompleted:
      return "rollback-completed";
    case EventKind::kEscalated:
      return "escalated";
    case EventKind::kOperatorCommand:
      return "operator-command";
    case EventKind::kRolloutFinished:
      return "rollout-finished";
    case EventKind::kDeployRetried:
      return "deploy-retried";
    case EventKind::kTargetsFailed:
      return "targets-failed";
    case EventKind::kTargetsLeftBehind:
      return "targets-left-behind";
    case EventKind::kBackgroundVerdict:
      return "background-verdict";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, EventKind kind) {
  return os << EventKindName(kind);
}

bool operator==(const RolloutEvent& a, const RolloutEvent& b) {
  return a.sequence == b.sequence && a.time == b.time && a.kind == b.kind &&
         a.rollout == b.rollout && a.rollout_id == b.rollout_id &&
         a.wave == b.wave && a.failures == b.failures &&
         a.action_id == b.action_id && a.command == b.command &&
         a.who == b.who && a.message == b.message && a.verdict == b.verdict &&
         a.trigger == b.trigger && a.decision == b.decision &&
         a.succeeded_targets == b.succeeded_targets &&
         a.failed_targets == b.failed_targets && a.status == b.status &&
         a.phase == b.phase;
}

std::ostream& operator<<(std::ostream& os, const RolloutEvent& event) {
  os << "#" << event.sequence << " "
     << absl::FormatTime(absl::RFC3339_sec, event.time, absl::UTCTimeZone())
     << " " << EventKindName(event.kind);
  if (!event.phase.empty()) os << " phase " << event.phase;
  if (event.wave >= 0) os << " wave " << event.wave;
  if (!event.who.empty()) os << " by " << event.who;
  if (!event.message.empty()) os << ": " << event.message;
  return os;
}

}  // namespace sluice

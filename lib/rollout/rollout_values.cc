// Copyright 2026 The Sluice Authors.
//
// Names, printing and comparison of the rollout engine's value types.

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "sluice/rollout.h"
#include "sluice/rollout_event.h"

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

absl::string_view ActionKindName(ActionKind kind) {
  switch (kind) {
    case ActionKind::kDeploy:
      return "deploy";
    case ActionKind::kSetTraffic:
      return "set-traffic";
    case ActionKind::kRollBack:
      return "roll-back";
    case ActionKind::kWait:
      return "wait";
    case ActionKind::kRequestApproval:
      return "request-approval";
    case ActionKind::kNotify:
      return "notify";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, ActionKind kind) {
  return os << ActionKindName(kind);
}

bool Action::NeedsOutcome() const {
  return kind == ActionKind::kDeploy || kind == ActionKind::kSetTraffic ||
         kind == ActionKind::kRollBack;
}

std::vector<std::string> Action::TargetIds(const Fleet& fleet) const {
  std::vector<std::string> ids;
  ids.reserve(targets.size());
  for (Fleet::TargetIndex t : targets) {
    ids.push_back(t < fleet.size() ? fleet.target(t).id : "?");
  }
  return ids;
}

bool operator==(const Action& a, const Action& b) {
  return a.id == b.id && a.kind == b.kind && a.wave == b.wave &&
         a.version == b.version && a.targets == b.targets &&
         a.traffic_percent == b.traffic_percent &&
         a.wait_until == b.wait_until && a.message == b.message &&
         a.escalate == b.escalate;
}

std::ostream& operator<<(std::ostream& os, const Action& action) {
  os << action.id << ": ";
  switch (action.kind) {
    case ActionKind::kDeploy:
      os << "deploy " << action.version << " to " << action.targets.size()
         << " targets";
      break;
    case ActionKind::kSetTraffic:
      os << "set traffic to " << action.traffic_percent.value_or(0) << "% for "
         << action.version;
      break;
    case ActionKind::kRollBack:
      if (action.targets.empty()) {
        os << "route all traffic back to " << action.version;
      } else {
        os << "roll " << action.targets.size() << " targets back to "
           << action.version;
      }
      break;
    case ActionKind::kWait:
      os << "wait until " << absl::FormatTime(action.wait_until);
      break;
    case ActionKind::kRequestApproval:
      os << "request approval: " << action.message;
      break;
    case ActionKind::kNotify:
      os << (action.escalate ? "escalate: " : "notify: ") << action.message;
      break;
  }
  if (action.wave >= 0) os << " (wave " << action.wave << ")";
  return os;
}

TargetResult TargetResult::Ok(Fleet::TargetIndex target) {
  TargetResult r;
  r.target = target;
  return r;
}

TargetResult TargetResult::Failed(Fleet::TargetIndex target,
                                  std::string reason) {
  TargetResult r;
  r.target = target;
  r.succeeded = false;
  r.reason = std::move(reason);
  return r;
}

bool operator==(const Blocker& a, const Blocker& b) {
  return a.kind == b.kind && a.name == b.name && a.reason == b.reason &&
         a.since == b.since && a.until == b.until;
}

absl::string_view BlockerKindName(Blocker::Kind kind) {
  switch (kind) {
    case Blocker::Kind::kActionsInFlight:
      return "actions-in-flight";
    case Blocker::Kind::kGate:
      return "gate";
    case Blocker::Kind::kBake:
      return "bake";
    case Blocker::Kind::kApproval:
      return "approval";
    case Blocker::Kind::kPaused:
      return "paused";
    case Blocker::Kind::kRetryBackoff:
      return "retry-backoff";
    case Blocker::Kind::kRollback:
      return "rollback";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, const Blocker& blocker) {
  os << BlockerKindName(blocker.kind) << ": " << blocker.name;
  if (!blocker.reason.empty()) os << ": " << blocker.reason;
  if (blocker.until.has_value()) {
    if (*blocker.until == absl::InfiniteFuture()) {
      os << " (until a person acts)";
    } else {
      os << " (until " << absl::FormatTime(*blocker.until) << ")";
    }
  }
  return os;
}

namespace {

// "12m", "1h5m", "40s": a duration rounded to what a person reads.
std::string Short(absl::Duration d) {
  if (d < absl::ZeroDuration()) d = absl::ZeroDuration();
  if (d >= absl::Minutes(1))
    d = absl::Trunc(d, absl::Minutes(1));
  else
    d = absl::Trunc(d, absl::Seconds(1));
  return absl::FormatDuration(d);
}

}  // namespace

std::string DescribeBlocker(const Blocker& blocker, absl::Time now) {
  std::string out = blocker.name;
  if (!blocker.reason.empty()) absl::StrAppend(&out, ": ", blocker.reason);
  const absl::TimeZone utc = absl::UTCTimeZone();
  if (blocker.since != absl::InfinitePast()) {
    absl::StrAppend(&out, "; since ",
                    absl::FormatTime("%Y-%m-%d %H:%M UTC", blocker.since, utc),
                    " (", Short(now - blocker.since), " ago)");
  }
  if (blocker.until.has_value()) {
    if (*blocker.until == absl::InfiniteFuture()) {
      absl::StrAppend(&out, "; until a person acts");
    } else {
      absl::StrAppend(
          &out, "; until ",
          absl::FormatTime("%Y-%m-%d %H:%M UTC", *blocker.until, utc), " (",
          Short(*blocker.until - now), " left)");
    }
  }
  return out;
}

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
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, EventKind kind) {
  return os << EventKindName(kind);
}

bool operator==(const RolloutEvent& a, const RolloutEvent& b) {
  return a.sequence == b.sequence && a.time == b.time && a.kind == b.kind &&
         a.rollout == b.rollout && a.wave == b.wave &&
         a.action_id == b.action_id && a.command == b.command &&
         a.who == b.who && a.message == b.message && a.verdict == b.verdict &&
         a.trigger == b.trigger && a.decision == b.decision &&
         a.succeeded_targets == b.succeeded_targets &&
         a.failed_targets == b.failed_targets && a.status == b.status;
}

std::ostream& operator<<(std::ostream& os, const RolloutEvent& event) {
  os << "#" << event.sequence << " "
     << absl::FormatTime(absl::RFC3339_sec, event.time, absl::UTCTimeZone())
     << " " << EventKindName(event.kind);
  if (event.wave >= 0) os << " wave " << event.wave;
  if (!event.who.empty()) os << " by " << event.who;
  if (!event.message.empty()) os << ": " << event.message;
  return os;
}

}  // namespace sluice

// Copyright 2026 The Sluice Authors.
//
// Rollout events: every decision the rollout engine makes, as a value.
//
// The engine (sluice/rollout.h) hands each event to the host's EventSink as
// it happens: a wave started, a gate's verdict with its numbers, a rollback
// and its reason, an operator command and who gave it. Events are numbered
// from 1 without gaps per rollout, so a host that persists them (and the
// snapshot's sequence number) can tell which it has already stored after a
// crash. Written down, an event is a sluice.v1.Event (sluice/rollout_proto.h
// converts, and reads and writes JSON lines); `sluice timeline EVENTS` prints
// a stream of them as a timeline for a post-incident review.
//
// Example:
//
//   class LogSink : public sluice::EventSink {
//    public:
//     void OnEvent(const sluice::RolloutEvent& event) override {
//       std::cerr << event << "\n";  // "#7 2026-11-28T14:02:00Z wave 2 ..."
//     }
//   };

#ifndef SLUICE_ROLLOUT_EVENT_H_
#define SLUICE_ROLLOUT_EVENT_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sluice/rollback_policy.h"
#include "sluice/verdict.h"

namespace sluice {

// What happened.
enum class EventKind {
  // The rollout left kPending (its first Advance()).
  kRolloutStarted,
  // A wave started deploying (or asked for approval first).
  kWaveStarted,
  // An approval was requested for a wave.
  kApprovalRequested,
  // Every target of a wave's deploy action has an outcome.
  kWaveDeployed,
  // A health gate reached a final verdict (see `verdict`).
  kGateVerdict,
  // A wave's gates passed and its bake ended.
  kWavePassed,
  // A wave failed (see `trigger`).
  kWaveFailed,
  // The rollback policy decided (see `decision`).
  kPolicyDecision,
  // A rollback action was issued or re-issued.
  kRollbackStarted,
  // A rollback action failed for some targets.
  kRollbackFailed,
  // Every target the rollback had to restore runs the old version again.
  kRollbackCompleted,
  // A person is paged (see `message`).
  kEscalated,
  // An operator command: pause, resume, abort, promote, retry, approve,
  // reject, supersede (see `command` and `who`).
  kOperatorCommand,
  // The rollout reached a terminal state (see `status`).
  kRolloutFinished,
  // A wave's targets that failed to deploy are deployed again by a new
  // deploy action (RolloutOptions::deploy_attempts); `failed_targets` is how
  // many, `message` names the first and why it failed.
  kDeployRetried,
  // Targets of a deploy action failed (one event per ReportOutcome() call
  // that reports failures); `failures` names each target and why.
  kTargetsFailed,
  // The rollout succeeded with targets that failed to deploy within their
  // waves' failure budgets (emitted just before kRolloutFinished);
  // `failed_targets` is how many and `failures` lists them.
  kTargetsLeftBehind,
  // A run of the background analysis (RolloutOptions::background_gate)
  // decided (see `verdict`); one that did not pass is followed by
  // kWaveFailed.
  kBackgroundVerdict,
};

// "rollout-started", "wave-started", ... (kebab case of the enumerator).
absl::string_view EventKindName(EventKind kind);
std::ostream& operator<<(std::ostream& os, EventKind kind);

// One target's failure in an action. Value type; thread-compatible.
struct TargetFailure {
  // The target's id in the fleet. Default: empty.
  std::string target;
  // Why, as the host reported it. Default: empty.
  std::string reason;

  friend bool operator==(const TargetFailure& a, const TargetFailure& b) {
    return a.target == b.target && a.reason == b.reason;
  }
  friend bool operator!=(const TargetFailure& a, const TargetFailure& b) {
    return !(a == b);
  }
};

// One decision of the engine. Value type: copyable, comparable, printable.
// Thread-compatible.
struct RolloutEvent {
  // 1, 2, 3, ... per rollout, without gaps. Default: 0.
  int64_t sequence = 0;
  // When it happened (the `now` of the call that caused it).
  // Default: the epoch.
  absl::Time time = absl::UnixEpoch();
  // What happened. Default: kRolloutStarted.
  EventKind kind = EventKind::kRolloutStarted;
  // The rollout's name (RolloutOptions::name). Default: empty.
  std::string rollout;
  // This run of the rollout, the same on every one of its events (also
  // after Restore()): RolloutOptions::rollout_id, or when that is empty
  // "<name>/<version>/<time of the first event, RFC 3339>" (name "rollout"
  // when empty). Tells apart two runs with one name in one event log.
  // Default: empty.
  std::string rollout_id;
  // The wave it concerns, or -1. Default: -1.
  int wave = -1;
  // The action it concerns, if any. Default: empty.
  std::string action_id;
  // For kOperatorCommand: "pause", "resume", "abort", "promote", "retry",
  // "approve", "reject" or "supersede". Default: empty.
  std::string command;
  // For kOperatorCommand: who gave it. Default: empty.
  std::string who;
  // One line for people. Default: empty.
  std::string message;
  // For kGateVerdict and kBackgroundVerdict: the verdict, with its numbers.
  // Default: unset.
  std::optional<Verdict> verdict;
  // For kWaveFailed and kPolicyDecision: why the wave failed. Default: unset.
  std::optional<FailureTrigger> trigger;
  // For kPolicyDecision: what the policy decided. Default: unset.
  std::optional<Decision> decision;
  // For wave and rollback events: targets that succeeded and failed.
  // Default: 0.
  int64_t succeeded_targets = 0;
  int64_t failed_targets = 0;
  // For kTargetsFailed, kRollbackFailed and kTargetsLeftBehind: which
  // targets failed and why, in fleet order. Default: empty.
  std::vector<TargetFailure> failures;
  // The rollout's status after the event, by name ("running", ...).
  // Default: empty.
  std::string status;
  // The phase of a phased rollout (sluice/phased_rollout.h) the event
  // belongs to, e.g. "activate"; set by PhasedRollout. Default: empty (a
  // plain rollout).
  std::string phase;

  friend bool operator==(const RolloutEvent& a, const RolloutEvent& b);
  friend bool operator!=(const RolloutEvent& a, const RolloutEvent& b) {
    return !(a == b);
  }
};

// Prints one line: "#7 2026-11-28T14:02:00+00:00 gate-verdict wave 2: [FAIL]
// p99: ...".
std::ostream& operator<<(std::ostream& os, const RolloutEvent& event);

// Where the engine sends events. Host interface, implemented by the host
// (a log, a message bus, a database table).
//
// Ownership: borrowed; must outlive the Rollout it is given to. Calls: from
// the thread calling the Rollout's method that caused the event, in sequence
// order. OnEvent() should not block for long and must not call back into the
// Rollout. Thread-safe if shared between rollouts used from different
// threads.
class EventSink {
 public:
  virtual ~EventSink() = default;

  // Receives one event.
  virtual void OnEvent(const RolloutEvent& event) = 0;
};

}  // namespace sluice

#endif  // SLUICE_ROLLOUT_EVENT_H_

// Copyright 2026 The Sluice Authors.
//
// The rollout engine's concrete class, shared by lib/rollout/rollout.cc (the
// state machine) and lib/rollout/rollout_snapshot.cc (snapshot and restore).

#ifndef SLUICE_LIB_ROLLOUT_ROLLOUT_ENGINE_H_
#define SLUICE_LIB_ROLLOUT_ROLLOUT_ENGINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sluice/blocker.h"
#include "sluice/fleet.h"
#include "sluice/health_gate.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_event.h"
#include "sluice/wave_plan.h"

namespace sluice::v1 {
class RolloutState;
}  // namespace sluice::v1

namespace sluice::internal {

// Per-target state, one byte each.
enum TargetState : uint8_t {
  // Runs the old version; never touched (or touched by nothing yet).
  kTargetOld = 0,
  // A deploy action to it is out.
  kTargetDeploying = 1,
  // Runs the new version.
  kTargetNew = 2,
  // A deploy failed or was cancelled: its version is unknown.
  kTargetDeployFailed = 3,
  // A rollback action to it is out.
  kTargetRollingBack = 4,
  // Rolled back: runs the old version again.
  kTargetRolledBack = 5,
  // A rollback failed; it will be retried.
  kTargetRollbackFailed = 6,
  // Runs a version that was superseded.
  kTargetStale = 7,
};
inline constexpr int kTargetStateCount = 8;

// True when the target may not run the old version (it must be rolled back).
inline bool IsTouched(uint8_t state) {
  return state != kTargetOld && state != kTargetRolledBack;
}

// An issued action and its progress.
struct ActionRecord {
  enum State : int { kOpen = 0, kComplete = 1, kCancelled = 2 };
  Action action;
  int state = kOpen;
  int64_t remaining = 0;
  // How many outcomes the action takes in all (its targets, or 1).
  int64_t total = 0;
  int64_t succeeded = 0;
  int64_t failed = 0;
  std::string first_failure;
  absl::Time issued_at = absl::UnixEpoch();
};

// The engine's state in groups that mirror sluice.v1.RolloutState
// (proto/sluice/v1/rollout.proto); rollout_snapshot.cc copies each group as
// a whole.

// Per target, one entry each (RolloutState.target_state, target_attempts,
// target_deploy_attempts, target_action).
struct TargetTable {
  std::vector<uint8_t> state;  // TargetState
  // Rollback attempts.
  std::vector<uint8_t> rollback_attempts;
  // Deploy tries in the current attempt of its wave.
  std::vector<uint8_t> deploy_attempts;
  // The seq of the open action awaiting its outcome (0: none).
  std::vector<uint32_t> action;
};

// The current wave's gate: its state, its latest verdict, the operator
// signals it was given (RolloutState.gate_state, last_verdict, signals).
struct CurrentGate {
  GateState state;
  std::optional<Verdict> last_verdict;
  std::vector<OperatorSignal> signals;
};

// Timers (RolloutState "Timers"): absl::InfinitePast() when unset.
struct PhaseTimers {
  // When the phase started (its deadlines count from here).
  absl::Time phase_since = absl::InfinitePast();
  // When the current wave's deploy completed.
  absl::Time deployed_at = absl::InfinitePast();
  // When the current wave's gate is evaluated next.
  absl::Time gate_wake = absl::InfinitePast();
  // When the current wave's bake ends.
  absl::Time bake_until = absl::InfinitePast();
  // When a wave retried by the rollback policy starts again.
  absl::Time retry_at = absl::InfinitePast();
  absl::Time paused_since = absl::InfinitePast();
  // The wake-up of the last kWait action issued.
  absl::Time last_wait = absl::InfinitePast();
};

// What operators and the rollback policy asked for (RolloutState
// pause_reason, failure_trigger, promoted, promoted_by, approval_pending,
// rejected_by).
struct CommandState {
  std::string pause_reason;
  std::optional<FailureTrigger> failure_trigger;
  bool promoted = false;
  std::string promoted_by;
  bool approval_pending = false;
  // Set by Reject() of a wave approval; the next Advance() fails the wave.
  std::string rejected_by;
};

// How far the rollout got (RolloutState started, max_wave_started,
// traffic_touched, current_action, wave_attempts).
struct RunProgress {
  bool started = false;
  int32_t max_wave_started = -1;
  bool traffic_touched = false;
  // The seq of the current wave's deploy or traffic action (0: none).
  int64_t current_action = 0;
  // Per wave: attempts so far.
  std::vector<int32_t> wave_attempts;
};

// Rollback progress (RolloutState "Rollback progress", traffic_rollback_*).
struct RollbackState {
  std::vector<int32_t> queue;  // -1: every touched target
  RolloutStatus end = RolloutStatus::kRolledBack;
  std::string reason;
  absl::Time retry_at = absl::InfinitePast();
  bool wave_rolled_back = false;
  int32_t traffic_attempts = 0;
  bool traffic_failed = false;
};

// Deploy retries of the current wave (RolloutState wave_deploy_failed,
// wave_deploy_retryable, wave_deploy_retries, deploy_retry_at,
// deploy_retries_total).
struct DeployRetryState {
  // The current wave's targets that failed to deploy with no try left (they
  // count against the wave's budget), and those that will be retried.
  int64_t failed = 0;
  int64_t retryable = 0;
  // Retries of the current wave's failed targets so far, and when the next
  // one is due (when `retryable` > 0 and the action is complete).
  int32_t retries = 0;
  absl::Time retry_at = absl::InfinitePast();
  // Deploy retry actions issued over the whole rollout.
  int64_t retries_total = 0;
};

// Bake re-checks and the background analysis (sluice.v1.WatchState).
struct WatchState {
  // The re-check in progress during the current wave's bake, when the next
  // is due (absl::InfiniteFuture(): none), how many passed.
  GateState recheck_state;
  absl::Time recheck_at = absl::InfiniteFuture();
  int32_t rechecks_passed = 0;
  // The background analysis: started or not, since when (the start wave's
  // deploy), its run in progress, when it is due, how many runs decided.
  bool background_started = false;
  absl::Time background_since = absl::InfinitePast();
  GateState background_state;
  absl::Time background_at = absl::InfiniteFuture();
  int64_t background_runs = 0;
};

// Counters kept as targets change state, so no decision scans the fleet
// (recomputed on restore; touched and new_targets are also in the snapshot
// as a check).
struct TargetCounts {
  int64_t touched = 0;
  int64_t new_targets = 0;
  int64_t rollback_failed = 0;
  int64_t open_rollbacks = 0;
  bool rollback_exhausted = false;
  std::vector<int64_t> wave_touched;
};

// Parses Snapshot() bytes: the checksum, then (with a non-empty `key`) the
// HMAC, then the message (lib/rollout/rollout_snapshot.cc).
absl::StatusOr<v1::RolloutState> ParseSnapshot(absl::string_view bytes,
                                               absl::string_view key);

// FNV-1a over the fleet's ids.
uint64_t FleetFingerprint(const Fleet& fleet);
// Checks that `plan` fits `fleet`: indices in range, no target twice, at
// least one wave, traffic waves all or none, target waves not empty except
// the first `may_be_empty` (waves a replanned rollout had started, whose
// targets all left the fleet). Errors name "plan.waves[i]...".
absl::Status ValidatePlan(const WavePlan& plan, const Fleet& fleet,
                          size_t may_be_empty = 0);
// Checks the options. Errors name "options.<field>".
absl::Status ValidateOptions(const RolloutOptions& options, int wave_count);

// One description of each engine phase (docs/architecture.md, "Engine
// phases"): what the phase does next, and when. RolloutEngine::Step()
// computes it from the state; Progress() takes the step when it is due,
// ComputeNextWakeup() wakes for it and Blockers() reports, while it is not
// due, what it waits for. A rule (a deadline, a bake, a backoff, the deploy
// failure budget) is written once, in the phase's Step().
enum class StepKind {
  // Nothing (terminal, paused, or a phase that waits for the host).
  kNone,
  // kPending: start the rollout at wave 0.
  kStartRollout,
  // kRollingBack: issue the next rollback action, retry failed ones, or end.
  kDriveRollback,
  // kNotStarted: start the wave (approval or deploy).
  kStartWave,
  // kAwaitingApproval: the approval was rejected; fail the wave.
  kFailRejected,
  // kAwaitingApproval: approved (or promoted); deploy.
  kIssueDeploy,
  // kAwaitingApproval: approval_timeout passed; fail the wave.
  kFailApprovalTimeout,
  // kDeploying without an action, or kRetryBackoff over: start the wave
  // again.
  kRestartWave,
  // kDeploying: more targets failed than the wave's budget; fail the wave.
  kFailDeployBudget,
  // kDeploying: deploy the failed targets with tries left again.
  kRetryDeploy,
  // kDeploying: every outcome is in; verify.
  kWaveDeployed,
  // kDeploying: progress_deadline passed with outcomes missing.
  kFailDeployDeadline,
  // kVerifying: evaluate the gate (or pass: promoted, no gate).
  kEvaluateGate,
  // kBaking: the bake is over (or promoted); pass the wave.
  kPassWave,
};

struct PhaseStep {
  // What Progress() does when `at` comes.
  StepKind next = StepKind::kNone;
  // When: absl::InfinitePast() at once; absl::InfiniteFuture() not until an
  // outcome or a command arrives.
  absl::Time at = absl::InfiniteFuture();
  // Side timers that wake the engine without ending the phase: a bake
  // re-check (kBaking) and the background analysis (running).
  absl::Time recheck_at = absl::InfiniteFuture();
  absl::Time background_at = absl::InfiniteFuture();
};

class RolloutEngine : public Rollout {
 public:
  RolloutEngine(const Fleet& fleet, WavePlan plan, RolloutOptions options);

  absl::StatusOr<std::vector<Action>> Advance(absl::Time now) override;
  absl::Status ReportOutcome(absl::string_view action_id,
                             absl::Span<const TargetResult> results,
                             absl::Time now) override;
  absl::Status ReportActionOutcome(absl::string_view action_id, bool succeeded,
                                   absl::string_view reason,
                                   absl::Time now) override;
  absl::Status Pause(absl::string_view who, absl::Time now) override;
  absl::Status Resume(absl::string_view who, absl::Time now) override;
  absl::Status Abort(absl::string_view who, absl::Time now) override;
  absl::Status Promote(absl::string_view who, absl::Time now) override;
  absl::Status Retry(absl::string_view who, absl::Time now) override;
  absl::Status Approve(absl::string_view who, absl::Time now) override;
  absl::Status Reject(absl::string_view who, absl::Time now) override;
  absl::Status Supersede(absl::string_view version, absl::string_view who,
                         absl::Time now) override;
  std::vector<Blocker> Blockers(absl::Time now) const override;
  RolloutStatus status() const override { return status_; }
  int current_wave() const override { return current_wave_; }
  WavePhase wave_phase() const override { return phase_; }
  const std::string& version() const override { return version_; }
  const std::string& previous_version() const override {
    return previous_version_;
  }
  const WavePlan& plan() const override { return plan_; }
  std::vector<Action> PendingActions() const override;
  absl::Time NextWakeup() const override { return next_wakeup_; }
  bool RunsNewVersion(Fleet::TargetIndex i) const override {
    return i < targets_.state.size() && targets_.state[i] == kTargetNew;
  }
  int64_t event_sequence() const override { return event_seq_; }
  int64_t state_version() const override { return state_version_; }
  std::string Snapshot() const override;
  size_t PerTargetStateBytes() const override;

  // Restores the fields of a parsed snapshot (lib/rollout/rollout_snapshot.cc).
  // Errors are kInvalidArgument prefixed "snapshot: ".
  absl::Status LoadState(const v1::RolloutState& state);
  // Writes the whole state.
  void SaveState(v1::RolloutState& state) const;
  // The configuration record SaveState() writes (rollout_config.h): the
  // engine's own, or the snapshot's when restored without checking it.
  void set_config_record(std::vector<std::string> lines) {
    config_record_ = std::move(lines);
  }
  // Records a configuration change accepted on restore (RestoreOptions) as
  // an operator-command event "config-change" at the last time the engine
  // saw (lib/rollout/rollout_snapshot.cc).
  void RecordConfigChange(absl::string_view who, std::string message);

 private:
  // --- helpers (lib/rollout/rollout.cc)
  void SetTargetState(Fleet::TargetIndex t, uint8_t state);
  void RecountTargets();
  void Emit(EventKind kind, absl::Time now, RolloutEvent event);
  std::string NewActionId(absl::string_view stem, int wave);
  ActionRecord& Issue(Action action, absl::Time now, std::vector<Action>& out);
  bool Progress(absl::Time now, std::vector<Action>& out);
  // The step of the current state (see PhaseStep). When it waits (`at` is
  // not absl::InfinitePast()) and `why` is not null, sets *why to what it
  // waits for, as Blockers() reports it.
  PhaseStep Step(Blocker* why) const;
  PhaseStep WaveStep(Blocker* why) const;
  PhaseStep RollbackStep(Blocker* why) const;
  // Takes a step that is due. True when the state machine moved.
  bool Take(StepKind step, absl::Time now, std::vector<Action>& out);
  // The current wave's deploy against its failure budget: a traffic action
  // allows no failure; a deploy allows the wave's max_failed_targets among
  // targets with no try left.
  struct DeployTally {
    bool traffic = false;
    int64_t budget = 0;
    int64_t failed = 0;
  };
  DeployTally CurrentDeployTally() const;
  void StartWave(absl::Time now, std::vector<Action>& out);
  void IssueDeploy(absl::Time now, std::vector<Action>& out);
  // Deploys the current wave's failed targets that have tries left again.
  void IssueDeployRetry(absl::Time now, std::vector<Action>& out);
  // The wait before the next retry of the current wave's failed targets.
  absl::Duration DeployRetryBackoff() const;
  bool Verify(absl::Time now, std::vector<Action>& out);
  void PassWave(absl::Time now);
  void FailWave(FailureTrigger trigger, std::string reason,
                std::optional<Verdict> verdict, int64_t failed_targets,
                absl::Time now, std::vector<Action>& out);
  void CancelOpenActions();
  void BeginRollback(bool current_wave_only, RollbackOrder order,
                     RolloutStatus end, std::string reason, absl::Time now,
                     std::vector<Action>& out);
  bool DriveRollback(absl::Time now, std::vector<Action>& out);
  void Finish(RolloutStatus status, absl::Time now, std::string message);
  void Notify(std::string message, bool escalate, int wave, absl::Time now,
              std::vector<Action>& out);
  void ComputeNextWakeup();
  const HealthGate* GateFor(int wave) const;
  absl::StatusOr<ActionRecord*> FindAction(absl::string_view call,
                                           absl::string_view id);
  absl::Status CheckTime(absl::string_view call, absl::Time now) const;
  std::string StateText() const;
  void Command(absl::string_view command, absl::string_view who, absl::Time now,
               std::string message);
  void Touch(absl::Time now);
  // Whether the current wave's gate holds indefinitely for an operator's
  // approval or rejection (a manual-approval gate).
  bool GateAwaitsSignal() const;
  // Hands the gate an operator signal, records the command ("approve",
  // "reject") and wakes the gate now.
  void SignalGate(OperatorSignal::Kind kind, absl::string_view command,
                  absl::string_view past_tense, absl::string_view who,
                  absl::Time now);

  // --- watching (lib/rollout/rollout_watch.cc): bake re-checks and the
  // background analysis.
  // During a bake: evaluates the wave's gate again when a re-check is due.
  // True when the state machine moved (a re-check decided).
  bool RecheckBake(absl::Time now, std::vector<Action>& out);
  // Schedules the first re-check of a wave whose gate just passed.
  void ScheduleRechecks(absl::Time now);
  // The time of the next re-check (absl::InfiniteFuture() when none is due
  // before the bake ends).
  absl::Time RecheckWakeup() const;
  // Starts the background analysis when the wave that starts it deployed.
  void MaybeStartBackground(absl::Time now);
  // Runs the background analysis when due. True when it failed the wave.
  bool RunBackground(absl::Time now, std::vector<Action>& out);
  // When the background analysis runs next (absl::InfiniteFuture(): never).
  absl::Time BackgroundWakeup() const;
  // Forgets the background analysis (a superseding version starts over).
  void ResetBackground();
  // The gate context of a wave (its cohorts slices of plan_ids_, or of
  // settled_ids_).
  GateContext WaveContext(int wave, absl::Time now);

  // --- configuration
  Fleet fleet_;
  WavePlan plan_;
  RolloutOptions options_;
  std::shared_ptr<const RollbackPolicy> policy_;
  uint64_t fingerprint_ = 0;
  std::vector<int32_t> wave_of_;  // per target
  std::vector<bool> approval_wave_;
  std::vector<std::string> config_record_;

  // --- state (all of it is in the snapshot, or recomputed from it). The
  // groups mirror sluice.v1.RolloutState's; rollout_snapshot.cc writes and
  // reads each group as a whole.
  std::string version_;
  std::string previous_version_;
  RolloutStatus status_ = RolloutStatus::kPending;
  int current_wave_ = -1;
  WavePhase phase_ = WavePhase::kNotStarted;
  TargetTable targets_;
  std::vector<ActionRecord> actions_;  // index = seq - 1
  int64_t event_seq_ = 0;
  int64_t state_version_ = 0;
  absl::Time last_now_ = absl::InfinitePast();
  // RolloutEvent::rollout_id (set by the first event when not given).
  std::string rollout_id_;
  CurrentGate gate_;
  PhaseTimers timers_;
  CommandState commands_;
  RunProgress progress_;
  RollbackState rollback_;
  DeployRetryState deploy_;
  WatchState watch_;
  bool dirty_ = true;
  // Cohorts of the background analysis (rebuilt for each evaluation).
  std::vector<std::string> background_new_ids_;
  std::vector<std::string> background_old_ids_;

  // --- derived (recomputed on restore)
  TargetCounts counts_;
  absl::Time next_wakeup_ = absl::InfinitePast();
  // Every wave's target ids in plan order, wave w at [wave_start_[w],
  // wave_start_[w + 1]) (built at the first gate context): the gates'
  // cohorts are slices of it.
  std::vector<std::string> plan_ids_;
  std::vector<size_t> wave_start_;
  // GateContext::settled_targets of wave settled_wave_ (-1: none cached):
  // the slice of plan_ids_ before the wave when every earlier target runs
  // the new version (settled_all_new_), else settled_ids_.
  int settled_wave_ = -1;
  bool settled_all_new_ = true;
  std::vector<std::string> settled_ids_;
};

}  // namespace sluice::internal

#endif  // SLUICE_LIB_ROLLOUT_ROLLOUT_ENGINE_H_

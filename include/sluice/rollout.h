// Copyright 2026 The Sluice Authors.
//
// Rollout: the deterministic state machine a deploy tool steps.
//
// Sluice says what to do next; the host does it with its own transport and
// says how it went. The host calls Advance(now) and gets Actions, each with a
// stable id: deploy version V to these targets, set the traffic weight to P%,
// roll these targets back to V0, wait until T, request approval, notify a
// person. It carries them out and reports each deploy, traffic and rollback
// action's outcome per target with ReportOutcome(). Health gates run inside
// Advance() (they query the host's MetricSource and AlarmSource); a failed
// wave goes to the RollbackPolicy (sluice/rollback_policy.h).
//
// Lifecycle (docs/rollouts.md has the diagram):
//
//   kPending → kRunning (wave i: deploying → verifying → baking) → kSucceeded
//   kRunning ⇄ kPaused (Pause/Resume, or a policy that pauses)
//   kRunning / kPaused → kRollingBack → kRolledBack (a failure) or
//                                       kAborted (Abort)
//   kRollingBack → kFailed (rollback actions kept failing; a person must act)
//
// A command that is not valid in the current state returns
// kFailedPrecondition naming the call and the state, and changes nothing.
// So does every other failed call.
//
// State as a value: Snapshot() returns the whole state as the bytes of a
// sluice.v1.RolloutState message with a version number; Restore() in a new
// process continues exactly as if nothing had happened. Actions are
// idempotent by id: a host that crashed mid-action re-issues the same id
// (PendingActions() lists the ones without an outcome).
//
// Example, a complete host loop (docs/rollouts.md explains it):
//
//   absl::StatusOr<std::unique_ptr<sluice::Rollout>> rollout =
//       sluice::Rollout::Create(fleet, plan, std::move(options));
//   if (!rollout.ok()) return rollout.status();
//   while (!sluice::IsTerminal((*rollout)->status())) {
//     absl::Time now = clock.Now();
//     absl::StatusOr<std::vector<sluice::Action>> actions =
//         (*rollout)->Advance(now);
//     if (!actions.ok()) return actions.status();
//     for (const sluice::Action& action : *actions) {
//       if (!action.NeedsOutcome()) continue;  // wait, approval, notify
//       std::vector<sluice::TargetResult> results = transport.Run(action);
//       absl::Status s = (*rollout)->ReportOutcome(action.id, results,
//                                                  clock.Now());
//       if (!s.ok()) return s;
//     }
//     SleepUntil(std::min((*rollout)->NextWakeup(), clock.Now() + poll));
//   }

#ifndef SLUICE_ROLLOUT_H_
#define SLUICE_ROLLOUT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/action.h"
#include "sluice/blocker.h"
#include "sluice/fleet.h"
#include "sluice/health_gate.h"
#include "sluice/metric_source.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout_event.h"
#include "sluice/wave_plan.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
class RolloutSpec;

// Where a rollout is in its lifecycle.
enum class RolloutStatus {
  // Created; the first Advance() starts it.
  kPending,
  // Deploying, verifying or baking a wave, or retrying one after a backoff.
  kRunning,
  // Waiting for a person: paused by Pause(), or by a policy that pauses
  // (Blockers() says why).
  kPaused,
  // Restoring the old version on the targets the rollout touched.
  kRollingBack,
  // Terminal: every wave passed.
  kSucceeded,
  // Terminal: a failure was rolled back; every touched target runs the old
  // version again.
  kRolledBack,
  // Terminal: aborted by an operator and rolled back.
  kAborted,
  // Terminal: the rollback could not complete (its actions kept failing);
  // a person must restore the targets by hand.
  kFailed,
};

// "pending", "running", "paused", "rolling-back", "succeeded",
// "rolled-back", "aborted" or "failed".
absl::string_view RolloutStatusName(RolloutStatus status);
std::ostream& operator<<(std::ostream& os, RolloutStatus status);

// True for kSucceeded, kRolledBack, kAborted and kFailed.
bool IsTerminal(RolloutStatus status);

// Where the current wave is.
enum class WavePhase {
  // Not started yet.
  kNotStarted,
  // Waiting for Approve() before deploying.
  kAwaitingApproval,
  // The deploy (or set-traffic) action is out; outcomes are arriving.
  kDeploying,
  // Deployed; the health gate has not decided yet.
  kVerifying,
  // The gate passed; the wave's bake time has not run out yet.
  kBaking,
  // Failed; waiting out a retry backoff.
  kRetryBackoff,
  // Done: gates passed and bake over.
  kPassed,
  // Failed (and possibly rolled back); waiting for a person or rolling back.
  kFailed,
};

// "not-started", "awaiting-approval", "deploying", "verifying", "baking",
// "retry-backoff", "passed" or "failed".
absl::string_view WavePhaseName(WavePhase phase);
std::ostream& operator<<(std::ostream& os, WavePhase phase);

// Which targets the gates see as the baseline cohort: targets still on the
// previous version, compared with the wave's.
enum class BaselineCohort {
  // The next wave's targets: a baseline of the same order of size as the
  // canary, as Kayenta advises (a far larger baseline weighs long-running
  // hosts against fresh ones). The last wave has no baseline.
  kNextWave,
  // Every target of the waves after the current one: the whole stable part
  // of the fleet. The last wave has no baseline.
  kAllRemaining,
};

// How a rollout is made: behaviour and limits. Copyable (the behaviour
// objects are shared and immutable). Thread-compatible.
struct RolloutOptions {
  // The rollout's name, copied onto every event. Default: empty.
  std::string name;
  // This run's id, copied onto every event (RolloutEvent::rollout_id).
  // Default: empty (derived from the name, the version and the time of the
  // first event).
  std::string rollout_id;
  // The version rolled out. Required (non-empty).
  std::string version;
  // The last good version, the rollback target. Required (non-empty).
  std::string previous_version;

  // The gate for waves whose stage has no entry in `stage_gates`. Null: such
  // waves pass their gates at once (their bake still runs). Default: null.
  std::shared_ptr<const HealthGate> gate;
  // Per-stage gates (Wave::stage → gate), e.g. from a GatePolicy with
  // GatesFromPolicy(). Default: none.
  std::map<std::string, std::shared_ptr<const HealthGate>> stage_gates;

  // What a failed wave leads to. Null: NewDefaultRollbackPolicy().
  // Default: null.
  std::shared_ptr<const RollbackPolicy> rollback_policy;

  // The host's metrics and alarms, handed to the gates. Borrowed: must
  // outlive the Rollout. Default: null (gates that need them return kError).
  MetricSource* metric_source = nullptr;
  AlarmSource* alarm_source = nullptr;
  // Where events go. Borrowed: must outlive the Rollout. Default: null (no
  // events are delivered; the sequence still counts).
  EventSink* event_sink = nullptr;

  // Enables the keyed integrity check of snapshots: Snapshot() appends an
  // HMAC-SHA256 of the state under this key, and Restore() refuses a
  // snapshot without a valid one ("snapshot: integrity check failed"). The
  // plain checksum guards against accidents only (truncation, bit rot), not
  // against a hostile store (docs/distributed.md). Keep the key out of the
  // store. Default: empty (checksum only).
  std::string snapshot_key;
  // Names configuration the engine cannot see for itself, such as the
  // gates' parameters behind their names; part of the configuration a
  // snapshot records (Restore() compares it). FromSpec() sets it to a
  // fingerprint of the spec's metrics, gates and rollback policy.
  // Default: empty.
  std::string config_id;

  // A wave whose deploy has not completed this long after it started fails
  // with kProgressDeadline (Argo Rollouts' progressDeadlineSeconds).
  // Default: 10 minutes (Argo's 600 s). Must be > 0.
  absl::Duration progress_deadline = absl::Minutes(10);
  // The waves that wait for Approve() before they deploy, by index.
  // Default: none.
  std::vector<int> approval_waves;
  // An approval not given this long after it was requested fails the wave
  // with kProgressDeadline. Default: 24 hours. Must be > 0.
  absl::Duration approval_timeout = absl::Hours(24);
  // How often a deploy is tried on one target within one attempt of a wave
  // before its failure counts against the wave's failure budget
  // (Wave::max_failed_targets). A deploy action that completes with failed
  // targets is followed, after a backoff, by a new deploy action holding
  // only the failed targets (a kDeployRetried event each time); each retry
  // restarts the progress deadline. 1 turns retries off (every failure
  // counts at once, as CodeDeploy counts a failed instance). Traffic waves
  // are not retried. Default: 3. Must be in [1, 100].
  int deploy_attempts = 3;
  // The wait before the first re-deploy of a wave's failed targets; each
  // further retry of the same wave waits twice as long as the one before.
  // Default: 30 s. Must be finite and >= 0.
  absl::Duration deploy_retry_backoff = absl::Seconds(30);
  // How often a rollback action is tried on a target before the engine
  // escalates and the rollout ends kFailed. Default: 3. Must be in [1, 100].
  int rollback_attempts = 3;
  // The wait before a failed rollback action is re-issued. Default: 30 s.
  // Must be >= 0.
  absl::Duration rollback_retry_backoff = absl::Seconds(30);
  // How Abort() rolls back. Default: kAllAtOnce (Argo Rollouts' abort sends
  // all traffic back to the stable version at once).
  RollbackOrder abort_order = RollbackOrder::kAllAtOnce;
  // Which targets gates get as GateContext::baseline_targets.
  // Default: kNextWave.
  BaselineCohort baseline = BaselineCohort::kNextWave;

  // --- Keep watching (docs/rollouts.md, "Watching a rollout").

  // While a wave bakes (its gate passed, Wave::bake not over), its gate is
  // evaluated again, afresh (a new GateState), every this long after it
  // passed; a re-check that does not pass fails the wave (kGateFail,
  // kGateInconclusive or kGateError) and goes to the rollback policy. A
  // re-check that holds is asked again when it says; one still holding when
  // the bake ends is dropped (the wave passes). Zero disables re-checks.
  // Default: 5 minutes, the usual metric window, so that consecutive
  // re-checks look at (mostly) new data. Must be finite and >= 0.
  absl::Duration bake_recheck_interval = absl::Minutes(5);

  // Background analysis (Argo Rollouts' spec.strategy.canary.analysis): a
  // gate that watches the whole rollout, not one wave. It starts when wave
  // `background_start_wave` has deployed and runs until the rollout ends:
  // evaluated at once, then (after each run that passes, with a fresh
  // GateState) every `background_interval`, with no count. Its cohorts are
  // every target on the new version (GateContext::wave_targets) and every
  // target still on the old one (baseline_targets); its wave_deployed_at is
  // when the start wave deployed. A run that fails, is inconclusive or
  // errors fails the current wave with the matching gate trigger (the
  // reason starts "background analysis: "), whatever phase it is in; a run
  // that holds is asked again when it says. It does not run while the
  // rollout is paused or after Promote(). Null: none. Default: null.
  std::shared_ptr<const HealthGate> background_gate;
  // Time between background runs. Must be finite and > 0. Default: 5
  // minutes.
  absl::Duration background_interval = absl::Minutes(5);
  // The wave whose deploy starts the background analysis (Argo's
  // startingStep). Must be in [0, waves). Default: 0 (the first wave).
  int background_start_wave = 0;
};

// Fills `options.stage_gates` with the gate of every stage the plan uses,
// taken from `policy` (sluice/gate_policy.h). Header-only so that the engine
// does not depend on the built-in gates.
template <typename GatePolicyT>
void GatesFromPolicy(const GatePolicyT& policy, const WavePlan& plan,
                     RolloutOptions& options) {
  auto shared = std::make_shared<const GatePolicyT>(policy);
  for (const Wave& wave : plan.waves) {
    options.stage_gates[wave.stage] = std::shared_ptr<const HealthGate>(
        shared, &shared->ForStage(wave.stage));
  }
}

// How Restore() treats a snapshot. Copyable. Thread-compatible.
struct RestoreOptions {
  // Whether the configuration is compared (below). The 3-argument Restore()
  // does not compare (a tool that only applies a command, without the
  // gates, may restore), and then the engine keeps the snapshot's record,
  // so its next Snapshot() still names the configuration that governed the
  // rollout. Default: true.
  bool check_config = true;
  // A snapshot records the configuration that governs decisions: the gate
  // of every wave (by name), the rollback policy (by name), the engine's
  // limits (progress_deadline, approval_waves, approval_timeout,
  // rollback_attempts, rollback_retry_backoff, abort_order, baseline) and
  // RolloutOptions::config_id. Restore() refuses a snapshot made under
  // another configuration ("snapshot: config: ... \"wave 1 (zone): gate
  // error-rate\" is now \"wave 1 (zone): gate none\"") unless this is true;
  // then the change is recorded as an operator-command event (command
  // "config-change", by `who`). Default: false.
  bool accept_config_change = false;
  // Who declared the change, for the event. Default: empty.
  std::string who;
};

// The rollout engine. Made by Create() (or Restore()); an object that exists
// is valid.
//
// Not thread-safe: one Rollout is used from one thread at a time (the host
// serializes calls); separate Rollouts are independent and may be used from
// different threads concurrently, even when they share gates, policies and
// (thread-safe) sources.
class Rollout {
 public:
  virtual ~Rollout() = default;

  // Validates and makes a rollout of `plan` (made for `fleet`) in kPending.
  // Errors (kInvalidArgument) name the field, e.g. "options.version: must
  // not be empty", "plan.waves[2].targets[0]: index 40 out of range (fleet
  // has 36 targets)", "plan.waves[3].targets[1]: target web-7 already in
  // wave 1", "options.approval_waves[0]: must be in [0, 5) (got 7)".
  static absl::StatusOr<std::unique_ptr<Rollout>> Create(
      const Fleet& fleet, WavePlan plan, RolloutOptions options);

  // Makes a rollout from a validated spec: the name, versions, rollback
  // policy and engine limits come from `spec` (its `rollback` field, or the
  // defaults), and so do the bake re-checks and the background analysis
  // (its `watch` field, when set), overriding `options`; `plan` is the spec's
  // strategy applied to `fleet` (NewScheduler(spec), sluice/spec.h); gates come
  // from `options` (e.g. GatesFromPolicy(*GatePolicyFromSpec(spec), plan,
  // options)). Errors as Create(), and "previous_version: must be set in the
  // spec or in options" when neither has it.
  static absl::StatusOr<std::unique_ptr<Rollout>> FromSpec(
      const RolloutSpec& spec, const Fleet& fleet, WavePlan plan,
      RolloutOptions options);

  // The options FromSpec(spec, fleet, plan, options) makes its rollout
  // with: `options` plus the gates of `plan`'s stages (GatePolicyFromSpec(
  // spec)), and the name, versions, rollback policy, engine limits, watch
  // settings and config_id from `spec`. For hosts that call Restore()
  // themselves with options they build once, such as a Controller's
  // RolloutConfigFn (sluice/store/controller.h): Restore(fleet,
  // *OptionsFromSpec(spec, plan, options), snapshot, RestoreOptions())
  // accepts a snapshot of a rollout made by FromSpec(). Errors as
  // FromSpec().
  static absl::StatusOr<RolloutOptions> OptionsFromSpec(const RolloutSpec& spec,
                                                        const WavePlan& plan,
                                                        RolloutOptions options);

  // Makes a rollout entirely from a validated spec and a fleet: the checks
  // that need the fleet (RolloutSpec::ValidateAgainst), the plan from the
  // spec's `waves` (NewScheduler(spec)->Plan(fleet)), the gates from its
  // `metrics` and `gates` (GatePolicyFromSpec(spec)), both in sluice/spec.h,
  // and the rest as the FromSpec() above. `options` supplies the sources,
  // the sink, approvals and previous_version when the spec has none. Errors
  // as the parts report them, e.g. "waves: is required".
  static absl::StatusOr<std::unique_ptr<Rollout>> FromSpec(
      const RolloutSpec& spec, const Fleet& fleet, RolloutOptions options);

  // Continues a rollout from Snapshot() bytes. `fleet` and `options` supply
  // what a snapshot does not hold (the fleet, gates, policy, sources, sink);
  // the plan, versions and all progress come from the snapshot. Errors:
  // kInvalidArgument for truncated or corrupted bytes ("snapshot: cannot
  // parse ..."), a snapshot of a different fleet ("snapshot: fleet
  // fingerprint ... does not match"), or a newer schema ("snapshot:
  // schema_version 3 is newer than this library's 1").
  //
  // Restore trusts nothing: every field and their consistency are checked
  // (status against phase, the current wave against the plan, actions,
  // counters, fractions, times), and an impossible state is refused with the
  // field's path ("snapshot: actions[3].remaining: must be in [0, total 4]
  // (got -5)"); a snapshot made under another configuration is refused (see
  // RestoreOptions) by the 4-argument overload and RestoreFromSpec(); with
  // RolloutOptions::snapshot_key the HMAC must verify. Nothing is restored on
  // error.
  static absl::StatusOr<std::unique_ptr<Rollout>> Restore(
      const Fleet& fleet, RolloutOptions options, absl::string_view snapshot);
  // As above, comparing the configuration the snapshot records with the one
  // given (RestoreOptions::check_config, default true): a controller that
  // decides (Advance) restores this way, so that a replica built without
  // the gates cannot pass a wave they would fail.
  static absl::StatusOr<std::unique_ptr<Rollout>> Restore(
      const Fleet& fleet, RolloutOptions options, absl::string_view snapshot,
      const RestoreOptions& restore);

  // FromSpec()'s counterpart for Restore(): continues a rollout made by
  // FromSpec(spec, fleet, options) from its Snapshot() bytes, building the
  // gates (GatePolicyFromSpec(spec), for the stages of the snapshot's plan),
  // the rollback policy and the engine limits from `spec` as FromSpec()
  // does, so the host need not rebuild them by hand. `options` supplies the
  // sources, the sink and the snapshot key. Errors: the spec's (as
  // RolloutSpec::ValidateAgainst), then Restore()'s.
  static absl::StatusOr<std::unique_ptr<Rollout>> RestoreFromSpec(
      const RolloutSpec& spec, const Fleet& fleet, RolloutOptions options,
      absl::string_view snapshot, const RestoreOptions& restore = {});

  // Replans a live rollout whose fleet changed (targets added, removed or
  // moved): returns a rollout that continues `rollout` on `new_fleet` with
  // `new_plan`, which must keep the waves `rollout` started as they were
  // minus the targets that left (what sluice::Replan() makes; such a wave
  // may end up empty) and may change every later wave. Per-target state,
  // open actions, counters and the event sequence carry over by target id;
  // targets that left are forgotten (a later rollback does not touch them);
  // new targets start on the old version. The replan is recorded as an
  // operator-command event "config-change" by `who`, and the new plan
  // becomes the configuration the snapshot records, so a checked Restore()
  // of the new rollout's snapshot with the same options accepts it.
  // `options` must be the configuration the rollout runs under (its gates,
  // policy and limits are compared as Restore() does); `new_fleet` must
  // outlive the result; `rollout` is left unchanged (discard it).
  // Errors: kInvalidArgument naming the argument ("old_fleet: is not the
  // rollout's fleet", "new_plan.waves[0]: must keep started wave 0 ...",
  // "options: made under another configuration: ..."); kFailedPrecondition
  // when the rollout ended, or a target that left awaits an outcome ("target
  // web-3 left the fleet but awaits the outcome of action deploy-w1-1:
  // report it first").
  static absl::StatusOr<std::unique_ptr<Rollout>> Replan(
      const Rollout& rollout, const Fleet& old_fleet, const Fleet& new_fleet,
      const WavePlan& new_plan, RolloutOptions options,
      absl::string_view who = "");
  // As above, with the new plan made by sluice::Replan(scheduler, the
  // rollout's plan, the waves it started, old_fleet, new_fleet).
  static absl::StatusOr<std::unique_ptr<Rollout>> Replan(
      const Rollout& rollout, const WaveScheduler& scheduler,
      const Fleet& old_fleet, const Fleet& new_fleet, RolloutOptions options,
      absl::string_view who = "");

  // Steps the state machine at `now` and returns the new actions (possibly
  // none). O(1) when nothing changed since the last call and no timer is
  // due. `now` may not go backwards: kInvalidArgument ("Advance: now ... is
  // before the last call's ...").
  virtual absl::StatusOr<std::vector<Action>> Advance(absl::Time now) = 0;

  // Reports outcomes of a deploy or rollback action, per target. Each target
  // of the action is reported once, in one call or several; the action is
  // complete when all have been. Errors: kNotFound for an unknown action id,
  // kInvalidArgument for a target the action does not hold or one reported
  // twice, kFailedPrecondition for an action already complete or cancelled
  // (after a failure or an abort) or one that takes no outcome. On error
  // nothing changes.
  virtual absl::Status ReportOutcome(absl::string_view action_id,
                                     absl::Span<const TargetResult> results,
                                     absl::Time now) = 0;

  // Reports one outcome for all the remaining targets of an action (and the
  // outcome of a set-traffic action). Same errors as ReportOutcome().
  virtual absl::Status ReportActionOutcome(absl::string_view action_id,
                                           bool succeeded,
                                           absl::string_view reason,
                                           absl::Time now) = 0;

  // Operator commands. Each is recorded as an event with `who`, and returns
  // kFailedPrecondition naming the call and the state when not valid now,
  // e.g. "Approve: no approval is pending (state: running, wave 2 baking)".
  //
  // Pause: kPending or kRunning → kPaused. In-flight actions still take
  // outcomes; no new wave starts and no gate runs.
  virtual absl::Status Pause(absl::string_view who, absl::Time now) = 0;
  // Resume: kPaused → kRunning; a wave paused by an inconclusive verdict is
  // verified again with fresh gate state (targets that failed to deploy are
  // deployed again). Not valid after a wave whose targets were rolled back
  // (use Retry or Abort).
  virtual absl::Status Resume(absl::string_view who, absl::Time now) = 0;
  // Abort: roll back everything deployed (RolloutOptions::abort_order) and
  // end kAborted. Valid in kPending, kRunning and kPaused.
  virtual absl::Status Abort(absl::string_view who, absl::Time now) = 0;
  // Promote: skip the remaining gates, bakes and approvals (Argo Rollouts'
  // `promote --full`); waves still deploy and per-target failures still
  // count. Valid in kRunning and kPaused (then it resumes), except while a
  // wave's targets are rolled back (Retry first).
  virtual absl::Status Promote(absl::string_view who, absl::Time now) = 0;
  // Retry: deploy the current, failed wave again with fresh gate state
  // (Argo Rollouts' retry). Valid in kPaused after a failure.
  virtual absl::Status Retry(absl::string_view who, absl::Time now) = 0;
  // Approve / Reject the pending approval: the wave's approval
  // (RolloutOptions::approval_waves) or a gate that waits for an operator
  // signal. Reject fails the wave with kRejected.
  virtual absl::Status Approve(absl::string_view who, absl::Time now) = 0;
  virtual absl::Status Reject(absl::string_view who, absl::Time now) = 0;
  // A new version arrived while the rollout runs: supersede. The rollout
  // starts over from wave 0 with `version`; the rollback target stays the
  // last good version (previous_version), as Argo Rollouts keeps the stable
  // ReplicaSet when a new revision interrupts an update. Valid in kPending,
  // kRunning and kPaused without a rolled-back wave; in-flight actions are
  // cancelled.
  virtual absl::Status Supersede(absl::string_view version,
                                 absl::string_view who, absl::Time now) = 0;

  // What holds the current wave right now, in a fixed order; empty while
  // the engine has something to do at `now` or the rollout is over.
  virtual std::vector<Blocker> Blockers(absl::Time now) const = 0;

  // The state, the current wave (-1 before the first, plan size after the
  // last) and its phase.
  virtual RolloutStatus status() const = 0;
  virtual int current_wave() const = 0;
  virtual WavePhase wave_phase() const = 0;
  // The versions.
  virtual const std::string& version() const = 0;
  virtual const std::string& previous_version() const = 0;
  // The plan being rolled out.
  virtual const WavePlan& plan() const = 0;
  // The issued actions that still await outcomes (deploy, traffic,
  // rollback), in issue order: re-issue them after a crash.
  virtual std::vector<Action> PendingActions() const = 0;
  // The earliest time at which Advance() has something to do without new
  // input (a gate's next measurement, a bake's end, a deadline, a retry);
  // absl::InfiniteFuture() when only outcomes or a person can move it.
  virtual absl::Time NextWakeup() const = 0;
  // Whether target `i` currently runs the new version as far as the engine
  // knows (deployed and not rolled back).
  virtual bool RunsNewVersion(Fleet::TargetIndex i) const = 0;
  // The number of events emitted so far (the last event's sequence).
  virtual int64_t event_sequence() const = 0;
  // The state version: incremented by every call that changes the state,
  // stored in the snapshot (for compare-and-swap in a shared store,
  // docs/distributed.md).
  virtual int64_t state_version() const = 0;

  // The whole state as the bytes of a sluice.v1.RolloutState message.
  virtual std::string Snapshot() const = 0;

  // The memory the per-target state takes, in bytes: the engine's arrays
  // (state, attempts, open action, wave index), the plan's target indices
  // and the targets of open actions. Not the Fleet (the host's). For
  // benchmarks; linear in the number of actions.
  virtual size_t PerTargetStateBytes() const = 0;
};

}  // namespace sluice

#endif  // SLUICE_ROLLOUT_H_

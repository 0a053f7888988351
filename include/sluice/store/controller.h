// Copyright 2026 The Sluice Authors.
//
// Controller: the loop of docs/distributed.md as library code. Any number of
// controller processes share the rollouts of one RolloutStore
// (sluice/store/rollout_store.h); each runs a Controller with its own id.
//
// A pass (RunOnce()):
//   1. lists the rollouts due (stored next wakeup <= now) and takes or
//      renews each one's lease (a lease that expired is taken over, with a
//      new fencing token);
//   2. per rollout: read -> Restore -> Advance(now) -> compare-and-swap with
//      the fence, the step's events and notifications going into the outbox
//      in the same transaction; on a stale version it reloads and retries;
//      on a lost lease it drops the step and never acts;
//   3. only after the swap, starts the step's actions that need an outcome
//      on the host's transport (write before you act); a controller that
//      takes a rollout over re-starts its pending actions (same ids: the
//      transport deduplicates);
//   4. publishes the outbox of the rollouts it holds and acknowledges what
//      was delivered; what is not acknowledged is published again, by this
//      or another controller, so delivery is at least once and consumers
//      deduplicate by (rollout, key).
// Outcomes (ReportOutcome()) and operator commands (Command()) go through
// the same read -> apply -> swap cycle, from any controller, without a lease.
//
// Clock skew: `now` is the host's clock. A controller whose clock is behind
// the time the rollout was last written at (RolloutState.last_now) by at
// most `max_clock_skew` steps at that time instead (the engine refuses time
// going backwards); by more, the call fails with kFailedPrecondition naming
// both times. Leases compare the controllers' clocks too: keep lease_ttl
// well above the skew.
//
// Example (one controller process):
//
//   sluice::ControllerOptions options;
//   options.id = "controller-" + hostname;
//   sluice::Controller controller(store, config, transport, publisher,
//                                 sluice::Clock::Real(), options);
//   while (!stopping) {
//     absl::StatusOr<sluice::PassResult> pass = controller.RunOnce();
//     if (!pass.ok()) LOG(ERROR) << pass.status();
//     controller.WaitForWork(absl::Seconds(5));
//   }

#ifndef SLUICE_STORE_CONTROLLER_H_
#define SLUICE_STORE_CONTROLLER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/action.h"
#include "sluice/clock.h"
#include "sluice/fleet.h"
#include "sluice/rollout.h"
#include "sluice/store/rollout_store.h"

namespace sluice {

// What a Controller needs to restore one rollout: what a snapshot does not
// hold (docs/distributed.md, rule 5). Value type.
struct RolloutConfig {
  // The fleet the rollout was made for. Required; shared, immutable.
  // Default: null.
  std::shared_ptr<const Fleet> fleet;
  // Gates, policy, sources (the controller sets event_sink itself).
  // Default: RolloutOptions's defaults.
  RolloutOptions options;
  // How each restore compares the configuration the snapshot records (the
  // gate of every wave, the rollback policy, the engine's limits, config_id)
  // with `options`: by default a snapshot made under another configuration
  // is refused ("rollout \"web\": snapshot: config: made under another
  // configuration: ..."), so a controller built without the gates cannot
  // pass a wave they would fail. Set accept_config_change (and who) for an
  // intended change: the first step records it as a "config-change" event
  // and writes the new configuration. check_config = false is for tools that
  // only apply a command without the gates (`sluice pause --store`); the
  // snapshot's record is then kept. Default: RestoreOptions's defaults
  // (compare, refuse a change).
  RestoreOptions restore;
};

// Gives the RolloutConfig of rollout `id`: the host builds it from the same
// spec and fleet in every controller. Called from the controller's threads;
// must be thread-safe.
using RolloutConfigFn =
    std::function<absl::StatusOr<RolloutConfig>(absl::string_view id)>;

// Carries out actions. Host interface. Start() is called after the state
// that issued the action was written, and again (same rollout, same action
// id) by a controller that took the rollout over or after a restart: it must
// be idempotent by (rollout, action.id). It reports outcomes later (or
// before it returns) through Controller::ReportOutcome() or
// ReportActionOutcome() of any controller. Thread-safe if the Controller is
// used from several threads.
class ActionTransport {
 public:
  virtual ~ActionTransport() = default;
  // Starts `action` (deploy, set-traffic or roll-back) of rollout `rollout`.
  virtual void Start(absl::string_view rollout, const Action& action) = 0;
};

// Delivers outbox messages (events to a bus, pages and approval requests to
// people). Host interface. Return OK once delivered: the controller then
// acknowledges the message; anything else leaves it pending, to be
// published again. The same (rollout, key) may come more than once.
// Thread-safe if the Controller is used from several threads.
class OutboxPublisher {
 public:
  virtual ~OutboxPublisher() = default;
  // Delivers one message.
  virtual absl::Status Publish(const OutboxMessage& message) = 0;
};

// The controller's counters, for the host's metrics. Host interface;
// optional. Names: "steps" (swaps that changed a rollout), "idle_steps",
// "stale_version" (lost races, retried), "lease_lost", "lease_taken"
// (takeovers from another holder), "actions_started", "actions_restarted",
// "published", "publish_failed", "errors". Thread-safe if the Controller is
// used from several threads.
class ControllerMetrics {
 public:
  virtual ~ControllerMetrics() = default;
  // Adds `delta` to counter `name`.
  virtual void Add(absl::string_view name, int64_t delta) = 0;
};

// How a Controller works.
struct ControllerOptions {
  // The controller's id, the lease holder name. Required, unique among the
  // controllers of a store. Default: empty.
  std::string id;
  // How long a lease lasts without renewal; a controller that stops (crash,
  // pause) loses its rollouts after this. Default: 15 s. Must be > 0 and >
  // 2 * max_clock_skew.
  absl::Duration lease_ttl = absl::Seconds(15);
  // The most rollouts one pass steps. Default: 100. Must be >= 1.
  int max_rollouts_per_pass = 100;
  // Compare-and-swap attempts per step before kUnavailable. Default: 5.
  // Must be >= 1.
  int cas_attempts = 5;
  // The tolerated clock skew (see the header comment). Default: 2 s.
  // Must be >= 0.
  absl::Duration max_clock_skew = absl::Seconds(2);
  // The most outbox messages one pass publishes. Default: 1000. Must be
  // >= 1.
  int max_publish_per_pass = 1000;
};

// Operator commands (Rollout's methods of the same names).
enum class OperatorCommand {
  // Rollout::Pause.
  kPause,
  // Rollout::Resume.
  kResume,
  // Rollout::Abort.
  kAbort,
  // Rollout::Approve.
  kApprove,
  // Rollout::Reject.
  kReject,
  // Rollout::Promote.
  kPromote,
  // Rollout::Retry.
  kRetry,
};

// "pause", "resume", "abort", "approve", "reject", "promote", "retry".
absl::string_view OperatorCommandName(OperatorCommand command);
// The command named `name` (as above); kInvalidArgument naming the valid
// names otherwise.
absl::StatusOr<OperatorCommand> ParseOperatorCommand(absl::string_view name);

// What one RunOnce() did.
struct PassResult {
  // Rollouts stepped with a change written. Default: 0.
  int stepped = 0;
  // Rollouts due but with nothing to do. Default: 0.
  int idle = 0;
  // Rollouts due but leased by another controller. Default: 0.
  int skipped = 0;
  // Outbox messages published and acknowledged. Default: 0.
  int published = 0;
  // Per-rollout errors (the pass goes on). Default: none.
  std::vector<absl::Status> errors;
};

// What StepThroughStore() did.
struct StepResult {
  // True if a new state was written (with its outbox messages). False: the
  // step changed nothing (idle; the stored wakeup was corrected if it
  // differed), or `cas` says why nothing was written. Default: false.
  bool changed = false;
  // The last compare-and-swap's answer: kLeaseLost means the fence's lease
  // is gone and nothing may be done. Default: kSwapped.
  CasResult cas = CasResult::kSwapped;
  // When written: the step's actions that need an outcome, to start now.
  // Default: none.
  std::vector<Action> to_start;
  // The actions still awaiting outcomes in the state read or written (to
  // restart after a takeover). Default: none.
  std::vector<Action> pending;
  // The rollout's status after the step. Default: kPending.
  RolloutStatus status = RolloutStatus::kPending;
};

// How StepThroughStore() steps. Value type.
struct StepOptions {
  // The host's clock (the time of each attempt). Required; borrowed.
  // Default: null.
  const Clock* clock = nullptr;
  // The clock-skew rule's bound (see the header comment). Default: 2 s.
  absl::Duration max_clock_skew = absl::Seconds(2);
  // Compare-and-swap attempts before kUnavailable. Default: 5.
  int attempts = 5;
  // The lease the write must still hold; unset for writes that any
  // process may make (outcomes, operator commands). Default: unset.
  std::optional<Fence> fence;
  // Store the rollout as due at once (the lease holder then steps it): for
  // outcomes and commands, whose follow-up actions the holder starts.
  // Default: false.
  bool due_now = false;
  // While actions are pending, the stored wakeup is at most this far ahead,
  // so that a controller notices a dead holder and restarts them (the
  // Controller uses its lease_ttl). Default: 15 s.
  absl::Duration pending_recheck = absl::Seconds(15);
};

// Applies one step of rollout `id` through `store`: read, restore (with
// `config`, comparing the configuration as config.restore says), `apply` at the
// attempt's time, compare-and-swap with the step's events and notifications in
// the outbox; on a stale version, again from the read, up to options.attempts
// times (then kUnavailable). An error of `apply` (e.g. kFailedPrecondition for
// a command not valid now) is returned as it is and nothing is written. Used by
// the Controller and by `sluice pause|...|retry --store`.
absl::StatusOr<StepResult> StepThroughStore(
    RolloutStore& store, absl::string_view id, const RolloutConfig& config,
    const StepOptions& options,
    const std::function<
        absl::StatusOr<std::vector<Action>>(Rollout&, absl::Time)>& apply);

// Applies operator command `command` by `who` to rollout `id` through the
// store (StepThroughStore() without a lease, due at once). Errors as
// StepThroughStore(); the engine's kFailedPrecondition when the command is
// not valid now.
absl::Status ApplyCommand(RolloutStore& store, absl::string_view id,
                          const RolloutConfig& config, const Clock& clock,
                          OperatorCommand command, absl::string_view who,
                          absl::Duration max_clock_skew = absl::Seconds(2));

// The controller. Thread-safe: RunOnce(), the outcome calls and commands
// may come from different threads (the store serializes the writes).
class Controller {
 public:
  // Borrowed: store, transport, publisher, clock and metrics (may be null)
  // must outlive the controller. Check options with Validate() first; an
  // invalid options struct makes every call fail with its error.
  Controller(RolloutStore& store, RolloutConfigFn config,
             ActionTransport& transport, OutboxPublisher& publisher,
             const Clock& clock, ControllerOptions options,
             ControllerMetrics* metrics = nullptr);

  // Checks options; kInvalidArgument naming the field, e.g.
  // "ControllerOptions.lease_ttl: must be > 2 * max_clock_skew (4s) (got
  // 3s)".
  static absl::Status Validate(const ControllerOptions& options);

  // Stores a new rollout under `id` (its first snapshot; due at once).
  // kAlreadyExists if the id is taken.
  absl::Status AddRollout(absl::string_view id, const Rollout& rollout);

  // One pass (see the header comment). Errors of single rollouts are in
  // PassResult::errors; the call fails only if the store cannot list.
  absl::StatusOr<PassResult> RunOnce();

  // Reports outcomes of an action of rollout `id` (Rollout::ReportOutcome),
  // at the controller's now. An outcome already recorded, or for an action
  // no longer open, is OK (docs/distributed.md, rule 2). The rollout is due
  // at once after it.
  absl::Status ReportOutcome(absl::string_view id, absl::string_view action_id,
                             absl::Span<const TargetResult> results);
  // Rollout::ReportActionOutcome, likewise.
  absl::Status ReportActionOutcome(absl::string_view id,
                                   absl::string_view action_id, bool succeeded,
                                   absl::string_view reason);

  // Applies an operator command given by `who`. kFailedPrecondition with
  // the engine's message when not valid in the current state.
  absl::Status Command(absl::string_view id, OperatorCommand command,
                       absl::string_view who);

  // Publishes the pending outbox messages of the rollouts this controller
  // can lease (taking free leases), acknowledging each delivered one. The
  // number acknowledged.
  absl::StatusOr<int> PublishOutbox();

  // Waits until the store signals a change (RolloutStore::WaitForChange())
  // or `timeout` passes. A rollout that comes due without a change (a bake
  // ends) is found by the next RunOnce(): keep `timeout` at the delay you
  // accept for timers (seconds).
  void WaitForWork(absl::Duration timeout);

  // Gives up every lease this controller holds (for a clean shutdown).
  void ReleaseLeases();

  // The options it was made with.
  const ControllerOptions& options() const { return options_; }

 private:
  absl::Status StepOne(absl::string_view id, const Lease& lease,
                       bool taken_over, PassResult& pass);
  absl::Status Outcome(
      absl::string_view id,
      const std::function<absl::Status(Rollout&, absl::Time)>& report);
  absl::StatusOr<bool> HoldLease(absl::string_view id, Lease* lease,
                                 bool* taken_over);
  void Count(absl::string_view name, int64_t delta = 1);

  RolloutStore& store_;
  RolloutConfigFn config_;
  ActionTransport& transport_;
  OutboxPublisher& publisher_;
  const Clock& clock_;
  ControllerOptions options_;
  absl::Status options_status_;
  ControllerMetrics* metrics_;
  absl::Mutex mu_;
  // The leases this controller believes it holds, by rollout: a token seen
  // for the first time means a takeover (pending actions are restarted).
  std::map<std::string, int64_t, std::less<>> tokens_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sluice

#endif  // SLUICE_STORE_CONTROLLER_H_

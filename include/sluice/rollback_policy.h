// Copyright 2026 The Sluice Authors.
//
// RollbackPolicy: what the rollout engine does when a wave fails.
//
// A wave fails when its health gate says kFail, kInconclusive or kError,
// when more of its targets fail to deploy than it tolerates (CodeDeploy's
// minimum-healthy accounting), when it does not finish deploying before the
// progress deadline, or when its approval is rejected or times out. The
// engine (sluice/rollout.h) then describes the failure in a FailureContext
// and asks the rollout's RollbackPolicy for a Decision, one of a closed set:
//
//   kRollBackAll                  roll back every target the rollout touched,
//                                 wave by wave in reverse order or all at
//                                 once; the rollout ends kRolledBack.
//   kRollBackCurrentWaveAndPause  roll back the failed wave's targets only and
//                                 pause for a person (Retry, Promote, Abort).
//   kPauseAndEscalate             touch nothing; pause and page a person.
//   kRetryWave                    redeploy the wave after `retry_after`, with
//                                 fresh gate state.
//
// Rolling back is fast: no gates run, but every rollback action is tracked
// to completion, failed ones are retried, and the engine escalates when they
// keep failing (RolloutOptions::rollback_attempts).
//
// Policies are long-lived const objects, made by the validating factories
// below and composed by delegation (PerTrigger, RetryThen). Host code may
// implement RollbackPolicy itself; see examples/custom_rollback_policy_lib.cc.
//
// Example:
//
//   // Retry a failing wave twice (1m, then 2m later), then roll everything
//   // back; pause for a person on an inconclusive analysis.
//   absl::StatusOr<std::unique_ptr<sluice::RollbackPolicy>> on_fail =
//       sluice::NewRetryThenPolicy(2, absl::Minutes(1),
//                                  sluice::NewRollBackAllPolicy());
//   if (!on_fail.ok()) return on_fail.status();
//   sluice::PerTriggerPolicies per_trigger;
//   per_trigger.on_fail = *std::move(on_fail);
//   per_trigger.on_inconclusive = sluice::NewPauseAndEscalatePolicy();
//   absl::StatusOr<std::unique_ptr<sluice::RollbackPolicy>> policy =
//       sluice::NewPerTriggerPolicy(std::move(per_trigger));
//   if (!policy.ok()) return policy.status();
//
// The spec form is sluice.v1.RollbackPolicySpec (proto/sluice/v1/rollout.proto,
// field `rollback` of the RolloutSpec); RollbackPolicyFromSpec() builds it.

#ifndef SLUICE_ROLLBACK_POLICY_H_
#define SLUICE_ROLLBACK_POLICY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sluice/verdict.h"

namespace sluice {
class RolloutSpec;

// Why a wave failed.
enum class FailureTrigger {
  // The wave's health gate said kFail.
  kGateFail,
  // The wave's health gate said kInconclusive.
  kGateInconclusive,
  // The wave's health gate said kError (it could not decide).
  kGateError,
  // More of the wave's targets failed to deploy than it tolerates
  // (Wave::max_failed_targets), as CodeDeploy counts failed instances.
  kDeployFailures,
  // The wave did not finish deploying before the progress deadline, or an
  // approval was not given before the approval timeout.
  kProgressDeadline,
  // An operator rejected the wave's approval.
  kRejected,
};

// "gate-fail", "gate-inconclusive", "gate-error", "deploy-failures",
// "progress-deadline" or "rejected".
absl::string_view FailureTriggerName(FailureTrigger trigger);
std::ostream& operator<<(std::ostream& os, FailureTrigger trigger);

// Everything a policy may look at when a wave fails. Value type;
// thread-compatible.
struct FailureContext {
  // What failed. Default: kGateFail.
  FailureTrigger trigger = FailureTrigger::kGateFail;
  // The failed wave's index (0-based). Default: 0.
  int wave_index = 0;
  // The number of waves in the plan. Default: 0.
  int wave_count = 0;
  // The wave's stage, e.g. "one-box". Default: empty.
  std::string stage;
  // How many times this wave has been tried, this one included (1 on the
  // first failure, 2 after one retry, ...). Default: 1.
  int attempt = 1;
  // The time of the failure. Default: the epoch.
  absl::Time now = absl::UnixEpoch();
  // One line for people, e.g. "3 of 10 targets failed to deploy (at most 1
  // allowed)". Default: empty.
  std::string reason;
  // For gate triggers: the gate's verdict. Default: unset.
  std::optional<Verdict> verdict;
  // For kDeployFailures: how many of the wave's targets failed. Default: 0.
  int64_t failed_targets = 0;
  // True when any earlier wave (or this one) has deployed targets, i.e. there
  // is something to roll back. Default: false.
  bool anything_deployed = false;
};

// In which order kRollBackAll rolls targets back.
enum class RollbackOrder {
  // One action per wave, the failed wave first, then the waves before it in
  // reverse order; each starts when the previous one completed.
  kReverseWaves,
  // One action for every touched target at once.
  kAllAtOnce,
};

// "reverse-waves" or "all-at-once".
absl::string_view RollbackOrderName(RollbackOrder order);

// A policy's answer: a closed set of outcomes, each with what the engine
// does. Value type: copyable, comparable, printable. Thread-compatible.
struct Decision {
  // The closed set of decisions.
  enum class Kind {
    // Roll back every target the rollout touched, in `order`; the rollout
    // ends kRolledBack (kFailed if the rollback itself cannot complete).
    kRollBackAll,
    // Roll back the failed wave's targets, then pause for a person.
    kRollBackCurrentWaveAndPause,
    // Change nothing; pause and escalate to a person.
    kPauseAndEscalate,
    // Deploy the wave again after `retry_after`, with fresh gate state.
    kRetryWave,
  };

  // Default: kRollBackAll.
  Kind kind = Kind::kRollBackAll;
  // For kRollBackAll: the order. Default: kReverseWaves.
  RollbackOrder order = RollbackOrder::kReverseWaves;
  // For kRetryWave: how long to wait before redeploying. Default: zero.
  absl::Duration retry_after = absl::ZeroDuration();
  // Whether to send an escalation (a Notify action with escalate = true) to
  // a person with the decision. kPauseAndEscalate always escalates.
  // Default: true (escalate early): every decision pages a person, a
  // kRollBackCurrentWaveAndPause or a kRetryWave too, unless the policy sets
  // it to false.
  bool escalate = true;
  // Why, for events and people, e.g. "retry 1 of 2 after 1m". Default: empty.
  std::string reason;

  // Convenience constructors.
  static Decision RollBackAll(RollbackOrder order, std::string reason = "");
  static Decision RollBackCurrentWaveAndPause(std::string reason = "");
  static Decision PauseAndEscalate(std::string reason = "");
  static Decision RetryWave(absl::Duration after, std::string reason = "");

  friend bool operator==(const Decision& a, const Decision& b);
  friend bool operator!=(const Decision& a, const Decision& b) {
    return !(a == b);
  }
};

// "roll-back-all", "roll-back-current-wave-and-pause", "pause-and-escalate"
// or "retry-wave".
absl::string_view DecisionKindName(Decision::Kind kind);

// Prints e.g. "RollBackAll(reverse-waves, escalate): gate failed" or
// "RetryWave(after 1m): retry 1 of 2".
std::ostream& operator<<(std::ostream& os, const Decision& decision);

// What a failed wave leads to. Implement it for a policy of your own; it
// composes with the built-ins.
//
// Implementations must be deterministic (the same context gives the same
// decision: the engine's crash-resume relies on it), must not read the wall
// clock (use context.now) and must keep no per-rollout state (the attempt
// count is in the context).
// Thread-safe: Decide() is const and may be called concurrently.
class RollbackPolicy {
 public:
  virtual ~RollbackPolicy() = default;

  // A short name for events and logs, e.g. "retry-then(2, 1m,
  // roll-back-all(reverse-waves))".
  virtual std::string name() const = 0;

  // Decides what to do about the failure described by `context`.
  virtual Decision Decide(const FailureContext& context) const = 0;
};

// Roll back everything the rollout touched, in `order`.
std::unique_ptr<RollbackPolicy> NewRollBackAllPolicy(
    RollbackOrder order = RollbackOrder::kReverseWaves);

// Roll back the failed wave only and pause for a person.
std::unique_ptr<RollbackPolicy> NewRollBackCurrentWavePolicy();

// Touch nothing: pause and escalate.
std::unique_ptr<RollbackPolicy> NewPauseAndEscalatePolicy();

// Retry the failed wave up to `retries` times, waiting `backoff` before the
// first retry and multiplying the wait by `multiplier` for each further one
// (capped at 24h); once the retries are used up, ask `then`. Errors
// (kInvalidArgument): "retries: must be in [1, 100] (got 0)", "backoff: must
// be >= 0", "multiplier: must be >= 1", "then: must not be null".
absl::StatusOr<std::unique_ptr<RollbackPolicy>> NewRetryThenPolicy(
    int retries, absl::Duration backoff, std::unique_ptr<RollbackPolicy> then,
    double multiplier = 2.0);

// One policy per trigger. Unset entries fall back to the default's choice
// for that trigger (see NewDefaultRollbackPolicy()). Value type (move-only).
// Thread-compatible.
struct PerTriggerPolicies {
  // For kGateFail, kDeployFailures and kRejected. Default: unset.
  std::unique_ptr<RollbackPolicy> on_fail;
  // For kGateInconclusive. Default: unset.
  std::unique_ptr<RollbackPolicy> on_inconclusive;
  // For kGateError. Default: unset.
  std::unique_ptr<RollbackPolicy> on_error;
  // For kProgressDeadline (a deploy or an approval that took too long).
  // Default: unset.
  std::unique_ptr<RollbackPolicy> on_deadline;
};

// Dispatches on FailureContext::trigger. Never fails today; returns StatusOr
// so that checks can be added without breaking callers.
absl::StatusOr<std::unique_ptr<RollbackPolicy>> NewPerTriggerPolicy(
    PerTriggerPolicies policies);

// The default, "roll back quickly and automatically, and escalate early":
// on Fail, Error, deploy failures, a rejection or a progress deadline, roll
// back everything at once (kAllAtOnce, no retry, no gates) and escalate; on
// Inconclusive (e.g. a gate's minimum-samples guard), extend the bake once
// (retry the wave at once: its gates run afresh on the deployed targets),
// then pause and escalate (a person decides, as Argo Rollouts pauses on an
// inconclusive analysis). Named "default".
std::unique_ptr<RollbackPolicy> NewDefaultRollbackPolicy();

// Builds the policy of a validated spec's `rollback` field (the default when
// the field is unset). Errors are kInvalidArgument naming the field, e.g.
// "rollback.on_fail.retry.retries: must be in [1, 100] (got 0)".
absl::StatusOr<std::unique_ptr<RollbackPolicy>> RollbackPolicyFromSpec(
    const RolloutSpec& spec);

}  // namespace sluice

#endif  // SLUICE_ROLLBACK_POLICY_H_

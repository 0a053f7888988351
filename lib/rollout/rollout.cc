// Copyright 2026 The Sluice Authors.
//
// The rollout engine's state machine. docs/rollouts.md describes the
// lifecycle; lib/rollout/rollout_snapshot.cc writes and reads the state.
//
// Cost model: Advance() returns at once (O(1)) unless an outcome or a command
// arrived since the last call (`dirty_`) or a timer is due (`next_wakeup_`).
// Counters (touched, new, failed rollbacks) are kept as targets change state,
// so no decision scans the fleet; only issuing an action walks its wave.

#include "sluice/rollout.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/rollout/rollout_engine.h"

namespace sluice {
namespace internal {
namespace {

std::string WaveLabel(int wave) { return absl::StrCat("wave ", wave); }

// A finite duration > 0 (kMustBePositiveFinite).
absl::Status CheckPositiveFinite(const FieldPath& path, absl::Duration d) {
  if (d <= absl::ZeroDuration() || d == absl::InfiniteDuration()) {
    return path.Invalid(MustBe(kMustBePositiveFinite, d));
  }
  return absl::OkStatus();
}

// A finite duration >= 0 (kMustBeNonNegativeFinite).
absl::Status CheckNonNegativeFinite(const FieldPath& path, absl::Duration d) {
  if (d < absl::ZeroDuration() || d == absl::InfiniteDuration()) {
    return path.Invalid(MustBe(kMustBeNonNegativeFinite, d));
  }
  return absl::OkStatus();
}

}  // namespace

uint64_t FleetFingerprint(const Fleet& fleet) {
  uint64_t h = 1469598103934665603ull;
  for (const Target& t : fleet.targets()) {
    for (unsigned char c : t.id) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  }
  return h;
}

absl::Status ValidatePlan(const WavePlan& plan, const Fleet& fleet,
                          size_t may_be_empty) {
  if (plan.waves.empty()) {
    return FieldPath("plan").Field("waves").Invalid(kMustNotBeEmpty);
  }
  const bool traffic = plan.waves[0].traffic_percent.has_value();
  std::vector<int32_t> seen(fleet.size(), -1);
  for (size_t w = 0; w < plan.waves.size(); ++w) {
    const Wave& wave = plan.waves[w];
    const FieldPath path =
        FieldPath("plan").Field("waves").Index(static_cast<int>(w));
    if (wave.traffic_percent.has_value() != traffic) {
      return path.Invalid(
          "mixes traffic waves and target waves (all waves must set "
          "traffic_percent, or none)");
    }
    if (traffic) {
      const double p = *wave.traffic_percent;
      if (!(p > 0 && p <= 100)) {
        return path.Field("traffic_percent")
            .Invalid(absl::StrCat("must be in (0, 100] (got ", p, ")"));
      }
      if (!wave.targets.empty()) {
        return path.Field("targets").Invalid(
            "must be empty for a traffic wave");
      }
    } else if (wave.targets.empty() && w >= may_be_empty) {
      return path.Field("targets").Invalid(kMustNotBeEmpty);
    }
    SLUICE_RETURN_IF_ERROR(
        CheckNonNegativeFinite(path.Field("bake"), wave.bake));
    if (wave.max_failed_targets < 0) {
      return path.Field("max_failed_targets")
          .Invalid(MustBe(kMustBeNonNegative, wave.max_failed_targets));
    }
    for (size_t k = 0; k < wave.targets.size(); ++k) {
      const Fleet::TargetIndex t = wave.targets[k];
      const FieldPath tpath = path.Field("targets").Index(static_cast<int>(k));
      if (t >= fleet.size()) {
        return tpath.Invalid(absl::StrCat("index ", t,
                                          " out of range (fleet has ",
                                          fleet.size(), " targets)"));
      }
      if (seen[t] >= 0) {
        return tpath.Invalid(absl::StrCat("target ", fleet.target(t).id,
                                          " already in wave ", seen[t]));
      }
      seen[t] = static_cast<int32_t>(w);
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateOptions(const RolloutOptions& options, int wave_count) {
  const FieldPath opts("options");
  if (options.version.empty()) {
    return opts.Field("version").Invalid(kMustNotBeEmpty);
  }
  if (options.previous_version.empty()) {
    return opts.Field("previous_version").Invalid(kMustNotBeEmpty);
  }
  if (options.version == options.previous_version) {
    return opts.Field("version").Invalid(absl::StrCat(
        "must differ from previous_version (both \"", options.version, "\")"));
  }
  SLUICE_RETURN_IF_ERROR(CheckPositiveFinite(opts.Field("progress_deadline"),
                                             options.progress_deadline));
  SLUICE_RETURN_IF_ERROR(CheckPositiveFinite(opts.Field("approval_timeout"),
                                             options.approval_timeout));
  if (options.rollback_attempts < 1 || options.rollback_attempts > 100) {
    return opts.Field("rollback_attempts")
        .Invalid(absl::StrCat("must be in [1, 100] (got ",
                              options.rollback_attempts, ")"));
  }
  if (options.deploy_attempts < 1 || options.deploy_attempts > 100) {
    return opts.Field("deploy_attempts")
        .Invalid(absl::StrCat("must be in [1, 100] (got ",
                              options.deploy_attempts, ")"));
  }
  SLUICE_RETURN_IF_ERROR(CheckNonNegativeFinite(
      opts.Field("deploy_retry_backoff"), options.deploy_retry_backoff));
  SLUICE_RETURN_IF_ERROR(CheckNonNegativeFinite(
      opts.Field("rollback_retry_backoff"), options.rollback_retry_backoff));
  for (size_t i = 0; i < options.approval_waves.size(); ++i) {
    const int w = options.approval_waves[i];
    if (w < 0 || w >= wave_count) {
      return opts.Field("approval_waves")
          .Index(static_cast<int>(i))
          .Invalid(
              absl::StrCat("must be in [0, ", wave_count, ") (got ", w, ")"));
    }
  }
  SLUICE_RETURN_IF_ERROR(CheckNonNegativeFinite(
      opts.Field("bake_recheck_interval"), options.bake_recheck_interval));
  SLUICE_RETURN_IF_ERROR(CheckPositiveFinite(opts.Field("background_interval"),
                                             options.background_interval));
  if (options.background_start_wave < 0 ||
      options.background_start_wave >= wave_count) {
    return opts.Field("background_start_wave")
        .Invalid(absl::StrCat("must be in [0, ", wave_count, ") (got ",
                              options.background_start_wave, ")"));
  }
  for (const auto& [stage, gate] : options.stage_gates) {
    if (gate == nullptr) {
      return opts.Field("stage_gates").Key(stage).Invalid("must not be null");
    }
  }
  return absl::OkStatus();
}

RolloutEngine::RolloutEngine(const Fleet& fleet, WavePlan plan,
                             RolloutOptions options)
    : fleet_(fleet), plan_(std::move(plan)), options_(std::move(options)) {
  policy_ =
      options_.rollback_policy != nullptr
          ? options_.rollback_policy
          : std::shared_ptr<const RollbackPolicy>(NewDefaultRollbackPolicy());
  fingerprint_ = FleetFingerprint(fleet_);
  wave_of_ = plan_.WaveIndexByTarget(fleet_.size());
  approval_wave_.assign(plan_.waves.size(), false);
  for (int w : options_.approval_waves) approval_wave_[w] = true;
  version_ = options_.version;
  previous_version_ = options_.previous_version;
  targets_.state.assign(fleet_.size(), kTargetOld);
  targets_.rollback_attempts.assign(fleet_.size(), 0);
  targets_.deploy_attempts.assign(fleet_.size(), 0);
  targets_.action.assign(fleet_.size(), 0);
  progress_.wave_attempts.assign(plan_.waves.size(), 0);
  counts_.wave_touched.assign(plan_.waves.size(), 0);
  ComputeNextWakeup();
}

// ---------------------------------------------------------------------------
// Helpers.

void RolloutEngine::SetTargetState(Fleet::TargetIndex t, uint8_t state) {
  const uint8_t old = targets_.state[t];
  if (old == state) return;
  settled_wave_ = -1;  // GateContext::settled_targets may change
  const int32_t w = wave_of_[t];
  if (IsTouched(old)) {
    --counts_.touched;
    if (w >= 0) --counts_.wave_touched[w];
  }
  if (IsTouched(state)) {
    ++counts_.touched;
    if (w >= 0) ++counts_.wave_touched[w];
  }
  if (old == kTargetNew) --counts_.new_targets;
  if (state == kTargetNew) ++counts_.new_targets;
  if (old == kTargetRollbackFailed) --counts_.rollback_failed;
  if (state == kTargetRollbackFailed) ++counts_.rollback_failed;
  targets_.state[t] = state;
}

void RolloutEngine::RecountTargets() {
  counts_.touched = counts_.new_targets = counts_.rollback_failed = 0;
  counts_.rollback_exhausted = false;
  counts_.wave_touched.assign(plan_.waves.size(), 0);
  for (size_t t = 0; t < targets_.state.size(); ++t) {
    const uint8_t s = targets_.state[t];
    if (IsTouched(s)) {
      ++counts_.touched;
      if (wave_of_[t] >= 0) ++counts_.wave_touched[wave_of_[t]];
    }
    if (s == kTargetNew) ++counts_.new_targets;
    if (s == kTargetRollbackFailed) {
      ++counts_.rollback_failed;
      if (targets_.rollback_attempts[t] >= options_.rollback_attempts) {
        counts_.rollback_exhausted = true;
      }
    }
  }
  if (rollback_.traffic_attempts >= options_.rollback_attempts &&
      rollback_.traffic_failed) {
    counts_.rollback_exhausted = true;
  }
}

void RolloutEngine::Emit(EventKind kind, absl::Time now, RolloutEvent event) {
  event.sequence = ++event_seq_;
  event.time = now;
  event.kind = kind;
  event.rollout = options_.name;
  if (rollout_id_.empty()) {
    rollout_id_ =
        options_.rollout_id.empty()
            ? absl::StrCat(
                  options_.name.empty() ? "rollout" : options_.name, "/",
                  version_, "/",
                  absl::FormatTime(absl::RFC3339_sec, now, absl::UTCTimeZone()))
            : options_.rollout_id;
  }
  event.rollout_id = rollout_id_;
  event.status = std::string(RolloutStatusName(status_));
  if (options_.event_sink != nullptr) options_.event_sink->OnEvent(event);
}

std::string RolloutEngine::NewActionId(absl::string_view stem, int wave) {
  const int64_t seq = static_cast<int64_t>(actions_.size()) + 1;
  if (wave >= 0) return absl::StrCat("w", wave, "-", stem, "-", seq);
  return absl::StrCat(stem, "-", seq);
}

ActionRecord& RolloutEngine::Issue(Action action, absl::Time now,
                                   std::vector<Action>& out) {
  ActionRecord record;
  record.issued_at = now;
  if (action.NeedsOutcome()) {
    record.remaining = action.targets.empty()
                           ? 1
                           : static_cast<int64_t>(action.targets.size());
    record.total = record.remaining;
  } else {
    record.state = ActionRecord::kComplete;
  }
  out.push_back(action);
  record.action = std::move(action);
  actions_.push_back(std::move(record));
  return actions_.back();
}

void RolloutEngine::Notify(std::string message, bool escalate, int wave,
                           absl::Time now, std::vector<Action>& out) {
  Action a;
  a.id = NewActionId(escalate ? "escalate" : "notify", -1);
  a.kind = ActionKind::kNotify;
  a.wave = wave;
  a.message = message;
  a.escalate = escalate;
  Issue(std::move(a), now, out);
  if (escalate) {
    RolloutEvent e;
    e.wave = wave;
    e.action_id = actions_.back().action.id;
    e.message = std::move(message);
    Emit(EventKind::kEscalated, now, std::move(e));
  }
}

void RolloutEngine::Finish(RolloutStatus status, absl::Time now,
                           std::string message) {
  status_ = status;
  RolloutEvent e;
  // Waves count from 0 everywhere; after the last one the event concerns
  // the whole rollout (-1), not a "wave N" past the plan.
  e.wave =
      current_wave_ < static_cast<int>(plan_.waves.size()) ? current_wave_ : -1;
  e.message = std::move(message);
  e.succeeded_targets = counts_.new_targets;
  Emit(EventKind::kRolloutFinished, now, std::move(e));
}

const HealthGate* RolloutEngine::GateFor(int wave) const {
  const std::string& stage = plan_.waves[wave].stage;
  auto it = options_.stage_gates.find(stage);
  if (it != options_.stage_gates.end()) return it->second.get();
  return options_.gate.get();
}

std::string RolloutEngine::StateText() const {
  std::string out(RolloutStatusName(status_));
  if (current_wave_ >= 0 &&
      current_wave_ < static_cast<int>(plan_.waves.size()) &&
      !IsTerminal(status_)) {
    absl::StrAppend(&out, ", wave ", current_wave_, " ", WavePhaseName(phase_));
  }
  return out;
}

absl::Status RolloutEngine::CheckTime(absl::string_view call,
                                      absl::Time now) const {
  if (now == absl::InfinitePast() || now == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError(
        absl::StrCat(call, ": now must be finite"));
  }
  if (now < last_now_) {
    return absl::InvalidArgumentError(absl::StrCat(
        call, ": now ", absl::FormatTime(now), " is before the last call's ",
        absl::FormatTime(last_now_)));
  }
  return absl::OkStatus();
}

void RolloutEngine::Touch(absl::Time now) {
  last_now_ = std::max(last_now_, now);
  dirty_ = true;
  ++state_version_;
  next_wakeup_ = absl::InfinitePast();
}

void RolloutEngine::Command(absl::string_view command, absl::string_view who,
                            absl::Time now, std::string message) {
  RolloutEvent e;
  e.wave = current_wave_;
  e.command = std::string(command);
  e.who = std::string(who);
  e.message = std::move(message);
  Emit(EventKind::kOperatorCommand, now, std::move(e));
}

void RolloutEngine::ComputeNextWakeup() {
  const PhaseStep step = Step(nullptr);
  next_wakeup_ = std::min({step.at, step.recheck_at, step.background_at});
}

// ---------------------------------------------------------------------------
// The state machine.

absl::StatusOr<std::vector<Action>> RolloutEngine::Advance(absl::Time now) {
  SLUICE_RETURN_IF_ERROR(CheckTime("Advance", now));
  last_now_ = now;
  std::vector<Action> out;
  if (!dirty_ && now < next_wakeup_) return out;  // O(1): nothing to do
  dirty_ = false;
  for (int guard = 0; guard < 100000 && Progress(now, out); ++guard) {
  }
  ComputeNextWakeup();
  if (!IsTerminal(status_) && status_ != RolloutStatus::kPaused &&
      next_wakeup_ > now && next_wakeup_ != absl::InfiniteFuture() &&
      next_wakeup_ != timers_.last_wait) {
    Action a;
    a.id = NewActionId("wait", -1);
    a.kind = ActionKind::kWait;
    a.wave = current_wave_;
    a.wait_until = next_wakeup_;
    Issue(std::move(a), now, out);
    timers_.last_wait = next_wakeup_;
  }
  ++state_version_;
  return out;
}

bool RolloutEngine::Progress(absl::Time now, std::vector<Action>& out) {
  PhaseStep step = Step(nullptr);
  if (now >= step.background_at) {
    if (RunBackground(now, out)) return true;
  }
  if (now >= step.recheck_at) {
    if (RecheckBake(now, out)) return true;
  }
  if (now < step.at) return false;
  return Take(step.next, now, out);
}

// ---------------------------------------------------------------------------
// The phases: one Step() each (what comes next, when, and what it waits
// for), and what taking the step does.

PhaseStep RolloutEngine::Step(Blocker* why) const {
  switch (status_) {
    case RolloutStatus::kPending:
      return {StepKind::kStartRollout, absl::InfinitePast()};
    case RolloutStatus::kRunning: {
      PhaseStep step = WaveStep(why);
      step.background_at = BackgroundWakeup();
      return step;
    }
    case RolloutStatus::kRollingBack:
      return RollbackStep(why);
    case RolloutStatus::kPaused:
      if (why != nullptr) {
        why->kind = Blocker::Kind::kPaused;
        why->name =
            commands_.failure_trigger.has_value()
                ? absl::StrCat("paused after wave ", current_wave_, " ",
                               FailureTriggerName(*commands_.failure_trigger),
                               rollback_.wave_rolled_back
                                   ? "; Retry or Abort"
                                   : "; Resume, Retry, Promote or Abort")
                : "paused";
        why->reason = commands_.pause_reason;
        why->since = timers_.paused_since;
        why->until = absl::InfiniteFuture();
      }
      return {StepKind::kNone, absl::InfiniteFuture()};
    default:
      return {StepKind::kNone, absl::InfiniteFuture()};
  }
}

RolloutEngine::DeployTally RolloutEngine::CurrentDeployTally() const {
  const ActionRecord& r = actions_[progress_.current_action - 1];
  DeployTally tally;
  tally.traffic = r.action.kind == ActionKind::kSetTraffic;
  tally.budget =
      tally.traffic ? 0 : plan_.waves[current_wave_].max_failed_targets;
  tally.failed = tally.traffic ? r.failed : deploy_.failed;
  return tally;
}

PhaseStep RolloutEngine::WaveStep(Blocker* why) const {
  const int w = current_wave_;
  if (w < 0 || w >= static_cast<int>(plan_.waves.size())) {
    return {StepKind::kNone, absl::InfiniteFuture()};
  }
  Blocker b;
  PhaseStep step;
  switch (phase_) {
    case WavePhase::kNotStarted:
      return {StepKind::kStartWave, absl::InfinitePast()};
    case WavePhase::kPassed:
    case WavePhase::kFailed:
      // Transient: PassWave() and FailWave() move on in the same step.
      return {StepKind::kNone, absl::InfinitePast()};
    case WavePhase::kAwaitingApproval:
      if (!commands_.rejected_by.empty()) {
        return {StepKind::kFailRejected, absl::InfinitePast()};
      }
      if (!commands_.approval_pending || commands_.promoted) {
        return {StepKind::kIssueDeploy, absl::InfinitePast()};
      }
      // Waits for Approve() or Reject() until approval_timeout.
      step = {StepKind::kFailApprovalTimeout,
              timers_.phase_since + options_.approval_timeout};
      b.kind = Blocker::Kind::kApproval;
      b.name = absl::StrCat("approval for wave ", w);
      b.reason = absl::StrCat("approval of ", version_, " awaited");
      b.since = timers_.phase_since;
      break;
    case WavePhase::kDeploying: {
      if (progress_.current_action <= 0) {  // cannot happen; restart
        return {StepKind::kRestartWave, absl::InfinitePast()};
      }
      const ActionRecord& r = actions_[progress_.current_action - 1];
      const DeployTally tally = CurrentDeployTally();
      if (tally.failed > tally.budget) {
        return {StepKind::kFailDeployBudget, absl::InfinitePast()};
      }
      if (r.remaining == 0 && !tally.traffic && deploy_.retryable > 0) {
        // Every outcome is in; the failed targets with tries left are
        // deployed again after the backoff.
        step = {StepKind::kRetryDeploy, deploy_.retry_at};
        b.kind = Blocker::Kind::kRetryBackoff;
        b.name = absl::StrCat("deploy retry of wave ", w);
        b.reason = absl::StrCat(deploy_.retryable,
                                " targets failed to deploy and will be "
                                "deployed again (first: ",
                                r.first_failure, ")");
        b.since = timers_.deployed_at;
        break;
      }
      if (r.remaining == 0) {
        return {StepKind::kWaveDeployed, absl::InfinitePast()};
      }
      // Waits for outcomes until progress_deadline.
      step = {StepKind::kFailDeployDeadline,
              timers_.phase_since + options_.progress_deadline};
      b.kind = Blocker::Kind::kActionsInFlight;
      b.name = r.action.id;
      b.reason = absl::StrCat(
          r.remaining, " of ", r.total,
          " targets await an outcome; progress deadline at ",
          absl::FormatTime("%H:%M:%S UTC", step.at, absl::UTCTimeZone()));
      b.since = timers_.phase_since;
      break;
    }
    case WavePhase::kVerifying:
      if (commands_.promoted || GateFor(w) == nullptr) {
        return {StepKind::kEvaluateGate, absl::InfinitePast()};
      }
      // Waits for the gate's next evaluation (a holding gate's hold_until;
      // a manual-approval gate holds until a person acts).
      step = {StepKind::kEvaluateGate, timers_.gate_wake};
      b.kind = gate_.last_verdict.has_value() &&
                       gate_.last_verdict->hold_until == absl::InfiniteFuture()
                   ? Blocker::Kind::kApproval
                   : Blocker::Kind::kGate;
      b.name = absl::StrCat(
          "gate ",
          gate_.last_verdict.has_value() ? gate_.last_verdict->gate : "?",
          " of wave ", w);
      b.reason =
          gate_.last_verdict.has_value() ? gate_.last_verdict->reason : "";
      b.since = timers_.deployed_at;
      break;
    case WavePhase::kBaking:
      if (commands_.promoted) {
        return {StepKind::kPassWave, absl::InfinitePast()};
      }
      // Waits for the bake to end; re-checks the gate meanwhile.
      step = {StepKind::kPassWave, timers_.bake_until};
      step.recheck_at = RecheckWakeup();
      b.kind = Blocker::Kind::kBake;
      b.name = absl::StrCat("bake of wave ", w);
      b.reason = absl::StrCat("gates passed; bake of ",
                              absl::FormatDuration(plan_.waves[w].bake));
      b.since = timers_.phase_since;
      break;
    case WavePhase::kRetryBackoff:
      // The rollback policy retries the wave after its backoff.
      step = {StepKind::kRestartWave, timers_.retry_at};
      b.kind = Blocker::Kind::kRetryBackoff;
      b.name = absl::StrCat("retry of wave ", w);
      b.reason =
          absl::StrCat("attempt ", progress_.wave_attempts[w] + 1, " after ",
                       commands_.failure_trigger.has_value()
                           ? FailureTriggerName(*commands_.failure_trigger)
                           : "failure");
      break;
  }
  if (why != nullptr) {
    b.until = step.at;
    *why = std::move(b);
  }
  return step;
}

PhaseStep RolloutEngine::RollbackStep(Blocker* why) const {
  Blocker b;
  b.kind = Blocker::Kind::kRollback;
  PhaseStep step;
  if (counts_.open_rollbacks > 0) {
    // Waits for the outcomes of the rollback actions out.
    step = {StepKind::kNone, absl::InfiniteFuture()};
    for (const ActionRecord& r : actions_) {
      if (r.state == ActionRecord::kOpen &&
          r.action.kind == ActionKind::kRollBack) {
        b.name = r.action.id;
        b.reason = absl::StrCat(r.remaining, " targets await an outcome (",
                                rollback_.reason, ")");
        b.since = r.issued_at;
      }
    }
  } else if ((counts_.rollback_failed > 0 || rollback_.traffic_failed) &&
             !counts_.rollback_exhausted) {
    // Retries the failed rollbacks after the backoff.
    step = {StepKind::kDriveRollback, rollback_.retry_at};
    b.name = "rollback retry";
    b.reason = absl::StrCat(counts_.rollback_failed,
                            " targets failed to roll back; retrying");
    b.until = rollback_.retry_at;
  } else {
    return {StepKind::kDriveRollback, absl::InfinitePast()};
  }
  if (why != nullptr) *why = std::move(b);
  return step;
}

bool RolloutEngine::Take(StepKind next, absl::Time now,
                         std::vector<Action>& out) {
  switch (next) {
    case StepKind::kNone:
      return false;
    case StepKind::kStartRollout: {
      progress_.started = true;
      status_ = RolloutStatus::kRunning;
      current_wave_ = 0;
      phase_ = WavePhase::kNotStarted;
      RolloutEvent e;
      e.message = absl::StrCat("rolling out ", version_, " (rollback to ",
                               previous_version_, ") in ", plan_.waves.size(),
                               " waves, policy ", policy_->name());
      Emit(EventKind::kRolloutStarted, now, std::move(e));
      return true;
    }
    case StepKind::kDriveRollback:
      return DriveRollback(now, out);
    case StepKind::kStartWave:
      StartWave(now, out);
      return true;
    case StepKind::kFailRejected: {
      const std::string who = std::move(commands_.rejected_by);
      commands_.rejected_by.clear();
      FailWave(FailureTrigger::kRejected,
               absl::StrCat("wave ", current_wave_, " rejected by ", who),
               std::nullopt, 0, now, out);
      return true;
    }
    case StepKind::kIssueDeploy:
      commands_.approval_pending = false;
      IssueDeploy(now, out);
      return true;
    case StepKind::kFailApprovalTimeout:
      FailWave(FailureTrigger::kProgressDeadline,
               absl::StrCat("approval for wave ", current_wave_,
                            " not given within ",
                            absl::FormatDuration(options_.approval_timeout)),
               std::nullopt, 0, now, out);
      return true;
    case StepKind::kRestartWave:
      phase_ = WavePhase::kNotStarted;
      return true;
    case StepKind::kFailDeployBudget: {
      const Wave& wave = plan_.waves[current_wave_];
      const ActionRecord& r = actions_[progress_.current_action - 1];
      const DeployTally tally = CurrentDeployTally();
      const int64_t size = static_cast<int64_t>(wave.targets.size());
      FailWave(
          FailureTrigger::kDeployFailures,
          tally.traffic
              ? absl::StrCat("setting traffic to ", *wave.traffic_percent,
                             "% failed: ", r.first_failure)
              : absl::StrCat(tally.failed, " of ", size,
                             " targets failed to deploy (at most ",
                             tally.budget, " allowed",
                             options_.deploy_attempts > 1
                                 ? absl::StrCat("; ", options_.deploy_attempts,
                                                " tries each")
                                 : "",
                             "; first: ", r.first_failure, ")"),
          std::nullopt, tally.failed, now, out);
      return true;
    }
    case StepKind::kRetryDeploy:
      IssueDeployRetry(now, out);
      return true;
    case StepKind::kWaveDeployed: {
      const Wave& wave = plan_.waves[current_wave_];
      const ActionRecord& r = actions_[progress_.current_action - 1];
      const DeployTally tally = CurrentDeployTally();
      RolloutEvent e;
      e.wave = current_wave_;
      e.action_id = r.action.id;
      const int64_t size = static_cast<int64_t>(wave.targets.size());
      e.succeeded_targets = tally.traffic ? r.succeeded : size - tally.failed;
      e.failed_targets = tally.failed;
      e.message = tally.traffic
                      ? absl::StrCat("traffic at ", *wave.traffic_percent, "%")
                      : absl::StrCat(size - tally.failed, " of ", size,
                                     " targets run ", version_);
      phase_ = WavePhase::kVerifying;
      timers_.phase_since = timers_.deployed_at;
      timers_.gate_wake = timers_.deployed_at;
      Emit(EventKind::kWaveDeployed, now, std::move(e));
      MaybeStartBackground(now);
      return true;
    }
    case StepKind::kFailDeployDeadline: {
      const ActionRecord& r = actions_[progress_.current_action - 1];
      FailWave(FailureTrigger::kProgressDeadline,
               absl::StrCat(r.remaining, " targets still deploying ",
                            absl::FormatDuration(options_.progress_deadline),
                            " after the wave started"),
               std::nullopt, r.failed, now, out);
      return true;
    }
    case StepKind::kEvaluateGate:
      return Verify(now, out);
    case StepKind::kPassWave:
      PassWave(now);
      return true;
  }
  return false;
}

void RolloutEngine::StartWave(absl::Time now, std::vector<Action>& out) {
  const int w = current_wave_;
  ++progress_.wave_attempts[w];
  progress_.max_wave_started = std::max(progress_.max_wave_started, w);
  gate_.state = GateState();
  gate_.last_verdict.reset();
  gate_.signals.clear();
  commands_.failure_trigger.reset();
  RolloutEvent e;
  e.wave = w;
  const Wave& wave = plan_.waves[w];
  e.message =
      absl::StrCat(wave.name.empty() ? WaveLabel(w) : wave.name, " (stage ",
                   wave.stage.empty() ? "-" : wave.stage, ", ",
                   wave.traffic_percent.has_value()
                       ? absl::StrCat(*wave.traffic_percent, "% traffic")
                       : absl::StrCat(wave.targets.size(), " targets"),
                   progress_.wave_attempts[w] > 1
                       ? absl::StrCat(", attempt ", progress_.wave_attempts[w])
                       : "",
                   ")");
  Emit(EventKind::kWaveStarted, now, std::move(e));
  if (approval_wave_[w] && !commands_.promoted) {
    phase_ = WavePhase::kAwaitingApproval;
    timers_.phase_since = now;
    commands_.approval_pending = true;
    Action a;
    a.id = NewActionId("approval", w);
    a.kind = ActionKind::kRequestApproval;
    a.wave = w;
    a.version = version_;
    a.message = absl::StrCat("approve ", version_, " for wave ", w, " (",
                             wave.name, ")");
    Issue(std::move(a), now, out);
    RolloutEvent ae;
    ae.wave = w;
    ae.action_id = actions_.back().action.id;
    ae.message = actions_.back().action.message;
    Emit(EventKind::kApprovalRequested, now, std::move(ae));
    return;
  }
  IssueDeploy(now, out);
}

void RolloutEngine::IssueDeploy(absl::Time now, std::vector<Action>& out) {
  const int w = current_wave_;
  const Wave& wave = plan_.waves[w];
  phase_ = WavePhase::kDeploying;
  timers_.phase_since = now;
  Action a;
  a.wave = w;
  a.version = version_;
  if (wave.traffic_percent.has_value()) {
    a.id = NewActionId("traffic", w);
    a.kind = ActionKind::kSetTraffic;
    a.traffic_percent = wave.traffic_percent;
    progress_.traffic_touched = true;
  } else {
    a.id = NewActionId("deploy", w);
    a.kind = ActionKind::kDeploy;
    const uint32_t seq = static_cast<uint32_t>(actions_.size()) + 1;
    deploy_.failed = 0;
    deploy_.retryable = 0;
    deploy_.retries = 0;
    deploy_.retry_at = absl::InfinitePast();
    for (Fleet::TargetIndex t : wave.targets) {
      if (targets_.state[t] == kTargetNew) continue;
      a.targets.push_back(t);
      SetTargetState(t, kTargetDeploying);
      targets_.action[t] = seq;
      targets_.deploy_attempts[t] = 1;
    }
    std::sort(a.targets.begin(), a.targets.end());
    if (a.targets.empty()) {  // a retry of a wave that is fully deployed
      phase_ = WavePhase::kVerifying;
      timers_.deployed_at = now;
      timers_.gate_wake = now;
      return;
    }
  }
  Issue(std::move(a), now, out);
  progress_.current_action = static_cast<int64_t>(actions_.size());
}

absl::Duration RolloutEngine::DeployRetryBackoff() const {
  return options_.deploy_retry_backoff *
         (int64_t{1} << std::min(deploy_.retries, 20));
}

void RolloutEngine::IssueDeployRetry(absl::Time now, std::vector<Action>& out) {
  const int w = current_wave_;
  const ActionRecord& previous = actions_[progress_.current_action - 1];
  const std::string first_failure = previous.first_failure;
  Action a;
  a.wave = w;
  a.version = version_;
  a.id = NewActionId("deploy", w);
  a.kind = ActionKind::kDeploy;
  const uint32_t seq = static_cast<uint32_t>(actions_.size()) + 1;
  int max_try = 0;
  for (Fleet::TargetIndex t : plan_.waves[w].targets) {
    if (targets_.state[t] != kTargetDeployFailed ||
        targets_.deploy_attempts[t] >= options_.deploy_attempts) {
      continue;
    }
    a.targets.push_back(t);
    SetTargetState(t, kTargetDeploying);
    targets_.action[t] = seq;
    ++targets_.deploy_attempts[t];
    max_try = std::max<int>(max_try, targets_.deploy_attempts[t]);
  }
  std::sort(a.targets.begin(), a.targets.end());
  deploy_.retryable = 0;
  ++deploy_.retries;
  ++deploy_.retries_total;
  deploy_.retry_at = absl::InfinitePast();
  timers_.phase_since = now;  // a retry is progress: the deadline starts again
  RolloutEvent e;
  e.wave = w;
  e.action_id = a.id;
  e.failed_targets = static_cast<int64_t>(a.targets.size());
  e.message = absl::StrCat("deploying ", version_, " again to ",
                           a.targets.size(), " targets that failed (try ",
                           max_try, " of ", options_.deploy_attempts,
                           "; first failure: ", first_failure, ")");
  Issue(std::move(a), now, out);
  progress_.current_action = static_cast<int64_t>(actions_.size());
  Emit(EventKind::kDeployRetried, now, std::move(e));
}

bool RolloutEngine::Verify(absl::Time now, std::vector<Action>& out) {
  const int w = current_wave_;
  const Wave& wave = plan_.waves[w];
  const HealthGate* gate = GateFor(w);
  Verdict verdict;
  if (commands_.promoted) {
    verdict = Verdict::Pass(
        "promote", absl::StrCat("promoted by ", commands_.promoted_by));
  } else if (gate == nullptr) {
    verdict = Verdict::Pass("none", "no gates for this stage");
  } else {
    GateContext context = WaveContext(w, now);
    verdict = gate->Evaluate(context, gate_.state);
    if (verdict.outcome == Outcome::kHold) {
      timers_.gate_wake = verdict.hold_until > now ? verdict.hold_until
                                                   : now + absl::Seconds(1);
      gate_.last_verdict = std::move(verdict);
      return false;
    }
  }
  gate_.last_verdict = verdict;
  RolloutEvent e;
  e.wave = w;
  e.message = verdict.ToString();
  e.verdict = verdict;
  Emit(EventKind::kGateVerdict, now, std::move(e));
  switch (verdict.outcome) {
    case Outcome::kPass:
      phase_ = WavePhase::kBaking;
      timers_.phase_since = now;
      timers_.bake_until = std::max(timers_.deployed_at + wave.bake, now);
      ScheduleRechecks(now);
      return true;
    case Outcome::kFail:
      FailWave(FailureTrigger::kGateFail, verdict.reason, verdict, 0, now, out);
      return true;
    case Outcome::kInconclusive:
      FailWave(FailureTrigger::kGateInconclusive, verdict.reason, verdict, 0,
               now, out);
      return true;
    case Outcome::kError:
    case Outcome::kHold:
      FailWave(FailureTrigger::kGateError, verdict.reason, verdict, 0, now,
               out);
      return true;
  }
  return true;
}

void RolloutEngine::PassWave(absl::Time now) {
  const int w = current_wave_;
  phase_ = WavePhase::kPassed;
  RolloutEvent e;
  e.wave = w;
  e.message =
      commands_.promoted
          ? absl::StrCat("passed (promoted by ", commands_.promoted_by, ")")
          : absl::StrCat("passed; bake of ",
                         absl::FormatDuration(plan_.waves[w].bake), " over");
  Emit(EventKind::kWavePassed, now, std::move(e));
  if (w + 1 == static_cast<int>(plan_.waves.size())) {
    current_wave_ = w + 1;
    if (!plan_.traffic_routed() &&
        counts_.new_targets < static_cast<int64_t>(plan_.target_count())) {
      RolloutEvent lb;
      for (size_t pw = 0; pw < plan_.waves.size(); ++pw) {
        for (Fleet::TargetIndex t : plan_.waves[pw].targets) {
          if (targets_.state[t] == kTargetNew) continue;
          lb.failures.push_back(
              {fleet_.target(t).id,
               absl::StrCat("failed to deploy in wave ", pw,
                            ", within its failure budget of ",
                            plan_.waves[pw].max_failed_targets)});
        }
      }
      lb.failed_targets = static_cast<int64_t>(lb.failures.size());
      lb.message = absl::StrCat(
          lb.failures.size(), " of ", plan_.target_count(),
          " targets failed to deploy and were left behind within their "
          "waves' failure budgets (they may run ",
          previous_version_,
          " or neither version); first: ", lb.failures.front().target);
      Emit(EventKind::kTargetsLeftBehind, now, std::move(lb));
    }
    Finish(RolloutStatus::kSucceeded, now,
           absl::StrCat(version_, " rolled out to every wave"));
    return;
  }
  current_wave_ = w + 1;
  phase_ = WavePhase::kNotStarted;
}

void RolloutEngine::CancelOpenActions() {
  if (progress_.current_action <= 0) return;
  ActionRecord& r = actions_[progress_.current_action - 1];
  progress_.current_action = 0;
  if (r.state != ActionRecord::kOpen) return;
  r.state = ActionRecord::kCancelled;
  const uint32_t seq = static_cast<uint32_t>(&r - actions_.data() + 1);
  for (Fleet::TargetIndex t : r.action.targets) {
    if (targets_.action[t] == seq) {
      targets_.action[t] = 0;
      SetTargetState(t, kTargetDeployFailed);  // unknown: treat as touched
    }
  }
}

void RolloutEngine::FailWave(FailureTrigger trigger, std::string reason,
                             std::optional<Verdict> verdict,
                             int64_t failed_targets, absl::Time now,
                             std::vector<Action>& out) {
  const int w = current_wave_;
  CancelOpenActions();
  phase_ = WavePhase::kFailed;
  commands_.failure_trigger = trigger;
  RolloutEvent fe;
  fe.wave = w;
  fe.trigger = trigger;
  fe.message = reason;
  fe.failed_targets = failed_targets;
  Emit(EventKind::kWaveFailed, now, std::move(fe));

  FailureContext context;
  context.trigger = trigger;
  context.wave_index = w;
  context.wave_count = static_cast<int>(plan_.waves.size());
  context.stage = plan_.waves[w].stage;
  context.attempt = std::max(1, progress_.wave_attempts[w]);
  context.now = now;
  context.reason = reason;
  context.verdict = std::move(verdict);
  context.failed_targets = failed_targets;
  context.anything_deployed = counts_.touched > 0 || progress_.traffic_touched;
  const Decision decision = policy_->Decide(context);
  RolloutEvent de;
  de.wave = w;
  de.trigger = trigger;
  de.decision = decision;
  std::ostringstream text;
  text << decision;
  de.message = absl::StrCat(policy_->name(), ": ", text.str());
  Emit(EventKind::kPolicyDecision, now, std::move(de));

  const bool escalate =
      decision.escalate || decision.kind == Decision::Kind::kPauseAndEscalate;
  if (escalate) {
    // The version once: names often carry it ("checkout 2.4.1").
    const std::string who = options_.name.empty() ? "rollout" : options_.name;
    Notify(absl::StrCat(who,
                        absl::StrContains(who, version_)
                            ? std::string()
                            : absl::StrCat(" ", version_),
                        ": wave ", w, " failed (", FailureTriggerName(trigger),
                        ": ", reason, "); ", DecisionKindName(decision.kind)),
           true, w, now, out);
  }
  switch (decision.kind) {
    case Decision::Kind::kRollBackAll:
      BeginRollback(false, decision.order, RolloutStatus::kRolledBack,
                    absl::StrCat("wave ", w, " ", FailureTriggerName(trigger),
                                 ": ", reason),
                    now, out);
      break;
    case Decision::Kind::kRollBackCurrentWaveAndPause:
      BeginRollback(true, RollbackOrder::kAllAtOnce, RolloutStatus::kPaused,
                    absl::StrCat("wave ", w, " ", FailureTriggerName(trigger),
                                 ": ", reason),
                    now, out);
      break;
    case Decision::Kind::kPauseAndEscalate:
      status_ = RolloutStatus::kPaused;
      timers_.paused_since = now;
      commands_.pause_reason = absl::StrCat(
          "wave ", w, " ", FailureTriggerName(trigger), ": ", reason);
      break;
    case Decision::Kind::kRetryWave:
      phase_ = WavePhase::kRetryBackoff;
      timers_.retry_at =
          now + std::max(absl::ZeroDuration(), decision.retry_after);
      break;
  }
}

void RolloutEngine::BeginRollback(bool current_wave_only, RollbackOrder order,
                                  RolloutStatus end, std::string reason,
                                  absl::Time now, std::vector<Action>& out) {
  CancelOpenActions();
  status_ = RolloutStatus::kRollingBack;
  rollback_.end = end;
  rollback_.reason = std::move(reason);
  rollback_.queue.clear();
  rollback_.retry_at = absl::InfinitePast();
  if (plan_.traffic_routed() || order == RollbackOrder::kAllAtOnce) {
    rollback_.queue.push_back(current_wave_only ? current_wave_ : -1);
  } else {
    const int top =
        std::min<int>(std::max(progress_.max_wave_started, current_wave_),
                      static_cast<int>(plan_.waves.size()) - 1);
    for (int w = top; w >= 0; --w) rollback_.queue.push_back(w);
  }
  if (current_wave_only && plan_.traffic_routed()) {
    rollback_.queue = {-1};
  }
  if (now >= RollbackStep(nullptr).at) DriveRollback(now, out);
}

// Called when RollbackStep() is due.
bool RolloutEngine::DriveRollback(absl::Time now, std::vector<Action>& out) {
  const bool traffic = plan_.traffic_routed();
  if (counts_.rollback_failed > 0 || rollback_.traffic_failed) {
    if (counts_.rollback_exhausted) {
      Notify(absl::StrCat(options_.name.empty() ? "rollout" : options_.name,
                          ": rollback to ", previous_version_,
                          " keeps failing after ", options_.rollback_attempts,
                          " attempts; restore the targets by hand"),
             true, -1, now, out);
      Finish(RolloutStatus::kFailed, now,
             absl::StrCat("rollback incomplete: ", counts_.rollback_failed,
                          " targets could not be restored"));
      return true;
    }
    Action a;
    a.kind = ActionKind::kRollBack;
    a.version = previous_version_;
    a.id = NewActionId("rollback", -1);
    const uint32_t seq = static_cast<uint32_t>(actions_.size()) + 1;
    if (traffic) {
      a.traffic_percent = 0;
      rollback_.traffic_failed = false;
    } else {
      for (size_t t = 0; t < targets_.state.size(); ++t) {
        if (targets_.state[t] != kTargetRollbackFailed) continue;
        a.targets.push_back(static_cast<Fleet::TargetIndex>(t));
        SetTargetState(static_cast<Fleet::TargetIndex>(t), kTargetRollingBack);
        targets_.action[t] = seq;
      }
    }
    RolloutEvent e;
    e.action_id = a.id;
    e.message =
        absl::StrCat("retrying rollback of ",
                     traffic ? std::string("traffic")
                             : absl::StrCat(a.targets.size(), " targets"),
                     " to ", previous_version_);
    Issue(std::move(a), now, out);
    ++counts_.open_rollbacks;
    Emit(EventKind::kRollbackStarted, now, std::move(e));
    return true;
  }
  while (!rollback_.queue.empty()) {
    const int w = rollback_.queue.front();
    rollback_.queue.erase(rollback_.queue.begin());
    Action a;
    a.kind = ActionKind::kRollBack;
    a.version = previous_version_;
    a.wave = w;
    const uint32_t seq = static_cast<uint32_t>(actions_.size()) + 1;
    if (traffic) {
      if (!progress_.traffic_touched) continue;
      a.traffic_percent = 0;
      a.wave = -1;
    } else if (w < 0) {
      if (counts_.touched == 0) continue;
      for (size_t t = 0; t < targets_.state.size(); ++t) {
        if (!IsTouched(targets_.state[t])) continue;
        a.targets.push_back(static_cast<Fleet::TargetIndex>(t));
      }
    } else {
      if (counts_.wave_touched[w] == 0) continue;
      for (Fleet::TargetIndex t : plan_.waves[w].targets) {
        if (IsTouched(targets_.state[t])) a.targets.push_back(t);
      }
      std::sort(a.targets.begin(), a.targets.end());
    }
    for (Fleet::TargetIndex t : a.targets) {
      SetTargetState(t, kTargetRollingBack);
      targets_.action[t] = seq;
    }
    a.id = NewActionId("rollback", a.wave);
    RolloutEvent e;
    e.wave = a.wave;
    e.action_id = a.id;
    e.message =
        absl::StrCat("rolling back ",
                     traffic ? std::string("all traffic")
                             : absl::StrCat(a.targets.size(), " targets"),
                     w >= 0 ? absl::StrCat(" of wave ", w) : std::string(),
                     " to ", previous_version_, " (", rollback_.reason, ")");
    Issue(std::move(a), now, out);
    ++counts_.open_rollbacks;
    Emit(EventKind::kRollbackStarted, now, std::move(e));
    return true;
  }
  // Done.
  RolloutEvent e;
  e.message = absl::StrCat("every touched target runs ", previous_version_,
                           " again (", rollback_.reason, ")");
  if (rollback_.end == RolloutStatus::kPaused) {
    status_ = RolloutStatus::kPaused;
    timers_.paused_since = now;
    commands_.pause_reason = rollback_.reason;
    rollback_.wave_rolled_back = true;
    phase_ = WavePhase::kFailed;
    Emit(EventKind::kRollbackCompleted, now, std::move(e));
    return true;
  }
  Emit(EventKind::kRollbackCompleted, now, std::move(e));
  Finish(rollback_.end, now,
         rollback_.end == RolloutStatus::kAborted
             ? absl::StrCat("aborted; rolled back to ", previous_version_)
             : absl::StrCat("rolled back to ", previous_version_, ": ",
                            rollback_.reason));
  return true;
}

// ---------------------------------------------------------------------------
// Outcomes.

absl::StatusOr<ActionRecord*> RolloutEngine::FindAction(absl::string_view call,
                                                        absl::string_view id) {
  const size_t dash = id.rfind('-');
  int64_t seq = 0;
  if (dash == absl::string_view::npos ||
      !absl::SimpleAtoi(id.substr(dash + 1), &seq) || seq < 1 ||
      seq > static_cast<int64_t>(actions_.size()) ||
      actions_[seq - 1].action.id != id) {
    return absl::NotFoundError(
        absl::StrCat(call, ": unknown action id \"", id, "\""));
  }
  ActionRecord& r = actions_[seq - 1];
  if (!r.action.NeedsOutcome()) {
    return absl::FailedPreconditionError(
        absl::StrCat(call, ": action ", id, " (", ActionKindName(r.action.kind),
                     ") takes no outcome"));
  }
  if (r.state == ActionRecord::kComplete) {
    return absl::FailedPreconditionError(
        absl::StrCat(call, ": action ", id, " already has all its outcomes"));
  }
  if (r.state == ActionRecord::kCancelled) {
    return absl::FailedPreconditionError(absl::StrCat(
        call, ": action ", id, " was cancelled (state: ", StateText(),
        "); stop it: its targets are being or were rolled back"));
  }
  return &r;
}

absl::Status RolloutEngine::ReportOutcome(
    absl::string_view action_id, absl::Span<const TargetResult> results,
    absl::Time now) {
  SLUICE_RETURN_IF_ERROR(CheckTime("ReportOutcome", now));
  SLUICE_ASSIGN_OR_RETURN(ActionRecord * r,
                          FindAction("ReportOutcome", action_id));
  const uint32_t seq = static_cast<uint32_t>(r - actions_.data() + 1);
  const bool per_target = !r->action.targets.empty();
  if (results.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("ReportOutcome: no results for action ", action_id));
  }
  if (!per_target) {
    if (results.size() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("ReportOutcome: action ", action_id,
                       " has no targets and takes exactly one result (got ",
                       results.size(), ")"));
    }
  } else {
    // Validate everything before changing anything.
    std::vector<Fleet::TargetIndex> seen;
    seen.reserve(results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      const Fleet::TargetIndex t = results[i].target;
      const std::string path = absl::StrCat("ReportOutcome: results[", i, "]");
      if (!std::binary_search(r->action.targets.begin(),
                              r->action.targets.end(), t)) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": target ", t, " is not part of action ", action_id));
      }
      if (targets_.action[t] != seq) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": target ", fleet_.target(t).id,
                         " already has an outcome for action ", action_id));
      }
      seen.push_back(t);
    }
    std::sort(seen.begin(), seen.end());
    auto dup = std::adjacent_find(seen.begin(), seen.end());
    if (dup != seen.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("ReportOutcome: target ", fleet_.target(*dup).id,
                       " appears twice in the results"));
    }
  }
  const bool rollback = r->action.kind == ActionKind::kRollBack;
  bool any_failed = false;
  std::vector<TargetFailure> failures;
  for (const TargetResult& result : results) {
    if (result.succeeded) {
      ++r->succeeded;
    } else {
      ++r->failed;
      any_failed = true;
      failures.push_back(
          {per_target ? fleet_.target(result.target).id : std::string(),
           result.reason});
      if (r->first_failure.empty()) {
        r->first_failure = per_target
                               ? absl::StrCat(fleet_.target(result.target).id,
                                              ": ", result.reason)
                               : result.reason;
      }
    }
    --r->remaining;
    if (!per_target) {
      if (rollback) {
        if (result.succeeded) {
          progress_.traffic_touched = false;
          rollback_.traffic_attempts = 0;
        } else {
          rollback_.traffic_failed = true;
          if (++rollback_.traffic_attempts >= options_.rollback_attempts) {
            counts_.rollback_exhausted = true;
          }
        }
      }
      continue;
    }
    const Fleet::TargetIndex t = result.target;
    targets_.action[t] = 0;
    if (rollback) {
      if (result.succeeded) {
        targets_.rollback_attempts[t] = 0;
        SetTargetState(t, kTargetRolledBack);
      } else {
        if (targets_.rollback_attempts[t] < 255)
          ++targets_.rollback_attempts[t];
        if (targets_.rollback_attempts[t] >= options_.rollback_attempts) {
          counts_.rollback_exhausted = true;
        }
        SetTargetState(t, kTargetRollbackFailed);
      }
    } else if (result.succeeded) {
      SetTargetState(t, kTargetNew);
    } else {
      SetTargetState(t, kTargetDeployFailed);
      if (targets_.deploy_attempts[t] < options_.deploy_attempts) {
        ++deploy_.retryable;
      } else {
        ++deploy_.failed;
      }
    }
  }
  if (r->remaining == 0) {
    r->state = ActionRecord::kComplete;
    r->action.targets.clear();
    r->action.targets.shrink_to_fit();
    if (rollback) {
      --counts_.open_rollbacks;
    } else {
      timers_.deployed_at = now;
      if (deploy_.retryable > 0) {
        deploy_.retry_at = now + DeployRetryBackoff();
      }
    }
  }
  if (rollback && any_failed) {
    rollback_.retry_at = now + options_.rollback_retry_backoff;
    RolloutEvent e;
    e.action_id = r->action.id;
    e.failed_targets = r->failed;
    e.succeeded_targets = r->succeeded;
    e.message = absl::StrCat("rollback failed: ", r->first_failure);
    e.failures = failures;
    Emit(EventKind::kRollbackFailed, now, std::move(e));
  } else if (any_failed) {
    RolloutEvent e;
    e.wave = r->action.wave;
    e.action_id = r->action.id;
    e.failed_targets = static_cast<int64_t>(failures.size());
    e.message = absl::StrCat(
        r->action.kind == ActionKind::kSetTraffic
            ? std::string("setting traffic failed")
            : absl::StrCat(failures.size(), " targets failed to deploy ",
                           r->action.version),
        ": ", failures.front().target.empty() ? "" : failures.front().target,
        failures.front().target.empty() ? "" : ": ", failures.front().reason,
        failures.size() > 1
            ? absl::StrCat(" (and ", failures.size() - 1, " more)")
            : "");
    std::sort(failures.begin(), failures.end(),
              [](const TargetFailure& a, const TargetFailure& b) {
                return a.target < b.target;
              });
    e.failures = std::move(failures);
    Emit(EventKind::kTargetsFailed, now, std::move(e));
  }
  Touch(now);
  return absl::OkStatus();
}

absl::Status RolloutEngine::ReportActionOutcome(absl::string_view action_id,
                                                bool succeeded,
                                                absl::string_view reason,
                                                absl::Time now) {
  SLUICE_RETURN_IF_ERROR(CheckTime("ReportActionOutcome", now));
  SLUICE_ASSIGN_OR_RETURN(ActionRecord * r,
                          FindAction("ReportActionOutcome", action_id));
  const uint32_t seq = static_cast<uint32_t>(r - actions_.data() + 1);
  std::vector<TargetResult> results;
  if (r->action.targets.empty()) {
    results.push_back({0, succeeded, std::string(reason)});
  } else {
    for (Fleet::TargetIndex t : r->action.targets) {
      if (targets_.action[t] == seq) {
        results.push_back({t, succeeded, std::string(reason)});
      }
    }
  }
  return ReportOutcome(action_id, results, now);
}

std::vector<Action> RolloutEngine::PendingActions() const {
  std::vector<Action> out;
  for (const ActionRecord& r : actions_) {
    if (r.state == ActionRecord::kOpen && r.action.NeedsOutcome()) {
      out.push_back(r.action);
    }
  }
  return out;
}

size_t RolloutEngine::PerTargetStateBytes() const {
  size_t ledger = 0;  // targets of actions (dropped once they close)
  for (const ActionRecord& r : actions_) {
    ledger += r.action.targets.capacity() * sizeof(Fleet::TargetIndex);
  }
  return ledger + targets_.state.capacity() * sizeof(uint8_t) +
         targets_.rollback_attempts.capacity() * sizeof(uint8_t) +
         targets_.deploy_attempts.capacity() * sizeof(uint8_t) +
         targets_.action.capacity() * sizeof(uint32_t) +
         wave_of_.capacity() * sizeof(int32_t) +
         plan_.target_count() * sizeof(Fleet::TargetIndex);
}

// ---------------------------------------------------------------------------
// Commands.

absl::Status RolloutEngine::Pause(absl::string_view who, absl::Time now) {
  SLUICE_RETURN_IF_ERROR(CheckTime("Pause", now));
  if (status_ != RolloutStatus::kPending &&
      status_ != RolloutStatus::kRunning) {
    return absl::FailedPreconditionError(
        absl::StrCat("Pause: only a pending or running rollout can be paused "
                     "(state: ",
                     StateText(), ")"));
  }
  status_ = RolloutStatus::kPaused;
  timers_.paused_since = now;
  commands_.pause_reason = absl::StrCat("paused by ", who);
  Command("pause", who, now, commands_.pause_reason);
  Touch(now);
  return absl::OkStatus();
}

absl::Status RolloutEngine::Resume(absl::string_view who, absl::Time now) {
  SLUICE_RETURN_IF_ERROR(CheckTime("Resume", now));
  if (status_ != RolloutStatus::kPaused) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Resume: the rollout is not paused (state: ", StateText(), ")"));
  }
  if (rollback_.wave_rolled_back) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Resume: wave ", current_wave_,
        " was rolled back; use Retry or Abort (state: ", StateText(), ")"));
  }
  const absl::Duration paused_for = now - timers_.paused_since;
  if (!progress_.started) {
    status_ = RolloutStatus::kPending;
  } else {
    status_ = RolloutStatus::kRunning;
    if (phase_ == WavePhase::kFailed) {
      // Paused by a policy: verify the wave again with fresh gate state
      // (redeploying targets that failed).
      phase_ = WavePhase::kNotStarted;
    } else if (phase_ == WavePhase::kAwaitingApproval ||
               phase_ == WavePhase::kDeploying) {
      timers_.phase_since += paused_for;  // a pause does not eat the deadline
    }
  }
  commands_.pause_reason.clear();
  Command("resume", who, now,
          absl::StrCat("resumed by ", who, " after ",
                       absl::FormatDuration(paused_for)));
  Touch(now);
  return absl::OkStatus();
}

absl::Status RolloutEngine::Abort(absl::string_view who, absl::Time now) {
  SLUICE_RETURN_IF_ERROR(CheckTime("Abort", now));
  if (status_ != RolloutStatus::kPending &&
      status_ != RolloutStatus::kRunning && status_ != RolloutStatus::kPaused) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Abort: only a pending, running or paused rollout can be aborted "
        "(state: ",
        StateText(), ")"));
  }
  Command("abort", who, now, absl::StrCat("aborted by ", who));
  CancelOpenActions();
  commands_.approval_pending = false;
  if (counts_.touched == 0 && !progress_.traffic_touched) {
    bool deployed = false;
    for (const ActionRecord& r : actions_) {
      if (r.action.kind == ActionKind::kDeploy ||
          r.action.kind == ActionKind::kSetTraffic) {
        deployed = true;
        break;
      }
    }
    Finish(RolloutStatus::kAborted, now,
           deployed
               ? absl::StrCat("aborted by ", who,
                              "; nothing left to roll back: every target it "
                              "deployed runs ",
                              previous_version_, " again")
               : absl::StrCat("aborted by ", who,
                              " before anything was deployed"));
  } else {
    // The rollback actions are issued by the next Advance().
    status_ = RolloutStatus::kRollingBack;
    rollback_.end = RolloutStatus::kAborted;
    rollback_.reason = absl::StrCat("aborted by ", who);
    rollback_.queue.clear();
    if (plan_.traffic_routed() ||
        options_.abort_order == RollbackOrder::kAllAtOnce) {
      rollback_.queue.push_back(-1);
    } else {
      for (int w = std::min<int>(progress_.max_wave_started,
                                 static_cast<int>(plan_.waves.size()) - 1);
           w >= 0; --w) {
        rollback_.queue.push_back(w);
      }
    }
  }
  Touch(now);
  return absl::OkStatus();
}

absl::Status RolloutEngine::Promote(absl::string_view who, absl::Time now) {
  SLUICE_RETURN_IF_ERROR(CheckTime("Promote", now));
  if (status_ != RolloutStatus::kRunning && status_ != RolloutStatus::kPaused &&
      status_ != RolloutStatus::kPending) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Promote: only a pending, running or paused rollout can be promoted "
        "(state: ",
        StateText(), ")"));
  }
  if (rollback_.wave_rolled_back) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Promote: wave ", current_wave_,
        " was rolled back; use Retry or Abort (state: ", StateText(), ")"));
  }
  commands_.promoted = true;
  commands_.promoted_by = std::string(who);
  if (status_ == RolloutStatus::kPaused) {
    status_ =
        progress_.started ? RolloutStatus::kRunning : RolloutStatus::kPending;
  }
  if (phase_ == WavePhase::kFailed) phase_ = WavePhase::kVerifying;
  if (phase_ == WavePhase::kRetryBackoff) phase_ = WavePhase::kNotStarted;
  commands_.approval_pending = false;
  commands_.pause_reason.clear();
  Command("promote", who, now,
          absl::StrCat("promoted by ", who,
                       ": remaining gates, bakes and approvals skipped"));
  Touch(now);
  return absl::OkStatus();
}

absl::Status RolloutEngine::Retry(absl::string_view who, absl::Time now) {
  SLUICE_RETURN_IF_ERROR(CheckTime("Retry", now));
  if (status_ != RolloutStatus::kPaused || phase_ != WavePhase::kFailed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Retry: no failed wave is waiting for a person (state: ", StateText(),
        ")"));
  }
  status_ = RolloutStatus::kRunning;
  phase_ = WavePhase::kNotStarted;
  rollback_.wave_rolled_back = false;
  commands_.pause_reason.clear();
  Command("retry", who, now,
          absl::StrCat("retry of wave ", current_wave_, " by ", who));
  Touch(now);
  return absl::OkStatus();
}

bool RolloutEngine::GateAwaitsSignal() const {
  return phase_ == WavePhase::kVerifying && gate_.last_verdict.has_value() &&
         gate_.last_verdict->outcome == Outcome::kHold &&
         gate_.last_verdict->hold_until == absl::InfiniteFuture();
}

void RolloutEngine::SignalGate(OperatorSignal::Kind kind,
                               absl::string_view command,
                               absl::string_view past_tense,
                               absl::string_view who, absl::Time now) {
  OperatorSignal s;
  s.kind = kind;
  s.who = std::string(who);
  s.at = now;
  gate_.signals.push_back(s);
  timers_.gate_wake = now;
  Command(command, who, now,
          absl::StrCat("gate ", gate_.last_verdict->gate, " of wave ",
                       current_wave_, " ", past_tense, " by ", who));
  Touch(now);
}

absl::Status RolloutEngine::Approve(absl::string_view who, absl::Time now) {
  SLUICE_RETURN_IF_ERROR(CheckTime("Approve", now));
  const bool running =
      status_ == RolloutStatus::kRunning || status_ == RolloutStatus::kPaused;
  if (running && phase_ == WavePhase::kAwaitingApproval &&
      commands_.approval_pending) {
    commands_.approval_pending = false;
    Command("approve", who, now,
            absl::StrCat("wave ", current_wave_, " approved by ", who));
    Touch(now);
    return absl::OkStatus();
  }
  if (running && GateAwaitsSignal()) {
    SignalGate(OperatorSignal::Kind::kApprove, "approve", "approved", who, now);
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "Approve: no approval is pending (state: ", StateText(), ")"));
}

absl::Status RolloutEngine::Reject(absl::string_view who, absl::Time now) {
  SLUICE_RETURN_IF_ERROR(CheckTime("Reject", now));
  const bool running =
      status_ == RolloutStatus::kRunning || status_ == RolloutStatus::kPaused;
  if (running && phase_ == WavePhase::kAwaitingApproval &&
      commands_.approval_pending) {
    Command("reject", who, now,
            absl::StrCat("wave ", current_wave_, " rejected by ", who));
    commands_.approval_pending = false;
    // The failure is handled (and its actions issued) by the next Advance().
    commands_.rejected_by = std::string(who);
    Touch(now);
    return absl::OkStatus();
  }
  if (running && GateAwaitsSignal()) {
    SignalGate(OperatorSignal::Kind::kReject, "reject", "rejected", who, now);
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "Reject: no approval is pending (state: ", StateText(), ")"));
}

absl::Status RolloutEngine::Supersede(absl::string_view version,
                                      absl::string_view who, absl::Time now) {
  SLUICE_RETURN_IF_ERROR(CheckTime("Supersede", now));
  if (status_ != RolloutStatus::kPending &&
      status_ != RolloutStatus::kRunning && status_ != RolloutStatus::kPaused) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Supersede: only a pending, running or paused rollout can take a new "
        "version (state: ",
        StateText(), ")"));
  }
  if (rollback_.wave_rolled_back) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Supersede: wave ", current_wave_,
        " was rolled back; use Retry or Abort first (state: ", StateText(),
        ")"));
  }
  if (version.empty() || version == version_ || version == previous_version_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Supersede: version must be non-empty and differ from the current (",
        version_, ") and previous (", previous_version_, ") versions (got \"",
        version, "\")"));
  }
  Command("supersede", who, now,
          absl::StrCat(version, " supersedes ", version_, " (by ", who,
                       "); rollback target stays ", previous_version_));
  CancelOpenActions();
  for (size_t t = 0; t < targets_.state.size(); ++t) {
    const uint8_t s = targets_.state[t];
    if (s == kTargetNew || s == kTargetDeploying) {
      SetTargetState(static_cast<Fleet::TargetIndex>(t), kTargetStale);
    }
  }
  version_ = std::string(version);
  std::fill(progress_.wave_attempts.begin(), progress_.wave_attempts.end(), 0);
  commands_.promoted = false;
  commands_.promoted_by.clear();
  commands_.approval_pending = false;
  commands_.failure_trigger.reset();
  if (progress_.started) {
    current_wave_ = 0;
    phase_ = WavePhase::kNotStarted;
  }
  ResetBackground();
  Touch(now);
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Blockers.

std::vector<Blocker> RolloutEngine::Blockers(absl::Time now) const {
  std::vector<Blocker> out;
  if (IsTerminal(status_) || status_ == RolloutStatus::kPending) return out;
  if (dirty_ && status_ != RolloutStatus::kPaused) {
    return out;  // the next Advance() has work
  }
  Blocker b;
  const PhaseStep step = Step(&b);
  if (now < step.at) out.push_back(b);
  if (status_ == RolloutStatus::kPaused) {
    // The wave's own wait goes on under the pause.
    Blocker wave;
    if (now < WaveStep(&wave).at) out.push_back(std::move(wave));
  }
  return out;
}

}  // namespace internal

// ---------------------------------------------------------------------------
// Factories.

absl::StatusOr<std::unique_ptr<Rollout>> Rollout::Create(
    const Fleet& fleet, WavePlan plan, RolloutOptions options) {
  SLUICE_RETURN_IF_ERROR(internal::ValidatePlan(plan, fleet));
  SLUICE_RETURN_IF_ERROR(
      internal::ValidateOptions(options, static_cast<int>(plan.waves.size())));
  return std::unique_ptr<Rollout>(std::make_unique<internal::RolloutEngine>(
      fleet, std::move(plan), std::move(options)));
}

}  // namespace sluice

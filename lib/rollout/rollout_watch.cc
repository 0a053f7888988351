// Copyright 2026 The Sluice Authors.
//
// Keep watching: the rollout engine's bake re-checks and its background
// analysis (RolloutOptions::bake_recheck_interval, background_gate;
// docs/rollouts.md, "Watching a rollout").
//
// A bake re-check evaluates the wave's gate again, with a fresh GateState,
// every bake_recheck_interval after it passed, until the bake ends. The
// background analysis evaluates RolloutOptions::background_gate from the
// moment the start wave deployed until the rollout ends, comparing every
// target on the new version with every target on the old one, as Argo
// Rollouts' background analysis (spec.strategy.canary.analysis) runs its
// metrics at an interval with no count. Either one's failure goes through
// FailWave() to the rollback policy.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "lib/rollout/rollout_engine.h"
#include "sluice/rollout.h"

namespace sluice {
namespace internal {
namespace {

FailureTrigger TriggerFor(Outcome outcome) {
  switch (outcome) {
    case Outcome::kFail:
      return FailureTrigger::kGateFail;
    case Outcome::kInconclusive:
      return FailureTrigger::kGateInconclusive;
    default:
      return FailureTrigger::kGateError;
  }
}

// The time a holding gate asks to be evaluated again: its hold_until, or a
// second from now when that is not in the future.
absl::Time HoldWake(const Verdict& verdict, absl::Time now) {
  return verdict.hold_until > now ? verdict.hold_until : now + absl::Seconds(1);
}

}  // namespace

GateContext RolloutEngine::WaveContext(int w, absl::Time now) {
  const Wave& wave = plan_.waves[w];
  if (wave_start_.empty()) {
    // Every wave's target ids, in plan order, once: each cohort is a slice.
    wave_start_.reserve(plan_.waves.size() + 1);
    for (const Wave& each : plan_.waves) {
      wave_start_.push_back(plan_ids_.size());
      for (Fleet::TargetIndex t : each.targets) {
        plan_ids_.push_back(fleet_.target(t).id);
      }
    }
    wave_start_.push_back(plan_ids_.size());
  }
  const int waves = static_cast<int>(plan_.waves.size());
  auto slice = [&](int from, int to) {
    return absl::MakeConstSpan(plan_ids_).subspan(
        wave_start_[from], wave_start_[to] - wave_start_[from]);
  };
  if (settled_wave_ != w) {
    // Earlier waves' targets that run the new version: all of them, a
    // slice, unless a deploy failed or a target was rolled back. Rebuilt
    // when the wave changes or a target's state does (SetTargetState).
    settled_ids_.clear();
    bool all_new = true;
    for (int b = 0; b < w && all_new; ++b) {
      for (Fleet::TargetIndex t : plan_.waves[b].targets) {
        if (targets_.state[t] != kTargetNew) {
          all_new = false;
          break;
        }
      }
    }
    settled_all_new_ = all_new;
    if (!all_new) {
      for (int b = 0; b < w; ++b) {
        for (Fleet::TargetIndex t : plan_.waves[b].targets) {
          if (targets_.state[t] == kTargetNew) {
            settled_ids_.push_back(fleet_.target(t).id);
          }
        }
      }
    }
    settled_wave_ = w;
  }
  GateContext context;
  context.now = now;
  context.wave_index = w;
  context.wave_name = wave.name;
  context.stage = wave.stage;
  context.wave_deployed_at = timers_.deployed_at;
  context.wave_targets = slice(w, w + 1);
  context.baseline_targets = options_.baseline == BaselineCohort::kAllRemaining
                                 ? slice(w + 1, waves)
                                 : slice(w + 1, std::min(w + 2, waves));
  context.settled_targets =
      settled_all_new_ ? slice(0, w) : absl::MakeConstSpan(settled_ids_);
  context.fleet = &fleet_;
  context.metric_source = options_.metric_source;
  context.alarm_source = options_.alarm_source;
  context.signals = gate_.signals;
  return context;
}

// ---------------------------------------------------------------------------
// Bake re-checks.

void RolloutEngine::ScheduleRechecks(absl::Time now) {
  watch_.recheck_state = GateState();
  watch_.rechecks_passed = 0;
  watch_.recheck_at = absl::InfiniteFuture();
  if (commands_.promoted || GateFor(current_wave_) == nullptr ||
      options_.bake_recheck_interval <= absl::ZeroDuration()) {
    return;
  }
  watch_.recheck_at = now + options_.bake_recheck_interval;
}

absl::Time RolloutEngine::RecheckWakeup() const {
  if (commands_.promoted || watch_.recheck_at >= timers_.bake_until)
    return absl::InfiniteFuture();
  return watch_.recheck_at;
}

// Called when RecheckWakeup() is due (kBaking).
bool RolloutEngine::RecheckBake(absl::Time now, std::vector<Action>& out) {
  const int w = current_wave_;
  const HealthGate* gate = GateFor(w);
  if (gate == nullptr) {
    watch_.recheck_at = absl::InfiniteFuture();
    return false;
  }
  const GateContext context = WaveContext(w, now);
  Verdict verdict = gate->Evaluate(context, watch_.recheck_state);
  if (verdict.outcome == Outcome::kHold) {
    watch_.recheck_at = HoldWake(verdict, now);
    return false;
  }
  const int n = watch_.rechecks_passed + 1;
  RolloutEvent e;
  e.wave = w;
  e.message = absl::StrCat("bake re-check ", n, ": ", verdict.ToString());
  e.verdict = verdict;
  Emit(EventKind::kGateVerdict, now, std::move(e));
  if (verdict.outcome == Outcome::kPass) {
    ++watch_.rechecks_passed;
    watch_.recheck_state = GateState();
    watch_.recheck_at = now + options_.bake_recheck_interval;
    gate_.last_verdict = std::move(verdict);
    return true;
  }
  watch_.recheck_at = absl::InfiniteFuture();
  gate_.last_verdict = verdict;
  const FailureTrigger trigger = TriggerFor(verdict.outcome);
  std::string reason =
      absl::StrCat("bake re-check ", n, " (",
                   absl::FormatDuration(now - timers_.phase_since),
                   " into the bake): ", verdict.reason);
  FailWave(trigger, std::move(reason), std::move(verdict), 0, now, out);
  return true;
}

// ---------------------------------------------------------------------------
// Background analysis.

void RolloutEngine::MaybeStartBackground(absl::Time now) {
  if (options_.background_gate == nullptr || watch_.background_started ||
      commands_.promoted || current_wave_ < options_.background_start_wave) {
    return;
  }
  watch_.background_started = true;
  watch_.background_since =
      timers_.deployed_at == absl::InfinitePast() ? now : timers_.deployed_at;
  watch_.background_state = GateState();
  watch_.background_at = now;  // Argo measures at once, then every interval
  watch_.background_runs = 0;
}

void RolloutEngine::ResetBackground() {
  watch_.background_started = false;
  watch_.background_since = absl::InfinitePast();
  watch_.background_state = GateState();
  watch_.background_at = absl::InfiniteFuture();
  watch_.background_runs = 0;
}

absl::Time RolloutEngine::BackgroundWakeup() const {
  if (!watch_.background_started || commands_.promoted ||
      options_.background_gate == nullptr) {
    return absl::InfiniteFuture();
  }
  return watch_.background_at;
}

// Called when BackgroundWakeup() is due.
bool RolloutEngine::RunBackground(absl::Time now, std::vector<Action>& out) {
  // A wave that failed is in the rollback policy's hands already.
  if (phase_ == WavePhase::kFailed) return false;
  background_new_ids_.clear();
  background_old_ids_.clear();
  for (size_t t = 0; t < targets_.state.size(); ++t) {
    const uint8_t s = targets_.state[t];
    if (s == kTargetNew) {
      background_new_ids_.push_back(
          fleet_.target(static_cast<Fleet::TargetIndex>(t)).id);
    } else if (s == kTargetOld || s == kTargetRolledBack) {
      background_old_ids_.push_back(
          fleet_.target(static_cast<Fleet::TargetIndex>(t)).id);
    }
  }
  GateContext context;
  context.now = now;
  context.wave_index = current_wave_;
  context.wave_name = "background analysis";
  context.stage = "background";
  context.wave_deployed_at = watch_.background_since;
  context.wave_targets = background_new_ids_;
  context.baseline_targets = background_old_ids_;
  context.fleet = &fleet_;
  context.metric_source = options_.metric_source;
  context.alarm_source = options_.alarm_source;
  Verdict verdict =
      options_.background_gate->Evaluate(context, watch_.background_state);
  if (verdict.outcome == Outcome::kHold) {
    watch_.background_at = HoldWake(verdict, now);
    return false;
  }
  ++watch_.background_runs;
  watch_.background_state = GateState();
  watch_.background_at = now + options_.background_interval;
  RolloutEvent e;
  e.wave = current_wave_;
  e.message = absl::StrCat("background analysis run ", watch_.background_runs,
                           " (", background_new_ids_.size(), " new, ",
                           background_old_ids_.size(),
                           " old targets): ", verdict.ToString());
  e.verdict = verdict;
  Emit(EventKind::kBackgroundVerdict, now, std::move(e));
  if (verdict.outcome == Outcome::kPass) return false;
  const FailureTrigger trigger = TriggerFor(verdict.outcome);
  std::string reason = absl::StrCat(
      "background analysis run ", watch_.background_runs, ": ", verdict.reason);
  FailWave(trigger, std::move(reason), std::move(verdict), 0, now, out);
  return true;
}

}  // namespace internal
}  // namespace sluice

// Copyright 2026 The Sluice Authors.
//
// The engine's three views of a phase agree (docs/architecture.md, "Engine
// phases"): for random rollouts (random plans of targets or of traffic,
// gate outcomes, per-target failures, deploy retries, approvals, bake
// re-checks, background analysis, lost outcomes, operator commands; fixed
// seeds), at every point where the host has just called Advance():
//   - NextWakeup() is after now: nothing is left to do now;
//   - the state machine run before NextWakeup() does nothing (probed on a
//     copy marked dirty, so that Advance() runs it), and Advance() at a
//     finite NextWakeup() acts (an event, an action or a gate evaluation);
//   - a running or rolling-back rollout reports a Blocker (it is waiting for
//     something), and every Blocker with a finite `until` lifts then: the
//     rollout wakes no later, and Blockers(until) no longer lists it.
// Each probe runs on a copy restored from the snapshot, so the run itself is
// not disturbed.

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/blocker.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/rollout.pb.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice::rollout_test {
namespace {

int Uniform(std::mt19937_64& rng, int lo, int hi) {
  return lo + static_cast<int>(rng() % static_cast<uint64_t>(hi - lo + 1));
}

// The scripted gate, counting its evaluations (shared by a rollout and the
// copies restored from its snapshots).
class CountingGate : public HealthGate {
 public:
  explicit CountingGate(std::shared_ptr<ScriptedGate> gate)
      : gate_(std::move(gate)) {}
  std::string name() const override { return gate_->name(); }
  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    ++evaluations_;
    return gate_->Evaluate(context, state);
  }
  int64_t evaluations() const { return evaluations_; }

 private:
  std::shared_ptr<ScriptedGate> gate_;
  mutable std::atomic<int64_t> evaluations_{0};
};

struct Setup {
  Fleet fleet = MakeFleet(1);
  WavePlan plan;
  RolloutOptions options;
  std::shared_ptr<CountingGate> gate;
  std::shared_ptr<CountingGate> background;
  int deploy_failure_percent = 0;
  int rollback_failure_percent = 0;
  int lost_outcome_percent = 0;
};

Setup RandomSetup(std::mt19937_64& rng) {
  Setup s;
  const int n = Uniform(rng, 2, 12);
  s.fleet = MakeFleet(n);
  std::vector<int> sizes;
  int left = n;
  const int waves = Uniform(rng, 1, std::min(4, n));
  for (int w = 0; w < waves; ++w) {
    const int size =
        w + 1 == waves ? left : Uniform(rng, 1, left - (waves - w - 1));
    sizes.push_back(size);
    left -= size;
  }
  s.plan =
      MakePlan(sizes, absl::Minutes(Uniform(rng, 0, 20)), Uniform(rng, 0, 1));
  if (Uniform(rng, 0, 3) == 0) {  // traffic-routed: one action per wave
    double percent = 0;
    for (Wave& wave : s.plan.waves) {
      percent += 100.0 / waves;
      wave.targets.clear();
      wave.max_failed_targets = 0;
      wave.traffic_percent = wave.name == s.plan.waves.back().name
                                 ? 100.0
                                 : std::min(100.0, percent);
    }
  }
  auto scripted = std::make_shared<ScriptedGate>();
  scripted->delay = absl::Minutes(Uniform(rng, 0, 6));
  for (int w = 0; w < waves; ++w) {
    const int roll = Uniform(rng, 0, 11);
    if (roll == 0) scripted->outcomes[w] = Outcome::kFail;
    if (roll == 1) scripted->outcomes[w] = Outcome::kInconclusive;
    if (roll == 2) {
      scripted->fail_until[w] = kT0 + absl::Minutes(Uniform(rng, 5, 60));
    }
  }
  s.gate = std::make_shared<CountingGate>(scripted);
  s.options.name = "phases";
  s.options.version = "2.0";
  s.options.previous_version = "1.0";
  s.options.gate = s.gate;
  s.options.deploy_attempts = Uniform(rng, 1, 3);
  s.options.deploy_retry_backoff = absl::Seconds(Uniform(rng, 0, 60));
  s.options.rollback_attempts = Uniform(rng, 1, 3);
  s.options.bake_recheck_interval = absl::Minutes(Uniform(rng, 0, 4));
  s.options.progress_deadline = absl::Minutes(Uniform(rng, 5, 20));
  s.options.approval_timeout = absl::Minutes(Uniform(rng, 10, 90));
  if (Uniform(rng, 0, 2) == 0) s.options.approval_waves = {waves - 1};
  if (Uniform(rng, 0, 2) == 0) {
    auto bg = std::make_shared<ScriptedGate>();
    bg->delay = absl::Minutes(Uniform(rng, 0, 3));
    if (Uniform(rng, 0, 3) == 0) bg->outcomes[waves - 1] = Outcome::kFail;
    s.background = std::make_shared<CountingGate>(bg);
    s.options.background_gate = s.background;
    s.options.background_interval = absl::Minutes(Uniform(rng, 1, 7));
    s.options.background_start_wave = Uniform(rng, 0, waves - 1);
  }
  switch (Uniform(rng, 0, 4)) {
    case 0:
      break;  // the default
    case 1:
      s.options.rollback_policy =
          NewRollBackAllPolicy(RollbackOrder::kReverseWaves);
      break;
    case 2:
      s.options.rollback_policy =
          *NewRetryThenPolicy(1, absl::Minutes(2), NewRollBackAllPolicy());
      break;
    case 3:
      s.options.rollback_policy = NewRollBackCurrentWavePolicy();
      break;
    case 4:
      s.options.rollback_policy = NewPauseAndEscalatePolicy();
      break;
  }
  s.deploy_failure_percent = Uniform(rng, 0, 2) * 10;
  s.rollback_failure_percent = Uniform(rng, 0, 1) * 20;
  s.lost_outcome_percent = Uniform(rng, 0, 1) * 10;
  return s;
}

// The snapshot with RolloutState.dirty set (and its checksum recomputed):
// the restored engine's next Advance() runs the state machine whatever its
// wake-up says.
std::string MarkedDirty(const std::string& snapshot) {
  absl::StatusOr<v1::RolloutState> state = ParseRolloutState(snapshot);
  EXPECT_TRUE(state.ok()) << state.status();
  if (!state.ok()) return snapshot;
  state->clear_checksum();
  state->set_dirty(true);
  std::string body;
  state->SerializeToString(&body);
  uint64_t h = 1469598103934665603ull;  // FNV-1a 64 (RolloutState.checksum)
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ull;
  }
  body.push_back(static_cast<char>((((99 << 3) | 1) & 0x7f) | 0x80));
  body.push_back(static_cast<char>(((99 << 3) | 1) >> 7));
  for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>(h >> (8 * i)));
  return body;
}

int64_t Evaluations(const Setup& s) {
  return s.gate->evaluations() +
         (s.background != nullptr ? s.background->evaluations() : 0);
}

// Checks the three views of the phase of `r`, which Advance(now) just left.
void CheckPhaseViews(const Setup& s, const Rollout& r, absl::Time now) {
  const absl::Time wake = r.NextWakeup();
  const std::vector<Blocker> blockers = r.Blockers(now);
  SCOPED_TRACE(absl::StrCat(
      "status ", RolloutStatusName(r.status()), ", wave ", r.current_wave(),
      " ", WavePhaseName(r.wave_phase()), ", now ", absl::FormatTime(now),
      ", wake ", absl::FormatTime(wake)));
  if (IsTerminal(r.status())) {
    EXPECT_EQ(wake, absl::InfiniteFuture());
    EXPECT_THAT(blockers, ::testing::IsEmpty());
    return;
  }
  // Advance() just ran: whatever was due has been done.
  EXPECT_GT(wake, now);
  if (r.status() == RolloutStatus::kPaused) {
    EXPECT_EQ(wake, absl::InfiniteFuture());
    ASSERT_FALSE(blockers.empty());
    EXPECT_EQ(blockers[0].kind, Blocker::Kind::kPaused);
  } else {
    // Waiting: something says what for.
    EXPECT_FALSE(blockers.empty());
  }
  for (const Blocker& b : blockers) {
    if (!b.until.has_value() || *b.until == absl::InfiniteFuture()) continue;
    // The rollout wakes by the time the blocker lifts (unless paused: a
    // person must act first), and then it is gone.
    if (r.status() != RolloutStatus::kPaused) {
      EXPECT_LE(wake, *b.until) << b;
    }
    EXPECT_THAT(r.Blockers(*b.until), ::testing::Not(::testing::Contains(b)))
        << b;
  }
  // Probe copies: nothing happens before the wake-up even when the engine
  // is made to look (a copy marked dirty skips Advance()'s shortcut), and
  // something happens at it.
  RolloutOptions options = s.options;
  options.event_sink = nullptr;
  const std::string snapshot = r.Snapshot();
  const std::string dirty = MarkedDirty(snapshot);
  auto probe = [&](const std::string& bytes, absl::Time t) -> bool {
    absl::StatusOr<std::unique_ptr<Rollout>> copy =
        Rollout::Restore(s.fleet, options, bytes);
    EXPECT_TRUE(copy.ok()) << copy.status();
    if (!copy.ok()) return false;
    const int64_t events = (*copy)->event_sequence();
    const int64_t evaluations = Evaluations(s);
    absl::StatusOr<std::vector<Action>> actions = (*copy)->Advance(t);
    EXPECT_TRUE(actions.ok()) << actions.status();
    if (!actions.ok()) return false;
    bool acted =
        (*copy)->event_sequence() != events || Evaluations(s) != evaluations;
    for (const Action& a : *actions) {
      if (a.kind != ActionKind::kWait) acted = true;
    }
    return acted;
  };
  EXPECT_FALSE(probe(dirty, now)) << "acted at now, before the wake-up";
  if (wake != absl::InfiniteFuture()) {
    if (wake - absl::Seconds(1) > now) {
      EXPECT_FALSE(probe(dirty, wake - absl::Seconds(1)))
          << "acted a second before the wake-up";
    }
    EXPECT_TRUE(probe(snapshot, wake)) << "did nothing at the wake-up";
  } else {
    EXPECT_FALSE(probe(dirty, now + absl::Hours(24 * 365)))
        << "acted though it never wakes";
  }
}

// Runs one random rollout as a host would, checking the views after every
// Advance(). Returns the final status.
RolloutStatus RunAndCheck(uint64_t seed) {
  std::mt19937_64 rng(seed);
  Setup s = RandomSetup(rng);
  absl::StatusOr<std::unique_ptr<Rollout>> created =
      Rollout::Create(s.fleet, s.plan, s.options);
  EXPECT_TRUE(created.ok()) << created.status();
  if (!created.ok()) return RolloutStatus::kFailed;
  Rollout& r = **created;
  absl::Time now = kT0;
  absl::Time resume_at = absl::InfiniteFuture();
  for (int step = 0; step < 300 && !IsTerminal(r.status()); ++step) {
    absl::StatusOr<std::vector<Action>> actions = r.Advance(now);
    EXPECT_TRUE(actions.ok()) << actions.status();
    if (!actions.ok()) return RolloutStatus::kFailed;
    CheckPhaseViews(s, r, now);
    if (::testing::Test::HasFatalFailure()) return RolloutStatus::kFailed;

    bool busy = false;
    for (const Action& a : *actions) {
      if (!a.NeedsOutcome()) continue;
      if (a.kind == ActionKind::kDeploy &&
          Uniform(rng, 0, 99) < s.lost_outcome_percent) {
        continue;  // the deployer lost it: the progress deadline decides
      }
      const int percent = a.kind == ActionKind::kRollBack
                              ? s.rollback_failure_percent
                              : s.deploy_failure_percent;
      std::vector<TargetResult> results;
      for (Fleet::TargetIndex t : a.targets) {
        results.push_back(Uniform(rng, 0, 99) < percent
                              ? TargetResult::Failed(t, "boom")
                              : TargetResult::Ok(t));
      }
      if (results.empty()) {  // a traffic action: one outcome
        results.push_back(Uniform(rng, 0, 99) < percent
                              ? TargetResult::Failed(0, "boom")
                              : TargetResult::Ok(0));
      }
      const absl::Time at = now + absl::Seconds(Uniform(rng, 0, 90));
      EXPECT_TRUE(r.ReportOutcome(a.id, results, at).ok());
      now = at;
      busy = true;
    }
    // Operator commands, now and then.
    const int roll = Uniform(rng, 0, 99);
    if (r.status() == RolloutStatus::kPaused && now >= resume_at) {
      absl::Status st = r.Resume("op", now);
      if (!st.ok()) st = r.Retry("op", now);
      if (!st.ok()) st = r.Abort("op", now);
      EXPECT_TRUE(st.ok()) << st;
      resume_at = absl::InfiniteFuture();
      busy = true;
    } else if (r.status() == RolloutStatus::kPaused) {
      if (resume_at == absl::InfiniteFuture()) {
        resume_at = now + absl::Minutes(Uniform(rng, 1, 30));
      }
    } else if (roll < 3 && r.status() == RolloutStatus::kRunning) {
      EXPECT_TRUE(r.Pause("op", now).ok());
      busy = true;
    } else if (roll < 25 && r.wave_phase() == WavePhase::kAwaitingApproval) {
      busy = r.Approve("op", now).ok();
    } else if (roll == 30 && r.status() == RolloutStatus::kRunning) {
      busy = r.Promote("op", now).ok();
    } else if (roll == 31) {
      busy = r.Abort("op", now).ok();
    }
    if (busy) continue;
    // Idle: sleep until the rollout's wake-up (or the operator's return).
    absl::Time next = std::min(r.NextWakeup(), resume_at);
    if (next == absl::InfiniteFuture()) next = now + absl::Hours(1);
    now =
        std::max(now + absl::Seconds(1), std::min(next, now + absl::Hours(2)));
  }
  return r.status();
}

constexpr int kSeeds = 300;

TEST(RolloutPhasesTest, WakeupProgressAndBlockersAgreeOnRandomRollouts) {
  int terminal = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    const RolloutStatus end = RunAndCheck(seed);
    if (::testing::Test::HasFatalFailure()) return;
    if (IsTerminal(end)) ++terminal;
  }
  // The runs reach their ends (not stuck short of the step limit).
  EXPECT_GT(terminal, kSeeds / 2);
}

}  // namespace
}  // namespace sluice::rollout_test

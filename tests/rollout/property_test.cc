// Copyright 2026 The Sluice Authors.
//
// Property tests of the rollout engine over random plans, gate outcomes,
// per-target failures and rollback policies (fixed seeds):
//   - no wave starts before the previous wave's gates passed;
//   - after a rollback completes, every target it touched runs the old
//     version;
//   - no target gets an action after the rollout ends;
//   - the same inputs give the same actions and events (and so does a run
//     restored from a snapshot after every step).

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/testing/status_matchers.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice::rollout_test {
namespace {

// Uniform integer in [lo, hi], by rejection-free modulo (bias is irrelevant
// here; what matters is that it is the same on every platform).
int Uniform(std::mt19937_64& rng, int lo, int hi) {
  return lo + static_cast<int>(rng() % static_cast<uint64_t>(hi - lo + 1));
}

Scenario RandomScenario(uint64_t seed) {
  std::mt19937_64 rng(seed);
  Scenario s;
  s.name = absl::StrCat("random-", seed);
  s.fleet_size = Uniform(rng, 3, 16);
  std::vector<int> sizes;
  int left = s.fleet_size;
  const int waves = Uniform(rng, 1, std::min(4, s.fleet_size));
  for (int w = 0; w < waves; ++w) {
    const int remaining_waves = waves - w;
    const int size =
        w + 1 == waves ? left : Uniform(rng, 1, left - (remaining_waves - 1));
    sizes.push_back(size);
    left -= size;
  }
  s.plan =
      MakePlan(sizes, absl::Minutes(Uniform(rng, 0, 20)), Uniform(rng, 0, 2));
  s.gate->delay = absl::Minutes(Uniform(rng, 0, 6));
  for (int w = 0; w < waves; ++w) {
    const int roll = Uniform(rng, 0, 9);
    if (roll == 0) s.gate->outcomes[w] = Outcome::kFail;
    if (roll == 1) s.gate->outcomes[w] = Outcome::kInconclusive;
    if (roll == 2) s.gate->outcomes[w] = Outcome::kError;
  }
  std::map<Fleet::TargetIndex, int> deploy_fail, rollback_fail;
  for (int t = 0; t < s.fleet_size; ++t) {
    if (Uniform(rng, 0, 9) == 0) deploy_fail[t] = Uniform(rng, 1, 2);
    if (Uniform(rng, 0, 9) == 0) rollback_fail[t] = 1;
  }
  s.setup = [deploy_fail, rollback_fail](testing::FakeTransport& t) {
    for (const auto& [target, times] : deploy_fail) {
      t.FailDeploy(target, "boom", times);
    }
    for (const auto& [target, times] : rollback_fail) {
      t.FailRollback(target, "flaky", times);
    }
  };
  switch (Uniform(rng, 0, 4)) {
    case 0:
      break;  // the default
    case 1:
      s.policy = NewRollBackAllPolicy(RollbackOrder::kReverseWaves);
      break;
    case 2:
      s.policy =
          *NewRetryThenPolicy(1, absl::Minutes(1), NewRollBackAllPolicy());
      break;
    case 3:
      s.policy = NewRollBackCurrentWavePolicy();
      break;
    case 4:
      s.policy = NewPauseAndEscalatePolicy();
      break;
  }
  if (Uniform(rng, 0, 3) == 0) s.approval_waves = {waves - 1};
  return s;
}

constexpr int kSeeds = 400;

TEST(RolloutPropertyTest, InvariantsHoldOnRandomRollouts) {
  int rolled_back = 0, succeeded = 0, paused = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    const Scenario s = RandomScenario(seed);
    const RunResult r = RunScenario(s, false);
    SLUICE_ASSERT_OK(r.status);

    // No wave starts before the previous wave's gates passed.
    std::set<int> passed;
    for (const RolloutEvent& e : r.events) {
      if (e.kind == EventKind::kWavePassed) passed.insert(e.wave);
      if (e.kind == EventKind::kWaveStarted && e.wave > 0) {
        EXPECT_TRUE(passed.count(e.wave - 1))
            << "wave " << e.wave << " started before wave " << e.wave - 1
            << " passed";
      }
    }

    // Deploys only go to waves that started, in wave order.
    int last_wave = -1;
    std::set<Fleet::TargetIndex> touched;
    for (const Action& a : r.actions) {
      if (a.kind == ActionKind::kDeploy) {
        EXPECT_GE(a.wave, last_wave);
        last_wave = a.wave;
        touched.insert(a.targets.begin(), a.targets.end());
      }
    }

    // After a completed rollback every touched target runs the old version.
    const bool rollback_completed =
        CountKind(r.events, EventKind::kRollbackCompleted) > 0;
    if (r.final_status == RolloutStatus::kRolledBack ||
        r.final_status == RolloutStatus::kAborted) {
      for (Fleet::TargetIndex t : touched) {
        EXPECT_EQ(r.versions[t], "1.0") << "target " << t;
      }
      ++rolled_back;
    }
    if (r.final_status == RolloutStatus::kPaused && rollback_completed) {
      // Rolled back the current wave only: its targets run the old version.
      int wave = -1;
      for (const RolloutEvent& e : r.events) {
        if (e.kind == EventKind::kWaveFailed) wave = e.wave;
      }
      ASSERT_GE(wave, 0);
      for (Fleet::TargetIndex t : s.plan.waves[wave].targets) {
        EXPECT_EQ(r.versions[t], "1.0") << "target " << t;
      }
    }
    if (r.final_status == RolloutStatus::kPaused) ++paused;
    if (r.final_status == RolloutStatus::kSucceeded) {
      ++succeeded;
      // Every target whose deploy succeeded runs the new version.
      EXPECT_EQ(CountKind(r.events, EventKind::kWavePassed),
                static_cast<int>(s.plan.waves.size()));
    }

    // Nothing after the end.
    bool ended = false;
    for (const RolloutEvent& e : r.events) {
      if (ended) ADD_FAILURE() << "event after the end: " << e;
      if (e.kind == EventKind::kRolloutFinished) ended = true;
    }

    // Same inputs, same outputs; and through snapshots.
    const RunResult again = RunScenario(s, false);
    EXPECT_EQ(again.actions, r.actions);
    EXPECT_EQ(again.events, r.events);
    if (seed % 5 == 0) {
      const RunResult crashed = RunScenario(s, true);
      SLUICE_ASSERT_OK(crashed.status);
      EXPECT_EQ(crashed.actions, r.actions);
      EXPECT_EQ(crashed.events, r.events);
    }
  }
  // The generator reaches every kind of ending.
  EXPECT_GT(rolled_back, 0);
  EXPECT_GT(succeeded, 0);
  EXPECT_GT(paused, 0);
}

TEST(RolloutPropertyTest, NoActionsAfterTheEnd) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    Scenario s = RandomScenario(seed);
    const Fleet fleet = MakeFleet(s.fleet_size);
    testing::FakeTransport transport(fleet.size(), "1.0");
    if (s.setup) s.setup(transport);
    testing::FakeClock clock(kT0);
    SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> r,
                                Rollout::Create(fleet, s.plan, OptionsFor(s)));
    testing::RolloutDriver driver(*r, transport, clock);
    SLUICE_ASSERT_OK(driver.RunUntilSettled());
    if (!IsTerminal(r->status())) {
      SLUICE_ASSERT_OK(r->Abort("property", clock.Now()));
      SLUICE_ASSERT_OK(driver.RunUntilSettled());
    }
    ASSERT_TRUE(IsTerminal(r->status()));
    for (int i = 1; i <= 5; ++i) {
      SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> a,
                                  r->Advance(clock.Now() + absl::Hours(i)));
      EXPECT_THAT(a, ::testing::IsEmpty());
    }
    EXPECT_THAT(r->PendingActions(), ::testing::IsEmpty());
    EXPECT_THAT(r->Blockers(clock.Now()), ::testing::IsEmpty());
  }
}

}  // namespace
}  // namespace sluice::rollout_test

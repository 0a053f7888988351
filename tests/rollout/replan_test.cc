// Copyright 2026 The Sluice Authors.
//
// Rollout::Replan(): a running rollout continues on a changed fleet. Targets
// leave a started wave (which may end up empty) and a future wave, new ones
// join; the rollout continues, completes, and its snapshot round-trips
// through a checked Restore().

#include "sluice/replan.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/rollout.h"
#include "sluice/testing/rollout_testing.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/wave_scheduler.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice::rollout_test {
namespace {

using ::sluice::testing::RecordingEventSink;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

Fleet FleetOf(const std::vector<std::string>& ids) {
  std::vector<Target> targets(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    targets[i].id = ids[i];
    targets[i].topology = {"us-east-1", "use1-az1", ""};
  }
  return *Fleet::Create(std::move(targets));
}

// Advances at `now` and reports every action that needs an outcome as
// succeeded; the deploys' target ids go to `deployed`.
void Step(Rollout& r, const Fleet& fleet, absl::Time now,
          std::vector<std::string>* deployed) {
  absl::StatusOr<std::vector<Action>> actions = r.Advance(now);
  ASSERT_TRUE(actions.ok()) << actions.status();
  for (const Action& a : *actions) {
    if (!a.NeedsOutcome()) continue;
    if (a.kind == ActionKind::kDeploy && deployed != nullptr) {
      for (Fleet::TargetIndex t : a.targets) {
        deployed->push_back(fleet.target(t).id);
      }
    }
    ASSERT_TRUE(r.ReportActionOutcome(a.id, true, "", now).ok());
  }
}

class ReplanRolloutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.name = "replan";
    options_.version = "2.0";
    options_.previous_version = "1.0";
    options_.event_sink = &sink_;
    // web-0 | web-1 web-2 web-3 | web-4 .. web-8
    rollout_ = *Rollout::Create(old_fleet_, MakePlan({1, 3, 5}), options_);
    // Wave 0 done; wave 1 deployed and baking.
    absl::Time now = kT0;
    for (int i = 0; i < 200 && rollout_->current_wave() < 1; ++i) {
      Step(*rollout_, old_fleet_, now, &deployed_);
      now += absl::Minutes(1);
    }
    Step(*rollout_, old_fleet_, now, &deployed_);
    now_ = now;
    ASSERT_EQ(rollout_->current_wave(), 1);
    ASSERT_THAT(deployed_,
                UnorderedElementsAre("web-0", "web-1", "web-2", "web-3"));
  }

  // web-0 (started wave 0, which becomes empty) and web-2 (started wave 1)
  // and web-6 (wave 2, not started) leave; web-9 and web-10 join; the ids
  // come in another order, so every index changes.
  Fleet new_fleet_ = FleetOf({"web-10", "web-1", "web-3", "web-4", "web-5",
                              "web-7", "web-8", "web-9"});

  WavePlan NewPlan() const {
    WavePlan plan = MakePlan({1, 3, 5});
    plan.waves[0].targets = {};
    plan.waves[1].targets = {*new_fleet_.IndexOf("web-1"),
                             *new_fleet_.IndexOf("web-3")};
    plan.waves[2].targets.clear();
    for (const char* id :
         {"web-4", "web-5", "web-7", "web-8", "web-9", "web-10"}) {
      plan.waves[2].targets.push_back(*new_fleet_.IndexOf(id));
    }
    FillCumulativeFractions(new_fleet_, plan);
    return plan;
  }

  Fleet old_fleet_ = MakeFleet(9);
  RecordingEventSink sink_;
  RolloutOptions options_;
  std::unique_ptr<Rollout> rollout_;
  std::vector<std::string> deployed_;
  absl::Time now_;
};

TEST_F(ReplanRolloutTest, ContinuesOnTheNewFleetAndCompletes) {
  const std::string before = rollout_->Snapshot();
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> replanned,
                              Rollout::Replan(*rollout_, old_fleet_, new_fleet_,
                                              NewPlan(), options_, "ops"));
  EXPECT_EQ(rollout_->Snapshot(), before);  // the old one is untouched
  EXPECT_EQ(replanned->current_wave(), 1);
  EXPECT_EQ(replanned->status(), RolloutStatus::kRunning);
  // Recorded as an operator-command event.
  const std::vector<RolloutEvent>& events = sink_.events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, EventKind::kOperatorCommand);
  EXPECT_EQ(events.back().command, "config-change");
  EXPECT_EQ(events.back().who, "ops");
  EXPECT_THAT(events.back().message,
              HasSubstr("replanned for a changed fleet: 9 -> 8 targets (2 "
                        "added, 3 removed)"));

  // The snapshot round-trips through a checked restore with the same
  // options (the new plan is the recorded configuration).
  const std::string bytes = replanned->Snapshot();
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> restored,
      Rollout::Restore(new_fleet_, options_, bytes, RestoreOptions()));
  EXPECT_EQ(restored->Snapshot(), bytes);

  // The restored rollout finishes wave 1 and deploys wave 2 on the new
  // fleet: the new targets, not the one that left.
  std::vector<std::string> deployed;
  absl::Time now = now_;
  for (int i = 0; i < 300 && !IsTerminal(restored->status()); ++i) {
    now += absl::Minutes(1);
    Step(*restored, new_fleet_, now, &deployed);
  }
  EXPECT_EQ(restored->status(), RolloutStatus::kSucceeded);
  EXPECT_THAT(deployed, UnorderedElementsAre("web-4", "web-5", "web-7", "web-8",
                                             "web-9", "web-10"));
  // And its final snapshot restores too.
  SLUICE_ASSERT_OK(Rollout::Restore(new_fleet_, options_, restored->Snapshot(),
                                    RestoreOptions())
                       .status());
}

TEST_F(ReplanRolloutTest, TheSchedulerOverloadReplansWithReplan) {
  BatchOptions batches;
  batches.size = CountOrPercent::Count(3);
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> scheduler,
                              NewBatchScheduler(batches));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> replanned,
      Rollout::Replan(*rollout_, *scheduler, old_fleet_, new_fleet_, options_));
  std::vector<std::string> deployed;
  absl::Time now = now_;
  for (int i = 0; i < 300 && !IsTerminal(replanned->status()); ++i) {
    now += absl::Minutes(1);
    Step(*replanned, new_fleet_, now, &deployed);
  }
  EXPECT_EQ(replanned->status(), RolloutStatus::kSucceeded);
  EXPECT_THAT(deployed, UnorderedElementsAre("web-4", "web-5", "web-7", "web-8",
                                             "web-9", "web-10"));
}

TEST_F(ReplanRolloutTest, BadReplansAreRefusedAndNameTheArgument) {
  WavePlan changed = NewPlan();
  changed.waves[1].targets.push_back(*new_fleet_.IndexOf("web-9"));
  changed.waves[2].targets.erase(std::find(changed.waves[2].targets.begin(),
                                           changed.waves[2].targets.end(),
                                           *new_fleet_.IndexOf("web-9")));
  EXPECT_THAT(
      Rollout::Replan(*rollout_, old_fleet_, new_fleet_, changed, options_)
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("new_plan.waves[1]: must keep started wave "
                         "1 (\"wave 1\")")));
  EXPECT_THAT(
      Rollout::Replan(*rollout_, new_fleet_, new_fleet_, NewPlan(), options_)
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("old_fleet: is not the rollout's fleet")));
  RolloutOptions gated = options_;
  gated.gate = std::make_shared<ScriptedGate>();
  EXPECT_THAT(
      Rollout::Replan(*rollout_, old_fleet_, new_fleet_, NewPlan(), gated)
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("options: made under another configuration")));
  // An empty wave the rollout has not started is still refused.
  WavePlan empty_future = NewPlan();
  empty_future.waves.push_back(empty_future.waves.back());
  empty_future.waves.back().targets.clear();
  EXPECT_THAT(
      Rollout::Replan(*rollout_, old_fleet_, new_fleet_, empty_future, options_)
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("plan.waves[3].targets: must not be empty")));
}

TEST(ReplanRolloutPreconditionTest, ATargetAwaitingAnOutcomeMustBeReported) {
  const Fleet fleet = MakeFleet(4);
  RolloutOptions options;
  options.version = "2";
  options.previous_version = "1";
  std::unique_ptr<Rollout> rollout =
      *Rollout::Create(fleet, MakePlan({1, 3}), options);
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> actions,
                              rollout->Advance(kT0));
  // Deploying web-0, awaiting its outcome.
  const Action* deploy = nullptr;
  for (const Action& a : actions) {
    if (a.kind == ActionKind::kDeploy) deploy = &a;
  }
  ASSERT_NE(deploy, nullptr);
  const Fleet smaller = FleetOf({"web-1", "web-2", "web-3"});
  WavePlan plan = MakePlan({1, 3});
  plan.waves[0].targets.clear();
  plan.waves[1].targets = {0, 1, 2};
  FillCumulativeFractions(smaller, plan);
  EXPECT_THAT(
      Rollout::Replan(*rollout, fleet, smaller, plan, options).status(),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("target web-0 left the fleet but awaits the outcome "
                         "of action")));
  // Reported: the replan goes through, wave 0 now empty.
  SLUICE_ASSERT_OK(rollout->ReportActionOutcome(deploy->id, true, "", kT0));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> replanned,
      Rollout::Replan(*rollout, fleet, smaller, plan, options));
  absl::Time now = kT0;
  for (int i = 0; i < 300 && !IsTerminal(replanned->status()); ++i) {
    now += absl::Minutes(1);
    Step(*replanned, smaller, now, nullptr);
  }
  EXPECT_EQ(replanned->status(), RolloutStatus::kSucceeded);
}

}  // namespace
}  // namespace sluice::rollout_test

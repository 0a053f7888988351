// Copyright 2026 The Sluice Authors.
//
// The rollout engine end to end against the fakes: scripted rollouts, the
// lifecycle, commands, outcomes and blockers.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/testing/rollout_testing.h"
#include "sluice/testing/status_matchers.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice::rollout_test {
namespace {

using ::sluice::testing::FakeTransport;
using ::sluice::testing::RecordingEventSink;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

Scenario Named(const std::string& name) {
  for (Scenario& s : ScriptedScenarios()) {
    if (s.name == name) return s;
  }
  ADD_FAILURE() << "no scenario " << name;
  return Scenario();
}

TEST(RolloutScenarioTest, GoodRelease) {
  RunResult r = RunScenario(Named("good-release"), false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kSucceeded);
  EXPECT_THAT(r.versions, ::testing::Each(std::string("2.0")));
  EXPECT_THAT(ActionIds(r.actions, ActionKind::kDeploy),
              ElementsAre("w0-deploy-1", HasSubstr("w1-deploy-"),
                          HasSubstr("w2-deploy-")));
  EXPECT_EQ(CountKind(r.events, EventKind::kWavePassed), 3);
  EXPECT_EQ(CountKind(r.events, EventKind::kGateVerdict), 3);
  EXPECT_EQ(r.events.front().kind, EventKind::kRolloutStarted);
  EXPECT_EQ(r.events.back().kind, EventKind::kRolloutFinished);
  EXPECT_EQ(r.events.back().status, "succeeded");
  for (size_t i = 0; i < r.events.size(); ++i) {
    EXPECT_EQ(r.events[i].sequence, static_cast<int64_t>(i) + 1);
  }
  // Each gate verdict carries its numbers.
  for (const RolloutEvent& e : r.events) {
    if (e.kind != EventKind::kGateVerdict) continue;
    ASSERT_TRUE(e.verdict.has_value());
    ASSERT_NE(e.verdict->FindObservation("error_rate"), nullptr);
  }
}

TEST(RolloutScenarioTest, BadReleaseCaughtAtWave2RollsEverythingBack) {
  RunResult r = RunScenario(Named("bad-release-at-wave-2"), false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kRolledBack);
  EXPECT_THAT(r.versions, ::testing::Each(std::string("1.0")));
  // The default rolls back everything at once and escalates.
  const std::vector<std::string> rollbacks =
      ActionIds(r.actions, ActionKind::kRollBack);
  ASSERT_THAT(rollbacks, SizeIs(1));
  for (const Action& a : r.actions) {
    if (a.kind == ActionKind::kRollBack) {
      EXPECT_THAT(a.targets, SizeIs(9));
      EXPECT_EQ(a.version, "1.0");
    }
  }
  EXPECT_EQ(CountKind(r.events, EventKind::kEscalated), 1);
  std::vector<RolloutEvent> failed;
  for (const RolloutEvent& e : r.events) {
    if (e.kind == EventKind::kWaveFailed) failed.push_back(e);
  }
  ASSERT_THAT(failed, SizeIs(1));
  EXPECT_EQ(failed[0].wave, 2);
  EXPECT_EQ(failed[0].trigger, FailureTrigger::kGateFail);
  EXPECT_THAT(failed[0].message, HasSubstr("error_rate 7.5%"));
}

TEST(RolloutScenarioTest, PerTargetFailuresCountAgainstTheWaveBudget) {
  RunResult r = RunScenario(Named("per-target-failures"), false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kRolledBack);
  bool wave1_passed = false;
  for (const RolloutEvent& e : r.events) {
    if (e.kind == EventKind::kWavePassed && e.wave == 1) wave1_passed = true;
    if (e.kind == EventKind::kWaveFailed) {
      EXPECT_EQ(e.wave, 2);
      EXPECT_EQ(e.trigger, FailureTrigger::kDeployFailures);
      EXPECT_EQ(e.failed_targets, 2);
      EXPECT_THAT(e.message, HasSubstr("2 of 5 targets failed to deploy "
                                       "(at most 1 allowed"));
    }
  }
  EXPECT_TRUE(wave1_passed) << "one failure is within wave 1's budget";
  EXPECT_THAT(r.versions, ::testing::Each(std::string("1.0")));
}

TEST(RolloutScenarioTest,
     TransientDeployFailuresAreRetriedAndTheRolloutSucceeds) {
  RunResult r = RunScenario(Named("transient-deploy-failures"), false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kSucceeded);
  std::vector<std::vector<Fleet::TargetIndex>> retried;
  for (const Action& a : r.actions) {
    if (a.kind == ActionKind::kDeploy && a.targets.size() == 1 && a.wave > 0) {
      retried.push_back(a.targets);
    }
  }
  // Only the failed target is deployed again, once per failure.
  EXPECT_THAT(retried, ::testing::ElementsAre(::testing::ElementsAre(2),
                                              ::testing::ElementsAre(5),
                                              ::testing::ElementsAre(5)));
  int retry_events = 0;
  for (const RolloutEvent& e : r.events) {
    if (e.kind == EventKind::kDeployRetried) {
      ++retry_events;
      EXPECT_EQ(e.failed_targets, 1);
    }
    EXPECT_NE(e.kind, EventKind::kWaveFailed) << e;
  }
  EXPECT_EQ(retry_events, 3);
  EXPECT_THAT(r.versions, ::testing::Each(std::string("2.0")));
}

TEST(RolloutScenarioTest, PauseResumePromote) {
  RunResult r = RunScenario(Named("pause-resume-promote"), false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kSucceeded);
  std::vector<std::string> commands;
  for (const RolloutEvent& e : r.events) {
    if (e.kind == EventKind::kOperatorCommand) {
      commands.push_back(e.command + " " + e.who);
    }
  }
  EXPECT_THAT(commands,
              ElementsAre("pause alice@example.com", "resume alice@example.com",
                          "promote bob@example.com"));
  // Nothing but waits happened while paused (minutes 2 to 40).
  for (const RolloutEvent& e : r.events) {
    if (e.time > kT0 + absl::Minutes(2) && e.time < kT0 + absl::Minutes(40)) {
      ADD_FAILURE() << "event while paused: " << e;
    }
  }
  // After the promotion no gate ran.
  for (const RolloutEvent& e : r.events) {
    if (e.kind == EventKind::kGateVerdict && e.time > kT0 + absl::Minutes(45)) {
      EXPECT_EQ(e.verdict->gate, "promote");
    }
  }
}

TEST(RolloutScenarioTest, ApprovalThatTimesOutFailsTheWave) {
  RunResult r = RunScenario(Named("approval-times-out"), false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kRolledBack);
  ASSERT_THAT(ActionIds(r.actions, ActionKind::kRequestApproval), SizeIs(1));
  bool saw = false;
  for (const RolloutEvent& e : r.events) {
    if (e.kind == EventKind::kWaveFailed) {
      saw = true;
      EXPECT_EQ(e.wave, 1);
      EXPECT_EQ(e.trigger, FailureTrigger::kProgressDeadline);
      EXPECT_THAT(e.message, HasSubstr("not given within 24h"));
    }
  }
  EXPECT_TRUE(saw);
  EXPECT_THAT(r.versions, ::testing::Each(std::string("1.0")));
}

TEST(RolloutScenarioTest, RetryThenPass) {
  RunResult r = RunScenario(Named("retry-then-pass"), false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kSucceeded);
  EXPECT_GE(CountKind(r.events, EventKind::kPolicyDecision), 1);
  for (const RolloutEvent& e : r.events) {
    if (e.kind == EventKind::kPolicyDecision) {
      EXPECT_EQ(e.decision->kind, Decision::Kind::kRetryWave);
    }
  }
}

TEST(RolloutScenarioTest, FailedRollbackActionsAreRetried) {
  RunResult r = RunScenario(Named("rollback-retries"), false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kRolledBack);
  EXPECT_THAT(r.versions, ::testing::Each(std::string("1.0")));
  EXPECT_EQ(CountKind(r.events, EventKind::kRollbackFailed), 1);
  // Reverse wave order: wave 1 first; its failed target is retried before
  // wave 0 starts.
  std::vector<int> waves;
  for (const Action& a : r.actions) {
    if (a.kind == ActionKind::kRollBack) waves.push_back(a.wave);
  }
  EXPECT_THAT(waves, ElementsAre(1, -1, 0));
}

TEST(RolloutScenarioTest, InconclusivePausesThenPromote) {
  RunResult r = RunScenario(Named("inconclusive-then-promote"), false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kSucceeded);
  EXPECT_EQ(CountKind(r.events, EventKind::kEscalated), 1);
}

TEST(RolloutTest, InconclusivePauseIsABlockerWithTheReason) {
  Scenario s = Named("inconclusive-then-promote");
  s.commands.clear();
  const Fleet fleet = MakeFleet(s.fleet_size);
  RolloutOptions options = OptionsFor(s);
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> r,
                              Rollout::Create(fleet, s.plan, options));
  FakeTransport transport(fleet.size(), "1.0");
  testing::FakeClock clock(kT0);
  testing::RolloutDriver driver(*r, transport, clock);
  SLUICE_ASSERT_OK(driver.RunUntilSettled());
  ASSERT_EQ(r->status(), RolloutStatus::kPaused);
  const std::vector<Blocker> b = r->Blockers(clock.Now());
  ASSERT_THAT(b, SizeIs(1));
  EXPECT_EQ(b[0].kind, Blocker::Kind::kPaused);
  EXPECT_THAT(b[0].name, HasSubstr("paused after wave 1 gate-inconclusive"));
  EXPECT_THAT(b[0].reason, HasSubstr("error_rate"));
  // Resume verifies the wave again with fresh gate state.
  SLUICE_ASSERT_OK(r->Resume("kim", clock.Now()));
  SLUICE_ASSERT_OK(driver.RunUntilSettled());
  EXPECT_EQ(r->status(), RolloutStatus::kPaused);
  EXPECT_EQ(r->current_wave(), 1);
}

TEST(RolloutTest, RollbackThatKeepsFailingEscalatesAndFails) {
  Scenario s = Named("bad-release-at-wave-2");
  s.setup = [](FakeTransport& t) { t.FailRollback(4, "host unreachable"); };
  RunResult r = RunScenario(s, false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kFailed);
  EXPECT_EQ(CountKind(r.events, EventKind::kRollbackFailed), 3);
  EXPECT_EQ(CountKind(r.events, EventKind::kEscalated), 2);
  EXPECT_EQ(r.versions[4], "2.0");
  EXPECT_EQ(r.versions[3], "1.0");
}

TEST(RolloutTest, ProgressDeadlineFailsAWaveWhoseDeployNeverCompletes) {
  Scenario s = Named("good-release");
  s.report_deploys = false;
  RunResult r = RunScenario(s, false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kRolledBack);
  bool saw = false;
  for (const RolloutEvent& e : r.events) {
    if (e.kind == EventKind::kWaveFailed) {
      saw = true;
      EXPECT_EQ(e.trigger, FailureTrigger::kProgressDeadline);
      EXPECT_EQ(e.time, kT0 + absl::Minutes(10));
    }
  }
  EXPECT_TRUE(saw);
}

TEST(RolloutTest, RollBackCurrentWaveAndPauseThenRetry) {
  Scenario s = Named("good-release");
  s.gate->fail_until[1] = kT0 + absl::Minutes(30);
  s.policy = NewRollBackCurrentWavePolicy();
  s.commands.push_back({kT0 + absl::Hours(1), [](Rollout& r, absl::Time now) {
                          return r.Retry("dave@example.com", now);
                        }});
  RunResult r = RunScenario(s, false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kSucceeded);
  EXPECT_EQ(CountKind(r.events, EventKind::kRollbackCompleted), 1);
  EXPECT_THAT(r.versions, ::testing::Each(std::string("2.0")));
}

TEST(RolloutTest, AbortAfterAWaveWasRolledBackSaysWhatHappened) {
  Scenario s = Named("good-release");
  s.gate->fail_until[0] = kT0 + absl::Hours(2);
  s.policy = NewRollBackCurrentWavePolicy();
  s.commands.push_back({kT0 + absl::Hours(1), [](Rollout& r, absl::Time now) {
                          return r.Abort("erin@example.com", now);
                        }});
  RunResult r = RunScenario(s, false);
  SLUICE_ASSERT_OK(r.status);
  EXPECT_EQ(r.final_status, RolloutStatus::kAborted);
  ASSERT_EQ(r.events.back().kind, EventKind::kRolloutFinished);
  EXPECT_EQ(r.events.back().message,
            "aborted by erin@example.com; nothing left to roll back: every "
            "target it deployed runs 1.0 again");
}

TEST(RolloutTest, APageNamesTheVersionOnce) {
  Scenario s = Named("bad-release-at-wave-2");
  RunResult plain = RunScenario(s, false);
  s.name = "checkout 2.0";  // a name that carries the version
  RunResult named = RunScenario(s, false);
  for (const RunResult* r : {&plain, &named}) {
    SLUICE_ASSERT_OK(r->status);
    std::vector<std::string> pages;
    for (const RolloutEvent& e : r->events) {
      if (e.kind == EventKind::kEscalated) pages.push_back(e.message);
    }
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_THAT(pages[0], HasSubstr(" 2.0: wave 2 failed (gate-fail"));
    EXPECT_THAT(pages[0], ::testing::Not(HasSubstr("2.0 2.0")));
  }
}

// A rollout created by hand, for the commands and errors below.
class RolloutUnitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gate_ = std::make_shared<ScriptedGate>();
    options_.name = "unit";
    options_.version = "2.0";
    options_.previous_version = "1.0";
    options_.gate = gate_;
    options_.event_sink = &sink_;
  }
  std::unique_ptr<Rollout> Make(WavePlan plan) {
    absl::StatusOr<std::unique_ptr<Rollout>> r =
        Rollout::Create(fleet_, std::move(plan), options_);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : nullptr;
  }

  Fleet fleet_ = MakeFleet(9);
  std::shared_ptr<ScriptedGate> gate_;
  RecordingEventSink sink_;
  RolloutOptions options_;
};

TEST_F(RolloutUnitTest, CreateValidates) {
  RolloutOptions o = options_;
  o.version = "";
  EXPECT_THAT(Rollout::Create(fleet_, MakePlan({1, 2}), o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("options.version: must not be empty")));
  EXPECT_THAT(Rollout::Create(fleet_, WavePlan(), options_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("plan.waves: must not be empty")));
  WavePlan dup = MakePlan({2, 2});
  dup.waves[1].targets[0] = 0;
  EXPECT_THAT(Rollout::Create(fleet_, dup, options_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("plan.waves[1].targets[0]: target web-0 "
                                 "already in wave 0")));
  WavePlan out_of_range = MakePlan({2});
  out_of_range.waves[0].targets[1] = 40;
  EXPECT_THAT(Rollout::Create(fleet_, out_of_range, options_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("index 40 out of range (fleet has 9")));
  o = options_;
  o.approval_waves = {7};
  EXPECT_THAT(Rollout::Create(fleet_, MakePlan({1, 2}), o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("options.approval_waves[0]: must be in [0, "
                                 "2) (got 7)")));
  o = options_;
  o.rollback_attempts = 0;
  EXPECT_THAT(Rollout::Create(fleet_, MakePlan({1}), o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("options.rollback_attempts")));
}

TEST_F(RolloutUnitTest, InvalidCommandsAreFailedPreconditionAndChangeNothing) {
  std::unique_ptr<Rollout> r = Make(MakePlan({1, 3}));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, r->Advance(kT0));
  ASSERT_FALSE(actions.empty());
  const std::string before = r->Snapshot();
  const size_t events = sink_.events().size();
  EXPECT_THAT(r->Approve("eve", kT0),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("Approve: no approval is pending (state: "
                                 "running, wave 0 deploying)")));
  EXPECT_THAT(r->Reject("eve", kT0),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("Reject: no approval is pending")));
  EXPECT_THAT(r->Resume("eve", kT0),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("Resume: the rollout is not paused")));
  EXPECT_THAT(r->Retry("eve", kT0),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("Retry: no failed wave")));
  EXPECT_EQ(r->Snapshot(), before);
  EXPECT_EQ(sink_.events().size(), events);
}

TEST_F(RolloutUnitTest, BadOutcomesAreErrorsAndChangeNothing) {
  std::unique_ptr<Rollout> r = Make(MakePlan({2, 3}));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, r->Advance(kT0));
  ASSERT_EQ(actions[0].id, "w0-deploy-1");
  ASSERT_THAT(actions[0].targets, ElementsAre(0, 1));
  EXPECT_EQ(actions[0].TargetIds(fleet_),
            (std::vector<std::string>{"web-0", "web-1"}));
  const std::string before = r->Snapshot();
  EXPECT_THAT(r->ReportOutcome("w9-deploy-77", {TargetResult::Ok(0)}, kT0),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("unknown action id \"w9-deploy-77\"")));
  EXPECT_THAT(r->ReportOutcome("w0-deploy-1", {TargetResult::Ok(5)}, kT0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("target 5 is not part of action")));
  EXPECT_THAT(
      r->ReportOutcome("w0-deploy-1",
                       {TargetResult::Ok(0), TargetResult::Ok(0)}, kT0),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("appears twice")));
  EXPECT_THAT(r->ReportOutcome("w0-deploy-1", {TargetResult::Ok(0)},
                               kT0 - absl::Seconds(1)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is before the last call's")));
  EXPECT_EQ(r->Snapshot(), before);

  // Outcomes may come in pieces; a second one for a target is an error.
  SLUICE_ASSERT_OK(r->ReportOutcome("w0-deploy-1", {TargetResult::Ok(0)}, kT0));
  EXPECT_THAT(r->ReportOutcome("w0-deploy-1", {TargetResult::Ok(0)}, kT0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("web-0 already has an outcome")));
  SLUICE_ASSERT_OK(r->ReportActionOutcome("w0-deploy-1", true, "", kT0));
  EXPECT_THAT(r->ReportOutcome("w0-deploy-1", {TargetResult::Ok(1)}, kT0),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("already has all its outcomes")));
  EXPECT_TRUE(r->RunsNewVersion(0));
  EXPECT_TRUE(r->RunsNewVersion(1));
  EXPECT_FALSE(r->RunsNewVersion(2));
}

TEST_F(RolloutUnitTest, OutcomesAfterAnAbortAreRefused) {
  std::unique_ptr<Rollout> r = Make(MakePlan({2, 3}));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, r->Advance(kT0));
  SLUICE_ASSERT_OK(r->ReportOutcome(actions[0].id, {TargetResult::Ok(0)}, kT0));
  SLUICE_ASSERT_OK(r->Abort("frank@example.com", kT0 + absl::Minutes(1)));
  EXPECT_EQ(r->status(), RolloutStatus::kRollingBack);
  EXPECT_THAT(
      r->ReportOutcome(actions[0].id, {TargetResult::Ok(1)},
                       kT0 + absl::Minutes(1)),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cancelled")));
  EXPECT_THAT(r->Abort("frank@example.com", kT0 + absl::Minutes(1)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("Abort: only a pending, running or paused")));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> rollback,
                              r->Advance(kT0 + absl::Minutes(1)));
  ASSERT_THAT(rollback, SizeIs(1));
  EXPECT_EQ(rollback[0].kind, ActionKind::kRollBack);
  // Both targets of the cancelled deploy are rolled back: one may be
  // half-deployed.
  EXPECT_THAT(rollback[0].targets, ElementsAre(0, 1));
  EXPECT_THAT(r->PendingActions(), ElementsAre(rollback[0]));
  SLUICE_ASSERT_OK(
      r->ReportActionOutcome(rollback[0].id, true, "", kT0 + absl::Minutes(2)));
  SLUICE_ASSERT_OK_AND_ASSIGN(actions, r->Advance(kT0 + absl::Minutes(2)));
  EXPECT_EQ(r->status(), RolloutStatus::kAborted);
  EXPECT_THAT(r->Pause("x", kT0 + absl::Minutes(3)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("(state: aborted)")));
  // Nothing after the end.
  SLUICE_ASSERT_OK_AND_ASSIGN(actions, r->Advance(kT0 + absl::Hours(5)));
  EXPECT_THAT(actions, IsEmpty());
  const std::vector<RolloutEvent> aborts =
      sink_.OfKind(EventKind::kOperatorCommand);
  ASSERT_THAT(aborts, SizeIs(1));
  EXPECT_EQ(aborts[0].who, "frank@example.com");
}

TEST_F(RolloutUnitTest, AbortBeforeStartEndsAtOnce) {
  std::unique_ptr<Rollout> r = Make(MakePlan({2, 3}));
  SLUICE_ASSERT_OK(r->Abort("gina", kT0));
  EXPECT_EQ(r->status(), RolloutStatus::kAborted);
}

TEST_F(RolloutUnitTest, BlockersExplainWhyNothingHappens) {
  options_.approval_waves = {1};
  std::unique_ptr<Rollout> r = Make(MakePlan({1, 3}));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> a, r->Advance(kT0));
  // Deploying: the action is in flight.
  std::vector<Blocker> b = r->Blockers(kT0);
  ASSERT_THAT(b, SizeIs(1));
  EXPECT_EQ(b[0].kind, Blocker::Kind::kActionsInFlight);
  EXPECT_EQ(b[0].name, "w0-deploy-1");
  EXPECT_EQ(b[0].until, kT0 + absl::Minutes(10));
  SLUICE_ASSERT_OK(r->ReportActionOutcome("w0-deploy-1", true, "", kT0));
  SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(kT0));
  // Verifying: the gate holds for data.
  b = r->Blockers(kT0 + absl::Minutes(1));
  ASSERT_THAT(b, SizeIs(1));
  EXPECT_EQ(b[0].kind, Blocker::Kind::kGate);
  EXPECT_THAT(b[0].reason, HasSubstr("collecting data"));
  EXPECT_EQ(b[0].until, kT0 + absl::Minutes(5));
  // The idle Advance returns nothing; the next wake-up is the gate's.
  SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(kT0 + absl::Minutes(1)));
  EXPECT_THAT(a, IsEmpty());
  EXPECT_EQ(r->NextWakeup(), kT0 + absl::Minutes(5));
  SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(kT0 + absl::Minutes(5)));
  EXPECT_EQ(r->wave_phase(), WavePhase::kBaking);
  b = r->Blockers(kT0 + absl::Minutes(7));
  ASSERT_THAT(b, SizeIs(1));
  EXPECT_EQ(b[0].kind, Blocker::Kind::kBake);
  EXPECT_EQ(b[0].until, kT0 + absl::Minutes(10));
  EXPECT_THAT(DescribeBlocker(b[0], kT0 + absl::Minutes(7)),
              HasSubstr("(3m left)"));
  // Wave 1 waits for approval.
  SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(kT0 + absl::Minutes(10)));
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a[0].kind, ActionKind::kRequestApproval);
  b = r->Blockers(kT0 + absl::Minutes(48));
  ASSERT_THAT(b, SizeIs(1));
  EXPECT_EQ(b[0].kind, Blocker::Kind::kApproval);
  EXPECT_EQ(b[0].since, kT0 + absl::Minutes(10));
  EXPECT_THAT(DescribeBlocker(b[0], kT0 + absl::Minutes(48)),
              HasSubstr("(38m ago)"));
  SLUICE_ASSERT_OK(r->Pause("hank", kT0 + absl::Minutes(48)));
  b = r->Blockers(kT0 + absl::Minutes(49));
  ASSERT_THAT(b, SizeIs(2));
  EXPECT_EQ(b[0].kind, Blocker::Kind::kPaused);
  SLUICE_ASSERT_OK(r->Approve("ivy", kT0 + absl::Minutes(50)));
  SLUICE_ASSERT_OK(r->Resume("hank", kT0 + absl::Minutes(51)));
  SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(kT0 + absl::Minutes(51)));
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a[0].kind, ActionKind::kDeploy);
  EXPECT_THAT(a[0].targets, ElementsAre(1, 2, 3));
}

TEST_F(RolloutUnitTest, RejectFailsTheWave) {
  options_.approval_waves = {0};
  std::unique_ptr<Rollout> r = Make(MakePlan({1, 3}));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> a, r->Advance(kT0));
  SLUICE_ASSERT_OK(r->Reject("judy", kT0 + absl::Minutes(1)));
  SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(kT0 + absl::Minutes(1)));
  // Nothing was deployed: the rollout ends rolled back at once.
  EXPECT_EQ(r->status(), RolloutStatus::kRolledBack);
  const std::vector<RolloutEvent> failed = sink_.OfKind(EventKind::kWaveFailed);
  ASSERT_THAT(failed, SizeIs(1));
  EXPECT_EQ(failed[0].trigger, FailureTrigger::kRejected);
  EXPECT_THAT(failed[0].message, HasSubstr("rejected by judy"));
}

TEST_F(RolloutUnitTest, AdvanceRefusesTimeGoingBackwards) {
  std::unique_ptr<Rollout> r = Make(MakePlan({1}));
  SLUICE_ASSERT_OK(r->Advance(kT0 + absl::Minutes(1)).status());
  EXPECT_THAT(r->Advance(kT0), StatusIs(absl::StatusCode::kInvalidArgument,
                                        HasSubstr("Advance: now")));
}

TEST_F(RolloutUnitTest, SupersedeRestartsWithTheNewVersionKeepingTheStable) {
  std::unique_ptr<Rollout> r = Make(MakePlan({1, 3, 5}));
  FakeTransport transport(fleet_.size(), "1.0");
  testing::FakeClock clock(kT0);
  testing::RolloutDriver driver(*r, transport, clock);
  while (r->current_wave() < 1 && !IsTerminal(r->status())) {
    SLUICE_ASSERT_OK(driver.Step().status());
  }
  ASSERT_EQ(r->current_wave(), 1);
  SLUICE_ASSERT_OK(r->Supersede("3.0", "ci", clock.Now()));
  EXPECT_EQ(r->version(), "3.0");
  EXPECT_EQ(r->previous_version(), "1.0");
  EXPECT_THAT(r->Supersede("1.0", "ci", clock.Now()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  gate_->outcomes[2] = Outcome::kFail;
  SLUICE_ASSERT_OK(driver.RunUntilTerminal());
  EXPECT_EQ(r->status(), RolloutStatus::kRolledBack);
  // Wave 0 was redeployed with 3.0, and the rollback went to 1.0.
  bool redeployed = false;
  for (const Action& a : driver.actions()) {
    if (a.kind == ActionKind::kDeploy && a.wave == 0 && a.version == "3.0") {
      redeployed = true;
    }
    if (a.kind == ActionKind::kRollBack) {
      EXPECT_EQ(a.version, "1.0");
    }
  }
  EXPECT_TRUE(redeployed);
  for (size_t i = 0; i < fleet_.size(); ++i) {
    EXPECT_EQ(transport.VersionOf(static_cast<Fleet::TargetIndex>(i)), "1.0");
  }
}

TEST_F(RolloutUnitTest, TrafficRoutedPlanSetsTrafficAndRoutesBack) {
  WavePlan plan;
  for (double p : {5.0, 25.0, 100.0}) {
    Wave w;
    w.name = absl::StrCat(p, "%");
    w.stage = "step";
    w.traffic_percent = p;
    w.bake = absl::Minutes(5);
    plan.waves.push_back(w);
  }
  gate_->outcomes[1] = Outcome::kFail;
  std::unique_ptr<Rollout> r = Make(plan);
  FakeTransport transport(fleet_.size(), "1.0");
  testing::FakeClock clock(kT0);
  testing::RolloutDriver driver(*r, transport, clock);
  SLUICE_ASSERT_OK(driver.RunUntilTerminal());
  EXPECT_EQ(r->status(), RolloutStatus::kRolledBack);
  std::vector<std::string> kinds;
  for (const Action& a : driver.actions()) {
    if (a.NeedsOutcome()) {
      kinds.push_back(absl::StrCat(ActionKindName(a.kind), " ",
                                   a.traffic_percent.value_or(-1)));
    }
  }
  EXPECT_THAT(kinds,
              ElementsAre("set-traffic 5", "set-traffic 25", "roll-back 0"));
  EXPECT_EQ(transport.traffic_percent(), 0);
}

TEST_F(RolloutUnitTest,
       DeployRetriesBackOffAndTheBudgetCountsExhaustedTargets) {
  std::unique_ptr<Rollout> r = Make(MakePlan({3}, absl::Minutes(10), 0));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> a, r->Advance(kT0));
  ASSERT_EQ(a[0].kind, ActionKind::kDeploy);
  const std::string first = a[0].id;
  SLUICE_ASSERT_OK(
      r->ReportOutcome(first,
                       {TargetResult::Ok(0), TargetResult::Failed(1, "timeout"),
                        TargetResult::Ok(2)},
                       kT0 + absl::Minutes(1)));
  // A retryable failure is not yet a wave failure: the engine waits 30 s.
  SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(kT0 + absl::Minutes(1)));
  EXPECT_EQ(r->wave_phase(), WavePhase::kDeploying);
  EXPECT_EQ(r->NextWakeup(), kT0 + absl::Minutes(1) + absl::Seconds(30));
  std::vector<Blocker> blockers = r->Blockers(kT0 + absl::Minutes(1));
  ASSERT_EQ(blockers.size(), 1u);
  EXPECT_EQ(blockers[0].kind, Blocker::Kind::kRetryBackoff);
  EXPECT_THAT(blockers[0].reason, HasSubstr("web-1: timeout"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      a, r->Advance(kT0 + absl::Minutes(1) + absl::Seconds(30)));
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a[0].kind, ActionKind::kDeploy);
  EXPECT_THAT(a[0].targets, ElementsAre(1));
  const std::vector<RolloutEvent> retries =
      sink_.OfKind(EventKind::kDeployRetried);
  ASSERT_EQ(retries.size(), 1u);
  EXPECT_THAT(retries[0].message,
              HasSubstr("again to 1 targets that failed (try 2 of 3; first "
                        "failure: web-1: timeout)"));
  // The second retry waits twice as long.
  absl::Time now = kT0 + absl::Minutes(2);
  SLUICE_ASSERT_OK(
      r->ReportOutcome(a[0].id, {TargetResult::Failed(1, "timeout")}, now));
  SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(now));
  EXPECT_EQ(r->NextWakeup(), now + absl::Minutes(1));
  SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(now + absl::Minutes(1)));
  ASSERT_FALSE(a.empty());
  EXPECT_THAT(a[0].targets, ElementsAre(1));
  // The third try fails too: now it counts, and the budget (0) is spent.
  now += absl::Minutes(2);
  SLUICE_ASSERT_OK(
      r->ReportOutcome(a[0].id, {TargetResult::Failed(1, "disk full")}, now));
  SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(now));
  const std::vector<RolloutEvent> failed = sink_.OfKind(EventKind::kWaveFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].failed_targets, 1);
  EXPECT_THAT(failed[0].message,
              HasSubstr("1 of 3 targets failed to deploy (at most 0 allowed; "
                        "3 tries each; first: web-1: disk full)"));
}

TEST_F(RolloutUnitTest, OneDeployAttemptFailsTheWaveAtOnce) {
  options_.deploy_attempts = 1;
  std::unique_ptr<Rollout> r = Make(MakePlan({3}, absl::Minutes(10), 0));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> a, r->Advance(kT0));
  SLUICE_ASSERT_OK(
      r->ReportOutcome(a[0].id, {TargetResult::Failed(1, "timeout")}, kT0));
  SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(kT0));
  EXPECT_EQ(sink_.OfKind(EventKind::kWaveFailed).size(), 1u);
  EXPECT_TRUE(sink_.OfKind(EventKind::kDeployRetried).empty());
  EXPECT_THAT(
      sink_.OfKind(EventKind::kWaveFailed)[0].message,
      HasSubstr("1 of 3 targets failed to deploy (at most 0 allowed; first"));
}

TEST_F(RolloutUnitTest, DeployRetryOptionsAreValidated) {
  RolloutOptions o = options_;
  o.deploy_attempts = 0;
  EXPECT_THAT(Rollout::Create(fleet_, MakePlan({1, 2}), o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("options.deploy_attempts: must be in [1, "
                                 "100] (got 0)")));
  o = options_;
  o.deploy_retry_backoff = -absl::Seconds(1);
  EXPECT_THAT(Rollout::Create(fleet_, MakePlan({1, 2}), o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("options.deploy_retry_backoff")));
}

TEST_F(RolloutUnitTest, EventsNameTheFailedTargetsAndWhatWasLeftBehind) {
  options_.deploy_attempts = 1;
  std::unique_ptr<Rollout> r = Make(MakePlan({1, 3}, absl::Minutes(10), 1));
  absl::Time now = kT0;
  for (int step = 0; step < 100 && !IsTerminal(r->status()); ++step) {
    SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, r->Advance(now));
    for (const Action& a : actions) {
      if (a.kind != ActionKind::kDeploy) continue;
      std::vector<TargetResult> results;
      for (Fleet::TargetIndex t : a.targets) {
        results.push_back(t == 2 ? TargetResult::Failed(t, "disk full")
                                 : TargetResult::Ok(t));
      }
      SLUICE_ASSERT_OK(r->ReportOutcome(a.id, results, now));
    }
    now += absl::Minutes(1);
  }
  ASSERT_EQ(r->status(), RolloutStatus::kSucceeded);
  const std::vector<RolloutEvent> failed =
      sink_.OfKind(EventKind::kTargetsFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].wave, 1);
  EXPECT_THAT(failed[0].failures,
              ElementsAre(TargetFailure{"web-2", "disk full"}));
  EXPECT_THAT(failed[0].message,
              HasSubstr("1 targets failed to deploy 2.0: web-2: disk full"));
  const std::vector<RolloutEvent> left =
      sink_.OfKind(EventKind::kTargetsLeftBehind);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].failed_targets, 1);
  ASSERT_EQ(left[0].failures.size(), 1u);
  EXPECT_EQ(left[0].failures[0].target, "web-2");
  EXPECT_THAT(left[0].message, HasSubstr("1 of 4 targets failed to deploy and "
                                         "were left behind"));
  EXPECT_EQ(sink_.events().back().kind, EventKind::kRolloutFinished);
  // Waves count from 0: the rollout-wide finish names no "wave 2" of a
  // two-wave plan.
  EXPECT_EQ(sink_.events().back().wave, -1);
  // One rollout id on every event, and it survives JSON.
  const std::string id = sink_.events().front().rollout_id;
  EXPECT_EQ(id, "unit/2.0/2025-11-24T16:00:00+00:00");
  for (const RolloutEvent& e : sink_.events()) EXPECT_EQ(e.rollout_id, id);
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutEvent back,
                              EventFromJsonLine(EventToJsonLine(left[0])));
  EXPECT_EQ(back, left[0]);
}

TEST_F(RolloutUnitTest, TheHostMayNameTheRolloutId) {
  options_.rollout_id = "deploy-4711";
  std::unique_ptr<Rollout> r = Make(MakePlan({1, 3}));
  SLUICE_ASSERT_OK(r->Advance(kT0).status());
  ASSERT_FALSE(sink_.events().empty());
  for (const RolloutEvent& e : sink_.events()) {
    EXPECT_EQ(e.rollout_id, "deploy-4711");
  }
}

TEST_F(RolloutUnitTest, IdleAdvanceReturnsNothingAndKeepsTheVersion) {
  std::unique_ptr<Rollout> r = Make(MakePlan({1, 3}));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> a, r->Advance(kT0));
  const int64_t version = r->state_version();
  for (int i = 1; i < 100; ++i) {
    SLUICE_ASSERT_OK_AND_ASSIGN(a, r->Advance(kT0 + absl::Seconds(i)));
    EXPECT_THAT(a, IsEmpty());
  }
  EXPECT_EQ(r->state_version(), version);
}

}  // namespace
}  // namespace sluice::rollout_test

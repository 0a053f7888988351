// Copyright 2026 The Sluice Authors.
//
// PhasedRollout (sluice/phased_rollout.h): phases in order with a bake
// between them, the rollback-safety rule (never roll back an earlier phase
// while a later one runs anywhere), each phase's own policy, snapshot and
// restore mid-phase, and bad input.

#include "sluice/phased_rollout.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "sluice/proto_io.h"
#include "sluice/rollout_proto.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/phased.pb.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice {
namespace {

using ::sluice::rollout_test::kT0;
using ::sluice::rollout_test::MakeFleet;
using ::sluice::rollout_test::MakePlan;
using ::sluice::rollout_test::ScriptedGate;
using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

class Sink : public EventSink {
 public:
  void OnEvent(const RolloutEvent& event) override { events.push_back(event); }
  std::vector<RolloutEvent> events;
};

// Two phases over the same 6 targets in waves of 1, 2 and 3.
struct TwoPhases {
  std::shared_ptr<ScriptedGate> prepare_gate = std::make_shared<ScriptedGate>();
  std::shared_ptr<ScriptedGate> activate_gate =
      std::make_shared<ScriptedGate>();
  Fleet fleet = MakeFleet(6);
  Sink sink;

  std::vector<Phase> Phases() const {
    std::vector<Phase> phases(2);
    phases[0].name = "prepare";
    phases[0].plan = MakePlan({1, 2, 3});
    phases[0].options.version = "2.0-read-both";
    phases[0].options.previous_version = "1.0";
    phases[0].options.gate = prepare_gate;
    phases[1].name = "activate";
    phases[1].plan = MakePlan({1, 2, 3});
    phases[1].options.version = "2.0-write-new";
    phases[1].options.gate = activate_gate;
    return phases;
  }
  PhasedRolloutOptions Options() {
    PhasedRolloutOptions o;
    o.name = "orders-v2";
    o.bake_between_phases = absl::Hours(1);
    o.event_sink = &sink;
    return o;
  }
  std::unique_ptr<PhasedRollout> Make() {
    absl::StatusOr<std::unique_ptr<PhasedRollout>> r =
        PhasedRollout::Create(fleet, Phases(), Options());
    EXPECT_THAT(r.status(), IsOk());
    return r.ok() ? *std::move(r) : nullptr;
  }
};

// A host that does every action at once; targets in `fail_deploy` fail
// every deploy.
struct Host {
  std::vector<PhasedAction> actions;
  std::set<Fleet::TargetIndex> fail_deploy;
  // Targets whose rollbacks fail.
  std::set<Fleet::TargetIndex> fail_rollback;
  // Do not report outcomes (they stay pending).
  bool report = true;

  absl::Status Step(PhasedRollout& r, absl::Time now) {
    absl::StatusOr<std::vector<PhasedAction>> out = r.Advance(now);
    if (!out.ok()) return out.status();
    for (const PhasedAction& a : *out) {
      actions.push_back(a);
      if (!a.action.NeedsOutcome() || !report) continue;
      std::vector<TargetResult> results;
      for (Fleet::TargetIndex t : a.action.targets) {
        const bool fail = (a.action.kind == ActionKind::kDeploy &&
                           fail_deploy.count(t) > 0) ||
                          (a.action.kind == ActionKind::kRollBack &&
                           fail_rollback.count(t) > 0);
        results.push_back(fail ? TargetResult::Failed(t, "disk full")
                               : TargetResult::Ok(t));
      }
      absl::Status s = a.action.targets.empty()
                           ? r.ReportActionOutcome(a.action.id, true, "", now)
                           : r.ReportOutcome(a.action.id, results, now);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // Steps until the rollout ends, waits for a person, or `end`.
  absl::Status Run(PhasedRollout& r, absl::Time& now, absl::Time end) {
    for (int i = 0; i < 10000; ++i) {
      absl::Status s = Step(r, now);
      if (!s.ok()) return s;
      if (IsTerminal(r.status())) return absl::OkStatus();
      absl::Time next = r.NextWakeup();
      if (next == absl::InfiniteFuture()) return absl::OkStatus();
      if (next <= now) next = now + absl::Seconds(1);
      if (next > end) return absl::OkStatus();
      now = next;
    }
    return absl::InternalError("did not settle");
  }
};

const RolloutEvent* Find(const std::vector<RolloutEvent>& events,
                         absl::string_view phase, EventKind kind) {
  for (const RolloutEvent& e : events) {
    if (e.phase == phase && e.kind == kind) return &e;
  }
  return nullptr;
}

TEST(PhasedRolloutTest, LaterPhaseStartsOnlyAfterEarlierSucceededAndBaked) {
  TwoPhases t;
  std::unique_ptr<PhasedRollout> r = t.Make();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->status(), RolloutStatus::kPending);
  Host host;
  absl::Time now = kT0;
  ASSERT_THAT(host.Run(*r, now, kT0 + absl::Hours(48)), IsOk());
  EXPECT_EQ(r->status(), RolloutStatus::kSucceeded);
  EXPECT_EQ(r->phase(0).status(), RolloutStatus::kSucceeded);
  EXPECT_EQ(r->phase(1).status(), RolloutStatus::kSucceeded);

  const RolloutEvent* prepare_done =
      Find(t.sink.events, "prepare", EventKind::kRolloutFinished);
  const RolloutEvent* activate_start =
      Find(t.sink.events, "activate", EventKind::kRolloutStarted);
  ASSERT_NE(prepare_done, nullptr);
  ASSERT_NE(activate_start, nullptr);
  EXPECT_EQ(activate_start->time, prepare_done->time + absl::Hours(1));
  // Every activate event follows every prepare event.
  bool in_activate = false;
  for (const RolloutEvent& e : t.sink.events) {
    if (e.phase == "activate") in_activate = true;
    if (in_activate) {
      EXPECT_EQ(e.phase, "activate") << e;
    }
    EXPECT_EQ(e.rollout, "orders-v2");
  }
  // The bake between phases is announced once, as a wait.
  int waits = 0;
  for (const PhasedAction& a : host.actions) {
    if (a.action.id == "activate/bake-between-phases") {
      ++waits;
      EXPECT_EQ(a.action.kind, ActionKind::kWait);
      EXPECT_EQ(a.action.wait_until, prepare_done->time + absl::Hours(1));
    } else {
      EXPECT_TRUE(absl::StartsWith(a.action.id, a.phase + "/")) << a;
    }
    if (a.action.kind == ActionKind::kDeploy) {
      EXPECT_EQ(a.action.version,
                a.phase == "prepare" ? "2.0-read-both" : "2.0-write-new");
    }
  }
  EXPECT_EQ(waits, 1);
}

TEST(PhasedRolloutTest, NothingOfTheNextPhaseDuringTheBake) {
  TwoPhases t;
  std::unique_ptr<PhasedRollout> r = t.Make();
  Host host;
  absl::Time now = kT0;
  // Run until prepare has succeeded, then up to a minute before the bake
  // ends.
  while (r->phase(0).status() != RolloutStatus::kSucceeded) {
    ASSERT_THAT(host.Step(*r, now), IsOk());
    now = std::max(now + absl::Seconds(1), r->NextWakeup());
  }
  const RolloutEvent* done =
      Find(t.sink.events, "prepare", EventKind::kRolloutFinished);
  ASSERT_NE(done, nullptr);
  ASSERT_THAT(host.Step(*r, done->time + absl::Minutes(59)), IsOk());
  EXPECT_EQ(r->status(), RolloutStatus::kRunning);
  EXPECT_EQ(r->phase(1).status(), RolloutStatus::kPending);
  EXPECT_EQ(r->NextWakeup(), done->time + absl::Hours(1));
  EXPECT_THAT(r->Pause("ops", done->time + absl::Minutes(59)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("baking between \"prepare\" and "
                                 "\"activate\"")));
  ASSERT_THAT(host.Step(*r, done->time + absl::Hours(1)), IsOk());
  EXPECT_EQ(r->current_phase_name(), "activate");
  EXPECT_EQ(r->phase(1).status(), RolloutStatus::kRunning);
}

// Runs until activate has deployed its first wave.
void RunIntoActivate(PhasedRollout& r, Host& host, absl::Time& now) {
  for (int i = 0;
       i < 1000 && !(r.current_phase() == 1 && r.phase(1).RunsNewVersion(0));
       ++i) {
    ASSERT_THAT(host.Step(r, now), IsOk());
    now = std::max(now + absl::Seconds(1), r.NextWakeup());
  }
  ASSERT_TRUE(r.phase(1).RunsNewVersion(0));
}

TEST(PhasedRolloutTest, RollingBackPrepareWhileActivateRunsIsRefused) {
  TwoPhases t;
  std::unique_ptr<PhasedRollout> r = t.Make();
  Host host;
  absl::Time now = kT0;
  RunIntoActivate(*r, host, now);
  const std::string before = r->Snapshot();
  const int64_t version = r->state_version();
  EXPECT_THAT(
      r->RollBackPhase("prepare", "ops", now),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("cannot roll back phase \"prepare\" while "
                               "phase \"activate\" runs on 1 target"),
                     HasSubstr("1.0 cannot read the data \"activate\" writes"),
                     HasSubstr("roll back \"activate\" first"))));
  EXPECT_EQ(r->Snapshot(), before);
  EXPECT_EQ(r->state_version(), version);
  EXPECT_THAT(r->RollBackPhase("nope", "ops", now),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("\"nope\"")));
}

TEST(PhasedRolloutTest, FailingActivateIsRolledBackByItsPolicyPrepareStays) {
  TwoPhases t;
  t.activate_gate->outcomes[1] = Outcome::kFail;  // activate's second wave
  std::unique_ptr<PhasedRollout> r = t.Make();
  Host host;
  absl::Time now = kT0;
  ASSERT_THAT(host.Run(*r, now, kT0 + absl::Hours(48)), IsOk());
  EXPECT_EQ(r->status(), RolloutStatus::kRolledBack);
  EXPECT_EQ(r->phase(0).status(), RolloutStatus::kSucceeded);
  EXPECT_EQ(r->phase(1).status(), RolloutStatus::kRolledBack);
  // Activate's rollback restores prepare's version, and prepare stays on
  // every target.
  bool rolled_back = false;
  for (const PhasedAction& a : host.actions) {
    if (a.action.kind != ActionKind::kRollBack) continue;
    rolled_back = true;
    EXPECT_EQ(a.phase, "activate");
    EXPECT_EQ(a.action.version, "2.0-read-both");
  }
  EXPECT_TRUE(rolled_back);
  for (Fleet::TargetIndex i = 0; i < 6; ++i) {
    EXPECT_TRUE(r->phase(0).RunsNewVersion(i)) << i;
    EXPECT_FALSE(r->phase(1).RunsNewVersion(i)) << i;
  }
  EXPECT_NE(Find(t.sink.events, "activate", EventKind::kWaveFailed), nullptr);
}

TEST(PhasedRolloutTest, PrepareIsRolledBackOnRequestOnlyAfterActivate) {
  TwoPhases t;
  t.activate_gate->outcomes[1] = Outcome::kFail;
  std::unique_ptr<PhasedRollout> r = t.Make();
  Host host;
  absl::Time now = kT0;
  ASSERT_THAT(host.Run(*r, now, kT0 + absl::Hours(48)), IsOk());
  ASSERT_EQ(r->status(), RolloutStatus::kRolledBack);
  EXPECT_THAT(r->RollBackPhase("activate", "ops", now),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("rolled back already")));
  const size_t before = host.actions.size();
  ASSERT_THAT(r->RollBackPhase("prepare", "ops", now), IsOk());
  EXPECT_EQ(r->status(), RolloutStatus::kRollingBack);
  EXPECT_THAT(r->RollBackPhase("prepare", "ops", now),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("is being rolled back")));
  ASSERT_THAT(host.Run(*r, now, now + absl::Hours(2)), IsOk());
  EXPECT_EQ(r->status(), RolloutStatus::kRolledBack);
  // Prepare's targets go back to 1.0, the last wave first.
  std::vector<std::vector<Fleet::TargetIndex>> reverted;
  for (size_t i = before; i < host.actions.size(); ++i) {
    const PhasedAction& a = host.actions[i];
    if (a.action.kind == ActionKind::kWait) continue;
    EXPECT_EQ(a.phase, "prepare");
    EXPECT_TRUE(absl::StartsWith(a.action.id, "prepare/revert/")) << a;
    ASSERT_EQ(a.action.kind, ActionKind::kRollBack) << a;
    EXPECT_EQ(a.action.version, "1.0");
    reverted.push_back(a.action.targets);
  }
  ASSERT_EQ(reverted.size(), 3u);
  EXPECT_EQ(reverted[0], (std::vector<Fleet::TargetIndex>{3, 4, 5}));
  EXPECT_EQ(reverted[2], (std::vector<Fleet::TargetIndex>{0}));
  EXPECT_NE(
      Find(t.sink.events, "prepare (rollback)", EventKind::kRolloutFinished),
      nullptr);
  EXPECT_THAT(r->RollBackPhase("prepare", "ops", now),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("rolled back already")));
}

TEST(PhasedRolloutTest, ARollbackOfPrepareThatCannotCompleteEndsFailed) {
  TwoPhases t;
  t.activate_gate->outcomes[0] = Outcome::kFail;
  std::unique_ptr<PhasedRollout> r = t.Make();
  Host host;
  absl::Time now = kT0;
  ASSERT_THAT(host.Run(*r, now, kT0 + absl::Hours(48)), IsOk());
  ASSERT_EQ(r->status(), RolloutStatus::kRolledBack);
  ASSERT_THAT(r->RollBackPhase("prepare", "ops", now), IsOk());
  host.fail_rollback = {5};
  ASSERT_THAT(host.Run(*r, now, now + absl::Hours(5)), IsOk());
  EXPECT_EQ(r->status(), RolloutStatus::kFailed);
  EXPECT_THAT(r->Blocker(),
              HasSubstr("the rollback of phase \"prepare\" could not "
                        "complete"));
}

TEST(PhasedRolloutTest, PendingActionsAreTaggedWithThePhase) {
  TwoPhases t;
  std::unique_ptr<PhasedRollout> r = t.Make();
  Host host;
  host.report = false;
  ASSERT_THAT(host.Step(*r, kT0), IsOk());
  const std::vector<PhasedAction> pending = r->PendingActions();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].phase, "prepare");
  EXPECT_EQ(pending[0].action.kind, ActionKind::kDeploy);
  EXPECT_TRUE(absl::StartsWith(pending[0].action.id, "prepare/"));
  // Reporting under the tagged id reaches the phase.
  EXPECT_THAT(
      r->ReportOutcome(pending[0].action.id,
                       {TargetResult::Ok(pending[0].action.targets[0])}, kT0),
      IsOk());
  EXPECT_TRUE(r->PendingActions().empty());
  EXPECT_TRUE(r->phase(0).RunsNewVersion(pending[0].action.targets[0]));
}

TEST(PhasedRolloutTest, AFinishedTrafficRoutedPhaseIsNotRolledBackByRequest) {
  TwoPhases t;
  std::vector<Phase> phases = t.Phases();
  WavePlan traffic;
  for (double p : {10.0, 100.0}) {
    Wave w;
    w.name = absl::StrCat(p, "%");
    w.stage = "step";
    w.traffic_percent = p;
    w.bake = absl::Minutes(5);
    traffic.waves.push_back(w);
  }
  phases[0].plan = traffic;
  phases[1].plan = traffic;
  PhasedRolloutOptions options = t.Options();
  options.bake_between_phases = absl::ZeroDuration();
  auto made = PhasedRollout::Create(t.fleet, std::move(phases), options);
  ASSERT_THAT(made.status(), IsOk());
  PhasedRollout& r = **made;
  Host host;
  absl::Time now = kT0;
  ASSERT_THAT(host.Run(r, now, kT0 + absl::Hours(48)), IsOk());
  ASSERT_EQ(r.status(), RolloutStatus::kSucceeded);
  EXPECT_THAT(r.RollBackPhase("activate", "ops", now),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("has a traffic-routed plan and has "
                                 "succeeded")));
  EXPECT_EQ(r.status(), RolloutStatus::kSucceeded);
}

TEST(PhasedRolloutTest, FailingPrepareMeansActivateNeverStarts) {
  TwoPhases t;
  t.prepare_gate->outcomes[0] = Outcome::kFail;
  std::unique_ptr<PhasedRollout> r = t.Make();
  Host host;
  absl::Time now = kT0;
  ASSERT_THAT(host.Run(*r, now, kT0 + absl::Hours(48)), IsOk());
  EXPECT_EQ(r->status(), RolloutStatus::kRolledBack);
  EXPECT_EQ(r->phase(0).status(), RolloutStatus::kRolledBack);
  EXPECT_EQ(r->phase(1).status(), RolloutStatus::kPending);
  ASSERT_THAT(host.Step(*r, kT0 + absl::Hours(100)), IsOk());
  for (const PhasedAction& a : host.actions) EXPECT_EQ(a.phase, "prepare");
  EXPECT_EQ(Find(t.sink.events, "activate", EventKind::kRolloutStarted),
            nullptr);
}

TEST(PhasedRolloutTest, PrepareLeavingTargetsBehindHoldsActivate) {
  TwoPhases t;
  std::vector<Phase> phases = t.Phases();
  phases[0].plan = MakePlan({1, 2, 3}, absl::Minutes(10), /*max_failed=*/1);
  auto made = PhasedRollout::Create(t.fleet, std::move(phases), t.Options());
  ASSERT_THAT(made.status(), IsOk());
  PhasedRollout& r = **made;
  Host host;
  host.fail_deploy = {4};
  absl::Time now = kT0;
  ASSERT_THAT(host.Run(r, now, kT0 + absl::Hours(48)), IsOk());
  EXPECT_EQ(r.phase(0).status(), RolloutStatus::kSucceeded);
  EXPECT_EQ(r.status(), RolloutStatus::kPaused);
  EXPECT_EQ(r.phase(1).status(), RolloutStatus::kPending);
  EXPECT_THAT(r.Blocker(),
              AllOf(HasSubstr("1 target does not run it (web-4)"),
                    HasSubstr("\"activate\" starts only when every target")));
  // Rolling prepare back is allowed: activate never ran.
  EXPECT_THAT(r.RollBackPhase("prepare", "ops", now), IsOk());
}

TEST(PhasedRolloutTest, AbortBetweenPhasesKeepsPrepare) {
  TwoPhases t;
  std::unique_ptr<PhasedRollout> r = t.Make();
  Host host;
  absl::Time now = kT0;
  while (r->phase(0).status() != RolloutStatus::kSucceeded) {
    ASSERT_THAT(host.Step(*r, now), IsOk());
    now = std::max(now + absl::Seconds(1), r->NextWakeup());
  }
  ASSERT_THAT(r->Abort("ops", now), IsOk());
  EXPECT_EQ(r->status(), RolloutStatus::kAborted);
  ASSERT_THAT(host.Step(*r, now + absl::Hours(5)), IsOk());
  EXPECT_EQ(r->phase(1).status(), RolloutStatus::kPending);
  EXPECT_EQ(r->phase(0).status(), RolloutStatus::kSucceeded);
}

TEST(PhasedRolloutTest, AbortDuringActivateRollsBackActivateOnly) {
  TwoPhases t;
  std::unique_ptr<PhasedRollout> r = t.Make();
  Host host;
  absl::Time now = kT0;
  RunIntoActivate(*r, host, now);
  ASSERT_THAT(r->Abort("ops", now), IsOk());
  ASSERT_THAT(host.Run(*r, now, now + absl::Hours(2)), IsOk());
  EXPECT_EQ(r->status(), RolloutStatus::kAborted);
  EXPECT_EQ(r->phase(0).status(), RolloutStatus::kSucceeded);
  EXPECT_FALSE(r->phase(1).RunsNewVersion(0));
}

TEST(PhasedRolloutTest, RestoreMidPhaseContinuesIdentically) {
  for (int stop_after : {3, 12, 25}) {
    SCOPED_TRACE(stop_after);
    TwoPhases a, b;
    a.activate_gate->outcomes[2] = Outcome::kFail;
    b.activate_gate->outcomes[2] = Outcome::kFail;
    std::unique_ptr<PhasedRollout> original = a.Make();
    std::unique_ptr<PhasedRollout> twin = b.Make();
    Host host_a, host_b;
    absl::Time now = kT0;
    for (int i = 0; i < stop_after; ++i) {
      ASSERT_THAT(host_a.Step(*original, now), IsOk());
      ASSERT_THAT(host_b.Step(*twin, now), IsOk());
      now = std::max(now + absl::Seconds(1), original->NextWakeup());
    }
    // `twin` crashes: a new process restores it from the snapshot.
    const std::string bytes = twin->Snapshot();
    twin.reset();
    auto restored =
        PhasedRollout::Restore(b.fleet, b.Phases(), b.Options(), bytes);
    ASSERT_THAT(restored.status(), IsOk());
    twin = *std::move(restored);
    EXPECT_EQ(twin->Snapshot(), bytes);
    EXPECT_EQ(twin->current_phase(), original->current_phase());
    absl::Time end = now;
    ASSERT_THAT(host_a.Run(*original, end, kT0 + absl::Hours(48)), IsOk());
    ASSERT_THAT(host_b.Run(*twin, now, kT0 + absl::Hours(48)), IsOk());
    EXPECT_EQ(host_a.actions, host_b.actions);
    EXPECT_EQ(twin->status(), RolloutStatus::kRolledBack);
    EXPECT_EQ(twin->Snapshot(), original->Snapshot());
  }
}

TEST(PhasedRolloutTest, RestoreRefusesBadSnapshots) {
  TwoPhases t;
  std::unique_ptr<PhasedRollout> r = t.Make();
  Host host;
  absl::Time now = kT0;
  RunIntoActivate(*r, host, now);
  const std::string bytes = r->Snapshot();
  v1::PhasedRolloutState state;
  ASSERT_TRUE(state.ParseFromString(bytes));

  EXPECT_THAT(
      PhasedRollout::Restore(t.fleet, t.Phases(), t.Options(), "\xff garbage")
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("snapshot: cannot parse")));
  auto restore = [&](const v1::PhasedRolloutState& s) {
    return PhasedRollout::Restore(t.fleet, t.Phases(), t.Options(),
                                  s.SerializeAsString())
        .status();
  };
  v1::PhasedRolloutState bad = state;
  bad.set_current_phase(7);
  EXPECT_THAT(restore(bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("snapshot: current_phase: must be in [0, 2) "
                                 "(got 7)")));
  bad = state;
  bad.mutable_phases(1)->set_name("launch");
  EXPECT_THAT(restore(bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("snapshot: phases[1].name: \"launch\" does "
                                 "not match \"activate\"")));
  bad = state;
  bad.set_current_phase(0);  // activate has started: impossible
  EXPECT_THAT(restore(bad), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("snapshot: phases[1]: must be "
                                               "pending while phase 0")));
  bad = state;
  bad.mutable_phases(0)->set_snapshot("truncated");
  EXPECT_THAT(restore(bad), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("snapshot: phases[0].")));
  bad = state;
  bad.set_schema_version(9);
  EXPECT_THAT(restore(bad), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("schema_version")));
  bad = state;
  bad.set_revert_phase(1);  // activate has not succeeded
  EXPECT_THAT(restore(bad), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("snapshot: revert_phase")));
  PhasedRolloutOptions other = t.Options();
  other.bake_between_phases = absl::Hours(2);
  EXPECT_THAT(
      PhasedRollout::Restore(t.fleet, t.Phases(), other, bytes).status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("snapshot: bake_between_phases: 1h in the snapshot, "
                         "2h now")));
}

TEST(PhasedRolloutTest, BadInputNamesTheField) {
  TwoPhases t;
  struct Case {
    std::string name;
    std::function<void(std::vector<Phase>&, PhasedRolloutOptions&)> change;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"one phase", [](auto& p, auto&) { p.pop_back(); },
       "phases: needs at least 2 phases (got 1)"},
      {"duplicate name", [](auto& p, auto&) { p[1].name = "prepare"; },
       "phases[1].name: \"prepare\" is used by phases[0]"},
      {"empty name", [](auto& p, auto&) { p[0].name = ""; },
       "phases[0].name: must not be empty"},
      {"slash in name", [](auto& p, auto&) { p[1].name = "a/b"; },
       "phases[1].name: must be lowercase letters"},
      {"chain broken",
       [](auto& p, auto&) { p[1].options.previous_version = "1.0"; },
       "phases[1].options.previous_version: must be the version of phase "
       "\"prepare\" (\"2.0-read-both\") or empty (got \"1.0\")"},
      {"same version",
       [](auto& p, auto&) { p[1].options.version = "2.0-read-both"; },
       "phases[1].options.version: \"2.0-read-both\" is phase \"prepare\"'s"},
      {"target not prepared",
       [](auto& p, auto&) {
         p[0].plan = MakePlan({1, 2, 2});
       },
       "phases[1].plan.waves[2].targets[2]: target web-5 is not in every "
       "earlier phase's plan"},
      {"negative bake",
       [](auto&, auto& o) { o.bake_between_phases = -absl::Minutes(1); },
       "bake_between_phases: must be finite and >= 0 (got -1m)"},
      {"own sink", [&](auto& p, auto&) { p[1].options.event_sink = &t.sink; },
       "phases[1].options.event_sink: must be null"},
      {"engine error",
       [](auto& p, auto&) {
         p[1].options.progress_deadline = absl::Seconds(-1);
       },
       "phases[1].options.progress_deadline: must be finite and > 0 (got "
       "-1s)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<Phase> phases = t.Phases();
    PhasedRolloutOptions options = t.Options();
    c.change(phases, options);
    EXPECT_THAT(
        PhasedRollout::Create(t.fleet, std::move(phases), options).status(),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)));
  }
}

TEST(PhasedRolloutTest, AdvanceRefusesTimeGoingBackAndUnknownIds) {
  TwoPhases t;
  std::unique_ptr<PhasedRollout> r = t.Make();
  ASSERT_THAT(r->Advance(kT0).status(), IsOk());
  EXPECT_THAT(
      r->Advance(kT0 - absl::Seconds(1)).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("Advance: now")));
  EXPECT_THAT(r->ReportOutcome("w0-deploy-1", {}, kT0),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("ReportOutcome: no phase for action id")));
  EXPECT_THAT(r->ReportOutcome("prepare/revert/x", {}, kT0),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(PhasedRolloutTest, EventPhaseSurvivesJsonLines) {
  RolloutEvent e;
  e.sequence = 3;
  e.time = kT0;
  e.kind = EventKind::kWaveStarted;
  e.phase = "activate";
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutEvent back,
                              EventFromJsonLine(EventToJsonLine(e)));
  EXPECT_EQ(back, e);
  EXPECT_EQ(back.phase, "activate");
}

// ---- The spec form.

constexpr char kSpec[] = R"pb(
  name: "orders-schema-v2"
  bake_between_phases { seconds: 1800 }
  phases {
    name: "prepare"
    spec {
      name: "orders prepare"
      version: "2.5.0-read-both"
      previous_version: "2.4.0"
      waves { linear { step_percent: 50 } }
    }
  }
  phases {
    name: "activate"
    spec {
      name: "orders activate"
      version: "2.5.0-write-new"
      waves { linear { step_percent: 50 } }
    }
  }
)pb";

TEST(PhasedRolloutSpecTest, ParsesAndRuns) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      PhasedRolloutSpec spec,
      PhasedRolloutSpec::Parse(kSpec, SpecFormat::kTextProto));
  EXPECT_EQ(spec.name(), "orders-schema-v2");
  EXPECT_EQ(spec.bake_between_phases(), absl::Minutes(30));
  ASSERT_EQ(spec.phases().size(), 2u);
  EXPECT_EQ(spec.phases()[1].name, "activate");
  EXPECT_THAT(spec.Summary(), HasSubstr("phase 1 activate: orders activate"));
  Fleet fleet = MakeFleet(6);
  Sink sink;
  RolloutOptions options;
  options.event_sink = &sink;
  options.rollout_id = "run-1";
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<PhasedRollout> r,
                              PhasedRollout::FromSpec(spec, fleet, options));
  EXPECT_EQ(r->phase(1).previous_version(), "2.5.0-read-both");
  Host host;
  absl::Time now = kT0;
  ASSERT_THAT(host.Run(*r, now, kT0 + absl::Hours(48)), IsOk());
  EXPECT_EQ(r->status(), RolloutStatus::kSucceeded);
  const RolloutEvent* done =
      Find(sink.events, "prepare", EventKind::kRolloutFinished);
  const RolloutEvent* start =
      Find(sink.events, "activate", EventKind::kRolloutStarted);
  ASSERT_NE(done, nullptr);
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->time - done->time, absl::Minutes(30));
  EXPECT_EQ(done->rollout_id, "run-1/prepare");
  EXPECT_EQ(start->rollout_id, "run-1/activate");
}

TEST(PhasedRolloutSpecTest, RestoreFromSpecMidway) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      PhasedRolloutSpec spec,
      PhasedRolloutSpec::Parse(kSpec, SpecFormat::kTextProto));
  Fleet fleet = MakeFleet(6);
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<PhasedRollout> r,
                              PhasedRollout::FromSpec(spec, fleet, {}));
  Host host;
  absl::Time now = kT0;
  for (int i = 0; i < 8; ++i) {
    ASSERT_THAT(host.Step(*r, now), IsOk());
    now = std::max(now + absl::Seconds(1), r->NextWakeup());
  }
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<PhasedRollout> back,
      PhasedRollout::RestoreFromSpec(spec, fleet, {}, r->Snapshot()));
  EXPECT_EQ(back->Snapshot(), r->Snapshot());
  ASSERT_THAT(host.Run(*back, now, kT0 + absl::Hours(48)), IsOk());
  EXPECT_EQ(back->status(), RolloutStatus::kSucceeded);
}

// The spec holds converted values; ToProto() reassembles the message:
// FromProto(m)->ToProto() equals m, field presence included.
TEST(PhasedRolloutSpecTest, FromProtoToProtoRoundTrips) {
  std::vector<v1::PhasedRolloutSpec> messages(4);
  ASSERT_THAT(ParseTextProto(kSpec, &messages[0]), IsOk());
  // Unset bake: stays unset (and the default applies).
  messages[1] = messages[0];
  messages[1].clear_bake_between_phases();
  messages[1].set_description("orders: read both, then write new");
  // A bake of zero set explicitly stays set.
  messages[2] = messages[0];
  messages[2].mutable_bake_between_phases()->Clear();
  ASSERT_THAT(
      ParseProtoFile("examples/phased/two_phase_schema_change.textproto",
                     &messages[3]),
      IsOk());
  for (const v1::PhasedRolloutSpec& m : messages) {
    SCOPED_TRACE(m.DebugString());
    SLUICE_ASSERT_OK_AND_ASSIGN(PhasedRolloutSpec spec,
                                PhasedRolloutSpec::FromProto(m));
    const v1::PhasedRolloutSpec back = spec.ToProto();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(m, back))
        << back.DebugString();
    EXPECT_EQ(back.has_bake_between_phases(), m.has_bake_between_phases());
    // And again: the message given back is a valid spec with the same values.
    SLUICE_ASSERT_OK_AND_ASSIGN(PhasedRolloutSpec again,
                                PhasedRolloutSpec::FromProto(back));
    EXPECT_EQ(again.Summary(), spec.Summary());
    EXPECT_EQ(again.description(), m.description());
  }
  SLUICE_ASSERT_OK_AND_ASSIGN(PhasedRolloutSpec unset,
                              PhasedRolloutSpec::FromProto(messages[1]));
  EXPECT_EQ(unset.bake_between_phases(), absl::Hours(1));
  EXPECT_EQ(unset.description(), "orders: read both, then write new");
  SLUICE_ASSERT_OK_AND_ASSIGN(PhasedRolloutSpec zero,
                              PhasedRolloutSpec::FromProto(messages[2]));
  EXPECT_EQ(zero.bake_between_phases(), absl::ZeroDuration());
}

// The one Duration conversion: a Duration that is not valid (only possible
// in a message built in code) is refused naming the field.
TEST(PhasedRolloutSpecTest, InvalidBakeBuiltInCodeNamesTheField) {
  v1::PhasedRolloutSpec m;
  ASSERT_THAT(ParseTextProto(kSpec, &m), IsOk());
  m.mutable_bake_between_phases()->set_seconds(60);
  m.mutable_bake_between_phases()->set_nanos(-1);
  EXPECT_THAT(PhasedRolloutSpec::FromProto(m),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "bake_between_phases: not a valid duration (seconds "
                       "60, nanos -1)"));
}

TEST(PhasedRolloutSpecTest, ErrorsNameTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"pb(name: "x"
            phases {
              name: "a"
              spec { name: "a" version: "2" }
            })pb",
       "phases: needs at least 2 phases (got 1)"},
      {R"pb(phases {})pb", "name: must not be empty"},
      {R"pb(name: "x"
            phases {
              name: "a"
              spec { name: "a" version: "2" }
            }
            phases { name: "b" })pb",
       "phases[1].spec: is required"},
      {R"pb(name: "x"
            phases {
              name: "a"
              spec { name: "a" version: "2" }
            }
            phases {
              name: "b"
              spec { name: "b" }
            })pb",
       "phases[1].spec.version: must not be empty"},
      {R"pb(name: "x"
            phases {
              name: "a"
              spec { name: "a" version: "2" }
            }
            phases {
              name: "b"
              spec { name: "b" version: "3" previous_version: "1" }
            })pb",
       "phases[1].spec.previous_version: must be the version of phase \"a\" "
       "(\"2\") or empty (got \"1\")"},
      {R"pb(name: "x"
            bake_between_phases { seconds: -5 }
            phases {
              name: "a"
              spec { name: "a" version: "2" }
            }
            phases {
              name: "b"
              spec { name: "b" version: "3" }
            })pb",
       "bake_between_phases: must be >= 0 (got -5s)"},
      {R"pb(name: "x"
            phasez {})pb",
       "phasez"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    EXPECT_THAT(
        PhasedRolloutSpec::Parse(text, SpecFormat::kTextProto).status(),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(message)));
  }
}

}  // namespace
}  // namespace sluice

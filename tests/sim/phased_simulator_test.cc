// Copyright 2026 The Sluice Authors.
//
// PhasedSimulator: the example two-phase spec over the example fleet with a
// bad activate (rolled back by its own gates and policy, prepare stays), a
// bad prepare (activate never starts), a good release (both succeed, the
// bake between them kept), and determinism by seed.

#include "sluice/sim/phased_simulator.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/phased_rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/sim/scenario.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::sim {
namespace {

using ::sluice::testing::IsOk;
using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kSpec[] = "examples/phased/two_phase_schema_change.textproto";
constexpr char kFleet[] = "examples/fleets/three_regions.csv";

PhasedSimulator Make(const std::string& scenario_name,
                     const std::string& faulty_phase) {
  absl::StatusOr<PhasedRolloutSpec> spec = PhasedRolloutSpec::LoadFile(kSpec);
  EXPECT_THAT(spec, IsOk());
  absl::StatusOr<Fleet> fleet = LoadFleetFile(kFleet);
  EXPECT_THAT(fleet, IsOk());
  absl::StatusOr<Scenario> scenario =
      LoadScenarioFile("examples/scenarios/" + scenario_name + ".textproto");
  EXPECT_THAT(scenario, IsOk());
  scenario->duration = absl::Hours(72);  // room for two phases
  absl::StatusOr<PhasedSimulator> simulator =
      PhasedSimulator::Create(*spec, *fleet, *scenario, faulty_phase);
  EXPECT_THAT(simulator, IsOk());
  return *simulator;
}

const RolloutEvent* Find(const std::vector<RolloutEvent>& events,
                         const std::string& phase, EventKind kind) {
  for (const RolloutEvent& e : events) {
    if (e.phase == phase && e.kind == kind) return &e;
  }
  return nullptr;
}

TEST(PhasedSimulatorTest, BadActivateIsRolledBackAndPrepareStays) {
  PhasedSimulator simulator = Make("bad_release_everywhere", "activate");
  std::vector<RolloutEvent> events;
  SLUICE_ASSERT_OK_AND_ASSIGN(PhasedRunOutcome outcome,
                              simulator.Run(7, &events));
  EXPECT_EQ(outcome.final_state, "rolled-back") << outcome;
  EXPECT_THAT(outcome.phase_states, ElementsAre("succeeded", "rolled-back"));
  EXPECT_EQ(outcome.failed_phase, "activate");
  EXPECT_EQ(outcome.phases_started, 2);
  EXPECT_GT(outcome.max_faulty_targets, 0);
  // Activate's rollback went to prepare's version: no rollback names 2.4.0.
  const RolloutEvent* rollback =
      Find(events, "activate", EventKind::kRollbackCompleted);
  ASSERT_NE(rollback, nullptr);
  EXPECT_EQ(Find(events, "prepare", EventKind::kRollbackStarted), nullptr);
}

TEST(PhasedSimulatorTest, BadPrepareMeansActivateNeverStarts) {
  PhasedSimulator simulator = Make("bad_release_everywhere", "prepare");
  std::vector<RolloutEvent> events;
  SLUICE_ASSERT_OK_AND_ASSIGN(PhasedRunOutcome outcome,
                              simulator.Run(7, &events));
  EXPECT_EQ(outcome.final_state, "rolled-back") << outcome;
  EXPECT_THAT(outcome.phase_states, ElementsAre("rolled-back", "pending"));
  EXPECT_EQ(outcome.failed_phase, "prepare");
  EXPECT_EQ(outcome.phases_started, 1);
  for (const RolloutEvent& e : events) EXPECT_EQ(e.phase, "prepare") << e;
}

TEST(PhasedSimulatorTest, GoodReleaseRunsBothPhasesWithTheBakeBetween) {
  PhasedSimulator simulator = Make("good_release", "");
  std::vector<RolloutEvent> events;
  SLUICE_ASSERT_OK_AND_ASSIGN(PhasedRunOutcome outcome,
                              simulator.Run(3, &events));
  EXPECT_EQ(outcome.final_state, "succeeded") << outcome;
  EXPECT_THAT(outcome.phase_states, ElementsAre("succeeded", "succeeded"));
  EXPECT_EQ(outcome.max_faulty_targets, 0);
  const RolloutEvent* done =
      Find(events, "prepare", EventKind::kRolloutFinished);
  const RolloutEvent* start =
      Find(events, "activate", EventKind::kRolloutStarted);
  ASSERT_NE(done, nullptr);
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->time - done->time, absl::Hours(2));
}

TEST(PhasedSimulatorTest, SameSeedSameOutcomeAndEvents) {
  PhasedSimulator simulator = Make("bad_release_everywhere", "activate");
  std::vector<RolloutEvent> a, b;
  SLUICE_ASSERT_OK_AND_ASSIGN(PhasedRunOutcome first, simulator.Run(11, &a));
  SLUICE_ASSERT_OK_AND_ASSIGN(PhasedRunOutcome second, simulator.Run(11, &b));
  EXPECT_EQ(first, second);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(EventToJsonLine(a[i]), EventToJsonLine(b[i]));
  }
}

TEST(PhasedSimulatorTest, RejectsAnUnknownFaultyPhase) {
  SLUICE_ASSERT_OK_AND_ASSIGN(PhasedRolloutSpec spec,
                              PhasedRolloutSpec::LoadFile(kSpec));
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Scenario scenario,
      LoadScenarioFile("examples/scenarios/bad_release_everywhere.textproto"));
  EXPECT_THAT(PhasedSimulator::Create(spec, fleet, scenario, "lanch").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("faulty_phase: no phase \"lanch\" (phases: "
                                 "prepare, activate)")));
}

}  // namespace
}  // namespace sluice::sim

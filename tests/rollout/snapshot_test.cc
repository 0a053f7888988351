// Copyright 2026 The Sluice Authors.
//
// Crash-resume: every scripted rollout, snapshotted after every step and
// restored into a fresh engine through serialized bytes, gives exactly the
// actions and events of the uninterrupted run. And bad snapshots are refused
// with a clear error.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/rollout.h"
#include "sluice/rollout_proto.h"
#include "sluice/testing/status_matchers.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice::rollout_test {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

class CrashResumeTest : public ::testing::TestWithParam<Scenario> {};

TEST_P(CrashResumeTest, RestoringAfterEveryStepChangesNothing) {
  const Scenario& s = GetParam();
  RunResult straight = RunScenario(s, /*crash_every_step=*/false);
  RunResult crashed = RunScenario(s, /*crash_every_step=*/true);
  SLUICE_ASSERT_OK(straight.status);
  SLUICE_ASSERT_OK(crashed.status);
  EXPECT_GT(crashed.restores, 3);
  EXPECT_EQ(crashed.final_status, straight.final_status);
  EXPECT_EQ(crashed.actions, straight.actions);
  EXPECT_EQ(crashed.events, straight.events);
  EXPECT_EQ(crashed.versions, straight.versions);
}

INSTANTIATE_TEST_SUITE_P(Scripted, CrashResumeTest,
                         ::testing::ValuesIn(ScriptedScenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& info) {
                           std::string name;
                           for (char c : info.param.name)
                             name += c == '-' ? '_' : c;
                           return name;
                         });

class SnapshotErrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.name = "snap";
    options_.version = "2.0";
    options_.previous_version = "1.0";
    options_.gate = std::make_shared<ScriptedGate>();
    rollout_ = *Rollout::Create(fleet_, MakePlan({1, 3, 5}), options_);
    actions_ = *rollout_->Advance(kT0);
    snapshot_ = rollout_->Snapshot();
  }
  Fleet fleet_ = MakeFleet(9);
  RolloutOptions options_;
  std::unique_ptr<Rollout> rollout_;
  std::vector<Action> actions_;
  std::string snapshot_;
};

TEST_F(SnapshotErrorTest, RoundTripKeepsPendingActions) {
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> restored,
                              Rollout::Restore(fleet_, options_, snapshot_));
  EXPECT_EQ(restored->Snapshot(), snapshot_);
  EXPECT_EQ(restored->PendingActions(), rollout_->PendingActions());
  ASSERT_EQ(restored->PendingActions().size(), 1u);
  // The host re-issues the same id after a crash; the outcome is accepted
  // once.
  const std::string id = restored->PendingActions()[0].id;
  SLUICE_ASSERT_OK(restored->ReportActionOutcome(id, true, "", kT0));
  EXPECT_THAT(restored->ReportActionOutcome(id, true, "", kT0),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  SLUICE_ASSERT_OK_AND_ASSIGN(v1::RolloutState state,
                              ParseRolloutState(snapshot_));
  EXPECT_EQ(state.schema_version(), kRolloutStateSchemaVersion);
  EXPECT_EQ(state.state_version(), rollout_->state_version());
}

TEST_F(SnapshotErrorTest, ReplayFromAnOlderSnapshotIssuesTheSameIds) {
  // The host crashed after Advance() but before it stored the new state: a
  // controller restoring the older snapshot issues the very same actions.
  SLUICE_ASSERT_OK(rollout_->ReportActionOutcome(actions_[0].id, true, "",
                                                 kT0 + absl::Minutes(1)));
  const std::string before = rollout_->Snapshot();
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> first,
                              rollout_->Advance(kT0 + absl::Minutes(30)));
  ASSERT_FALSE(first.empty());
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> again,
                              Rollout::Restore(fleet_, options_, before));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<Action> second,
                              again->Advance(kT0 + absl::Minutes(30)));
  EXPECT_EQ(second, first);
  EXPECT_EQ(again->Snapshot(), rollout_->Snapshot());
}

TEST_F(SnapshotErrorTest, TruncatedSnapshotsAreRefused) {
  for (size_t cut :
       {size_t{0}, size_t{1}, snapshot_.size() / 2, snapshot_.size() - 1}) {
    EXPECT_THAT(
        Rollout::Restore(fleet_, options_, snapshot_.substr(0, cut)),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("snapshot: ")))
        << "cut at " << cut;
  }
}

TEST_F(SnapshotErrorTest, CorruptedSnapshotsAreRefused) {
  for (size_t i = 0; i < snapshot_.size(); i += 7) {
    std::string bad = snapshot_;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    EXPECT_THAT(
        Rollout::Restore(fleet_, options_, bad),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("snapshot: ")))
        << "byte " << i;
  }
}

// Re-encodes a state message as snapshot bytes (with a valid checksum).
std::string Encode(const v1::RolloutState& state) {
  std::string body;
  state.SerializeToString(&body);
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ull;
  }
  body.push_back(static_cast<char>((((99 << 3) | 1) & 0x7f) | 0x80));
  body.push_back(static_cast<char>(((99 << 3) | 1) >> 7));
  for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>(h >> (8 * i)));
  return body;
}

TEST_F(SnapshotErrorTest, NewerSchemaIsRefused) {
  SLUICE_ASSERT_OK_AND_ASSIGN(v1::RolloutState state,
                              ParseRolloutState(snapshot_));
  state.clear_checksum();
  // Sanity: the re-encoding restores.
  SLUICE_ASSERT_OK(Rollout::Restore(fleet_, options_, Encode(state)).status());
  state.set_schema_version(kRolloutStateSchemaVersion + 1);
  EXPECT_THAT(Rollout::Restore(fleet_, options_, Encode(state)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(absl::StrCat(
                           "schema_version ", kRolloutStateSchemaVersion + 1,
                           " is newer than this library's"))));
}

TEST_F(SnapshotErrorTest, InconsistentStateIsRefused) {
  SLUICE_ASSERT_OK_AND_ASSIGN(v1::RolloutState state,
                              ParseRolloutState(snapshot_));
  state.clear_checksum();
  v1::RolloutState bad = state;
  bad.mutable_target_state()->resize(3);
  EXPECT_THAT(Rollout::Restore(fleet_, options_, Encode(bad)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("per-target state has the wrong size")));
  bad = state;
  bad.set_status("exploded");
  EXPECT_THAT(Rollout::Restore(fleet_, options_, Encode(bad)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown status \"exploded\"")));
}

TEST_F(SnapshotErrorTest, AnotherFleetIsRefused) {
  EXPECT_THAT(Rollout::Restore(MakeFleet(10), options_, snapshot_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the snapshot is of another fleet")));
}

TEST_F(SnapshotErrorTest, FailedRestoreLeavesTheRunningEngineAlone) {
  const std::string before = rollout_->Snapshot();
  EXPECT_FALSE(Rollout::Restore(fleet_, options_, "garbage").ok());
  EXPECT_EQ(rollout_->Snapshot(), before);
}

}  // namespace
}  // namespace sluice::rollout_test

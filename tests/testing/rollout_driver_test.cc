// Copyright 2026 The Sluice Authors.
//
// RolloutDriver: the tests' one host loop, with scheduled operator commands
// and crash-and-restore after every step.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/rollout.h"
#include "sluice/testing/testing.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixSeconds(1'764'000'000);

// Three one-target waves, each baking `bake`.
WavePlan ThreeWaves(absl::Duration bake) {
  WavePlan plan;
  plan.strategy = "test";
  for (int w = 0; w < 3; ++w) {
    Wave wave;
    wave.name = "wave " + std::to_string(w);
    wave.stage = "zone";
    wave.targets = {static_cast<Fleet::TargetIndex>(w)};
    wave.bake = bake;
    plan.waves.push_back(std::move(wave));
  }
  return plan;
}

class RolloutDriverTest : public ::testing::Test {
 protected:
  RolloutDriverTest() {
    options_.version = "2.0";
    options_.previous_version = "1.0";
    options_.event_sink = &sink_;
  }

  std::unique_ptr<Rollout> Make(absl::Duration bake = absl::Minutes(10)) {
    absl::StatusOr<std::unique_ptr<Rollout>> r =
        Rollout::Create(fleet_, ThreeWaves(bake), options_);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : nullptr;
  }

  const Fleet fleet_ = FlatFleet(3);
  RecordingEventSink sink_;
  RolloutOptions options_;
  FakeTransport transport_{3, "1.0"};
  FakeClock clock_{kT0};
};

TEST_F(RolloutDriverTest, RunsToTheEndSleepingUntilEachWakeup) {
  std::unique_ptr<Rollout> rollout = Make();
  RolloutDriver driver(*rollout, transport_, clock_);
  SLUICE_ASSERT_OK(driver.RunUntilTerminal());
  EXPECT_EQ(rollout->status(), RolloutStatus::kSucceeded);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(transport_.VersionOf(i), "2.0");
  // Three bakes of 10 minutes, and nothing slept past them.
  EXPECT_EQ(clock_.Now(), kT0 + absl::Minutes(30));
  EXPECT_EQ(driver.restores(), 0);
}

TEST_F(RolloutDriverTest, RunsScheduledCommandsAtTheirTime) {
  std::unique_ptr<Rollout> rollout = Make();
  RolloutDriver driver(*rollout, transport_, clock_);
  std::vector<absl::Time> ran;
  driver.ScheduleCommand(kT0 + absl::Minutes(40),
                         [&](Rollout& r, absl::Time now) {
                           ran.push_back(now);
                           return r.Resume("alice", now);
                         });
  driver.ScheduleCommand(kT0 + absl::Minutes(2),
                         [&](Rollout& r, absl::Time now) {
                           ran.push_back(now);
                           return r.Pause("alice", now);
                         });
  // Paused with a command pending is not settled: the driver sleeps until
  // the resume and goes on.
  SLUICE_ASSERT_OK(driver.RunUntilTerminal());
  ASSERT_EQ(ran.size(), 2u);
  EXPECT_EQ(ran[0], kT0 + absl::Minutes(2));
  EXPECT_EQ(ran[1], kT0 + absl::Minutes(40));
  EXPECT_FALSE(driver.commands_pending());
  EXPECT_EQ(rollout->status(), RolloutStatus::kSucceeded);
  EXPECT_GT(clock_.Now(), kT0 + absl::Minutes(40));
}

TEST_F(RolloutDriverTest, SettlesOnAPauseWithNoCommandLeft) {
  std::unique_ptr<Rollout> rollout = Make();
  RolloutDriver driver(*rollout, transport_, clock_);
  driver.ScheduleCommand(
      kT0 + absl::Minutes(2),
      [](Rollout& r, absl::Time now) { return r.Pause("alice", now); });
  SLUICE_ASSERT_OK(driver.RunUntilSettled());
  EXPECT_EQ(rollout->status(), RolloutStatus::kPaused);
  absl::Status terminal = driver.RunUntilTerminal();
  EXPECT_EQ(terminal.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(RolloutDriverTest, ACommandsErrorEndsTheRun) {
  std::unique_ptr<Rollout> rollout = Make();
  RolloutDriver driver(*rollout, transport_, clock_);
  driver.ScheduleCommand(kT0, [](Rollout&, absl::Time) {
    return absl::InternalError("operator tool crashed");
  });
  absl::Status s = driver.RunUntilTerminal();
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("operator tool crashed"));
}

TEST_F(RolloutDriverTest, CrashAndRestoreEveryStepEndsTheSameWay) {
  std::unique_ptr<Rollout> straight = Make();
  RolloutDriver plain(*straight, transport_, clock_);
  SLUICE_ASSERT_OK(plain.RunUntilTerminal());
  const std::vector<RolloutEvent> events = sink_.events();
  sink_.Clear();

  FakeTransport transport(3, "1.0");
  FakeClock clock(kT0);
  std::unique_ptr<Rollout> first = Make();
  RolloutDriver driver(*first, transport, clock);
  int calls = 0;
  driver.CrashAndRestoreEveryStep([&](const std::string& snapshot) {
    ++calls;
    return Rollout::Restore(fleet_, options_, snapshot);
  });
  SLUICE_ASSERT_OK(driver.RunUntilTerminal());
  EXPECT_EQ(driver.restores(), calls);
  EXPECT_GE(driver.restores(), 3);
  EXPECT_NE(&driver.rollout(), first.get());
  EXPECT_EQ(driver.rollout().status(), RolloutStatus::kSucceeded);
  EXPECT_EQ(sink_.events(), events);
  EXPECT_EQ(driver.actions().size(), plain.actions().size());
}

TEST_F(RolloutDriverTest, ARestoreErrorEndsTheStep) {
  std::unique_ptr<Rollout> rollout = Make();
  RolloutDriver driver(*rollout, transport_, clock_);
  driver.CrashAndRestoreEveryStep([](const std::string&) {
    return absl::StatusOr<std::unique_ptr<Rollout>>(
        absl::DataLossError("snapshot store lost the bytes"));
  });
  absl::StatusOr<std::vector<Action>> step = driver.Step();
  EXPECT_EQ(step.status().code(), absl::StatusCode::kDataLoss);
  // The borrowed rollout is still the one stepped.
  EXPECT_EQ(&driver.rollout(), rollout.get());
}

TEST_F(RolloutDriverTest, UnreportedDeploysReachTheProgressDeadline) {
  options_.progress_deadline = absl::Minutes(30);
  std::unique_ptr<Rollout> rollout = Make();
  RolloutDriver driver(*rollout, transport_, clock_);
  driver.set_report_deploys(false);
  SLUICE_ASSERT_OK(driver.RunUntilSettled());
  EXPECT_NE(rollout->status(), RolloutStatus::kSucceeded);
  // Deploys were issued but never carried out.
  EXPECT_EQ(transport_.VersionOf(0), "1.0");
  EXPECT_FALSE(driver.actions().empty());
  EXPECT_GE(clock_.Now(), kT0 + absl::Minutes(30));
}

}  // namespace
}  // namespace sluice::testing

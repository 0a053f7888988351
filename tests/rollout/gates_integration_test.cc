// Copyright 2026 The Sluice Authors.
//
// The engine with the built-in gates (sluice/gates.h) against the fake
// metric source: a bake watching a threshold catches a bad release at wave
// 2; crash-resume is exact with the gates' real state; a manual-approval gate
// takes Approve(); a deploy window explains itself as a blocker.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/gates.h"
#include "sluice/rollout.h"
#include "sluice/testing/fake_clock.h"
#include "sluice/testing/fake_metric_source.h"
#include "sluice/testing/rollout_testing.h"
#include "sluice/testing/status_matchers.h"
#include "tests/rollout/rollout_harness.h"

namespace sluice::rollout_test {
namespace {

using ::sluice::testing::FakeMetricSource;
using ::testing::HasSubstr;

// A 10-minute bake checking error_rate <= 1% every 2 minutes.
std::shared_ptr<const HealthGate> ErrorRateBake() {
  ThresholdCheck check;
  check.metric.name = "error_rate";
  check.metric.unit = "%";
  check.max = 1.0;
  check.window = absl::Minutes(2);
  auto threshold = NewThresholdGate("error-rate", check);
  EXPECT_TRUE(threshold.ok()) << threshold.status();
  BakeOptions bake;
  bake.duration = absl::Minutes(10);
  bake.interval = absl::Minutes(2);
  auto gate = NewBakeGate("bake", bake, *std::move(threshold));
  EXPECT_TRUE(gate.ok()) << gate.status();
  return std::shared_ptr<const HealthGate>(*std::move(gate));
}

struct GateRun {
  std::vector<Action> actions;
  std::vector<RolloutEvent> events;
  RolloutStatus status = RolloutStatus::kPending;
  std::vector<std::string> versions;
};

GateRun BadReleaseWithBake(bool crash_every_step) {
  GateRun run;
  const Fleet fleet = MakeFleet(9);
  FakeMetricSource metrics;
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0, 0.2, 400);
  // The release goes bad once wave 2 (from minute 20) takes traffic.
  metrics.SetAggregate("error_rate", Cohort::kWave, kT0 + absl::Minutes(21),
                       6.5, 900);
  testing::RecordingEventSink sink;
  RolloutOptions options;
  options.name = "bake";
  options.version = "2.0";
  options.previous_version = "1.0";
  options.gate = ErrorRateBake();
  options.metric_source = &metrics;
  options.event_sink = &sink;
  testing::FakeTransport transport(fleet.size(), "1.0");
  std::unique_ptr<Rollout> rollout =
      DriveToEnd(fleet, MakePlan({1, 3, 5}, absl::ZeroDuration()), options,
                 transport, crash_every_step, &run.actions);
  EXPECT_NE(rollout, nullptr);
  if (rollout == nullptr) return run;
  run.events = sink.events();
  run.status = rollout->status();
  for (size_t i = 0; i < fleet.size(); ++i) {
    run.versions.push_back(
        transport.VersionOf(static_cast<Fleet::TargetIndex>(i)));
  }
  return run;
}

TEST(RolloutWithGatesTest, BakeCatchesABadReleaseAtWave2) {
  const GateRun run = BadReleaseWithBake(false);
  EXPECT_EQ(run.status, RolloutStatus::kRolledBack);
  EXPECT_THAT(run.versions, ::testing::Each(std::string("1.0")));
  std::vector<RolloutEvent> verdicts;
  for (const RolloutEvent& e : run.events) {
    if (e.kind == EventKind::kGateVerdict) verdicts.push_back(e);
  }
  ASSERT_EQ(verdicts.size(), 3u);
  EXPECT_EQ(verdicts[0].verdict->outcome, Outcome::kPass);
  EXPECT_EQ(verdicts[1].verdict->outcome, Outcome::kPass);
  EXPECT_EQ(verdicts[2].wave, 2);
  EXPECT_EQ(verdicts[2].verdict->outcome, Outcome::kFail);
  EXPECT_EQ(verdicts[2].time, kT0 + absl::Minutes(22));
  EXPECT_THAT(verdicts[2].message, HasSubstr("6.5"));
}

TEST(RolloutWithGatesTest, CrashResumeIsExactWithRealGateState) {
  const GateRun straight = BadReleaseWithBake(false);
  const GateRun crashed = BadReleaseWithBake(true);
  EXPECT_EQ(crashed.status, straight.status);
  EXPECT_EQ(crashed.actions, straight.actions);
  EXPECT_EQ(crashed.events, straight.events);
}

TEST(RolloutWithGatesTest, ManualApprovalGateTakesApprove) {
  const Fleet fleet = MakeFleet(4);
  auto approval = NewManualApprovalGate("release-manager", {});
  ASSERT_TRUE(approval.ok()) << approval.status();
  testing::RecordingEventSink sink;
  RolloutOptions options;
  options.version = "2.0";
  options.previous_version = "1.0";
  options.stage_gates["zone"] =
      std::shared_ptr<const HealthGate>(*std::move(approval));
  options.event_sink = &sink;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> rollout,
      Rollout::Create(fleet, MakePlan({1, 3}, absl::ZeroDuration()), options));
  testing::FakeTransport transport(fleet.size(), "1.0");
  testing::FakeClock clock(kT0);
  testing::RolloutDriver driver(*rollout, transport, clock);
  for (int i = 0; i < 10; ++i) SLUICE_ASSERT_OK(driver.Step().status());
  ASSERT_EQ(rollout->current_wave(), 1);
  ASSERT_EQ(rollout->wave_phase(), WavePhase::kVerifying);
  std::vector<Blocker> blockers = rollout->Blockers(clock.Now());
  ASSERT_EQ(blockers.size(), 1u);
  EXPECT_EQ(blockers[0].kind, Blocker::Kind::kApproval);
  EXPECT_EQ(blockers[0].until, absl::InfiniteFuture());
  SLUICE_ASSERT_OK(rollout->Approve("rm@example.com", clock.Now()));
  SLUICE_ASSERT_OK(driver.RunUntilTerminal());
  EXPECT_EQ(rollout->status(), RolloutStatus::kSucceeded);
}

TEST(RolloutWithGatesTest, DeployWindowExplainsItselfAsABlocker) {
  const Fleet fleet = MakeFleet(3);
  DeployWindowOptions hours;
  hours.time_zone = "America/New_York";
  hours.windows.push_back({{absl::Weekday::monday, absl::Weekday::tuesday,
                            absl::Weekday::wednesday, absl::Weekday::thursday},
                           absl::Hours(9),
                           absl::Hours(16)});
  auto window = NewDeployWindowGate("business-hours", hours);
  ASSERT_TRUE(window.ok()) << window.status();
  RolloutOptions options;
  options.version = "2.0";
  options.previous_version = "1.0";
  options.gate = std::shared_ptr<const HealthGate>(*std::move(window));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Rollout> rollout,
      Rollout::Create(fleet, MakePlan({1, 2}, absl::ZeroDuration()), options));
  // Friday 2026-11-27 17:00 New York: the window opens Monday 09:00.
  absl::TimeZone ny;
  ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &ny));
  const absl::Time friday =
      absl::FromCivil(absl::CivilHour(2026, 11, 27, 17), ny);
  const absl::Time monday =
      absl::FromCivil(absl::CivilHour(2026, 11, 30, 9), ny);
  testing::FakeTransport transport(fleet.size(), "1.0");
  testing::FakeClock clock(friday);
  testing::RolloutDriver driver(*rollout, transport, clock);
  for (int i = 0; i < 3; ++i) {
    SLUICE_ASSERT_OK(driver.Step(absl::Minutes(1)).status());
  }
  const std::vector<Blocker> blockers = rollout->Blockers(clock.Now());
  ASSERT_EQ(blockers.size(), 1u);
  EXPECT_EQ(blockers[0].kind, Blocker::Kind::kGate);
  EXPECT_EQ(blockers[0].until, monday);
  EXPECT_FALSE(blockers[0].reason.empty());
  EXPECT_THAT(DescribeBlocker(blockers[0], clock.Now()), HasSubstr("left)"));
}

}  // namespace
}  // namespace sluice::rollout_test

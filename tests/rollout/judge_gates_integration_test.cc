// Copyright 2026 The Sluice Authors.
//
// The engine with the sequential count gate (sluice/judge_gates.h) against
// the fake metric source: the gate catches a release whose error rate rises
// at wave 2, and crash-resume after every step is exact although the gate's
// streaming test lives in the snapshotted GateState.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/judge_gates.h"
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

// Errors watched for 10 minutes per wave, checked every minute.
std::shared_ptr<const HealthGate> ErrorsSequential() {
  SequentialCountGateOptions options;
  options.metric.name = "errors";
  options.test.canary_share = 0.1;
  options.test.prior_concentration = 30;
  options.duration = absl::Minutes(10);
  auto gate = NewSequentialCountGate("errors sequential", options);
  EXPECT_TRUE(gate.ok()) << gate.status();
  return std::shared_ptr<const HealthGate>(*std::move(gate));
}

struct GateRun {
  std::vector<Action> actions;
  std::vector<RolloutEvent> events;
  RolloutStatus status = RolloutStatus::kPending;
};

GateRun BadReleaseWithSequentialGate(bool crash_every_step) {
  GateRun run;
  const Fleet fleet = MakeFleet(9);
  FakeMetricSource metrics;
  // Per one-minute check: 3 errors on the wave, 27 on the baseline (the
  // wave's 10% share); the release goes bad once wave 2 takes traffic.
  metrics.SetAggregate("errors", Cohort::kWave, kT0, 3);
  metrics.SetAggregate("errors", Cohort::kBaseline, kT0, 27);
  metrics.SetAggregate("errors", Cohort::kWave, kT0 + absl::Minutes(21), 12);
  testing::RecordingEventSink sink;
  RolloutOptions options;
  options.name = "sequential";
  options.version = "2.0";
  options.previous_version = "1.0";
  options.gate = ErrorsSequential();
  options.metric_source = &metrics;
  options.event_sink = &sink;
  testing::FakeTransport transport(fleet.size(), "1.0");
  std::unique_ptr<Rollout> rollout =
      DriveToEnd(fleet, MakePlan({1, 3, 3, 2}, absl::ZeroDuration()), options,
                 transport, crash_every_step, &run.actions);
  EXPECT_NE(rollout, nullptr);
  if (rollout == nullptr) return run;
  run.events = sink.events();
  run.status = rollout->status();
  return run;
}

TEST(RolloutWithJudgeGatesTest, SequentialCountGateCatchesWave2) {
  const GateRun run = BadReleaseWithSequentialGate(false);
  EXPECT_EQ(run.status, RolloutStatus::kRolledBack);
  std::vector<RolloutEvent> verdicts;
  for (const RolloutEvent& e : run.events) {
    if (e.kind == EventKind::kGateVerdict) verdicts.push_back(e);
  }
  ASSERT_EQ(verdicts.size(), 3u);
  EXPECT_EQ(verdicts[0].verdict->outcome, Outcome::kPass);
  EXPECT_EQ(verdicts[1].verdict->outcome, Outcome::kPass);
  EXPECT_EQ(verdicts[2].wave, 2);
  EXPECT_EQ(verdicts[2].verdict->outcome, Outcome::kFail);
  // Well before the 10-minute watch would end.
  EXPECT_LT(verdicts[2].time, kT0 + absl::Minutes(27));
  EXPECT_THAT(verdicts[2].message, HasSubstr("higher on wave 2"));
}

TEST(RolloutWithJudgeGatesTest, CrashResumeIsExact) {
  const GateRun straight = BadReleaseWithSequentialGate(false);
  const GateRun crashed = BadReleaseWithSequentialGate(true);
  EXPECT_EQ(crashed.status, straight.status);
  EXPECT_EQ(crashed.actions, straight.actions);
  EXPECT_EQ(crashed.events, straight.events);
}

}  // namespace
}  // namespace sluice::rollout_test

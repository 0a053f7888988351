// Copyright 2026 The Sluice Authors.
//
// The testing kit's mocks, each used by the real code that calls the
// interface it mocks, and the one header that includes the whole kit.

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/composite_scheduler.h"
#include "sluice/gate_combinators.h"
#include "sluice/metric_checks.h"
#include "sluice/rollout.h"
#include "sluice/sim/sim_sources.h"
#include "sluice/testing/testing.h"

namespace sluice::testing {
namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::SizeIs;

const absl::Time kT0 = absl::FromUnixSeconds(1'764'000'000);

TEST(MockMetricSourceTest, SeesTheQueriesOfAThresholdGate) {
  MockMetricSource metrics;
  ThresholdCheck check;
  check.metric.name = "error_rate";
  check.max = 1.0;
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<HealthGate> gate,
                              NewThresholdGate("errors", check));
  const std::vector<std::string> wave = {"web-0"};
  EXPECT_CALL(metrics, Query(AllOf(Field(&MetricQuery::metric, "error_rate"),
                                   Field(&MetricQuery::cohort, Cohort::kWave),
                                   Field(&MetricQuery::targets, SizeIs(1)))))
      .WillOnce(Return(MetricResult::FromAggregate(7.5)));
  GateContext context;
  context.now = kT0;
  context.wave_index = 0;
  context.wave_targets = wave;
  context.metric_source = &metrics;
  GateState state;
  EXPECT_EQ(gate->Evaluate(context, state).outcome, Outcome::kFail);
}

TEST(MockAlarmSourceTest, SeesTheQueriesOfAnAlarmGate) {
  MockAlarmSource alarms;
  AlarmCheck check;
  check.alarms = {"5xx-high"};
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<HealthGate> gate,
                              NewAlarmGate("alarms", check));
  EXPECT_CALL(alarms, QueryAlarms(_))
      .WillOnce(Return(std::vector<AlarmStatus>{
          {"5xx-high", AlarmState::kAlarm, "threshold crossed"}}));
  GateContext context;
  context.now = kT0;
  context.alarm_source = &alarms;
  GateState state;
  const Verdict v = gate->Evaluate(context, state);
  EXPECT_EQ(v.outcome, Outcome::kFail);
  EXPECT_THAT(v.reason, HasSubstr("5xx-high"));
}

TEST(MockHealthGateTest, IsACombinatorsChild) {
  auto child = std::make_unique<MockHealthGate>();
  ON_CALL(*child, name()).WillByDefault(Return("scripted"));
  EXPECT_CALL(*child, Evaluate)
      .WillOnce(Return(Verdict::Fail("scripted", "looked bad")));
  std::vector<std::unique_ptr<HealthGate>> children;
  children.push_back(std::move(child));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<HealthGate> all,
                              NewAllOfGate("all", std::move(children)));
  GateContext context;
  context.now = kT0;
  GateState state;
  EXPECT_EQ(all->Evaluate(context, state).outcome, Outcome::kFail);
}

TEST(MockWaveSchedulerTest, PlansAStageOfACompositeAndCanKeepTheDefault) {
  auto stage = std::make_unique<MockWaveScheduler>();
  MockWaveScheduler* mock = stage.get();
  ON_CALL(*mock, name()).WillByDefault(Return("mock"));
  // Plan() makes one wave of every target; PlanSubset() keeps the
  // interface's default, which plans a fleet of the subset with Plan().
  EXPECT_CALL(*mock, Plan(_)).WillOnce([](const Fleet& fleet) {
    WavePlan plan;
    plan.strategy = "mock";
    Wave wave;
    wave.name = "all";
    for (size_t i = 0; i < fleet.size(); ++i) {
      wave.targets.push_back(static_cast<Fleet::TargetIndex>(i));
    }
    plan.waves.push_back(std::move(wave));
    return plan;
  });
  EXPECT_CALL(*mock, PlanSubset(_, SizeIs(4)))
      .WillOnce([mock](const Fleet& f, absl::Span<const Fleet::TargetIndex> s) {
        return mock->CallDefaultPlanSubset(f, s);
      });
  CompositeOptions options;
  CompositeStage only;
  only.name = "everything";
  only.scheduler = std::move(stage);
  options.stages.push_back(std::move(only));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> composite,
                              NewCompositeScheduler(std::move(options)));
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan, composite->Plan(FlatFleet(4)));
  ASSERT_EQ(plan.waves.size(), 1u);
  EXPECT_EQ(plan.waves[0].targets.size(), 4u);
  EXPECT_EQ(plan.waves[0].stage, "everything");
}

// A one-wave plan over `n` targets with no bake.
WavePlan OneWave(int n) {
  WavePlan plan;
  plan.strategy = "test";
  Wave wave;
  wave.name = "all";
  wave.stage = "zone";
  for (int i = 0; i < n; ++i) wave.targets.push_back(i);
  plan.waves.push_back(std::move(wave));
  return plan;
}

TEST(MockRollbackPolicyTest, DecidesForARolloutWhoseGateFailed) {
  auto gate = std::make_shared<MockHealthGate>();
  ON_CALL(*gate, name()).WillByDefault(Return("scripted"));
  ON_CALL(*gate, Evaluate)
      .WillByDefault(Return(Verdict::Fail("scripted", "looked bad")));
  auto policy = std::make_shared<MockRollbackPolicy>();
  ON_CALL(*policy, name()).WillByDefault(Return("mock"));
  EXPECT_CALL(
      *policy,
      Decide(AllOf(Field(&FailureContext::trigger, FailureTrigger::kGateFail),
                   Field(&FailureContext::wave_index, 0),
                   Field(&FailureContext::anything_deployed, true))))
      .WillOnce(Return(Decision::PauseAndEscalate("a person looks first")));
  RolloutOptions options;
  options.version = "2.0";
  options.previous_version = "1.0";
  options.gate = gate;
  options.rollback_policy = policy;
  const Fleet fleet = FlatFleet(3);
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> rollout,
                              Rollout::Create(fleet, OneWave(3), options));
  FakeTransport transport(fleet.size(), "1.0");
  FakeClock clock(kT0);
  RolloutDriver driver(*rollout, transport, clock);
  SLUICE_ASSERT_OK(driver.RunUntilSettled());
  EXPECT_EQ(rollout->status(), RolloutStatus::kPaused);
  // Paused, not rolled back: the targets keep the new version.
  EXPECT_EQ(transport.VersionOf(0), "2.0");
}

TEST(MockEventSinkTest, ReceivesTheRolloutsEvents) {
  MockEventSink sink;
  EXPECT_CALL(sink, OnEvent(_)).Times(::testing::AnyNumber());
  EXPECT_CALL(sink,
              OnEvent(Field(&RolloutEvent::kind, EventKind::kRolloutStarted)));
  EXPECT_CALL(sink, OnEvent(AllOf(
                        Field(&RolloutEvent::kind, EventKind::kRolloutFinished),
                        Field(&RolloutEvent::status, "succeeded"))));
  RolloutOptions options;
  options.version = "2.0";
  options.previous_version = "1.0";
  options.event_sink = &sink;
  const Fleet fleet = FlatFleet(2);
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Rollout> rollout,
                              Rollout::Create(fleet, OneWave(2), options));
  FakeTransport transport(fleet.size(), "1.0");
  FakeClock clock(kT0);
  RolloutDriver driver(*rollout, transport, clock);
  SLUICE_ASSERT_OK(driver.RunUntilTerminal());
}

// One manual clock: the tests' FakeClock is the simulator's VirtualClock.
static_assert(std::is_same_v<FakeClock, ManualClock>);
static_assert(std::is_same_v<sim::VirtualClock, ManualClock>);

TEST(MockClockTest, CanBeScripted) {
  MockClock clock;
  EXPECT_CALL(clock, Now()).WillOnce(Return(kT0));
  const Clock& as_clock = clock;
  EXPECT_EQ(as_clock.Now(), kT0);
}

}  // namespace
}  // namespace sluice::testing

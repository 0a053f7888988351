// Copyright 2026 The Sluice Authors.
//
// The unit test of our business-hours rollback policy, written with
// sluice/testing: its decisions as a table, and a rollout driven end to end
// with the fake transport, clock and event recorder.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "examples/custom_rollback_policy_lib.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/rollout.h"
#include "sluice/testing/fake_clock.h"
#include "sluice/testing/rollout_testing.h"
#include "sluice/testing/status_matchers.h"

namespace example {
namespace {

using ::sluice::Decision;
using ::sluice::FailureTrigger;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

const absl::TimeZone kNewYork = absl::FixedTimeZone(-5 * 3600);

absl::Time At(int day, int hour) {  // December 2026; the 1st is a Tuesday
  return absl::FromCivil(absl::CivilHour(2026, 12, day, hour), kNewYork);
}

std::unique_ptr<sluice::RollbackPolicy> Policy() {
  BusinessHours hours;
  hours.zone = kNewYork;
  return *NewBusinessHoursPolicy(hours);
}

sluice::FailureContext Failure(FailureTrigger trigger, int wave, absl::Time now,
                               int attempt = 1) {
  sluice::FailureContext c;
  c.trigger = trigger;
  c.wave_index = wave;
  c.wave_count = 3;
  c.now = now;
  c.attempt = attempt;
  return c;
}

TEST(BusinessHoursPolicyTest, Decisions) {
  struct Row {
    FailureTrigger trigger;
    int wave;
    absl::Time now;
    int attempt;
    Decision::Kind want;
  };
  const std::vector<Row> table = {
      // Tuesday 10:00: canary failures pause; later ones roll back.
      {FailureTrigger::kGateFail, 0, At(1, 10), 1,
       Decision::Kind::kRollBackCurrentWaveAndPause},
      {FailureTrigger::kGateFail, 2, At(1, 10), 1,
       Decision::Kind::kRollBackAll},
      {FailureTrigger::kDeployFailures, 0, At(1, 17), 1,
       Decision::Kind::kRollBackCurrentWaveAndPause},
      // Tuesday 20:00 and Saturday noon: roll everything back.
      {FailureTrigger::kGateFail, 0, At(1, 20), 1,
       Decision::Kind::kRollBackAll},
      {FailureTrigger::kGateError, 0, At(5, 12), 1,
       Decision::Kind::kRollBackAll},
      // Inconclusive: one retry, then a person.
      {FailureTrigger::kGateInconclusive, 1, At(1, 10), 1,
       Decision::Kind::kRetryWave},
      {FailureTrigger::kGateInconclusive, 1, At(1, 10), 2,
       Decision::Kind::kPauseAndEscalate},
  };
  std::unique_ptr<sluice::RollbackPolicy> policy = Policy();
  for (const Row& row : table) {
    SCOPED_TRACE(absl::StrCat(sluice::FailureTriggerName(row.trigger), " wave ",
                              row.wave, " at ",
                              absl::FormatTime(row.now, kNewYork)));
    EXPECT_EQ(
        policy->Decide(Failure(row.trigger, row.wave, row.now, row.attempt))
            .kind,
        row.want);
  }
}

TEST(BusinessHoursPolicyTest, NightRollbackIsAllAtOnce) {
  const Decision d =
      Policy()->Decide(Failure(FailureTrigger::kGateFail, 1, At(2, 3)));
  EXPECT_EQ(d.order, sluice::RollbackOrder::kAllAtOnce);
  EXPECT_THAT(d.reason, HasSubstr("outside business hours"));
}

TEST(BusinessHoursPolicyTest, ValidatesHours) {
  BusinessHours hours;
  hours.start_hour = 18;
  hours.end_hour = 9;
  EXPECT_THAT(NewBusinessHoursPolicy(hours),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("start_hour, end_hour")));
}

// A gate that fails every wave: the policy alone decides what happens.
class AlwaysFails : public sluice::HealthGate {
 public:
  std::string name() const override { return "always-fails"; }
  sluice::Verdict Evaluate(const sluice::GateContext&,
                           sluice::GateState&) const override {
    return sluice::Verdict::Fail(name(), "bad release");
  }
};

TEST(BusinessHoursPolicyTest, CanaryFailureInTheDayPausesWithTheCanaryBack) {
  std::vector<sluice::Target> targets(4);
  for (int i = 0; i < 4; ++i) {
    targets[i].id = absl::StrCat("web-", i);
    targets[i].topology = {"us-east-1", "use1-az1", ""};
  }
  SLUICE_ASSERT_OK_AND_ASSIGN(sluice::Fleet fleet,
                              sluice::Fleet::Create(targets));
  sluice::WavePlan plan;
  plan.waves.resize(2);
  plan.waves[0].targets = {0};
  plan.waves[1].targets = {1, 2, 3};
  sluice::testing::RecordingEventSink events;
  sluice::RolloutOptions options;
  options.version = "2";
  options.previous_version = "1";
  options.gate = std::make_shared<AlwaysFails>();
  options.rollback_policy = Policy();
  options.event_sink = &events;
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<sluice::Rollout> rollout,
                              sluice::Rollout::Create(fleet, plan, options));
  sluice::testing::FakeTransport transport(fleet.size(), "1");
  sluice::testing::FakeClock clock(At(1, 10));
  sluice::testing::RolloutDriver driver(*rollout, transport, clock);
  SLUICE_ASSERT_OK(driver.RunUntilSettled());
  EXPECT_EQ(rollout->status(), sluice::RolloutStatus::kPaused);
  EXPECT_EQ(transport.VersionOf(0), "1");
  const std::vector<sluice::RolloutEvent> decisions =
      events.OfKind(sluice::EventKind::kPolicyDecision);
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_THAT(decisions[0].message, HasSubstr("business-hours(9-18)"));
  // The person aborts; nothing else is left to undo.
  SLUICE_ASSERT_OK(rollout->Abort("oncall@example.com", clock.Now()));
  SLUICE_ASSERT_OK(driver.RunUntilTerminal());
  EXPECT_EQ(rollout->status(), sluice::RolloutStatus::kAborted);
}

}  // namespace
}  // namespace example

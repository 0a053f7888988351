// Copyright 2026 The Sluice Authors.
//
// The alarm gate: ALARM fails; INSUFFICIENT_DATA is a parameter
// (AppConfig rolls back on it, CodeDeploy can ignore it).

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/gates.h"
#include "sluice/testing/fake_metric_source.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

// 2023-11-14T22:13:20Z, a Tuesday.
absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

using ::sluice::testing::DriveGate;
using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::MockAlarmSource;
using ::sluice::testing::StatusIs;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Return;

AlarmCheck Alarms(
    InsufficientDataPolicy policy = InsufficientDataPolicy::kFail) {
  AlarmCheck c;
  c.alarms = {"HighErrors", "HighLatency"};
  c.insufficient_data = policy;
  return c;
}

struct Case {
  AlarmState errors, latency;
  InsufficientDataPolicy policy;
  Outcome want;
  std::string reason;
};

TEST(AlarmGateTest, States) {
  using P = InsufficientDataPolicy;
  using S = AlarmState;
  std::vector<Case> cases = {
      {S::kOk, S::kOk, P::kFail, Outcome::kPass, "all 2 alarms OK"},
      {S::kAlarm, S::kOk, P::kIgnore, Outcome::kFail,
       "1 of 2 alarms in ALARM: HighErrors (5xx > 1%)"},
      {S::kAlarm, S::kAlarm, P::kFail, Outcome::kFail,
       "2 of 2 alarms in ALARM"},
      {S::kInsufficientData, S::kOk, P::kFail, Outcome::kFail,
       "HighErrors (5xx > 1%) in INSUFFICIENT_DATA (insufficient_data: fail)"},
      {S::kInsufficientData, S::kOk, P::kIgnore, Outcome::kPass,
       "ignored (insufficient_data: ignore)"},
      {S::kInsufficientData, S::kOk, P::kInconclusive, Outcome::kInconclusive,
       "(insufficient_data: inconclusive)"},
      {S::kInsufficientData, S::kAlarm, P::kIgnore, Outcome::kFail,
       "1 of 2 alarms in ALARM: HighLatency"},
  };
  for (const Case& c : cases) {
    Harness h;
    h.alarms.SetState("HighErrors", T0(), c.errors, "5xx > 1%");
    h.alarms.SetState("HighLatency", T0(), c.latency);
    SLUICE_ASSERT_OK_AND_ASSIGN(auto gate,
                                NewAlarmGate("alarms", Alarms(c.policy)));
    GateState state;
    Verdict v = gate->Evaluate(h.Context(T0()), state);
    EXPECT_EQ(v.outcome, c.want) << v;
    EXPECT_THAT(v.reason, HasSubstr(c.reason));
  }
}

TEST(AlarmGateTest, QueryNamesAlarmsWaveAndTime) {
  Harness h;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAlarmGate("alarms", Alarms()));
  GateState state;
  gate->Evaluate(h.Context(T0()), state);
  auto q = h.alarms.queries();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_THAT(q[0].alarms, ElementsAre("HighErrors", "HighLatency"));
  EXPECT_THAT(q[0].targets, ElementsAre("web-1", "web-2"));
  EXPECT_EQ(q[0].wave_index, 2);
  EXPECT_EQ(q[0].now, T0());
}

TEST(AlarmGateTest, FollowsAlarmStateOverTime) {
  Harness h;
  h.alarms.SetState("HighErrors", T0() + absl::Minutes(1), AlarmState::kAlarm);
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAlarmGate("alarms", Alarms()));
  GateState before, after;
  EXPECT_EQ(gate->Evaluate(h.Context(T0()), before).outcome, Outcome::kPass);
  EXPECT_EQ(gate->Evaluate(h.Context(T0() + absl::Minutes(1)), after).outcome,
            Outcome::kFail);
}

TEST(AlarmGateTest, UnreportedAlarmIsAnError) {
  Harness h;
  h.alarms.Forget("HighLatency", T0());
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAlarmGate("alarms", Alarms()));
  GateState state;
  Verdict v = gate->Evaluate(h.Context(T0()), state);
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_THAT(v.reason,
              HasSubstr("the alarm source did not report: HighLatency"));
}

TEST(AlarmGateTest, OutageIsRetriedEveryTenSeconds) {
  Harness h;
  h.alarms.SetError(T0(), absl::UnavailableError("throttled"));
  h.alarms.SetError(T0() + absl::Seconds(15), absl::OkStatus());
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAlarmGate("alarms", Alarms()));
  GateState state;
  testing::GateRun run = DriveGate(*gate, h, state, T0());
  EXPECT_EQ(run.verdict.outcome, Outcome::kPass);
  EXPECT_THAT(run.evaluations, ElementsAre(T0(), T0() + absl::Seconds(10),
                                           T0() + absl::Seconds(20)));
}

TEST(AlarmGateTest, WorksWithAMockSource) {
  Harness h;
  MockAlarmSource mock;
  EXPECT_CALL(mock,
              QueryAlarms(Field(&AlarmQuery::alarms,
                                ElementsAre("HighErrors", "HighLatency"))))
      .WillOnce(Return(std::vector<AlarmStatus>{
          {"HighLatency", AlarmState::kOk, ""},
          {"HighErrors", AlarmState::kAlarm, "burning"}}));
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAlarmGate("alarms", Alarms()));
  GateState state;
  GateContext context = h.Context(T0());
  context.alarm_source = &mock;
  Verdict v = gate->Evaluate(context, state);
  EXPECT_EQ(v.outcome, Outcome::kFail);
  EXPECT_THAT(v.reason, HasSubstr("HighErrors (burning)"));
  EXPECT_EQ(v.FindObservation("in_alarm")->value, 1);
}

TEST(AlarmGateTest, NoAlarmSourceIsAnError) {
  Harness h;
  SLUICE_ASSERT_OK_AND_ASSIGN(auto gate, NewAlarmGate("alarms", Alarms()));
  GateState state;
  GateContext context = h.Context(T0());
  context.alarm_source = nullptr;
  Verdict v = gate->Evaluate(context, state);
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_THAT(v.reason, HasSubstr("alarm_source is null"));
}

TEST(AlarmGateTest, BadInputNamesTheField) {
  EXPECT_THAT(NewAlarmGate("a", AlarmCheck{}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("alarms: must not be empty")));
  AlarmCheck dup;
  dup.alarms = {"A", "B", "A"};
  EXPECT_THAT(NewAlarmGate("a", dup),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("alarms[2]: duplicate alarm \"A\" (first at "
                                 "alarms[0])")));
  AlarmCheck empty_name;
  empty_name.alarms = {""};
  EXPECT_THAT(NewAlarmGate("a", empty_name),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("alarms[0]: must not be empty")));
}

}  // namespace
}  // namespace sluice

// Copyright 2026 The Sluice Authors.
//
// GateState <-> sluice.v1.GateState: snapshots round-trip and a restored
// state carries on.

#include "sluice/gate_state_proto.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "sluice/gates.h"
#include "sluice/testing/gate_harness.h"
#include "sluice/testing/status_matchers.h"

namespace sluice {
namespace {

// 2023-11-14T22:13:20Z, a Tuesday.
absl::Time T0() { return absl::FromUnixSeconds(1700000000); }

using ::sluice::testing::DriveGate;
using Harness = ::sluice::testing::GateHarness;
using ::sluice::testing::IsOkAndHolds;
using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

std::unique_ptr<HealthGate> Analysis() {
  ThresholdCheck a;
  a.metric.name = "a";
  a.max = 5;
  AnalysisMetric m1;
  m1.check = a;
  m1.count = 4;
  m1.interval = absl::Minutes(1);
  m1.failure_limit = 1;
  AlarmCheck alarms;
  alarms.alarms = {"A"};
  AnalysisMetric m2;
  m2.check = alarms;
  auto analysis = NewAnalysisGate("analysis", {m1, m2});
  std::vector<std::unique_ptr<HealthGate>> gates;
  gates.push_back(*std::move(analysis));
  return *NewAllOfGate("all", std::move(gates));
}

TEST(GateStateProtoTest, RoundTripsMidRunAndResumes) {
  Harness h;
  h.metrics.QueueResponse("a", Cohort::kWave,
                          MetricResult::FromAggregate(1, 10));
  h.metrics.QueueResponse("a", Cohort::kWave, absl::UnavailableError("blip"));
  h.metrics.QueueResponse("a", Cohort::kWave,
                          MetricResult::FromAggregate(9, 10));
  h.metrics.SetAggregate("a", Cohort::kWave, T0(), 1, 10);
  auto gate = Analysis();
  GateState state;
  const absl::Time t = T0() + absl::Nanoseconds(123);  // sub-second times too
  gate->Evaluate(h.Context(t), state);
  gate->Evaluate(h.Context(t + absl::Minutes(1)), state);
  gate->Evaluate(h.Context(t + absl::Minutes(1) + absl::Seconds(10)), state);

  v1::GateState proto = GateStateToProto(state);
  EXPECT_THAT(GateStateFromProto(proto), IsOkAndHolds(state));
  // Through text, as a store would keep it.
  std::string text;
  ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(proto, &text));
  v1::GateState parsed;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &parsed));
  SLUICE_ASSERT_OK_AND_ASSIGN(GateState restored, GateStateFromProto(parsed));
  EXPECT_EQ(restored, state);

  // The restored state and the original reach the same verdict.
  Harness h2;
  h2.metrics.SetAggregate("a", Cohort::kWave, T0(), 1, 10);
  Harness h3;
  h3.metrics.SetAggregate("a", Cohort::kWave, T0(), 1, 10);
  const absl::Time resume = t + absl::Minutes(2) + absl::Seconds(10);
  testing::GateRun a = DriveGate(*gate, h2, state, resume);
  testing::GateRun b = DriveGate(*Analysis(), h3, restored, resume);
  EXPECT_EQ(a.verdict, b.verdict);
  EXPECT_EQ(a.verdict.outcome, Outcome::kPass);
  EXPECT_EQ(state, restored);
}

TEST(GateStateProtoTest, EmptyStateLeavesStartUnset) {
  v1::GateState proto = GateStateToProto(GateState{});
  EXPECT_FALSE(proto.has_started_at());
  EXPECT_THAT(GateStateFromProto(proto), IsOkAndHolds(GateState{}));
}

TEST(GateStateProtoTest, TimesBeforeTheEpochRoundTrip) {
  GateState s;
  s.started_at = absl::UnixEpoch() - absl::Milliseconds(1500);
  v1::GateState proto = GateStateToProto(s);
  EXPECT_EQ(proto.started_at().seconds(), -2);
  EXPECT_EQ(proto.started_at().nanos(), 500000000);
  EXPECT_THAT(GateStateFromProto(proto), IsOkAndHolds(s));
}

TEST(GateStateProtoTest, BadMessagesNameTheField) {
  v1::GateState p;
  p.add_children()->add_children()->add_measurements()->set_phase("MAYBE");
  EXPECT_THAT(
      GateStateFromProto(p),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("children[0].children[0].measurements[0].phase: "
                         "unknown outcome \"MAYBE\"")));
  v1::GateState q;
  q.add_children()->set_count(-1);
  EXPECT_THAT(GateStateFromProto(q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("children[0].count: must be >= 0 (got -1)")));
  v1::GateState r;
  r.set_completed("HOLD");
  EXPECT_THAT(GateStateFromProto(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("completed: unknown outcome \"HOLD\"")));
  v1::GateState t;
  t.mutable_started_at()->set_nanos(-1);
  EXPECT_THAT(GateStateFromProto(t),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("started_at: nanos must be in [0, 1e9)")));
}

TEST(GateStateProtoTest, TooDeepIsRejected) {
  v1::GateState p;
  v1::GateState* node = &p;
  for (int i = 0; i < 70; ++i) node = node->add_children();
  EXPECT_THAT(GateStateFromProto(p),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("nested deeper than 64 levels")));
}

}  // namespace
}  // namespace sluice

// Copyright 2026 The Sluice Authors.
//
// The fakes users script their gate tests with, and the value types of the
// gate interfaces.

#include "sluice/testing/fake_metric_source.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/health_gate.h"
#include "sluice/metric_source.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/verdict.h"

namespace sluice {
namespace {

using ::sluice::testing::FakeAlarmSource;
using ::sluice::testing::FakeMetricSource;
using ::sluice::testing::IsOkAndHolds;
using ::sluice::testing::MockMetricSource;
using ::sluice::testing::StatusIs;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Return;

absl::Time T(int minutes) {
  return absl::FromUnixSeconds(1700000000) + absl::Minutes(minutes);
}

MetricQuery Query(const std::string& metric, Cohort cohort, absl::Time end,
                  absl::Duration window = absl::Minutes(5)) {
  MetricQuery q;
  q.metric = metric;
  q.cohort = cohort;
  q.start = end - window;
  q.end = end;
  return q;
}

TEST(FakeMetricSourceTest, ScriptOverVirtualTime) {
  FakeMetricSource m;
  m.SetAggregate("lat", Cohort::kWave, T(0), 100, 50);
  m.SetError("lat", Cohort::kWave, T(10), absl::UnavailableError("down"));
  m.SetNoData("lat", Cohort::kWave, T(20));
  m.SetAggregate("lat", Cohort::kWave, T(30), 200);
  // Before the first step: the (empty) series.
  EXPECT_THAT(m.Query(Query("lat", Cohort::kWave, T(-1))),
              IsOkAndHolds(MetricResult::NoData("no samples in window")));
  EXPECT_THAT(m.Query(Query("lat", Cohort::kWave, T(5))),
              IsOkAndHolds(MetricResult::FromAggregate(100, 50)));
  EXPECT_THAT(m.Query(Query("lat", Cohort::kWave, T(10))),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("down")));
  EXPECT_THAT(m.Query(Query("lat", Cohort::kWave, T(25))),
              IsOkAndHolds(MetricResult::NoData("scripted")));
  EXPECT_THAT(m.Query(Query("lat", Cohort::kWave, T(99))),
              IsOkAndHolds(MetricResult::FromAggregate(200)));
  // Other cohorts and metrics are separate.
  EXPECT_THAT(m.Query(Query("lat", Cohort::kBaseline, T(5))),
              IsOkAndHolds(MetricResult::NoData("not scripted")));
  EXPECT_EQ(m.query_count(), 6u);
}

TEST(FakeMetricSourceTest, QueuedResponsesComeFirst) {
  FakeMetricSource m;
  m.SetAggregate("x", Cohort::kWave, T(0), 1);
  m.QueueResponse("x", Cohort::kWave, absl::DeadlineExceededError("slow"));
  m.QueueResponse("x", Cohort::kWave, MetricResult::FromAggregate(7));
  EXPECT_THAT(m.Query(Query("x", Cohort::kWave, T(1))),
              StatusIs(absl::StatusCode::kDeadlineExceeded, _));
  EXPECT_THAT(m.Query(Query("x", Cohort::kWave, T(1))),
              IsOkAndHolds(MetricResult::FromAggregate(7)));
  EXPECT_THAT(m.Query(Query("x", Cohort::kWave, T(1))),
              IsOkAndHolds(MetricResult::FromAggregate(1)));
}

TEST(FakeMetricSourceTest, SamplesInTheWindowSorted) {
  FakeMetricSource m;
  m.AddSamples("x", Cohort::kWave,
               {{T(3), 3}, {T(1), 1}, {T(9), 9}, {T(5), 5}});
  absl::StatusOr<MetricResult> r = m.Query(Query("x", Cohort::kWave, T(5)));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, MetricResult::Kind::kSamples);
  EXPECT_THAT(r->samples, ElementsAre(Sample{T(1), 1}, Sample{T(3), 3}));
  // A scripted step hides the samples until UseSamples.
  m.SetAggregate("x", Cohort::kWave, T(6), 42);
  m.UseSamples("x", Cohort::kWave, T(8));
  EXPECT_THAT(m.Query(Query("x", Cohort::kWave, T(7))),
              IsOkAndHolds(MetricResult::FromAggregate(42)));
  r = m.Query(Query("x", Cohort::kWave, T(10)));
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->samples, ElementsAre(Sample{T(5), 5}, Sample{T(9), 9}));
}

TEST(FakeMetricSourceTest, RecordsQueriesWithCopies) {
  FakeMetricSource m;
  std::vector<std::string> targets = {"a", "b"};
  MetricQuery q = Query("x", Cohort::kWave, T(1));
  q.targets = targets;
  q.wave_index = 3;
  q.stage = "zone";
  q.aggregation = Aggregation{AggregationKind::kQuantile, 0.9};
  m.Query(q).IgnoreError();
  targets.clear();
  auto recorded = m.queries();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_THAT(recorded[0].targets, ElementsAre("a", "b"));
  EXPECT_EQ(recorded[0].wave_index, 3);
  EXPECT_EQ(recorded[0].stage, "zone");
  EXPECT_EQ(recorded[0].start, T(-4));
  EXPECT_EQ(AggregationName(*recorded[0].aggregation), "p90");
}

TEST(FakeMetricSourceTest, ScriptsDistributionsApartFromSeries) {
  FakeMetricSource m;
  m.SetAggregate("latency", Cohort::kWave, T(0), 40);
  const MetricDistribution histogram = MetricDistribution::FromHistogram(
      {{50, 90}, {std::numeric_limits<double>::infinity(), 100}});
  m.SetDistribution("latency", Cohort::kWave, T(10), histogram);
  m.SetDistribution("latency", Cohort::kWave, T(20),
                    absl::UnavailableError("prometheus down"));
  MetricQuery q = Query("latency", Cohort::kWave, T(5));
  q.max_observations = 500;
  EXPECT_THAT(m.QueryDistribution(q), IsOkAndHolds(::testing::Field(
                                          &MetricDistribution::kind,
                                          MetricDistribution::Kind::kNoData)));
  EXPECT_THAT(m.QueryDistribution(Query("latency", Cohort::kWave, T(12))),
              IsOkAndHolds(histogram));
  EXPECT_THAT(m.QueryDistribution(Query("latency", Cohort::kWave, T(25))),
              StatusIs(absl::StatusCode::kUnavailable, _));
  EXPECT_THAT(m.QueryDistribution(Query("other", Cohort::kWave, T(25))),
              IsOkAndHolds(MetricDistribution::NoData("not scripted")));
  // Series queries are untouched by the distribution script.
  EXPECT_THAT(m.Query(Query("latency", Cohort::kWave, T(25))),
              IsOkAndHolds(MetricResult::FromAggregate(40)));
  const auto recorded = m.queries();
  ASSERT_EQ(recorded.size(), 5u);
  EXPECT_TRUE(recorded[0].distribution);
  EXPECT_EQ(recorded[0].max_observations, 500);
  EXPECT_FALSE(recorded[4].distribution);
}

TEST(FakeAlarmSourceTest, StatesErrorsAndForgetting) {
  FakeAlarmSource a;
  a.SetState("X", T(5), AlarmState::kAlarm, "burning");
  a.SetState("X", T(10), AlarmState::kOk);
  a.SetError(T(20), absl::UnavailableError("throttled"));
  a.SetError(T(25), absl::OkStatus());
  a.Forget("Y", T(30));
  AlarmQuery q;
  q.alarms = {"X", "Y"};
  auto at = [&](int minute) {
    q.now = T(minute);
    return a.QueryAlarms(q);
  };
  EXPECT_THAT(at(0),
              IsOkAndHolds(ElementsAre(AlarmStatus{"X", AlarmState::kOk, ""},
                                       AlarmStatus{"Y", AlarmState::kOk, ""})));
  EXPECT_THAT(at(5), IsOkAndHolds(ElementsAre(
                         AlarmStatus{"X", AlarmState::kAlarm, "burning"},
                         AlarmStatus{"Y", AlarmState::kOk, ""})));
  EXPECT_THAT(at(12),
              IsOkAndHolds(ElementsAre(AlarmStatus{"X", AlarmState::kOk, ""},
                                       AlarmStatus{"Y", AlarmState::kOk, ""})));
  EXPECT_THAT(at(21), StatusIs(absl::StatusCode::kUnavailable, _));
  EXPECT_THAT(at(26), IsOkAndHolds(::testing::SizeIs(2)));
  EXPECT_THAT(at(31),
              IsOkAndHolds(ElementsAre(AlarmStatus{"X", AlarmState::kOk, ""})));
  EXPECT_EQ(a.queries().size(), 6u);
}

TEST(MockMetricSourceTest, IsUsable) {
  MockMetricSource m;
  EXPECT_CALL(m, Query(_)).WillOnce(Return(MetricResult::FromAggregate(3)));
  EXPECT_THAT(m.Query(MetricQuery{}),
              IsOkAndHolds(MetricResult::FromAggregate(3)));
  EXPECT_CALL(m, QueryDistribution(_))
      .WillOnce(Return(MetricDistribution::FromObservations({1, 2})));
  EXPECT_THAT(m.QueryDistribution(MetricQuery{}),
              IsOkAndHolds(MetricDistribution::FromObservations({1, 2})));
}

TEST(ValueTypesTest, OutcomeOrderMatchesArgo) {
  EXPECT_LT(OutcomeSeverity(Outcome::kPass), OutcomeSeverity(Outcome::kHold));
  EXPECT_LT(OutcomeSeverity(Outcome::kHold),
            OutcomeSeverity(Outcome::kInconclusive));
  EXPECT_LT(OutcomeSeverity(Outcome::kInconclusive),
            OutcomeSeverity(Outcome::kError));
  EXPECT_LT(OutcomeSeverity(Outcome::kError), OutcomeSeverity(Outcome::kFail));
  EXPECT_EQ(WorseOutcome(Outcome::kError, Outcome::kFail), Outcome::kFail);
  EXPECT_EQ(WorseOutcome(Outcome::kInconclusive, Outcome::kPass),
            Outcome::kInconclusive);
  EXPECT_FALSE(IsFinal(Outcome::kHold));
  EXPECT_TRUE(IsFinal(Outcome::kError));
}

TEST(ValueTypesTest, VerdictPrints) {
  Verdict v = Verdict::Fail("all", "1 of 2 passed",
                            {{"passed", 1, ""}, {"latency", 412, "ms"}});
  v.details.push_back(Verdict::Pass("a", "fine"));
  v.details.push_back(Verdict::Hold("b", absl::FromUnixSeconds(0), "later"));
  EXPECT_EQ(v.ToString(),
            "[FAIL] all: 1 of 2 passed\n"
            "  [PASS] a: fine\n"
            "  [HOLD] b: later (until 1970-01-01T00:00:00Z)");
  std::ostringstream os;
  os << v.observations[1] << " " << Outcome::kInconclusive << " "
     << AlarmState::kInsufficientData << " " << Cohort::kBaseline << " "
     << MetricResult::FromAggregate(412, 1240) << "; "
     << MetricResult::NoData("x") << "; "
     << MetricResult::FromSamples({{}, {}});
  EXPECT_EQ(os.str(),
            "latency=412 ms INCONCLUSIVE INSUFFICIENT_DATA baseline aggregate "
            "412 (n=1240); no data (x); 2 samples");
  Verdict copy = v;
  EXPECT_EQ(copy, v);
  copy.details[1].hold_until += absl::Seconds(1);
  EXPECT_NE(copy, v);
}

TEST(ValueTypesTest, NanValuesCompareEqual) {
  EXPECT_EQ(MetricResult::FromAggregate(std::nan("")),
            MetricResult::FromAggregate(std::nan("")));
  EXPECT_EQ((Observation{"x", std::nan(""), ""}),
            (Observation{"x", std::nan(""), ""}));
}

TEST(ValueTypesTest, RetryableCodes) {
  EXPECT_TRUE(IsRetryable(absl::UnavailableError("")));
  EXPECT_TRUE(IsRetryable(absl::DeadlineExceededError("")));
  EXPECT_FALSE(IsRetryable(absl::InvalidArgumentError("")));
  EXPECT_FALSE(IsRetryable(absl::NotFoundError("")));
  EXPECT_FALSE(IsRetryable(absl::OkStatus()));
}

TEST(ValueTypesTest, GateStateChildAndPrinting) {
  GateState s;
  s.Child(2).message = "x";
  EXPECT_EQ(s.children.size(), 3u);
  std::ostringstream os;
  os << s;
  EXPECT_EQ(os.str(), "GateState(not started, count 0, 3 children)");
  s.started_at = absl::FromUnixSeconds(0);
  s.completed = Outcome::kFail;
  os.str("");
  os << s;
  EXPECT_EQ(os.str(),
            "GateState(started 1970-01-01T00:00:00Z, count 0, completed FAIL, "
            "3 children)");
}

}  // namespace
}  // namespace sluice

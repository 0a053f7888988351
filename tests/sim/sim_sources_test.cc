// Copyright 2026 The Sluice Authors.

#include "sluice/sim/sim_sources.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"
#include "tests/sim/sim_test_util.h"

namespace sluice::sim {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

class SimSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scenario_.traffic.diurnal_amplitude = 0;
    Rebuild();
  }
  void Rebuild() {
    model_ = std::make_unique<MetricModel>(
        *MetricModel::Create(scenario_, fleet_, 21));
    metrics_ = std::make_unique<SimMetricSource>(*model_, versions_, clock_);
    alarms_ = std::make_unique<SimAlarmSource>(*model_, versions_, clock_);
  }
  MetricQuery Query(const std::string& metric, int from_min, int to_min) {
    MetricQuery q;
    q.metric = metric;
    q.targets = ids_;
    q.start = scenario_.start + absl::Minutes(from_min);
    q.end = scenario_.start + absl::Minutes(to_min);
    return q;
  }

  Fleet fleet_ = testing::MakeFleet(10);
  Scenario scenario_;
  VersionHistory versions_{fleet_.size()};
  VirtualClock clock_{scenario_.start};
  std::vector<std::string> ids_ = {"us-east-1a-0", "us-east-1a-1"};
  std::unique_ptr<MetricModel> model_;
  std::unique_ptr<SimMetricSource> metrics_;
  std::unique_ptr<SimAlarmSource> alarms_;
};

TEST_F(SimSourcesTest, VirtualClockMovesOnlyWhenTold) {
  VirtualClock clock(absl::UnixEpoch());
  clock.Advance(absl::Minutes(3));
  EXPECT_EQ(clock.Now(), absl::UnixEpoch() + absl::Minutes(3));
  EXPECT_TRUE(clock.SetTime(absl::UnixEpoch() + absl::Hours(1)));
  EXPECT_EQ(clock.Now(), absl::UnixEpoch() + absl::Hours(1));
  // The simulator's clock is the tests' clock: it never goes backwards.
  EXPECT_FALSE(clock.SetTime(absl::UnixEpoch()));
  EXPECT_EQ(clock.Now(), absl::UnixEpoch() + absl::Hours(1));
}

TEST_F(SimSourcesTest, AnswersOneSamplePerDeliveredMinute) {
  clock_.SetTime(scenario_.start + absl::Minutes(30));
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult r,
                              metrics_->Query(Query("error_rate", 0, 10)));
  ASSERT_EQ(r.kind, MetricResult::Kind::kSamples);
  // The minutes ending at 0, 1, ..., 9 minutes.
  ASSERT_EQ(r.samples.size(), 10u);
  EXPECT_EQ(r.samples[3].time, scenario_.start + absl::Minutes(3));
  // Future minutes are not delivered yet: those ending at 20..30.
  SLUICE_ASSERT_OK_AND_ASSIGN(r, metrics_->Query(Query("p99_latency", 20, 40)));
  EXPECT_EQ(r.samples.size(), 11u);
  // Nothing delivered: no data.
  SLUICE_ASSERT_OK_AND_ASSIGN(r, metrics_->Query(Query("requests", 31, 40)));
  EXPECT_EQ(r.kind, MetricResult::Kind::kNoData);
  // Consecutive one-minute windows at any phase see one point each.
  for (int second : {0, 17, 59}) {
    MetricQuery q = Query("errors", 0, 0);
    q.start = scenario_.start + absl::Minutes(28) + absl::Seconds(second);
    q.end = q.start + absl::Minutes(1);
    clock_.SetTime(q.end);
    SLUICE_ASSERT_OK_AND_ASSIGN(r, metrics_->Query(q));
    EXPECT_EQ(r.samples.size(), 1u) << second;
  }
}

// Rates from counts (the relative check's and the judge's requests_metric)
// pair each cohort's error and request counts by minute: the simulator
// answers both for the wave and the baseline, on the same minutes even
// when points are lost, and a minute's error_rate is its errors / requests.
TEST_F(SimSourcesTest, AnswersErrorAndRequestCountsOfTheSameMinutes) {
  scenario_.delivery.drop_probability = 0.3;
  scenario_.error_rate = 0.05;
  Rebuild();
  clock_.SetTime(scenario_.start + absl::Hours(2));
  const std::vector<std::string> baseline = {"us-east-1a-2", "us-east-1a-3",
                                             "us-east-1a-4"};
  for (Cohort cohort : {Cohort::kWave, Cohort::kBaseline}) {
    auto query = [&](const std::string& metric) {
      MetricQuery q = Query(metric, 0, 60);
      q.cohort = cohort;
      if (cohort == Cohort::kBaseline) q.targets = baseline;
      q.aggregation = Aggregation{AggregationKind::kSum};
      return q;
    };
    SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult errors,
                                metrics_->Query(query("errors")));
    SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult requests,
                                metrics_->Query(query("requests")));
    SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult ratio,
                                metrics_->Query(query("error_rate")));
    ASSERT_EQ(errors.kind, MetricResult::Kind::kSamples);
    ASSERT_EQ(requests.samples.size(), errors.samples.size());
    ASSERT_EQ(ratio.samples.size(), errors.samples.size());
    EXPECT_LT(requests.samples.size(), 55u);  // points were lost
    double total_errors = 0;
    for (size_t i = 0; i < errors.samples.size(); ++i) {
      EXPECT_EQ(requests.samples[i].time, errors.samples[i].time);
      ASSERT_GT(requests.samples[i].value, 0);
      EXPECT_DOUBLE_EQ(ratio.samples[i].value,
                       errors.samples[i].value / requests.samples[i].value);
      total_errors += errors.samples[i].value;
    }
    EXPECT_GT(total_errors, 0);
  }
}

TEST_F(SimSourcesTest, LagDelaysDelivery) {
  scenario_.delivery.lag = absl::Minutes(5);
  Rebuild();
  clock_.SetTime(scenario_.start + absl::Minutes(30));
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult r,
                              metrics_->Query(Query("error_rate", 0, 30)));
  // The minutes ending at 0..25 minutes.
  EXPECT_EQ(r.samples.size(), 26u);
}

TEST_F(SimSourcesTest, DropsAndFailuresFollowTheirProbabilities) {
  scenario_.delivery.drop_probability = 0.3;
  scenario_.delivery.error_probability = 0.2;
  Rebuild();
  clock_.SetTime(scenario_.start + absl::Hours(10));
  int failures = 0;
  size_t samples = 0;
  for (int i = 0; i < 200; ++i) {
    absl::StatusOr<MetricResult> r =
        metrics_->Query(Query("error_rate", 0, 60));
    if (!r.ok()) {
      EXPECT_THAT(r, StatusIs(absl::StatusCode::kUnavailable));
      ++failures;
      continue;
    }
    samples = r->samples.size();
  }
  EXPECT_NEAR(failures / 200.0, 0.2, 0.07);
  EXPECT_NEAR(samples / 60.0, 0.7, 0.15);
  EXPECT_EQ(metrics_->query_count(), 200);
}

TEST_F(SimSourcesTest, UnknownMetricsAndTargetsAreNotFound) {
  clock_.SetTime(scenario_.start + absl::Hours(1));
  EXPECT_THAT(metrics_->Query(Query("cpu", 0, 10)),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("metric \"cpu\" is not simulated")));
  ids_ = {"nope"};
  EXPECT_THAT(metrics_->Query(Query("error_rate", 0, 10)),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("unknown target \"nope\"")));
}

TEST_F(SimSourcesTest, FleetCohortCoversEveryTarget) {
  clock_.SetTime(scenario_.start + absl::Hours(1));
  MetricQuery q = Query("requests", 0, 1);
  q.cohort = Cohort::kFleet;
  q.targets = {};
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult r, metrics_->Query(q));
  ASSERT_EQ(r.samples.size(), 1u);
  // 60 targets at about 10 rps for a minute.
  EXPECT_NEAR(r.samples[0].value, 60 * 10 * 60.0, 60 * 10 * 60.0 * 0.1);
}

// A latency metric's distribution: the same delivered minutes as Query(),
// as Prometheus buckets whose total is the cohort's requests.
TEST_F(SimSourcesTest, AnswersLatencyDistributionsAsHistograms) {
  clock_.SetTime(scenario_.start + absl::Minutes(30));
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricResult requests,
                              metrics_->Query(Query("requests", 0, 10)));
  double total = 0;
  for (const Sample& sample : requests.samples) total += sample.value;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricDistribution d,
      metrics_->QueryDistribution(Query("p99_latency", 0, 10)));
  ASSERT_EQ(d.kind, MetricDistribution::Kind::kHistogram);
  EXPECT_THAT(ValidateHistogram(d.buckets), ::sluice::testing::IsOk());
  ASSERT_EQ(d.buckets.size(), DefaultLatencyBucketsMs().size() + 1);
  EXPECT_EQ(d.buckets[3].upper_bound, 50);
  EXPECT_EQ(d.buckets.back().cumulative_count, total);
  EXPECT_EQ(d.count(), total);
  ASSERT_TRUE(d.sum.has_value());
  EXPECT_NEAR(*d.sum / total, 48, 10);  // the mixture's mean, about 48 ms
  // Most requests take 25 to 100 ms (median 40 ms).
  const double median = HistogramQuantile(d.buckets, 0.5);
  EXPECT_GT(median, 25);
  EXPECT_LT(median, 50);
  // Nothing delivered yet: no data.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      d, metrics_->QueryDistribution(Query("p99_latency", 31, 40)));
  EXPECT_EQ(d.kind, MetricDistribution::Kind::kNoData);
  // Counts and rates are not distributions.
  EXPECT_THAT(metrics_->QueryDistribution(Query("errors", 0, 10)),
              StatusIs(absl::StatusCode::kUnimplemented,
                       HasSubstr("metric \"errors\" is a per-minute "
                                 "error_count, not a distribution")));
  EXPECT_THAT(metrics_->QueryDistribution(Query("cpu", 0, 10)),
              StatusIs(absl::StatusCode::kNotFound));
}

// A latency SLO's bad requests: the requests of each minute slower than the
// binding's bound (250 ms by default, "slow_requests" by name). The healthy
// share above 250 ms is the tail's, 0.02 (150 / 250)^2.5 = 0.56%, moved by
// the minute noise (5%); a tail slowed 1.2x has 0.02 (180 / 250)^2.5 =
// 0.88%, and a bound of 100 ms takes the whole tail (2%) and the body's
// share above 100 ms (0.44%).
TEST_F(SimSourcesTest, AnswersSlowRequestCountsAboveTheBound) {
  clock_.SetTime(scenario_.start + absl::Hours(7));
  // The share of slow requests over six hours (0 when a query failed).
  auto share = [&](const std::string& metric) {
    absl::StatusOr<MetricResult> slow = metrics_->Query(Query(metric, 0, 360));
    absl::StatusOr<MetricResult> requests =
        metrics_->Query(Query("requests", 0, 360));
    EXPECT_TRUE(slow.ok() && requests.ok()) << metric;
    if (!slow.ok() || !requests.ok()) return 0.0;
    EXPECT_EQ(slow->samples.size(), requests->samples.size());
    double s = 0, r = 0;
    for (const Sample& sample : slow->samples) s += sample.value;
    for (const Sample& sample : requests->samples) r += sample.value;
    return s / r;
  };
  const double healthy = share("slow_requests");
  EXPECT_NEAR(healthy, 0.0056, 0.0008);
  MetricBinding binding;
  binding.metric = "slow_100";
  binding.signal = Signal::kSlowCount;
  binding.slower_than_ms = 100;
  scenario_.metrics.push_back(binding);
  scenario_.fault.bad = true;
  scenario_.fault.tail_multiplier = 1.2;
  Rebuild();
  versions_.SetNew(0, scenario_.start);
  versions_.SetNew(1, scenario_.start);
  const double slowed = share("slow_requests");
  EXPECT_NEAR(slowed, 0.0088, 0.0012);
  EXPECT_GT(slowed / healthy, 1.3);
  // The bound of 100 ms is below the slowed tail: all of it counts.
  EXPECT_NEAR(share("slow_100"), 0.0244, 0.003);
}

TEST_F(SimSourcesTest, AnswersRequestSamplesWhenBoundSo) {
  MetricBinding binding;
  binding.metric = "latency_samples";
  binding.signal = Signal::kLatencyMs;
  binding.distribution = MetricBinding::Distribution::kObservations;
  binding.max_observations_per_minute = 40;
  scenario_.metrics.push_back(binding);
  Rebuild();
  clock_.SetTime(scenario_.start + absl::Minutes(30));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      MetricDistribution d,
      metrics_->QueryDistribution(Query("latency_samples", 0, 10)));
  ASSERT_EQ(d.kind, MetricDistribution::Kind::kObservations);
  EXPECT_EQ(d.observations.size(), 10u * 40);
  ASSERT_TRUE(d.total_count.has_value());
  EXPECT_GT(*d.total_count, 10 * 1000);  // two targets, ~1200 a minute
  for (double v : d.observations) EXPECT_GT(v, 0);
  // The query's cap, shared evenly across the 10 minutes.
  MetricQuery q = Query("latency_samples", 0, 10);
  q.max_observations = 25;
  SLUICE_ASSERT_OK_AND_ASSIGN(d, metrics_->QueryDistribution(q));
  EXPECT_EQ(d.observations.size(), 25u);
  // Same seed, same answer.
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricDistribution again,
                              metrics_->QueryDistribution(q));
  EXPECT_EQ(d, again);
}

TEST_F(SimSourcesTest, DistributionsHonourDeliveryFailures) {
  scenario_.delivery.error_probability = 1;
  Rebuild();
  clock_.SetTime(scenario_.start + absl::Minutes(30));
  EXPECT_THAT(metrics_->QueryDistribution(Query("p99_latency", 0, 10)),
              StatusIs(absl::StatusCode::kUnavailable));
}

// The source keeps the minutes of the windows it read last (a gate reads
// errors and requests over the same window): a repeated query gets the
// same answer, and a change of the history is seen at once.
TEST_F(SimSourcesTest, RepeatedWindowsAnswerAlikeUntilTheHistoryChanges) {
  scenario_.fault.bad = true;
  scenario_.fault.error_multiplier = 50;
  Rebuild();
  clock_.SetTime(scenario_.start + absl::Minutes(30));
  auto values = [&](SimMetricSource& source) {
    std::vector<double> out;
    absl::StatusOr<MetricResult> r = source.Query(Query("errors", 0, 30));
    EXPECT_TRUE(r.ok()) << r.status();
    if (r.ok()) {
      for (const Sample& s : r->samples) out.push_back(s.value);
    }
    return out;
  };
  const std::vector<double> first = values(*metrics_);
  ASSERT_EQ(first.size(), 30u);
  EXPECT_EQ(values(*metrics_), first);
  // Both targets serve the bad version from minute 10 on: the same window
  // now has 50 times the errors from then, as a fresh source says.
  versions_.SetNew(0, scenario_.start + absl::Minutes(10));
  versions_.SetNew(1, scenario_.start + absl::Minutes(10));
  const std::vector<double> after = values(*metrics_);
  SimMetricSource fresh(*model_, versions_, clock_);
  EXPECT_EQ(after, values(fresh));
  double before_sum = 0, after_sum = 0;
  for (size_t i = 0; i < first.size(); ++i) {
    before_sum += first[i];
    after_sum += after[i];
  }
  EXPECT_GT(after_sum, 5 * before_sum);
}

TEST_F(SimSourcesTest, AWindowReadAgainAndAgainStaysCached) {
  // A gate's window before is read at every look while its windows after
  // change: the least recently read window is the one replaced.
  Rebuild();
  clock_.SetTime(scenario_.start + absl::Minutes(60));
  ASSERT_TRUE(metrics_->Query(Query("errors", 0, 30)).ok());
  for (int k = 1; k <= 10; ++k) {
    ASSERT_TRUE(metrics_->Query(Query("errors", k, 30 + k)).ok());
    ASSERT_TRUE(metrics_->Query(Query("errors", 0, 30)).ok());
  }
  EXPECT_EQ(metrics_->computed_window_count(), 11);
  // The same window again is not computed again, a new one is.
  ASSERT_TRUE(metrics_->Query(Query("errors", 10, 40)).ok());
  EXPECT_EQ(metrics_->computed_window_count(), 11);
  ASSERT_TRUE(metrics_->Query(Query("errors", 20, 50)).ok());
  EXPECT_EQ(metrics_->computed_window_count(), 12);
}

TEST_F(SimSourcesTest, AlarmsFireOnABadRelease) {
  scenario_.fault.bad = true;
  scenario_.fault.error_multiplier = 50;
  AlarmRule rule;
  rule.name = "errors";
  rule.signal = Signal::kErrorRate;
  rule.threshold = 0.01;
  rule.evaluation_periods = 3;
  rule.datapoints_to_alarm = 2;
  rule.scope = AlarmRule::Scope::kWave;
  scenario_.alarms.push_back(rule);
  Rebuild();
  AlarmQuery q;
  q.alarms = {"errors"};
  q.targets = ids_;
  // Too early: no complete minute yet.
  clock_.SetTime(scenario_.start + absl::Seconds(90));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::vector<AlarmStatus> s,
                              alarms_->QueryAlarms(q));
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].state, AlarmState::kInsufficientData);
  clock_.SetTime(scenario_.start + absl::Minutes(10));
  SLUICE_ASSERT_OK_AND_ASSIGN(s, alarms_->QueryAlarms(q));
  EXPECT_EQ(s[0].state, AlarmState::kOk) << s[0].reason;
  versions_.SetNew(0, scenario_.start + absl::Minutes(10));
  versions_.SetNew(1, scenario_.start + absl::Minutes(10));
  clock_.SetTime(scenario_.start + absl::Minutes(14));
  SLUICE_ASSERT_OK_AND_ASSIGN(s, alarms_->QueryAlarms(q));
  EXPECT_EQ(s[0].state, AlarmState::kAlarm) << s[0].reason;
  q.alarms = {"latency"};
  EXPECT_THAT(alarms_->QueryAlarms(q),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("alarm \"latency\" is not defined")));
}

}  // namespace
}  // namespace sluice::sim

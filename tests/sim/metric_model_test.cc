// Copyright 2026 The Sluice Authors.

#include "sluice/sim/metric_model.h"

#include <cmath>
#include <numeric>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/sim/outcome.h"
#include "sluice/testing/status_matchers.h"
#include "tests/sim/sim_test_util.h"

namespace sluice::sim {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::HasSubstr;

std::vector<uint32_t> Range(uint32_t from, uint32_t to) {
  std::vector<uint32_t> v(to - from);
  std::iota(v.begin(), v.end(), from);
  return v;
}

struct Totals {
  double requests = 0;
  double errors = 0;
};

Totals Sum(const std::vector<CohortMinute>& minutes) {
  Totals t;
  for (const CohortMinute& m : minutes) {
    t.requests += m.requests;
    t.errors += m.errors;
  }
  return t;
}

TEST(VersionHistoryTest, RecordsIntervals) {
  VersionHistory h(3);
  const absl::Time t0 = absl::UnixEpoch();
  h.SetNew(1, t0);
  h.SetNew(1, t0 + absl::Minutes(1));  // no-op
  EXPECT_TRUE(h.IsNew(1));
  EXPECT_EQ(h.new_count(), 1u);
  h.SetOld(1, t0 + absl::Minutes(5));
  h.SetOld(1, t0 + absl::Minutes(6));  // no-op
  h.SetNew(1, t0 + absl::Minutes(9));
  ASSERT_EQ(h.intervals(1).size(), 2u);
  EXPECT_EQ(h.intervals(1)[0], (TimeInterval{t0, t0 + absl::Minutes(5)}));
  EXPECT_EQ(h.intervals(1)[1].to, absl::InfiniteFuture());
  EXPECT_FALSE(h.IsNew(0));
  EXPECT_EQ(h.new_count(), 1u);
  // Three calls changed the history; the two no-ops did not count.
  EXPECT_EQ(h.changes(), 3);
}

TEST(MetricModelTest, RejectsAScopeTheFleetLacks) {
  Scenario s;
  s.fault.bad = true;
  s.fault.scope.kind = FaultScope::Kind::kRegion;
  s.fault.scope.region = "mars-1";
  EXPECT_THAT(MetricModel::Create(s, testing::MakeFleet(1), 1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fault.scope.region")));
}

TEST(MetricModelTest, SameSeedSameMetricsInAnyOrder) {
  const Fleet fleet = testing::MakeFleet(50);
  Scenario s;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel a, MetricModel::Create(s, fleet, 7));
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel b, MetricModel::Create(s, fleet, 7));
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel c, MetricModel::Create(s, fleet, 8));
  VersionHistory h(fleet.size());
  std::vector<uint32_t> cohort = Range(0, 40);
  std::vector<uint32_t> reversed(cohort.rbegin(), cohort.rend());
  std::vector<CohortMinute> m1, m2, m3, late;
  const absl::Time t0 = s.start;
  // b answers another query first; the answer to ours must not change.
  b.CohortMinutes(Range(40, 80), h, t0, t0 + absl::Hours(1), &late);
  a.CohortMinutes(cohort, h, t0, t0 + absl::Minutes(30), &m1);
  b.CohortMinutes(reversed, h, t0, t0 + absl::Minutes(30), &m2);
  c.CohortMinutes(cohort, h, t0, t0 + absl::Minutes(30), &m3);
  ASSERT_EQ(m1.size(), 30u);
  for (size_t i = 0; i < m1.size(); ++i) {
    EXPECT_EQ(m1[i].requests, m2[i].requests);
    EXPECT_EQ(m1[i].errors, m2[i].errors);
    EXPECT_EQ(a.Value(m1[i], Signal::kLatencyMs, 0.99),
              b.Value(m2[i], Signal::kLatencyMs, 0.99));
  }
  EXPECT_NE(Sum(m1).requests, Sum(m3).requests);
  // A sub-window gives the same minutes.
  std::vector<CohortMinute> part;
  a.CohortMinutes(cohort, h, t0 + absl::Minutes(10), t0 + absl::Minutes(12),
                  &part);
  ASSERT_EQ(part.size(), 2u);
  EXPECT_EQ(part[0].requests, m1[10].requests);
  EXPECT_EQ(part[1].errors, m1[11].errors);
}

TEST(MetricModelTest, TrafficAndErrorsMatchTheModel) {
  const Fleet fleet = testing::MakeFleet(100);
  Scenario s;
  s.traffic.diurnal_amplitude = 0;
  s.traffic.requests_per_second = 5;
  s.error_rate = 0.01;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 3));
  VersionHistory h(fleet.size());
  std::vector<CohortMinute> minutes;
  model.CohortMinutes(Range(0, 600), h, s.start, s.start + absl::Hours(2),
                      &minutes);
  ASSERT_EQ(minutes.size(), 120u);
  const Totals t = Sum(minutes);
  // 600 targets * 5 rps * 7200 s, within the noise of the target spread.
  EXPECT_NEAR(t.requests / (600 * 5 * 7200.0), 1.0, 0.03);
  EXPECT_NEAR(t.errors / t.requests, 0.01, 0.0005);
  EXPECT_EQ(model.Value(minutes[0], Signal::kRequestCount),
            minutes[0].requests);
  EXPECT_DOUBLE_EQ(model.Value(minutes[0], Signal::kRequestRate),
                   minutes[0].requests / 60);
}

TEST(MetricModelTest, TrafficFollowsTheDailyCycle) {
  const Fleet fleet = testing::MakeFleet(1);
  Scenario s;
  s.traffic.diurnal_amplitude = 0.5;
  s.traffic.peak_hour_utc = 15;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 3));
  const absl::Time midnight =
      absl::FromCivil(absl::CivilDay(2026, 1, 5), absl::UTCTimeZone());
  EXPECT_NEAR(model.BaseRate(midnight + absl::Hours(15)), 15, 1e-9);
  EXPECT_NEAR(model.BaseRate(midnight + absl::Hours(3)), 5, 1e-9);
  EXPECT_NEAR(model.BaseRate(midnight + absl::Hours(9)), 10, 1e-9);
}

TEST(MetricModelTest, FaultHurtsOnlyItsScopeAfterOnset) {
  const Fleet fleet = testing::MakeFleet(50);  // 300 targets
  Scenario s;
  s.traffic.diurnal_amplitude = 0;
  s.error_rate = 0.001;
  s.fault.bad = true;
  s.fault.error_multiplier = 30;
  s.fault.onset_delay = absl::Minutes(10);
  s.fault.scope.kind = FaultScope::Kind::kZone;
  s.fault.scope.zone = "us-east-1-a";
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 11));
  EXPECT_EQ(model.hurt_count(), 50u);
  VersionHistory h(fleet.size());
  for (uint32_t i = 0; i < fleet.size(); ++i) h.SetNew(i, s.start);
  auto rate = [&](uint32_t from, uint32_t to, int m0, int m1) {
    std::vector<CohortMinute> minutes;
    model.CohortMinutes(Range(from, to), h, s.start + absl::Minutes(m0),
                        s.start + absl::Minutes(m1), &minutes);
    const Totals t = Sum(minutes);
    return t.errors / t.requests;
  };
  // Which indices are us-east-1-a?
  uint32_t first = 0;
  while (fleet.target(first).topology.zone != "us-east-1-a") ++first;
  EXPECT_NEAR(rate(first, first + 50, 0, 10), 0.001, 0.0005);  // before onset
  EXPECT_NEAR(rate(first, first + 50, 10, 40), 0.03, 0.003);   // after
  const uint32_t other = first == 0 ? 50 : 0;
  EXPECT_NEAR(rate(other, other + 50, 10, 40), 0.001, 0.0005);  // other zone
  // Rolled back: healthy again.
  for (uint32_t i = first; i < first + 50; ++i) {
    h.SetOld(i, s.start + absl::Minutes(40));
  }
  EXPECT_NEAR(rate(first, first + 50, 41, 70), 0.001, 0.0005);
}

TEST(MetricModelTest, ShareScopeHurtsAboutThatShare) {
  const Fleet fleet = testing::MakeFleet(500);  // 3000 targets
  Scenario s;
  s.fault.bad = true;
  s.fault.scope.kind = FaultScope::Kind::kShare;
  s.fault.scope.share = 0.2;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 5));
  EXPECT_NEAR(model.hurt_count() / 3000.0, 0.2, 0.025);
}

TEST(MetricModelTest, LatencyQuantilesOfTheMixture) {
  const Fleet fleet = testing::MakeFleet(1);
  Scenario s;
  s.latency.median_ms = 40;
  s.latency.tail_probability = 0;
  s.fault.latency_shift_ms = 100;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 5));
  // Log-normal body only: median 40, p99 = 40 * exp(0.35 * 2.326).
  EXPECT_NEAR(model.MixtureQuantile(0.5, 0, 1), 40, 1e-6);
  EXPECT_NEAR(model.MixtureQuantile(0.99, 0, 1),
              40 * std::exp(0.35 * 2.3263478740408408), 1e-5);
  // All requests hurt: shifted by 100 ms.
  EXPECT_NEAR(model.MixtureQuantile(0.5, 1, 1), 140, 1e-5);
  // A background factor scales the body.
  EXPECT_NEAR(model.MixtureQuantile(0.5, 0, 2), 80, 1e-5);
  // Heavy tail: 2% of requests are Pareto(150, 2.5): p99.9 is in the tail.
  s.latency.tail_probability = 0.02;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel tail,
                              MetricModel::Create(s, fleet, 5));
  const double p999 = tail.MixtureQuantile(0.999, 0, 1);
  // P(X > x) = 0.02 (150/x)^2.5 (body negligible) = 0.001.
  EXPECT_NEAR(p999, 150 * std::pow(20.0, 1 / 2.5), 1.0);
}

TEST(MetricModelTest, ObservedLatencyIsNoisyAroundTheQuantile) {
  const Fleet fleet = testing::MakeFleet(20);
  Scenario s;
  s.traffic.diurnal_amplitude = 0;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 5));
  VersionHistory h(fleet.size());
  std::vector<CohortMinute> minutes;
  model.CohortMinutes(Range(0, 120), h, s.start, s.start + absl::Hours(4),
                      &minutes);
  double sum = 0;
  double lo = INFINITY, hi = 0;
  for (const CohortMinute& m : minutes) {
    const double v = model.Value(m, Signal::kLatencyMs, 0.5);
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  EXPECT_NEAR(sum / minutes.size(), model.MixtureQuantile(0.5, 0, 1), 1.0);
  EXPECT_LT(lo, hi);
}

TEST(MetricModelTest, RecordedBackgroundShapesTraffic) {
  const Fleet fleet = testing::MakeFleet(1);
  Scenario s;
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RecordedSeries series,
      RecordedSeries::FromPoints(
          {{absl::UnixEpoch(), 1}, {absl::UnixEpoch() + absl::Hours(1), 3}}));
  s.background = RecordedBackground{"x.csv", series, Signal::kRequestRate,
                                    absl::ZeroDuration(), 1};
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 5));
  // Mean 2: factor 0.5 at the start, 1.5 an hour later.
  EXPECT_NEAR(model.BaseRate(s.start), 5, 1e-9);
  EXPECT_NEAR(model.BaseRate(s.start + absl::Hours(1)), 15, 1e-9);
}

TEST(ExposureTest, CountsTheLargestSimultaneousSpread) {
  const Fleet fleet = testing::MakeFleet(5);  // 30 targets
  Scenario s;
  s.traffic.diurnal_amplitude = 0;
  s.traffic.target_spread = 0;  // exact expected traffic
  s.traffic.requests_per_second = 1;
  s.fault.bad = true;
  s.fault.onset_delay = absl::Minutes(10);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 5));
  VersionHistory h(fleet.size());
  const absl::Time t0 = s.start;
  for (uint32_t i = 0; i < 6; ++i) h.SetNew(i, t0);
  for (uint32_t i = 0; i < 6; ++i) h.SetOld(i, t0 + absl::Minutes(20));
  for (uint32_t i = 6; i < 10; ++i) h.SetNew(i, t0 + absl::Minutes(20));
  const Exposure e = ComputeExposure(model, h, t0 + absl::Hours(1));
  EXPECT_EQ(e.max_targets, 6);
  EXPECT_NEAR(e.max_weight_share, 6.0 / 30, 1e-12);
  // 6 targets hurt for 10 minutes, 4 for 30 minutes, at 60 requests/min.
  EXPECT_NEAR(e.hurt_requests, (6 * 10 + 4 * 30) * 60.0, 1e-6);
  // The first harmed request: ten minutes after the first deployment.
  EXPECT_EQ(e.first_harm, t0 + absl::Minutes(10));
  EXPECT_EQ(e.excess_errors, 0);  // the default fault adds no errors
  // A good release hurts nobody.
  s.fault.bad = false;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel good,
                              MetricModel::Create(s, fleet, 5));
  EXPECT_EQ(ComputeExposure(good, h, t0 + absl::Hours(1)).hurt_requests, 0);
}

}  // namespace
}  // namespace sluice::sim

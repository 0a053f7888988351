// Copyright 2026 The Sluice Authors.
//
// The production noise models of the simulator, each checked for the
// statistics the documentation states (docs/simulation.md): per-target
// heterogeneity, negative-binomial overdispersion, diurnal traffic in each
// region's time zone, low-traffic periods, incidents unrelated to the
// release, recorded backgrounds replayed per zone at offsets drawn per run,
// and latency as a distribution. Tolerances are five standard errors
// computed from the sample (tests/sim/sim_stats_util.h).

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/sim/metric_model.h"
#include "sluice/sim/recorded_series.h"
#include "sluice/sim/scenario.h"
#include "sluice/testing/status_matchers.h"
#include "tests/sim/sim_stats_util.h"
#include "tests/sim/sim_test_util.h"

namespace sluice::sim {
namespace {

using testing::MakeFleet;
using testing::Moments;
using testing::MomentsOf;
using testing::ProportionTolerance;

constexpr double kPi = 3.14159265358979323846;

std::vector<uint32_t> Range(uint32_t from, uint32_t to) {
  std::vector<uint32_t> v(to - from);
  std::iota(v.begin(), v.end(), from);
  return v;
}

// Targets of `fleet` in zone `zone`.
std::vector<uint32_t> InZone(const Fleet& fleet, const std::string& zone) {
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < fleet.size(); ++i) {
    if (fleet.target(i).topology.zone == zone) out.push_back(i);
  }
  return out;
}

// A quiet scenario: flat traffic, no per-minute noise, no spread.
Scenario Quiet() {
  Scenario s;
  s.traffic.diurnal_amplitude = 0;
  s.traffic.minute_noise = 0;
  s.traffic.target_spread = 0;
  s.latency.minute_noise = 0;
  return s;
}

TEST(NoiseModelTest, ErrorRatesDifferPerTargetAsStated) {
  const Fleet fleet = MakeFleet(500);  // 3000 targets
  Scenario s = Quiet();
  s.error_rate = 0.01;
  s.errors.target_spread = 0.5;
  s.duration = absl::Hours(48);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 17));
  std::vector<double> factors, logs;
  for (uint32_t i = 0; i < fleet.size(); ++i) {
    factors.push_back(model.ErrorFactor(i));
    logs.push_back(std::log(model.ErrorFactor(i)));
  }
  // Log-normal with mean 1 and sigma 0.5 of the log.
  const Moments f = MomentsOf(factors);
  EXPECT_NEAR(f.mean, 1.0, f.MeanTolerance());
  const Moments l = MomentsOf(logs);
  EXPECT_NEAR(std::sqrt(l.variance), 0.5, 5 * 0.5 / std::sqrt(2 * (l.n - 1)));
  // Each target shows its own rate: 0.01 times its factor.
  VersionHistory versions(fleet.size());
  std::vector<CohortMinute> minutes;
  for (uint32_t target : {0u, 1u, 2u}) {
    model.CohortMinutes({target}, versions, s.start, s.start + s.duration,
                        &minutes);
    double requests = 0, errors = 0;
    for (const CohortMinute& m : minutes) {
      requests += m.requests;
      errors += m.errors;
    }
    const double p = 0.01 * model.ErrorFactor(target);
    EXPECT_NEAR(errors / requests, p, ProportionTolerance(p, requests))
        << "target " << target << " factor " << model.ErrorFactor(target);
  }
  // Without the spread every factor is 1.
  s.errors.target_spread = 0;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel flat,
                              MetricModel::Create(s, fleet, 17));
  EXPECT_EQ(flat.ErrorFactor(5), 1);
}

// Errors of one target per minute: Var = E[mu_N + phi mu_N^2] + p^2 Var(N)
// with mu_N = p N and N ~ Poisson(600).
TEST(NoiseModelTest, ErrorCountsAreNegativeBinomial) {
  const Fleet fleet = MakeFleet(1);
  Scenario s = Quiet();
  s.error_rate = 0.05;
  s.duration = absl::Hours(24 * 15);
  const double p = 0.05, n = 600;
  for (double phi : {0.0, 0.1}) {
    SCOPED_TRACE(phi);
    s.errors.overdispersion = phi;
    SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                                MetricModel::Create(s, fleet, 3));
    VersionHistory versions(fleet.size());
    std::vector<CohortMinute> minutes;
    model.CohortMinutes({0}, versions, s.start, s.start + s.duration, &minutes);
    std::vector<double> errors;
    for (const CohortMinute& m : minutes) errors.push_back(m.errors);
    const Moments e = MomentsOf(errors);
    EXPECT_NEAR(e.mean, p * n, e.MeanTolerance());
    const double expected = p * n + phi * p * p * (n * n + n) + p * p * n;
    EXPECT_NEAR(e.variance, expected, e.VarianceTolerance());
  }
}

// A cohort's errors are one gamma-Poisson draw with the sum's variance:
// 6 equal targets, Var = M + phi * M^2 / 6 (plus the requests' part).
TEST(NoiseModelTest, CohortSumKeepsTheSumsVariance) {
  const Fleet fleet = MakeFleet(1);  // 6 targets
  Scenario s = Quiet();
  s.error_rate = 0.02;
  s.errors.overdispersion = 0.6;
  s.duration = absl::Hours(24 * 15);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 4));
  VersionHistory versions(fleet.size());
  std::vector<CohortMinute> minutes;
  model.CohortMinutes(Range(0, 6), versions, s.start, s.start + s.duration,
                      &minutes);
  std::vector<double> errors;
  for (const CohortMinute& m : minutes) errors.push_back(m.errors);
  const Moments e = MomentsOf(errors);
  const double n = 3600, p = 0.02, mean = p * n;
  const double expected = mean + 0.6 * p * p * (n * n + n) / 6 + p * p * n;
  EXPECT_NEAR(e.mean, mean, e.MeanTolerance());
  EXPECT_NEAR(e.variance, expected, e.VarianceTolerance());
}

TEST(NoiseModelTest, RequestCountsAreNegativeBinomial) {
  const Fleet fleet = MakeFleet(1);
  Scenario s = Quiet();
  s.traffic.overdispersion = 0.01;
  s.duration = absl::Hours(24 * 15);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 5));
  VersionHistory versions(fleet.size());
  std::vector<CohortMinute> minutes;
  model.CohortMinutes({0}, versions, s.start, s.start + s.duration, &minutes);
  std::vector<double> requests;
  for (const CohortMinute& m : minutes) requests.push_back(m.requests);
  const Moments r = MomentsOf(requests);
  // 10 rps * 60 s = 600 a minute; variance 600 + 0.01 * 600^2.
  EXPECT_NEAR(r.mean, 600, r.MeanTolerance());
  EXPECT_NEAR(r.variance, 600 + 0.01 * 600 * 600, r.VarianceTolerance());
}

// The first harmonic of hourly counts peaks at the region's local peak hour
// (14:00 local): 19:00 UTC at UTC-5, 13:00 UTC at UTC+1. The phase's
// standard error is at most sqrt(sum of counts) / |harmonic| radians.
TEST(NoiseModelTest, DiurnalTrafficPeaksInEachRegionsOwnTime) {
  const Fleet fleet = MakeFleet(5);
  Scenario s = Quiet();
  s.traffic.diurnal_amplitude = 0.5;
  s.traffic.peak_hour_local = 14;
  s.regions = {{"us-east-1", -5}, {"eu-west-1", 1}};
  s.start = absl::FromCivil(absl::CivilDay(2026, 1, 5), absl::UTCTimeZone());
  s.duration = absl::Hours(72);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 9));
  uint32_t east = 0, west = 0, oregon = 0;
  for (uint32_t z = 0; z < fleet.zones().size(); ++z) {
    const std::string& region = fleet.regions()[fleet.zones()[z].region];
    if (region == "us-east-1") east = z;
    if (region == "eu-west-1") west = z;
    if (region == "us-west-2") oregon = z;
  }
  EXPECT_NEAR(model.ZoneRate(east, s.start + absl::Hours(19)), 15, 1e-9);
  EXPECT_NEAR(model.ZoneRate(west, s.start + absl::Hours(13)), 15, 1e-9);
  EXPECT_NEAR(model.ZoneRate(oregon, s.start + absl::Hours(14)), 15, 1e-9);
  EXPECT_NEAR(model.ZoneRate(east, s.start + absl::Hours(7)), 5, 1e-9);
  VersionHistory versions(fleet.size());
  std::vector<CohortMinute> minutes;
  for (const auto& [zone, peak_utc] :
       std::vector<std::pair<std::string, double>>{{"us-east-1-a", 19},
                                                   {"eu-west-1-b", 13}}) {
    SCOPED_TRACE(zone);
    model.CohortMinutes(InZone(fleet, zone), versions, s.start,
                        s.start + s.duration, &minutes);
    double a = 0, b = 0, total = 0;
    for (const CohortMinute& m : minutes) {
      const double theta = 2 * kPi * (m.index % 1440 + 0.5) / 1440.0;
      a += m.requests * std::cos(theta);
      b += m.requests * std::sin(theta);
      total += m.requests;
    }
    double peak = std::atan2(b, a) * 24 / (2 * kPi);
    if (peak < 0) peak += 24;
    const double tolerance_h =
        5 * std::sqrt(total) / std::hypot(a, b) * 24 / (2 * kPi);
    EXPECT_NEAR(peak, peak_utc, tolerance_h);
    EXPECT_LT(tolerance_h, 0.5);  // the check has power
  }
}

TEST(NoiseModelTest, LowTrafficPeriodsInLocalTime) {
  const Fleet fleet = MakeFleet(5);
  Scenario s = Quiet();
  s.regions = {{"us-east-1", -5}};
  s.traffic.low_traffic = {{2, absl::Hours(3), 0.1}};
  s.start = absl::FromCivil(absl::CivilDay(2026, 1, 5), absl::UTCTimeZone());
  s.duration = absl::Hours(48);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 9));
  const std::vector<uint32_t> east = InZone(fleet, "us-east-1-a");
  const uint32_t zone = fleet.zone_of(east[0]);
  // 02:00-05:00 local is 07:00-10:00 UTC at UTC-5.
  EXPECT_NEAR(model.ZoneRate(zone, s.start + absl::Hours(8)), 1, 1e-12);
  EXPECT_NEAR(model.ZoneRate(zone, s.start + absl::Hours(11)), 10, 1e-12);
  EXPECT_NEAR(model.ZoneRate(zone, s.start + absl::Hours(3)), 10, 1e-12);
  VersionHistory versions(fleet.size());
  std::vector<CohortMinute> minutes;
  model.CohortMinutes(east, versions, s.start, s.start + s.duration, &minutes);
  double low = 0, low_n = 0, high = 0, high_n = 0;
  for (const CohortMinute& m : minutes) {
    const int64_t hour = (m.index / 60) % 24;
    (hour >= 7 && hour < 10 ? low : high) += m.requests;
    (hour >= 7 && hour < 10 ? low_n : high_n) += 1;
  }
  // Requests per minute: 5 targets * 600 outside, a tenth inside.
  EXPECT_NEAR(low / low_n, 300, 5 * std::sqrt(300 / low_n));
  EXPECT_NEAR(high / high_n, 3000, 5 * std::sqrt(3000 / high_n));
}

TEST(NoiseModelTest, IncidentsHitTheirZoneAtTheStatedRate) {
  const Fleet fleet = MakeFleet(5);  // 6 zones in 3 regions
  Scenario s = Quiet();
  s.duration = absl::Hours(24 * 50);
  s.incidents.zone_rate_per_day = 2;
  s.incidents.region_rate_per_day = 0.5;
  s.incidents.median_duration = absl::Minutes(20);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 21));
  // Each zone: its own (2/day) and its region's (0.5/day): 2.5/day * 50.
  double count = 0, shorter = 0;
  for (uint32_t z = 0; z < fleet.zones().size(); ++z) {
    for (const MetricModel::Incident& i : model.incidents(z)) {
      count += 1;
      if (i.to - i.from < absl::Minutes(20)) shorter += 1;
    }
  }
  const double expected = 6 * 2.5 * 50;
  EXPECT_NEAR(count, expected, 5 * std::sqrt(expected));
  EXPECT_NEAR(shorter / count, 0.5, ProportionTolerance(0.5, count));
  // During one incident its zone fails 3x as often and is 1.5x as slow;
  // another zone is untouched.
  const uint32_t zone = fleet.zone_of(0);
  ASSERT_FALSE(model.incidents(zone).empty());
  const MetricModel::Incident& incident = model.incidents(zone)[0];
  VersionHistory versions(fleet.size());
  const std::vector<uint32_t> hit = InZone(fleet, fleet.zones()[zone].name);
  std::vector<uint32_t> other;
  for (uint32_t i = 0; i < fleet.size(); ++i) {
    const uint32_t z = fleet.zone_of(i);
    bool quiet = z != zone;
    for (const MetricModel::Incident& j : model.incidents(z)) {
      quiet = quiet && !(j.from <= incident.from + absl::Minutes(1) &&
                         incident.from < j.to);
    }
    if (quiet) other.push_back(i);
  }
  ASSERT_FALSE(other.empty());
  std::vector<CohortMinute> in, out;
  const absl::Time at =
      absl::Ceil(incident.from - s.start, absl::Minutes(1)) + s.start;
  if (incident.to - at < absl::Minutes(1)) GTEST_SKIP() << "incident too short";
  model.CohortMinutes(hit, versions, at, at + absl::Minutes(1), &in);
  model.CohortMinutes(other, versions, at, at + absl::Minutes(1), &out);
  ASSERT_EQ(in.size(), 1u);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(in[0].expected_errors / in[0].expected_requests, 0.003, 1e-12);
  EXPECT_NEAR(out[0].expected_errors / out[0].expected_requests, 0.001, 1e-12);
  EXPECT_NEAR(model.MixtureQuantile(in[0], 0.5),
              1.5 * model.MixtureQuantile(out[0], 0.5), 1e-6);
}

// A 4-day series of hourly points: value 1 + day + hour / 24.
RecordedSeries FourDays() {
  std::vector<Sample> points;
  const absl::Time t0 =
      absl::FromCivil(absl::CivilDay(2014, 4, 10), absl::UTCTimeZone());
  for (int h = 0; h < 96; ++h) {
    points.push_back({t0 + absl::Hours(h), 1.0 + h / 24 + (h % 24) / 24.0});
  }
  return *RecordedSeries::FromPoints(points);
}

TEST(NoiseModelTest, BackgroundsReplayPerZoneAtOffsetsDrawnPerRun) {
  const Fleet fleet = MakeFleet(5);  // 6 zones
  const RecordedSeries series = FourDays();
  Scenario s = Quiet();
  RecordedBackground errors{"four_days.csv", series, Signal::kErrorRate};
  s.backgrounds = {errors};
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 1));
  const std::vector<MetricModel::BackgroundOffset> offsets =
      model.background_offsets();
  ASSERT_EQ(offsets.size(), 6u);
  // Error backgrounds are shifted: zone k replays k days after zone 0.
  for (size_t k = 0; k < offsets.size(); ++k) {
    EXPECT_EQ(offsets[k].zone, k);
    EXPECT_EQ(offsets[k].offset - offsets[0].offset,
              absl::Hours(24) * static_cast<int64_t>(k));
    const absl::Time t = s.start + absl::Minutes(137);
    const double shape =
        series.ValueAt(offsets[k].offset + absl::Minutes(137)) / series.mean();
    EXPECT_NEAR(model.BackgroundFactor(Signal::kErrorRate, k, t), shape, 1e-12);
    EXPECT_EQ(model.BackgroundFactor(Signal::kLatencyMs, k, t), 1);
  }
  // The base offset is uniform over the series' period, drawn per run.
  std::vector<double> bases;
  std::set<int64_t> distinct;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel m,
                                MetricModel::Create(s, fleet, seed));
    const absl::Duration base = m.background_offsets()[0].offset;
    EXPECT_GE(base, absl::ZeroDuration());
    EXPECT_LT(base, series.period());
    bases.push_back(absl::ToDoubleHours(base));
    distinct.insert(absl::ToInt64Minutes(base));
  }
  const Moments b = MomentsOf(bases);
  const double period_h = absl::ToDoubleHours(series.period());
  EXPECT_NEAR(b.mean, period_h / 2, b.MeanTolerance());
  EXPECT_NEAR(b.variance, period_h * period_h / 12, b.VarianceTolerance());
  // Whole minutes: 2000 draws from P values leave P (1 - e^(-2000/P))
  // distinct ones on average.
  const double minutes = absl::ToDoubleMinutes(series.period());
  EXPECT_GT(static_cast<double>(distinct.size()),
            0.95 * minutes * (1 - std::exp(-2000 / minutes)));
  // A fixed offset is kept.
  s.backgrounds[0].offset = absl::Hours(5);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel fixed,
                              MetricModel::Create(s, fleet, 77));
  EXPECT_EQ(fixed.background_offsets()[0].offset, absl::Hours(5));
}

// The heart of the matter: with a replayed error background, a canary in
// one zone and a baseline over the others must not share one factor, or
// comparative gates never see the background's noise.
TEST(NoiseModelTest, CanaryAndBaselineDoNotShareOneBackgroundFactor) {
  const Fleet fleet = MakeFleet(5);
  Scenario s = Quiet();
  RecordedBackground errors{"four_days.csv", FourDays(), Signal::kErrorRate};
  errors.offset = absl::ZeroDuration();
  VersionHistory versions(fleet.size());
  auto ratios = [&](RecordedBackground::ZoneReplay replay) {
    s.backgrounds = {errors};
    s.backgrounds[0].zone_replay = replay;
    const MetricModel model = *MetricModel::Create(s, fleet, 1);
    std::vector<CohortMinute> canary, baseline;
    model.CohortMinutes({0}, versions, s.start, s.start + absl::Hours(24),
                        &canary, /*draw=*/false);
    model.CohortMinutes(Range(1, fleet.size()), versions, s.start,
                        s.start + absl::Hours(24), &baseline, false);
    std::vector<double> out;
    for (size_t i = 0; i < canary.size(); ++i) {
      out.push_back(
          (canary[i].expected_errors / canary[i].expected_requests) /
          (baseline[i].expected_errors / baseline[i].expected_requests));
    }
    return out;
  };
  const std::vector<double> same =
      ratios(RecordedBackground::ZoneReplay::kSame);
  for (double r : same) EXPECT_NEAR(r, 1.0, 1e-9);
  const std::vector<double> shifted =
      ratios(RecordedBackground::ZoneReplay::kShifted);
  const auto [lo, hi] = std::minmax_element(shifted.begin(), shifted.end());
  EXPECT_GT(*hi / *lo, 1.1);
}

TEST(NoiseModelTest, SeveralSeriesReplayTogetherAndPerZone) {
  const Fleet fleet = MakeFleet(5);
  Scenario s = Quiet();
  const RecordedSeries series = FourDays();
  RecordedBackground traffic{"t.csv", series, Signal::kRequestRate};
  RecordedBackground errors{"e.csv", series, Signal::kErrorRate};
  RecordedBackground latency{"l.csv", series, Signal::kLatencyMs};
  latency.zone = "us-east-1-b";
  latency.region = "us-east-1";
  s.backgrounds = {traffic, errors, latency};
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 8));
  const absl::Time t = s.start + absl::Hours(30);
  // Traffic replays the same moment everywhere (default for request rate).
  const double traffic0 = model.BackgroundFactor(Signal::kRequestRate, 0, t);
  for (uint32_t z = 1; z < 6; ++z) {
    EXPECT_EQ(model.BackgroundFactor(Signal::kRequestRate, z, t), traffic0);
    EXPECT_NEAR(model.ZoneRate(z, t), 10 * traffic0, 1e-9);
  }
  // Latency only in us-east-1-b.
  for (uint32_t z = 0; z < 6; ++z) {
    const bool covered = fleet.zones()[z].name == "us-east-1-b";
    EXPECT_EQ(model.BackgroundFactor(Signal::kLatencyMs, z, t) != 1, covered)
        << fleet.zones()[z].name;
  }
  EXPECT_EQ(model.background_offsets().size(), 6u + 6u + 1u);
}

// `cv` replays a series of any spread with the stated variability: the
// factor's coefficient of variation over the series is `cv`.
TEST(NoiseModelTest, ABackgroundsCvSetsItsVariability) {
  const Fleet fleet = MakeFleet(1);
  const RecordedSeries series = FourDays();
  Scenario s = Quiet();
  RecordedBackground errors{"four_days.csv", series, Signal::kErrorRate};
  errors.cv = 0.2;
  errors.offset = absl::ZeroDuration();
  EXPECT_NEAR(errors.EffectiveStrength(), 0.2 / series.cv(), 1e-12);
  s.backgrounds = {errors};
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 1));
  // Over the series' points (one an hour for 96 hours).
  std::vector<double> factors;
  for (int h = 0; h < 96; ++h) {
    factors.push_back(model.BackgroundFactor(Signal::kErrorRate, 0,
                                             s.start + absl::Hours(h)));
  }
  const Moments f = MomentsOf(factors);
  EXPECT_NEAR(f.mean, 1.0, 1e-9);
  EXPECT_NEAR(std::sqrt(f.variance * (f.n - 1) / f.n) / f.mean, 0.2, 1e-9);
}

TEST(NoiseModelTest, ATrafficSeriesCanKeepTheDailyCycle) {
  const Fleet fleet = MakeFleet(1);
  Scenario s = Quiet();
  s.traffic.diurnal_amplitude = 0.5;
  s.start = absl::FromCivil(absl::CivilDay(2026, 1, 5), absl::UTCTimeZone());
  RecordedBackground traffic{"t.csv", FourDays(), Signal::kRequestRate};
  traffic.offset = absl::ZeroDuration();
  s.backgrounds = {traffic};
  const absl::Time peak = s.start + absl::Hours(15);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel replaced,
                              MetricModel::Create(s, fleet, 1));
  const double shape = replaced.BackgroundFactor(Signal::kRequestRate, 0, peak);
  EXPECT_NEAR(replaced.ZoneRate(0, peak), 10 * shape, 1e-9);
  s.backgrounds[0].keep_daily_cycle = true;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel kept,
                              MetricModel::Create(s, fleet, 1));
  EXPECT_NEAR(kept.ZoneRate(0, peak), 10 * 1.5 * shape, 1e-9);
}

// Histogram buckets are multinomial over the minute's mixture: the count
// of each bucket summed over minutes matches its expected count.
TEST(NoiseModelTest, LatencyHistogramFollowsTheMixture) {
  const Fleet fleet = MakeFleet(5);
  Scenario s;  // with minute noise and the heavy tail
  s.fault.bad = true;
  s.fault.latency_shift_ms = 30;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 2));
  VersionHistory versions(fleet.size());
  for (uint32_t i = 0; i < 10; ++i) versions.SetNew(i, s.start);
  std::vector<CohortMinute> minutes;
  model.CohortMinutes(Range(0, 20), versions, s.start, s.start + absl::Hours(8),
                      &minutes);
  const std::vector<double>& bounds = DefaultLatencyBucketsMs();
  std::vector<double> observed(bounds.size() + 1, 0), expected = observed,
                                                      variance = observed;
  std::vector<double> counts;
  for (const CohortMinute& m : minutes) {
    ASSERT_NEAR(m.hurt_share, 0.5, 0.1);
    model.LatencyHistogram(m, bounds, &counts);
    ASSERT_EQ(counts.size(), bounds.size() + 1);
    EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), 0.0), m.requests);
    const double noise = model.MinuteNoise(m);
    double below = 0;
    for (size_t b = 0; b <= bounds.size(); ++b) {
      const double cdf =
          b < bounds.size() ? model.MixtureCdf(m, bounds[b] / noise) : 1.0;
      const double p = cdf - below;
      below = cdf;
      observed[b] += counts[b];
      expected[b] += m.requests * p;
      variance[b] += m.requests * p * (1 - p);
    }
  }
  for (size_t b = 0; b <= bounds.size(); ++b) {
    EXPECT_NEAR(observed[b], expected[b], 5 * std::sqrt(variance[b]) + 1)
        << "bucket " << b;
  }
}

TEST(NoiseModelTest, LatencyObservationsFollowTheMixture) {
  const Fleet fleet = MakeFleet(5);
  Scenario s;
  s.fault.bad = true;
  s.fault.tail_multiplier = 2;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 2));
  VersionHistory versions(fleet.size());
  for (uint32_t i = 0; i < 20; ++i) versions.SetNew(i, s.start);
  std::vector<CohortMinute> minutes;
  model.CohortMinutes(Range(0, 20), versions, s.start, s.start + absl::Hours(2),
                      &minutes);
  // The share of observations at most x, against the mixture's CDF.
  for (double x : {30.0, 40.0, 60.0, 200.0, 600.0}) {
    double below = 0, expected = 0, n = 0;
    for (const CohortMinute& m : minutes) {
      std::vector<double> values;
      model.LatencyObservations(m, 500, &values);
      ASSERT_EQ(values.size(), 500u);
      for (double v : values) below += v <= x;
      expected += 500 * model.MixtureCdf(m, x / model.MinuteNoise(m));
      n += 500;
    }
    EXPECT_NEAR(below / n, expected / n, ProportionTolerance(expected / n, n))
        << x;
  }
  // The mean of many observations is MeanLatency().
  std::vector<double> values;
  model.LatencyObservations(minutes[0], 100000, &values);
  ASSERT_EQ(values.size(),
            static_cast<size_t>(std::min(100000.0, minutes[0].requests)));
  const Moments v = MomentsOf(values);
  EXPECT_NEAR(v.mean, model.MeanLatency(minutes[0]), v.MeanTolerance());
}

TEST(NoiseModelTest, LatencyDiffersPerTargetAndWidensACohort) {
  const Fleet fleet = MakeFleet(500);
  Scenario s = Quiet();
  s.latency.target_spread = 0.3;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 6));
  std::vector<double> logs;
  for (uint32_t i = 0; i < fleet.size(); ++i) {
    logs.push_back(std::log(model.LatencyFactor(i)));
  }
  const Moments l = MomentsOf(logs);
  EXPECT_NEAR(l.mean, 0, l.MeanTolerance());
  EXPECT_NEAR(std::sqrt(l.variance), 0.3, 5 * 0.3 / std::sqrt(2 * l.n));
  VersionHistory versions(fleet.size());
  std::vector<CohortMinute> one, all;
  model.CohortMinutes({7}, versions, s.start, s.start + absl::Minutes(1), &one);
  model.CohortMinutes(Range(0, fleet.size()), versions, s.start,
                      s.start + absl::Minutes(1), &all);
  // One target: its own factor, the scenario's sigma.
  EXPECT_NEAR(one[0].latency_factor, model.LatencyFactor(7), 1e-12);
  EXPECT_NEAR(one[0].latency_sigma, s.latency.sigma, 1e-12);
  EXPECT_NEAR(model.MixtureQuantile(one[0], 0.5),
              model.MixtureQuantile(0.5, 0, 1) * model.LatencyFactor(7), 1e-6);
  // The whole fleet: the log-latency's variance grows by the factors'.
  EXPECT_NEAR(all[0].latency_sigma * all[0].latency_sigma,
              s.latency.sigma * s.latency.sigma + l.variance,
              5 * std::sqrt(2.0 / l.n) * l.variance);
}

}  // namespace
}  // namespace sluice::sim

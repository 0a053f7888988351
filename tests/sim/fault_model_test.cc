// Copyright 2026 The Sluice Authors.
//
// The fault models of a bad release (sluice::sim::Fault), each checked for
// the statistics the documentation states: multiplicative and additive
// error faults, a ramp growing with time since deployment, intermittent
// faults, faults above a load level only, a shift of the latency tail only,
// crash-looping targets, and a fault that needs a whole region on the new
// version. Tolerances are five standard errors (sim_stats_util.h).

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/sim/metric_model.h"
#include "sluice/sim/scenario.h"
#include "sluice/testing/status_matchers.h"
#include "tests/sim/sim_stats_util.h"
#include "tests/sim/sim_test_util.h"

namespace sluice::sim {
namespace {

using testing::MakeFleet;
using testing::ProportionTolerance;

std::vector<uint32_t> Range(uint32_t from, uint32_t to) {
  std::vector<uint32_t> v(to - from);
  std::iota(v.begin(), v.end(), from);
  return v;
}

Scenario Bad() {
  Scenario s;
  s.traffic.diurnal_amplitude = 0;
  s.traffic.minute_noise = 0;
  s.traffic.target_spread = 0;
  s.latency.minute_noise = 0;
  s.error_rate = 0.002;
  s.fault.bad = true;
  return s;
}

// Expected error rate of a minute (before noise).
double Rate(const CohortMinute& m) {
  return m.expected_errors / m.expected_requests;
}

// Observed error rate over minutes, and the requests behind it.
std::pair<double, double> Observed(const std::vector<CohortMinute>& minutes) {
  double errors = 0, requests = 0;
  for (const CohortMinute& m : minutes) {
    errors += m.errors;
    requests += m.requests;
  }
  return {errors / requests, requests};
}

TEST(FaultModelTest, MultipliesAndAddsToTheErrorRate) {
  const Fleet fleet = MakeFleet(5);
  Scenario s = Bad();
  s.fault.error_multiplier = 3;
  s.fault.error_rate_added = 0.004;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 1));
  VersionHistory versions(fleet.size());
  for (uint32_t i = 0; i < 10; ++i) versions.SetNew(i, s.start);
  std::vector<CohortMinute> hurt, healthy;
  model.CohortMinutes(Range(0, 10), versions, s.start,
                      s.start + absl::Hours(12), &hurt);
  model.CohortMinutes(Range(10, 20), versions, s.start,
                      s.start + absl::Hours(12), &healthy);
  const double bad_rate = 0.002 * 3 + 0.004;
  EXPECT_NEAR(Rate(hurt[5]), bad_rate, 1e-12);
  EXPECT_NEAR(Rate(healthy[5]), 0.002, 1e-12);
  EXPECT_NEAR(hurt[5].excess_errors / hurt[5].expected_requests,
              bad_rate - 0.002, 1e-12);
  const auto [rate, requests] = Observed(hurt);
  EXPECT_NEAR(rate, bad_rate, ProportionTolerance(bad_rate, requests));
}

// A replayed zero erases a multiplicative fault, not an additive one.
TEST(FaultModelTest, AReplayedZeroErasesOnlyTheMultiplicativePart) {
  const Fleet fleet = MakeFleet(5);
  Scenario s = Bad();
  const absl::Time t0 = absl::UnixEpoch();
  // 0 for a day, 2 for a day: the shape is 0 then 2.
  s.backgrounds = {
      RecordedBackground{"zero.csv",
                         *RecordedSeries::FromPoints(
                             {{t0, 0},
                              {t0 + absl::Hours(24) - absl::Minutes(1), 0},
                              {t0 + absl::Hours(24), 2},
                              {t0 + absl::Hours(48) - absl::Minutes(1), 2}}),
                         Signal::kErrorRate, absl::ZeroDuration()}};
  s.backgrounds[0].zone_replay = RecordedBackground::ZoneReplay::kSame;
  VersionHistory versions(fleet.size());
  for (uint32_t i = 0; i < 10; ++i) versions.SetNew(i, s.start);
  std::vector<CohortMinute> minutes;
  for (const auto& [multiplier, added] :
       std::vector<std::pair<double, double>>{{5, 0}, {1, 0.01}}) {
    s.fault.error_multiplier = multiplier;
    s.fault.error_rate_added = added;
    const MetricModel model = *MetricModel::Create(s, fleet, 1);
    model.CohortMinutes(Range(0, 10), versions, s.start,
                        s.start + absl::Hours(4), &minutes);
    EXPECT_NEAR(Rate(minutes[100]), added, 1e-12) << multiplier;
  }
}

TEST(FaultModelTest, ARampGrowsWithTimeSinceDeployment) {
  const Fleet fleet = MakeFleet(5);
  Scenario s = Bad();
  s.fault.error_multiplier = 11;
  s.fault.latency_shift_ms = 100;
  s.fault.onset_delay = absl::Minutes(10);
  s.fault.ramp = absl::Hours(2);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 1));
  VersionHistory versions(fleet.size());
  for (uint32_t i = 0; i < 10; ++i) versions.SetNew(i, s.start);
  // Half the targets deploy an hour later: their ramp starts later.
  for (uint32_t i = 10; i < 20; ++i) {
    versions.SetNew(i, s.start + absl::Hours(1));
  }
  std::vector<CohortMinute> early, mixed;
  model.CohortMinutes(Range(0, 10), versions, s.start, s.start + absl::Hours(4),
                      &early);
  model.CohortMinutes(Range(0, 20), versions, s.start, s.start + absl::Hours(4),
                      &mixed);
  // Size at a minute's middle: (t - 10m) / 2h.
  for (int m : {5, 10, 40, 70, 129, 130, 200}) {
    const double minutes_on = m + 0.5 - 10;
    const double size = std::clamp(minutes_on / 120, 0.0, 1.0);
    SCOPED_TRACE(m);
    EXPECT_NEAR(Rate(early[m]), 0.002 * (1 + size * 10), 1e-12);
    if (size > 0) {
      EXPECT_NEAR(early[m].hurt_severity, size, 1e-9);
      EXPECT_NEAR(model.MixtureQuantile(early[m], 0.5),
                  model.MixtureQuantile(0.5, 0, 1) + size * 100, 1e-6);
    } else {
      EXPECT_EQ(early[m].hurt_share, 0);
    }
  }
  // The later half is an hour behind: at minute 100 sizes 90.5/120 and
  // 30.5/120, averaged over equal traffic.
  EXPECT_NEAR(mixed[100].hurt_severity, (90.5 + 30.5) / 240, 1e-9);
  EXPECT_NEAR(Rate(mixed[100]), 0.002 * (1 + 10 * (90.5 + 30.5) / 240), 1e-12);
  // Rolled back before it grew fully: the ramp stops with it.
  versions.SetOld(0, s.start + absl::Minutes(70));
  model.CohortMinutes({0}, versions, s.start, s.start + absl::Hours(4), &early);
  EXPECT_NEAR(Rate(early[69]), 0.002 * (1 + 10 * 59.5 / 120), 1e-12);
  EXPECT_NEAR(Rate(early[70]), 0.002, 1e-12);
}

TEST(FaultModelTest, AnIntermittentFaultShowsItsShareOfTheTime) {
  const Fleet fleet = MakeFleet(5);
  Scenario s = Bad();
  s.fault.error_multiplier = 10;
  s.fault.intermittent = Intermittence{absl::Hours(1), absl::Minutes(15)};
  VersionHistory versions(fleet.size());
  for (uint32_t i = 0; i < 10; ++i) versions.SetNew(i, s.start);
  std::vector<CohortMinute> minutes;
  for (uint64_t seed : {1, 2, 3}) {
    const MetricModel model = *MetricModel::Create(s, fleet, seed);
    model.CohortMinutes(Range(0, 10), versions, s.start,
                        s.start + absl::Hours(24), &minutes);
    double on = 0;
    for (const CohortMinute& m : minutes) {
      const bool shows = m.hurt_share > 0;
      on += shows;
      EXPECT_EQ(shows, model.FaultShows(fleet.zone_of(0),
                                        m.time + absl::Seconds(30), versions));
      EXPECT_NEAR(Rate(m), shows ? 0.02 : 0.002, 1e-12);
    }
    // 15 of every 60 minutes, within the minute grid's rounding.
    EXPECT_NEAR(on / minutes.size(), 0.25, 1.0 / 60) << seed;
  }
}

// Diurnal rate 10 (1 + 0.5 cos): at least 12 rps during a share
// acos(0.4) / pi of the day.
TEST(FaultModelTest, AFaultAboveALoadLevelShowsOnlyUnderLoad) {
  const Fleet fleet = MakeFleet(5);
  Scenario s = Bad();
  s.traffic.diurnal_amplitude = 0.5;
  s.fault.error_multiplier = 10;
  s.fault.min_load_rps = 12;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 1));
  VersionHistory versions(fleet.size());
  for (uint32_t i = 0; i < 10; ++i) versions.SetNew(i, s.start);
  std::vector<CohortMinute> minutes;
  model.CohortMinutes(Range(0, 10), versions, s.start,
                      s.start + absl::Hours(24), &minutes);
  double on = 0;
  for (const CohortMinute& m : minutes) {
    const absl::Time mid = m.time + absl::Seconds(30);
    const bool loaded = model.ZoneRate(fleet.zone_of(0), mid) >= 12;
    EXPECT_EQ(m.hurt_share > 0, loaded);
    on += loaded;
  }
  EXPECT_NEAR(on / minutes.size(), std::acos(0.4) / 3.14159265358979,
              2.0 / 1440);
}

TEST(FaultModelTest, ATailOnlyFaultMovesP99AndNotTheMedian) {
  const Fleet fleet = MakeFleet(1);
  Scenario s = Bad();
  s.fault.tail_multiplier = 1.3;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 1));
  const double p50 = model.MixtureQuantile(0.5, 0, 1);
  const double p99 = model.MixtureQuantile(0.99, 0, 1);
  EXPECT_NEAR(model.MixtureQuantile(0.5, 1, 1) / p50, 1.0, 0.005);
  // p99 lies in the Pareto tail: it moves by the tail's multiplier (the
  // body's share above it is negligible).
  EXPECT_NEAR(model.MixtureQuantile(0.99, 1, 1) / p99, 1.3, 0.02);
  // A multiplier of every request moves both.
  s.fault.tail_multiplier = 1;
  s.fault.latency_multiplier = 1.2;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel all,
                              MetricModel::Create(s, fleet, 1));
  EXPECT_NEAR(all.MixtureQuantile(0.5, 1, 1) / p50, 1.2, 1e-9);
  EXPECT_NEAR(all.MixtureQuantile(0.99, 1, 1) / p99, 1.2, 1e-9);
}

TEST(FaultModelTest, CrashLoopingTargetsFailToDeployOrDie) {
  const Fleet fleet = MakeFleet(500);  // 3000 targets
  Scenario s = Bad();
  s.fault.scope.kind = FaultScope::Kind::kRegion;
  s.fault.scope.region = "us-east-1";
  s.fault.crash.deploy_failure_probability = 0.3;
  s.fault.crash.die_probability = 0.4;
  s.fault.crash.after = absl::Minutes(7);
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 1));
  double hurt = 0, fail = 0, die = 0;
  for (uint32_t i = 0; i < fleet.size(); ++i) {
    if (!model.hurts(i)) {
      EXPECT_FALSE(model.CrashOnDeploy(i, 0));
      EXPECT_FALSE(model.crashes(i));
      continue;
    }
    hurt += 1;
    fail += model.CrashOnDeploy(i, 0);
    die += model.crashes(i);
  }
  ASSERT_EQ(hurt, 1000);
  EXPECT_NEAR(fail / hurt, 0.3, ProportionTolerance(0.3, hurt));
  EXPECT_NEAR(die / hurt, 0.4, ProportionTolerance(0.4, hurt));
  // A second attempt draws again.
  uint32_t first = 0;
  while (!model.hurts(first)) ++first;
  int differ = 0;
  for (uint64_t attempt = 1; attempt < 50; ++attempt) {
    differ +=
        model.CrashOnDeploy(first, attempt) != model.CrashOnDeploy(first, 0);
  }
  EXPECT_GT(differ, 0);
  // A target that dies fails every request from `after` on.
  uint32_t dies = 0;
  while (!model.crashes(dies)) ++dies;
  VersionHistory versions(fleet.size());
  versions.SetNew(dies, s.start + absl::Minutes(10));
  std::vector<CohortMinute> minutes;
  model.CohortMinutes({dies}, versions, s.start, s.start + absl::Hours(1),
                      &minutes);
  EXPECT_NEAR(Rate(minutes[15]), 0.002, 1e-12);
  EXPECT_NEAR(Rate(minutes[17]), 1.0, 1e-12);
  EXPECT_EQ(minutes[17].crashed_share, 1);
  EXPECT_EQ(minutes[30].errors, minutes[30].requests);
  EXPECT_GT(minutes[30].requests, 0);
  // Rolled back: healthy again.
  versions.SetOld(dies, s.start + absl::Minutes(40));
  model.CohortMinutes({dies}, versions, s.start, s.start + absl::Hours(1),
                      &minutes);
  EXPECT_NEAR(Rate(minutes[41]), 0.002, 1e-12);
}

TEST(FaultModelTest, AFaultThatNeedsAWholeRegion) {
  const Fleet fleet = MakeFleet(5);  // us-east-1 holds targets 0..9
  Scenario s = Bad();
  s.fault.error_multiplier = 10;
  s.fault.needs_whole_region = true;
  SLUICE_ASSERT_OK_AND_ASSIGN(MetricModel model,
                              MetricModel::Create(s, fleet, 1));
  VersionHistory versions(fleet.size());
  for (uint32_t i = 0; i < 9; ++i) versions.SetNew(i, s.start);
  versions.SetNew(9, s.start + absl::Minutes(30));
  versions.SetOld(3, s.start + absl::Minutes(60));
  // Another region, fully new from minute 0 until the end.
  for (uint32_t i = 10; i < 20; ++i) versions.SetNew(i, s.start);
  std::vector<CohortMinute> east, west;
  model.CohortMinutes(Range(0, 10), versions, s.start, s.start + absl::Hours(2),
                      &east);
  model.CohortMinutes(Range(10, 20), versions, s.start,
                      s.start + absl::Hours(2), &west);
  EXPECT_EQ(east[20].hurt_share, 0);  // 9 of 10 on the new version
  EXPECT_NEAR(east[45].hurt_share, 1, 1e-12);
  EXPECT_NEAR(Rate(east[45]), 0.02, 1e-12);
  EXPECT_EQ(east[70].hurt_share, 0);  // one was rolled back
  EXPECT_NEAR(west[5].hurt_share, 1, 1e-12);
  EXPECT_TRUE(model.FaultShows(fleet.zone_of(0), s.start + absl::Minutes(45),
                               versions));
  EXPECT_FALSE(model.FaultShows(fleet.zone_of(0), s.start + absl::Minutes(75),
                                versions));
}

}  // namespace
}  // namespace sluice::sim

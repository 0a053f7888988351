// Copyright 2026 The Sluice Authors.
//
// Every spec, fleet and scenario under examples/ stays valid: each spec
// validates against the example fleet, plans, and makes a rollout; each
// scenario validates against the fleet. Users copy these files, so a change
// to the schema or a validator that breaks one fails here.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/fleet_io.h"
#include "sluice/phased_rollout.h"
#include "sluice/rollout.h"
#include "sluice/sim/recorded_series.h"
#include "sluice/sim/scenario.h"
#include "sluice/spec.h"
#include "sluice/testing/fake_metric_source.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/rollout_spec.pb.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

constexpr char kFleet[] = "examples/fleets/three_regions.csv";

// The files in `dir` whose names end in `suffix`, sorted.
std::vector<std::string> FilesIn(const std::string& dir,
                                 const std::string& suffix) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string path = entry.path().string();
    if (path.size() >= suffix.size() &&
        path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ExampleFilesTest, EverySpecValidatesPlansAndMakesARollout) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  const std::vector<std::string> specs =
      FilesIn("examples/specs", ".textproto");
  // One per peer shape and per gated variant: a missing directory must not
  // pass vacuously.
  ASSERT_GE(specs.size(), 15u);
  testing::FakeMetricSource metrics;
  testing::FakeAlarmSource alarms;
  for (const std::string& path : specs) {
    SCOPED_TRACE(path);
    SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec spec, RolloutSpec::LoadFile(path));
    EXPECT_THAT(spec.ValidateAgainst(fleet), testing::IsOk());
    SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> scheduler,
                                NewScheduler(spec));
    SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan, scheduler->Plan(fleet));
    EXPECT_FALSE(plan.waves.empty());
    RolloutOptions options;
    options.metric_source = &metrics;
    options.alarm_source = &alarms;
    if (spec.previous_version().empty()) options.previous_version = "0";
    EXPECT_THAT(Rollout::FromSpec(spec, fleet, options), testing::IsOk());
  }
}

// The phased specs (examples/phased/, sluice.v1.PhasedRolloutSpec): each
// validates against the example fleet, every phase plans, and they make a
// phased rollout whose later phases roll back to the earlier ones.
TEST(ExampleFilesTest, EveryPhasedSpecValidatesAndMakesAPhasedRollout) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  const std::vector<std::string> specs =
      FilesIn("examples/phased", ".textproto");
  ASSERT_GE(specs.size(), 1u);
  testing::FakeMetricSource metrics;
  testing::FakeAlarmSource alarms;
  for (const std::string& path : specs) {
    SCOPED_TRACE(path);
    SLUICE_ASSERT_OK_AND_ASSIGN(PhasedRolloutSpec spec,
                                PhasedRolloutSpec::LoadFile(path));
    EXPECT_THAT(spec.ValidateAgainst(fleet), testing::IsOk());
    ASSERT_GE(spec.phases().size(), 2u);
    RolloutOptions options;
    options.metric_source = &metrics;
    options.alarm_source = &alarms;
    options.previous_version = "0";
    SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<PhasedRollout> rollout,
                                PhasedRollout::FromSpec(spec, fleet, options));
    for (int i = 1; i < rollout->phase_count(); ++i) {
      EXPECT_EQ(rollout->phase(i).previous_version(),
                rollout->phase(i - 1).version());
      EXPECT_FALSE(rollout->phase(i).plan().waves.empty());
    }
  }
}

TEST(ExampleFilesTest, EveryScenarioValidatesAgainstTheFleet) {
  SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(kFleet));
  const std::vector<std::string> scenarios =
      FilesIn("examples/scenarios", ".textproto");
  ASSERT_GE(scenarios.size(), 5u);
  for (const std::string& path : scenarios) {
    SCOPED_TRACE(path);
    SLUICE_ASSERT_OK_AND_ASSIGN(sim::Scenario scenario,
                                sim::LoadScenarioFile(path));
    EXPECT_THAT(sim::ValidateScenarioAgainst(scenario, fleet), testing::IsOk());
  }
}

TEST(ExampleFilesTest, EveryFleetLoads) {
  const std::vector<std::string> fleets = FilesIn("examples/fleets", ".csv");
  ASSERT_GE(fleets.size(), 1u);
  for (const std::string& path : fleets) {
    SCOPED_TRACE(path);
    EXPECT_THAT(LoadFleetFile(path), testing::IsOk());
  }
}

// Every vendored recorded series loads and is listed, with its source and
// license, in examples/data/README.md.
TEST(ExampleFilesTest, EveryRecordedSeriesLoadsAndIsAttributed) {
  const std::vector<std::string> series = FilesIn("examples/data", ".csv");
  ASSERT_GE(series.size(), 6u);
  std::ifstream readme_file("examples/data/README.md");
  const std::string readme((std::istreambuf_iterator<char>(readme_file)),
                           std::istreambuf_iterator<char>());
  EXPECT_THAT(readme, ::testing::HasSubstr("LICENSE.NAB.txt"));
  EXPECT_TRUE(std::filesystem::exists("examples/data/LICENSE.NAB.txt"));
  for (const std::string& path : series) {
    SCOPED_TRACE(path);
    EXPECT_THAT(sim::RecordedSeries::LoadFile(path), testing::IsOk());
    const std::string name = std::filesystem::path(path).filename().string();
    EXPECT_THAT(readme, ::testing::HasSubstr("`" + name + "`"));
  }
}

// The recommended canary judges its canary against old-version targets of
// the canary's own zone: on both example fleets the canary is one zone's
// targets, and that zone keeps old-version targets for the control (a
// canary of the whole zone would leave only other zones, with their own
// noise and local time, to compare with).
TEST(ExampleFilesTest, TheStatisticalCanaryLeavesItsZoneAControl) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile(
          "examples/specs/codedeploy_canary_statistical.textproto"));
  for (const char* path : {kFleet, "examples/fleets/three_regions_3600.csv"}) {
    SCOPED_TRACE(path);
    SLUICE_ASSERT_OK_AND_ASSIGN(Fleet fleet, LoadFleetFile(path));
    SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> scheduler,
                                NewScheduler(spec));
    SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan, scheduler->Plan(fleet));
    ASSERT_EQ(plan.waves.size(), 2u);
    const Wave& canary = plan.waves[0];
    ASSERT_FALSE(canary.targets.empty());
    const uint32_t zone = fleet.zone_of(canary.targets[0]);
    for (Fleet::TargetIndex t : canary.targets) {
      EXPECT_EQ(fleet.zone_of(t), zone) << fleet.target(t).id;
    }
    size_t zone_size = 0;
    for (Fleet::TargetIndex t = 0; t < fleet.size(); ++t) {
      if (fleet.zone_of(t) == zone) ++zone_size;
    }
    // At least as many old-version targets in the zone as canary targets.
    EXPECT_GE(zone_size, 2 * canary.targets.size());
  }
  // Both gates judge against the canary's zone, and the canary is judged
  // for as long as it runs.
  const v1::RolloutSpec proto = spec.ToProto();
  ASSERT_EQ(proto.gates().default__size(), 2);
  for (const v1::GateSpec& gate : proto.gates().default_()) {
    SCOPED_TRACE(gate.name());
    ASSERT_TRUE(gate.has_self_baseline());
    EXPECT_EQ(gate.self_baseline().control(),
              v1::SelfBaselineGateSpec::CONTROL_SAME_ZONE);
    EXPECT_EQ(gate.self_baseline().duration().seconds(),
              proto.waves().canary().interval().seconds());
  }
}

// The infrastructure example: per-zone groups and roles, a load balancer per
// region spanning its zones. Every wave but the load balancers' holds one
// zone, and each load balancer deploys alone after every zone of its region.
TEST(ExampleFilesTest, ZonalInfrastructurePlansZoneByZone) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      Fleet fleet, LoadFleetFile("examples/fleets/zonal_infrastructure.csv"));
  SLUICE_ASSERT_OK_AND_ASSIGN(
      RolloutSpec spec,
      RolloutSpec::LoadFile("examples/specs/zonal_infrastructure.textproto"));
  EXPECT_THAT(spec.ValidateAgainst(fleet), testing::IsOk());
  const std::vector<FleetWarning> warnings = LintFleet(fleet);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].target_id, "use1-lb");
  EXPECT_EQ(warnings[1].target_id, "euw1-lb");
  SLUICE_ASSERT_OK_AND_ASSIGN(std::unique_ptr<WaveScheduler> scheduler,
                              NewScheduler(spec));
  SLUICE_ASSERT_OK_AND_ASSIGN(WavePlan plan, scheduler->Plan(fleet));
  EXPECT_EQ(plan.target_count(), fleet.size());
  std::vector<std::string> spanning;
  for (size_t w = 0; w < plan.waves.size(); ++w) {
    const Wave& wave = plan.waves[w];
    SCOPED_TRACE(wave.name);
    if (wave.stage == "spanning") {
      ASSERT_EQ(wave.targets.size(), 1u);
      const Fleet::TargetIndex lb = wave.targets[0];
      spanning.push_back(fleet.target(lb).id);
      EXPECT_FALSE(wave.note.empty());
      // Every target of the region it spans deployed in an earlier wave.
      for (size_t e = w + 1; e < plan.waves.size(); ++e) {
        for (Fleet::TargetIndex t : plan.waves[e].targets) {
          EXPECT_NE(fleet.region_of(t), fleet.region_of(lb))
              << fleet.target(t).id;
        }
      }
      continue;
    }
    for (Fleet::TargetIndex t : wave.targets) {
      EXPECT_EQ(fleet.zone_of(t), fleet.zone_of(wave.targets[0]));
      EXPECT_FALSE(fleet.spans_several(t));
    }
  }
  EXPECT_THAT(spanning, ::testing::ElementsAre("use1-lb", "euw1-lb"));
  EXPECT_EQ(fleet.target(plan.waves[0].targets[0]).id, "use1-az1-asg");
  testing::FakeMetricSource metrics;
  testing::FakeAlarmSource alarms;
  RolloutOptions options;
  options.metric_source = &metrics;
  options.alarm_source = &alarms;
  EXPECT_THAT(Rollout::FromSpec(spec, fleet, options), testing::IsOk());
}

}  // namespace
}  // namespace sluice

// Copyright 2026 The Sluice Authors.
//
// `sluice plan`, run in-process.

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/proto_io.h"
#include "sluice/v1/waves.pb.h"
#include "tests/tools/cli_test_util.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr char kFleet[] = "examples/fleets/three_regions.csv";

TEST(PlanCommandTest, RegionalWavesTable) {
  CliRun r = Sluice(
      {"plan", "examples/specs/regional_waves.textproto", "--fleet", kFleet});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  EXPECT_THAT(r.out, StartsWith("checkout-api 2026-11-28: 2.4.1 on 36 targets "
                                "in 3 regions, 9 zones\n"
                                "strategy: staged(max 2 regions per wave)\n"));
  // The one-box in the lightest region's first zone, with its id.
  EXPECT_THAT(r.out, HasSubstr("   0  ap-southeast-2 / apse2-az1 one-box  "
                               "one-box           1 (apse2-az1-web-01)"));
  EXPECT_THAT(r.out, HasSubstr("2.78%    1.39%   30m           0\n"));
  // The wave completing the first region bakes 2h; the last, the final 1h.
  EXPECT_THAT(r.out, HasSubstr("   4  ap-southeast-2 / apse2-az3          "
                               "zone              4"));
  EXPECT_THAT(r.out, HasSubstr("16.67%    2h"));
  EXPECT_THAT(r.out, HasSubstr("100.00%  100.00%    1h           0\n"));
  EXPECT_THAT(r.out, HasSubstr("\n13 waves; total bake 9h\n"));
}

TEST(PlanCommandTest, TrafficPlanTable) {
  CliRun r = Sluice({"plan", "examples/specs/codedeploy_canary.textproto",
                     "--fleet", kFleet});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("wave  name        stage   at  traffic  bake\n"
                        "   0  canary 10%  canary   0      10%    5m\n"
                        "   1  rest 100%   rest    5m     100%     0\n"));
}

TEST(PlanCommandTest, JsonIsTheWavePlanMessage) {
  CliRun r = Sluice({"plan", "examples/specs/codedeploy_min_healthy.textproto",
                     "--fleet", kFleet, "--format", "json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, StartsWith("{\n \"strategy\": \"min-healthy(HOST_COUNT "
                                "24)\",\n \"waves\": [\n"));
  EXPECT_THAT(r.out, HasSubstr("\"targets\": [\n    \"use1-az1-web-01\","));
  EXPECT_THAT(r.out, HasSubstr("\"bake\": \"120s\""));
  EXPECT_THAT(r.out, HasSubstr("\"maxFailedTargets\": \"12\""));
}

TEST(PlanCommandTest, EveryExampleSpecPlansTheExampleFleet) {
  for (const char* spec :
       {"appconfig_exponential", "argo_steps", "codedeploy_canary",
        "codedeploy_half_at_a_time", "codedeploy_linear",
        "codedeploy_min_healthy", "composite_canary_cells",
        "flagger_progressive", "kubernetes_rolling", "regional_waves"}) {
    for (const char* format : {"table", "json"}) {
      CliRun r =
          Sluice({"plan", std::string("examples/specs/") + spec + ".textproto",
                  "--fleet", kFleet, "--format", format});
      EXPECT_EQ(r.code, kExitOk) << spec << ": " << r.err;
      EXPECT_THAT(r.err, IsEmpty()) << spec;
    }
  }
}

TEST(PlanCommandTest, SpecErrorsNameTheField) {
  CliRun r = Sluice({"plan", "tests/tools/testdata/plan_bad_region.textproto",
                     "--fleet", kFleet});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("error: tests/tools/testdata/"
                               "plan_bad_region.textproto: waves.staged."
                               "region_order[0]: region \"us-west-2\" is not "
                               "in the fleet"));
  EXPECT_THAT(r.out, IsEmpty());
  r = Sluice({"plan", "tests/tools/testdata/plan_zero_regions.textproto",
              "--fleet", kFleet});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("waves.staged.max_regions_per_wave: must be "
                               ">= 1 (got 0)"));
  r = Sluice({"plan", "tests/tools/testdata/plan_no_waves.textproto", "--fleet",
              kFleet});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("waves: is required"));
}

TEST(PlanCommandTest, FleetErrors) {
  CliRun r = Sluice({"plan", "examples/specs/regional_waves.textproto",
                     "--fleet", "tests/core/testdata/duplicate_id.csv"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("duplicate id"));
  r = Sluice({"plan", "examples/specs/regional_waves.textproto", "--fleet",
              "tests/tools/testdata/missing.csv"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("missing.csv"));
}

TEST(PlanCommandTest, UsageErrors) {
  CliRun r = Sluice({"plan", "examples/specs/regional_waves.textproto"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--fleet is required"));
  EXPECT_THAT(r.err, HasSubstr("usage: sluice plan SPEC --fleet FLEET "
                               "[--format table|json]"));
  r = Sluice({"plan", "examples/specs/regional_waves.textproto", "--fleet",
              kFleet, "--format", "yaml"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--format: must be table or json (got "
                               "\"yaml\")"));
  EXPECT_EQ(Sluice({"plan", "--fleet", kFleet}).code, kExitUsage);
}

TEST(PlanCommandTest, SpanningResourcesHaveAWaveOfTheirOwnWithANote) {
  CliRun r = Sluice({"plan", "examples/specs/zonal_infrastructure.textproto",
                     "--fleet", "examples/fleets/zonal_infrastructure.csv"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("us-east-1 / use1-az1 + use1-az2 + use1-az3: "
                               "use1-lb  spanning"));
  EXPECT_THAT(r.out,
              HasSubstr("note: use1-lb (load_balancer) spans us-east-1 / "
                        "use1-az1 + use1-az2 + use1-az3, so it cannot be in a "
                        "one-zone wave: it deploys alone after wave 3, once "
                        "every zone it spans has been deployed and baked\n"));
  CliRun json = Sluice({"plan", "examples/specs/zonal_infrastructure.textproto",
                        "--fleet", "examples/fleets/zonal_infrastructure.csv",
                        "--format", "json"});
  ASSERT_EQ(json.code, kExitOk) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"stage\": \"spanning\""));
  EXPECT_THAT(json.out, HasSubstr("\"note\": \"euw1-lb (load_balancer) spans "
                                  "eu-west-1 / euw1-az1 + euw1-az2 + "
                                  "euw1-az3, so it cannot be in a one-zone "
                                  "wave"));
}

TEST(PlanCommandTest, PhasedSpecPrintsEachPhaseWithTheBakeBetween) {
  CliRun r =
      Sluice({"plan", "examples/phased/two_phase_schema_change.textproto",
              "--fleet", kFleet});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  EXPECT_THAT(r.out, StartsWith("checkout-api orders v2: 2 phases on 36 "
                                "targets in 3 regions, 9 zones\n\n"
                                "phase 0 prepare: 2.5.0-read-both (from "
                                "2.4.0)\nstrategy: staged("));
  // Prepare's plan, the bake, then activate's (from prepare's version).
  const size_t prepare = r.out.find("phase 0 prepare");
  const size_t bake = r.out.find(
      "\nbake between phases: 2h (after \"prepare\" succeeded "
      "everywhere)\n");
  const size_t activate =
      r.out.find("phase 1 activate: 2.5.0-write-new (from 2.5.0-read-both)");
  ASSERT_NE(bake, std::string::npos) << r.out;
  ASSERT_NE(activate, std::string::npos) << r.out;
  EXPECT_LT(prepare, bake);
  EXPECT_LT(bake, activate);
  EXPECT_THAT(r.out, HasSubstr("\n2 phases, 22 waves; total bake 10h (with "
                               "1 x 2h between phases)\n"));
}

TEST(PlanCommandTest, PhasedSpecInJson) {
  // A phased spec in JSON is recognized too; its JSON plan is the
  // sluice.v1.PhasedWavePlan message.
  CliRun r = Sluice({"plan", "tests/tools/testdata/phased_linear.json",
                     "--fleet", kFleet, "--format", "json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, StartsWith("{\n \"name\": \"orders v2 in halves\",\n "
                                "\"bakeBetweenPhases\": \"1800s\",\n "
                                "\"phases\": [\n"));
  EXPECT_THAT(r.out, HasSubstr("\"name\": \"activate\",\n   \"version\": "
                               "\"2.5.0-write-new\",\n   "
                               "\"previousVersion\": \"2.5.0-read-both\""));
  EXPECT_THAT(r.out, HasSubstr("\"strategy\": \"linear(50% every 5m)\""));
  CliRun table = Sluice(
      {"plan", "tests/tools/testdata/phased_linear.json", "--fleet", kFleet});
  ASSERT_EQ(table.code, kExitOk) << table.err;
  EXPECT_THAT(table.out, HasSubstr("\n2 phases, 4 waves; total bake 45m (with "
                                   "1 x 30m between phases)\n"));
}

TEST(PlanCommandTest, PhasedSpecErrorsNameThePhase) {
  CliRun r = Sluice({"plan", "tests/tools/testdata/phased_bad_region.textproto",
                     "--fleet", kFleet});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("phased_bad_region.textproto: "
                               "phases[1].spec.waves.staged.region_order[0]: "
                               "region \"us-west-2\" is not in the fleet"));
  EXPECT_THAT(r.out, IsEmpty());
}

// Writes `waves` (the inside of a spec's `waves { ... }`) as a spec file and
// returns its path.
std::string WriteSpec(const std::string& name, const std::string& waves) {
  const std::string path = ::testing::TempDir() + "/" + name + ".textproto";
  std::ofstream out(path);
  out << "name: \"" << name
      << "\" version: \"2\" previous_version: \"1\"\nwaves { " << waves
      << " }\n";
  return path;
}

// The number of targets of each wave of `sluice plan SPEC --format json` on
// the 36-target example fleet; empty (and a test failure) on an error.
std::vector<int64_t> WaveSizes(const std::string& spec) {
  CliRun r = Sluice({"plan", spec, "--fleet", kFleet, "--format", "json"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  v1::WavePlan plan;
  const absl::Status parsed = ParseJsonProto(r.out, &plan);
  EXPECT_TRUE(parsed.ok()) << parsed;
  std::vector<int64_t> sizes;
  for (const v1::Wave& wave : plan.waves()) {
    sizes.push_back(wave.targets_size());
  }
  return sizes;
}

TEST(PlanCommandTest, PercentRoundingChangesTheWaveSizes) {
  // Linear 10% steps on 36 targets: the cumulative counts are 3.6, 7.2,
  // 10.8, ... rounded up (4, 8, 11, ...), down (3, 7, 10, ...) or to the
  // nearest (4, 7, 11, ...).
  struct Case {
    const char* rounding;
    const char* strategy;
    std::vector<int64_t> sizes;
  };
  const Case cases[] = {
      {"ROUND_UP",
       "linear(10% every 1m, rounding up)",
       {4, 4, 3, 4, 3, 4, 4, 3, 4, 3}},
      {"ROUND_DOWN",
       "linear(10% every 1m, rounding down)",
       {3, 4, 3, 4, 4, 3, 4, 3, 4, 4}},
      {"ROUND_NEAREST",
       "linear(10% every 1m, rounding nearest)",
       {4, 3, 4, 3, 4, 4, 3, 4, 3, 4}},
  };
  for (const Case& c : cases) {
    const std::string spec = WriteSpec(
        std::string("rounding_") + c.rounding,
        std::string("linear { step_percent: 10 interval { seconds: 60 } "
                    "rounding: ") +
            c.rounding + " }");
    EXPECT_THAT(WaveSizes(spec), ElementsAreArray(c.sizes)) << c.rounding;
    // The table names the rounding and shows the first wave's size.
    CliRun r = Sluice({"plan", spec, "--fleet", kFleet});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_THAT(r.out, HasSubstr(std::string("strategy: ") + c.strategy))
        << c.rounding;
    EXPECT_THAT(r.out, HasSubstr("   0  step 1/10: 10%    step   " +
                                 std::to_string(c.sizes[0]) + " "))
        << c.rounding;
  }
  // Unset keeps the progression's own rule (Argo's nearest count) and is not
  // named.
  const std::string unset = WriteSpec(
      "rounding_unset", "linear { step_percent: 10 interval { seconds: 60 } }");
  EXPECT_THAT(WaveSizes(unset), ElementsAre(4, 3, 4, 3, 4, 4, 3, 4, 3, 4));
  EXPECT_THAT(Sluice({"plan", unset, "--fleet", kFleet}).out,
              HasSubstr("strategy: linear(10% every 1m)\n"));
}

TEST(PlanCommandTest, PercentRoundingOfACanary) {
  // 30% of 36 targets is 10.8: 11 up or to the nearest, 10 down.
  for (const auto& [rounding, canary] :
       std::vector<std::pair<std::string, int64_t>>{
           {"ROUND_UP", 11}, {"ROUND_DOWN", 10}, {"ROUND_NEAREST", 11}}) {
    EXPECT_THAT(
        WaveSizes(WriteSpec("canary_" + rounding,
                            "canary { percent: 30 interval { seconds: 300 } "
                            "rounding: " +
                                rounding + " }")),
        ElementsAre(canary, 36 - canary))
        << rounding;
  }
}

TEST(PlanCommandTest, PercentRoundingOfABatchSize) {
  // Azure Fleet's maxConcurrency rounds down: 10% of 36 is 3 a batch; the
  // default (up) makes it 4.
  EXPECT_THAT(WaveSizes(WriteSpec(
                  "batch_down",
                  "batches { size { percent: 10 } rounding: ROUND_DOWN }")),
              ElementsAreArray(std::vector<int64_t>(12, 3)));
  EXPECT_THAT(
      WaveSizes(WriteSpec("batch_up", "batches { size { percent: 10 } }")),
      ElementsAreArray(std::vector<int64_t>(9, 4)));
}

TEST(PlanCommandTest, RollingRoundsSurgeUpAndUnavailableDownAsKubernetes) {
  // Kubernetes' ResolveFenceposts (pkg/controller/deployment/util):
  // maxSurge percent rounds up, maxUnavailable percent rounds down, and if
  // both resolve to 0 maxUnavailable becomes 1. On 36 targets 10% is 3.6.
  // Surge only: ceil(3.6) = 4 a wave.
  EXPECT_THAT(WaveSizes(WriteSpec("rolling_surge",
                                  "rolling { max_surge { percent: 10 } "
                                  "max_unavailable { count: 0 } }")),
              ElementsAreArray(std::vector<int64_t>(9, 4)));
  // Unavailable only: floor(3.6) = 3 a wave.
  EXPECT_THAT(WaveSizes(WriteSpec("rolling_unavailable",
                                  "rolling { max_surge { count: 0 } "
                                  "max_unavailable { percent: 10 } }")),
              ElementsAreArray(std::vector<int64_t>(12, 3)));
  // Both: 4 + 3 = 7 a wave (7, 7, 7, 7, 7, 1), not 8 (both up) or 6 (both
  // down).
  EXPECT_THAT(WaveSizes(WriteSpec("rolling_both",
                                  "rolling { max_surge { percent: 10 } "
                                  "max_unavailable { percent: 10 } }")),
              ElementsAre(7, 7, 7, 7, 7, 1));
  // Surge 0 and unavailable 1% (0.36, down to 0): unavailable becomes 1.
  EXPECT_THAT(WaveSizes(WriteSpec("rolling_fencepost",
                                  "rolling { max_surge { count: 0 } "
                                  "max_unavailable { percent: 1 } }")),
              ElementsAreArray(std::vector<int64_t>(36, 1)));
}

}  // namespace
}  // namespace sluice::cli

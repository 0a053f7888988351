// Copyright 2026 The Sluice Authors.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/version.h"
#include "tests/tools/cli_test_util.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

TEST(ValidateCommandTest, PrintsOneLineSummary) {
  CliRun r = Sluice({"validate", "examples/specs/regional_waves.textproto",
                     "--fleet", "examples/fleets/three_regions.csv"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, StartsWith("ok: checkout-api 2026-11-28: checkout-api "
                                "2.4.1 (rollback to 2.4.0)"));
  EXPECT_THAT(r.out, HasSubstr("fleet: 36 targets in 3 regions, 9 zones\n"));
  EXPECT_THAT(r.err, IsEmpty());
}

TEST(ValidateCommandTest, PhasedSpecPrintsALinePerPhase) {
  CliRun r =
      Sluice({"validate", "examples/phased/two_phase_schema_change.textproto",
              "--fleet", "examples/fleets/three_regions.csv"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, StartsWith("ok: checkout-api orders v2: 2 phases, bake "
                                "2h between phases\n"));
  EXPECT_THAT(r.out, HasSubstr("phase 0 prepare: checkout-api orders v2: "
                               "prepare: checkout-api 2.5.0-read-both"));
  EXPECT_THAT(r.out, HasSubstr("phase 1 activate:"));
  EXPECT_THAT(r.err, IsEmpty());
}

TEST(ValidateCommandTest, PhasedSpecInJson) {
  CliRun r = Sluice({"validate", "tests/tools/testdata/phased_linear.json",
                     "--fleet", "examples/fleets/three_regions.csv"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, StartsWith("ok: orders v2 in halves: 2 phases, bake 30m "
                                "between phases\n"));
}

TEST(ValidateCommandTest, PhasedSpecErrorNamesThePhaseField) {
  const std::string path = ::testing::TempDir() + "/phased_bad_chain.textproto";
  {
    std::ofstream out(path);
    out << "name: \"x\"\n"
           "phases { name: \"prepare\" spec { name: \"a\" version: \"2\" } }\n"
           "phases { name: \"activate\" spec { name: \"b\" version: \"3\" "
           "previous_version: \"1\" } }\n";
  }
  CliRun r = Sluice({"validate", path});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("phases[1].spec.previous_version: must be the "
                               "version of phase \"prepare\""));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST(ValidateCommandTest, UnknownFieldInSpecNamesTheField) {
  CliRun r =
      Sluice({"validate", "tests/core/testdata/unknown_field.textproto"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("unknown_field.textproto: line 3:"));
  EXPECT_THAT(r.err, HasSubstr("no field named \"rollout_speed\""));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST(ValidateCommandTest, NegativeWeightInFleetNamesTheField) {
  CliRun r = Sluice({"validate", "examples/specs/regional_waves.textproto",
                     "--fleet", "tests/core/testdata/negative_weight.csv"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err,
              HasSubstr("negative_weight.csv: line 3 (targets[1]).weight: "
                        "must be finite and >= 0 (got -1)"));
}

TEST(ValidateCommandTest, DuplicateTargetIdNamesTheField) {
  CliRun r = Sluice({"validate", "examples/specs/regional_waves.textproto",
                     "--fleet", "tests/core/testdata/duplicate_id.csv"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("line 3 (targets[1]).id: duplicate id "
                               "\"web-1\" (first at line 2 (targets[0]))"));
}

TEST(ValidateCommandTest, ReportsBothSpecAndFleetErrors) {
  CliRun r = Sluice({"validate", "tests/core/testdata/unknown_field.textproto",
                     "--fleet", "tests/core/testdata/duplicate_id.csv"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("rollout_speed"));
  EXPECT_THAT(r.err, HasSubstr("duplicate id"));
}

TEST(ValidateCommandTest, UsageErrors) {
  EXPECT_EQ(Sluice({"validate"}).code, kExitUsage);
  CliRun r = Sluice({"validate", "a.textproto", "--colour", "red"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--colour: unknown flag"));
  EXPECT_THAT(r.err, HasSubstr("usage: sluice validate SPEC [--fleet FLEET]"));
  EXPECT_EQ(Sluice({"validate", "a.textproto", "--fleet"}).code, kExitUsage);
}

TEST(CliTest, VersionHelpAndUnknownCommand) {
  CliRun v = Sluice({"version"});
  EXPECT_EQ(v.code, kExitOk);
  EXPECT_EQ(v.out, std::string("sluice ") + Version() + "\n");
  CliRun h = Sluice({"help"});
  EXPECT_EQ(h.code, kExitOk);
  EXPECT_THAT(h.out, HasSubstr("validate"));
  EXPECT_THAT(h.out, HasSubstr("version"));
  CliRun hv = Sluice({"help", "validate"});
  EXPECT_EQ(hv.code, kExitOk);
  EXPECT_THAT(hv.out, HasSubstr("usage: sluice validate"));
  CliRun u = Sluice({"frobnicate"});
  EXPECT_EQ(u.code, kExitUsage);
  EXPECT_THAT(u.err, HasSubstr("unknown command \"frobnicate\""));
  EXPECT_EQ(Sluice({}).code, kExitUsage);
}

TEST(ParseArgsTest, FlagsAndPositionals) {
  auto parsed = ParseArgs({"a", "--fleet=f.csv", "b", "--json", "--", "--x"},
                          {"--fleet"}, {"--json"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->positional, ::testing::ElementsAre("a", "b", "--x"));
  EXPECT_EQ(parsed->Flag("--fleet"), "f.csv");
  EXPECT_EQ(parsed->Flag("--json"), "true");
  EXPECT_EQ(parsed->Flag("--other"), std::nullopt);
  EXPECT_FALSE(
      ParseArgs({"--fleet", "a", "--fleet", "b"}, {"--fleet"}, {}).ok());
  EXPECT_FALSE(ParseArgs({"--json=1"}, {}, {"--json"}).ok());
}

TEST(ValidateCommandTest, WarnsAboutResourcesSpanningZonesWithTheirIds) {
  CliRun r =
      Sluice({"validate", "examples/specs/zonal_infrastructure.textproto",
              "--fleet", "examples/fleets/zonal_infrastructure.csv"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, StartsWith("ok: checkout-api launch template 2026-12-02"));
  EXPECT_THAT(r.out, HasSubstr("fleet: 14 targets in 2 regions, 6 zones\n"));
  EXPECT_THAT(
      r.err,
      HasSubstr("warning: examples/fleets/zonal_infrastructure.csv: "
                "targets[6]: target \"use1-lb\" (load_balancer) spans 3 zones "
                "of us-east-1 (use1-az1, use1-az2, use1-az3): a change to it "
                "reaches all of them at once, so the plan can no longer put "
                "it in a one-zone wave; zone-aware plans (staged) deploy it in "
                "a wave of its own after every zone it spans has been "
                "deployed and baked. Define one per zone to roll it out zone "
                "by zone.\n"));
  EXPECT_THAT(r.err, HasSubstr("targets[13]: target \"euw1-lb\""));
}

TEST(ValidateCommandTest, UnknownSpannedZoneNamesTheField) {
  CliRun r =
      Sluice({"validate", "examples/specs/zonal_infrastructure.textproto",
              "--fleet", "tests/core/testdata/unknown_span_zone.csv"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err,
              HasSubstr("unknown_span_zone.csv: line 4 (targets[2]).zones[2]: "
                        "unknown zone \"use1-az9\""));
  EXPECT_THAT(r.out, IsEmpty());
}

}  // namespace
}  // namespace sluice::cli

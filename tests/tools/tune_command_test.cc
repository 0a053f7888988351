// Copyright 2026 The Sluice Authors.
//
// `sluice tune` at a reduced size: the trade-off it prints, the tuned spec
// it writes (a valid spec), and its usage errors.

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/proto_io.h"
#include "sluice/spec.h"
#include "sluice/testing/status_matchers.h"
#include "tests/tools/cli_test_util.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/sluice_tune_", getpid(),
                      "_", name);
}

TEST(TuneCommandTest, PrintsTheTradeOffAndWritesTheTunedSpec) {
  const std::string output = TempPath("tuned.textproto");
  const CliRun r =
      Sluice({"tune", "examples/specs/codedeploy_linear_gated.textproto",
              "--fleet", "examples/fleets/three_regions.csv", "--history",
              "examples/data/elb_request_count_8c0756.csv",
              "examples/data/rds_cpu_utilization_cc0c53.csv",
              "--max-false-rollbacks", "0.3", "--good-runs", "10",
              "--power-runs", "3", "--threads", "2", "--output", output});
  ASSERT_THAT(r.code, ::testing::AnyOf(kExitOk, kExitFailure)) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Tunable fields:\n  gates.default[0].bake."
                               "duration = 180s  (bake length)"));
  EXPECT_THAT(r.out, HasSubstr("threshold.max = 0.01"));
  EXPECT_THAT(r.out, HasSubstr("Trade-off"));
  EXPECT_THAT(r.out, HasSubstr("as written"));
  EXPECT_THAT(r.out, HasSubstr("Tuned fields:"));
  EXPECT_THAT(r.out, HasSubstr("Wrote " + output));
  std::string text;
  ASSERT_THAT(sluice::ReadFileToString(output), ::sluice::testing::IsOk());
  text = *sluice::ReadFileToString(output);
  EXPECT_THAT(text, HasSubstr("# Tuned by `sluice tune` from "
                              "examples/specs/codedeploy_linear_gated"));
  SLUICE_ASSERT_OK_AND_ASSIGN(RolloutSpec tuned,
                              RolloutSpec::Parse(text, SpecFormat::kTextProto));
  EXPECT_EQ(tuned.name(), "checkout-api linear 10% / 3m");
  std::remove(output.c_str());
}

// Five good releases per point cannot show a 1% false-rollback rate: the
// output and the tuned spec's comment say so, and how many would.
TEST(TuneCommandTest, SaysWhenTooFewGoodReleasesResolveTheTarget) {
  const std::string output = TempPath("few.textproto");
  const CliRun r =
      Sluice({"tune", "examples/specs/sequential_gate.textproto", "--fleet",
              "examples/fleets/three_regions.csv", "--history",
              "examples/data/elb_request_count_8c0756.csv",
              "--max-false-rollbacks", "0.01", "--good-runs", "5",
              "--power-runs", "2", "--threads", "2", "--output", output});
  ASSERT_EQ(r.code, kExitOk) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Note: 5 good releases per point cannot show "
                               "1%: the chosen point's 95% interval reaches "));
  EXPECT_THAT(r.out, HasSubstr("With none stopped, 381 resolve it "
                               "(--good-runs 381)."));
  SLUICE_ASSERT_OK_AND_ASSIGN(std::string text,
                              sluice::ReadFileToString(output));
  EXPECT_THAT(text, HasSubstr("# Note: 5 good releases per point"));
  EXPECT_THAT(text, HasSubstr("(95% interval 0.0-"));
  std::remove(output.c_str());
}

TEST(TuneCommandTest, ReportsBadInput) {
  CliRun r = Sluice({"tune", "examples/specs/regional_waves_gated.textproto",
                     "--history", "examples/data"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--fleet is required"));
  r = Sluice({"tune", "examples/specs/regional_waves_gated.textproto",
              "--fleet", "examples/fleets/three_regions.csv"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--history is required"));
  r = Sluice({"tune", "examples/specs/regional_waves_gated.textproto",
              "--fleet", "examples/fleets/three_regions.csv", "--history",
              "examples/data", "--max-false-rollbacks", "1.5"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--max-false-rollbacks: must be in"));
  r = Sluice({"tune", "examples/specs/regional_waves.textproto", "--fleet",
              "examples/fleets/three_regions.csv", "--history",
              "examples/data"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("spec: no tunable gate field"));
}

}  // namespace
}  // namespace sluice::cli

// Copyright 2026 The Sluice Authors.
//
// `sluice efficacy` at a reduced size: its table, markdown and JSON, the
// same output for any thread count, and its usage errors.

#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/proto_io.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/scenario.pb.h"
#include "tests/tools/cli_test_util.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> Args(std::vector<std::string> extra) {
  std::vector<std::string> args = {
      "efficacy",
      "examples/specs/sequential_gate.textproto",
      "--history",
      "examples/data/elb_request_count_8c0756.csv",
      "examples/data/rds_cpu_utilization_cc0c53.csv",
      "--runs",
      "3",
      "--good-runs",
      "2"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(EfficacyCommandTest, PrintsTheHeadlineAndEveryFamily) {
  const CliRun r = Sluice(Args({}));
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 recorded series in 2 rotations"));
  EXPECT_THAT(r.out, HasSubstr("rotation 1: request_rate="
                               "rds_cpu_utilization_cc0c53"));
  EXPECT_THAT(r.out, HasSubstr("errors x2 everywhere: caught in the first "
                               "zone"));
  EXPECT_THAT(r.out, HasSubstr("good releases stopped (false rollbacks)"));
  for (const char* family :
       {"good (rotation 0)", "good (rotation 1)", "errors x1.5 everywhere",
        "errors x2 late zone", "errors x5 first region", "p99 +5%", "p99 +20%",
        "errors x5 ramp over 2h", "errors x5 10m of every 1h"}) {
    EXPECT_THAT(r.out, HasSubstr(family));
  }
}

TEST(EfficacyCommandTest, JsonIsTheSameForAnyThreadCount) {
  const CliRun one = Sluice(Args({"--format", "json", "--threads", "1"}));
  const CliRun two = Sluice(Args({"--format", "json", "--threads", "2"}));
  ASSERT_EQ(one.code, kExitOk) << one.err;
  ASSERT_EQ(two.code, kExitOk) << two.err;
  EXPECT_EQ(one.out, two.out);
  v1::EfficacyReport report;
  ASSERT_THAT(sluice::ParseJsonProto(one.out, &report),
              ::sluice::testing::IsOk());
  EXPECT_EQ(report.fleet_size(), 36);
  EXPECT_EQ(report.history_size(), 2);
  EXPECT_EQ(report.rotations_size(), 2);
  ASSERT_EQ(report.specs_size(), 1);
  EXPECT_EQ(report.specs(0).families_size(), 2 + 16);
  EXPECT_EQ(report.specs(0).headline().x2_caught_in_first_zone().trials(), 3);
  EXPECT_EQ(report.specs(0).good().runs(), 4);
  // Every false rollback is counted once by the stage of its stopped wave.
  int64_t by_stage = 0;
  for (const v1::TriggerCount& t :
       report.specs(0).good().false_rollback_stages()) {
    by_stage += t.count();
  }
  EXPECT_EQ(by_stage, report.specs(0).good().false_rollback().successes());
}

TEST(EfficacyCommandTest, MarkdownHasTheTables) {
  const CliRun r = Sluice(Args({"--format", "markdown"}));
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("| spec | x2 caught in 1st zone |"));
  EXPECT_THAT(r.out, HasSubstr("| `sequential_gate` |"));
  EXPECT_THAT(r.out, HasSubstr("`sequential_gate`: good releases stopped "));
  EXPECT_THAT(r.out, HasSubstr("| errors x2 first zone |"));
}

// regional_waves_strict stops every good release: the first one is listed
// with the verdict that stopped it, in every format.
TEST(EfficacyCommandTest, ExplainsStoppedGoodReleases) {
  const std::vector<std::string> strict = {
      "efficacy",
      "examples/specs/regional_waves_strict.textproto",
      "--history",
      "examples/data/elb_request_count_8c0756.csv",
      "--runs",
      "1",
      "--good-runs",
      "2",
      "--explain-false-rollbacks",
      "1"};
  CliRun r = Sluice(strict);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Good releases stopped (the first 1 of 2):"));
  EXPECT_THAT(r.out, HasSubstr("- good (rotation 0), run 0 (seed "));
  EXPECT_THAT(r.out, HasSubstr("gate-fail"));
  EXPECT_THAT(r.out, HasSubstr("[FAIL] "));
  std::vector<std::string> json = strict;
  json.insert(json.end(), {"--format", "json"});
  r = Sluice(json);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  v1::EfficacyReport report;
  ASSERT_THAT(sluice::ParseJsonProto(r.out, &report),
              ::sluice::testing::IsOk());
  ASSERT_EQ(report.specs_size(), 1);
  ASSERT_EQ(report.specs(0).false_rollback_stops_size(), 1);
  const v1::EfficacyStop& stop = report.specs(0).false_rollback_stops(0);
  EXPECT_EQ(stop.family(), "good (rotation 0)");
  EXPECT_EQ(stop.run(), 0);
  EXPECT_TRUE(stop.outcome().false_rollback());
  EXPECT_EQ(stop.event().kind(), "gate-verdict");
  EXPECT_EQ(stop.event().verdict().outcome(), "FAIL");
  std::vector<std::string> markdown = strict;
  markdown.insert(markdown.end(), {"--format", "markdown"});
  r = Sluice(markdown);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("`regional_waves_strict`:\n\nGood releases "
                               "stopped (the first 1 of 2):"));
  // Without the flag nothing is listed.
  r = Sluice({"efficacy", "examples/specs/regional_waves_strict.textproto",
              "--history", "examples/data/elb_request_count_8c0756.csv",
              "--runs", "1", "--good-runs", "2"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("Good releases stopped")));
}

TEST(EfficacyCommandTest, ReportsBadInput) {
  CliRun r = Sluice(
      {"efficacy", "examples/specs/sequential_gate.textproto", "--runs", "0"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--runs: must be >= 1 (got 0)"));
  r = Sluice(Args({"--error-cv", "11"}));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--error-cv: must be in [0, 10] (got 11)"));
  r = Sluice(Args({"--explain-false-rollbacks", "-1"}));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err,
              HasSubstr("--explain-false-rollbacks: must be >= 0 (got -1)"));
  r = Sluice(Args({"--format", "xml"}));
  EXPECT_EQ(r.code, kExitUsage);
  r = Sluice(
      {"efficacy", "examples/specs/sequential_gate.textproto", "--history"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--history: needs a value"));
  r = Sluice({"efficacy", "examples/specs/sequential_gate.textproto",
              "--history", "examples/data/missing.csv"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("missing.csv"));
  r = Sluice({"efficacy", "examples/specs/none.textproto"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("none.textproto"));
}

}  // namespace
}  // namespace sluice::cli

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

TEST(EfficacyCommandTest, ReportsBadInput) {
  CliRun r = Sluice(
      {"efficacy", "examples/specs/sequential_gate.textproto", "--runs", "0"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--runs: must be >= 1 (got 0)"));
  r = Sluice(Args({"--error-cv", "11"}));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--error-cv: must be in [0, 10] (got 11)"));
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

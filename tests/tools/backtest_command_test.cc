// Copyright 2026 The Sluice Authors.
//
// `sluice backtest`: every verdict listed, the JSON form, usage errors.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tools/cli_test_util.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;

TEST(BacktestCommandTest, ListsEveryVerdict) {
  const CliRun r = Sluice(
      {"backtest", "examples/specs/sequential_gate.textproto", "--history",
       "error_rate=examples/data/elb_request_count_8c0756.csv", "--every",
       "12h", "--hours", "72"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Gate \"stage canary\" (stage canary): 6 "
                               "evaluations"));
  EXPECT_THAT(r.out, HasSubstr("2014-04-10 12:04  "));
  EXPECT_THAT(r.out, HasSubstr("2014-04-13 00:04  "));
  EXPECT_THAT(r.out, HasSubstr("false alarms"));
}

TEST(BacktestCommandTest, PrintsJson) {
  const CliRun r =
      Sluice({"backtest", "examples/specs/regional_waves_gated.textproto",
              "--history", "examples/data/rds_cpu_utilization_cc0c53.csv",
              "--every", "24h", "--hours", "48", "--format", "json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"gates\": [{\"stage\": \"\", \"gate\": "
                               "\"default\", \"evaluations\": 2"));
  EXPECT_THAT(r.out, HasSubstr("\"at\": \"2014-02-15T14:30:00Z\""));
}

TEST(BacktestCommandTest, ReportsBadInput) {
  CliRun r = Sluice({"backtest", "examples/specs/sequential_gate.textproto"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--history is required"));
  r = Sluice({"backtest", "examples/specs/sequential_gate.textproto",
              "--history", "examples/data", "--every", "soon"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--every: must be a positive duration"));
  r = Sluice({"backtest", "examples/specs/regional_waves.textproto",
              "--history", "examples/data"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("spec: no gates to backtest"));
}

}  // namespace
}  // namespace sluice::cli

// Copyright 2026 The Sluice Authors.
//
// `sluice judge`, run in-process.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/proto_io.h"
#include "sluice/v1/judge.pb.h"
#include "tests/tools/cli_test_util.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr char kData[] = "tests/tools/testdata/";

CliRun Judge(const std::string& config, const std::string& control,
             const std::string& experiment,
             std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"judge",     "--config", config,
                                   "--control", control,    "--experiment",
                                   experiment};
  args.insert(args.end(), extra.begin(), extra.end());
  return Sluice(args);
}

std::string Data(const std::string& name) { return kData + name; }

// Writes `text` to a file in the test's temporary directory.
std::string TempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(JudgeCommandTest, ExampleTable) {
  CliRun r =
      Judge("examples/judge/judge.textproto", "examples/judge/control.csv",
            "examples/judge/experiment.csv");
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  EXPECT_THAT(r.out,
              StartsWith("metric       groups   class  p-value    estimate    "
                         "interval              ratio  n control  n "
                         "experiment\n"
                         "latency_p99  latency  High   2.109e-14  +38.2       "
                         "[33.3, 42.7]          1.182  40         39\n"));
  EXPECT_THAT(r.out, HasSubstr("\ncpu          latency  Pass   0.984  "));
  EXPECT_THAT(r.out, HasSubstr("\nerror_rate   errors   Pass   0.09982  "));
  EXPECT_THAT(r.out, HasSubstr("groups: latency 50, errors 100\n"
                               "score 70 (pass 75, marginal 50): Marginal\n"
                               "  latency_p99 was classified as High\n"));
}

TEST(JudgeCommandTest, JsonIsTheJudgeResultMessage) {
  CliRun r =
      Judge("examples/judge/judge.textproto", "examples/judge/control.csv",
            "examples/judge/experiment.csv", {"--format", "json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  v1::JudgeResult result;
  ASSERT_TRUE(ParseJsonProto(r.out, &result).ok()) << r.out;
  EXPECT_EQ(result.score(), 70);
  EXPECT_EQ(result.verdict(), "Marginal");
  EXPECT_EQ(result.pass_threshold(), 75);
  ASSERT_EQ(result.metrics_size(), 3);
  EXPECT_EQ(result.metrics(0).name(), "latency_p99");
  EXPECT_EQ(result.metrics(0).classification(), "High");
  EXPECT_NEAR(result.metrics(0).estimate(), 38.2, 0.1);
  EXPECT_LT(result.metrics(0).lower(), result.metrics(0).upper());
  EXPECT_EQ(result.metrics(0).n_control(), 40);
  EXPECT_EQ(result.metrics(0).n_experiment(), 39);  // one "nan" removed
  ASSERT_EQ(result.groups_size(), 2);
  EXPECT_EQ(result.groups(0).score(), 50);
}

TEST(JudgeCommandTest, PassAndFail) {
  // Columns in any order; empty cells are missing; "nan" errors count as 0.
  CliRun same = Judge(Data("judge_basic.textproto"), Data("judge_control.csv"),
                      Data("judge_experiment_same.csv"));
  ASSERT_EQ(same.code, kExitOk) << same.err;
  EXPECT_THAT(same.out, HasSubstr("score 100 (pass 90, marginal 50): Pass\n"));
  EXPECT_THAT(same.out, HasSubstr("\nerrors   all     Pass "));

  CliRun slow = Judge(Data("judge_basic.textproto"), Data("judge_control.csv"),
                      Data("judge_experiment_slow.csv"));
  EXPECT_EQ(slow.code, kExitOk);  // Marginal
  EXPECT_THAT(slow.err, IsEmpty());
  EXPECT_THAT(slow.out, HasSubstr("\nlatency  all     High "));
  EXPECT_THAT(slow.out, HasSubstr("score 50 (pass 90, marginal 50): Marginal"));
}

TEST(JudgeCommandTest, InputErrorsNameFileAndPlace) {
  CliRun bad_cell =
      Judge(Data("judge_basic.textproto"), Data("judge_control.csv"),
            Data("judge_bad_cell.csv"));
  EXPECT_EQ(bad_cell.code, kExitFailure);
  EXPECT_EQ(bad_cell.err,
            "error: tests/tools/testdata/judge_bad_cell.csv: line 3, column 1 "
            "(latency): not a number: \"fast\"\n");

  CliRun empty =
      Judge(Data("judge_basic.textproto"), Data("judge_header_only.csv"),
            Data("judge_control.csv"));
  EXPECT_EQ(empty.code, kExitFailure);
  EXPECT_THAT(empty.err, StartsWith("error: tests/tools/testdata/"
                                    "judge_header_only.csv: no samples"));

  CliRun column =
      Judge(Data("judge_basic.textproto"), Data("judge_control.csv"),
            Data("judge_no_errors_column.csv"));
  EXPECT_EQ(column.code, kExitFailure);
  EXPECT_EQ(column.err,
            "error: tests/tools/testdata/judge_no_errors_column.csv: no column "
            "\"errors\" for tests/tools/testdata/judge_basic.textproto "
            "metrics[1].name (the header has: latency, cpu)\n");

  CliRun missing = Judge(Data("judge_basic.textproto"),
                         Data("judge_control.csv"), Data("nonexistent.csv"));
  EXPECT_EQ(missing.code, kExitFailure);
  EXPECT_THAT(missing.err, HasSubstr("nonexistent.csv"));
}

TEST(JudgeCommandTest, ConfigErrorsNameTheField) {
  struct Case {
    std::string config;
    std::string want;
  };
  const std::vector<Case> cases = {
      {R"pb(groups { name: "a" weight: 60 }
            groups { name: "b" weight: 30 }
            metrics { name: "latency" groups: "a" }
            metrics { name: "errors" groups: "b" })pb",
       "groups: weights must sum to 100 (got 90)"},
      {R"pb(groups { name: "a" }
            metrics { name: "latency" groups: "a" confidence: 1.5 })pb",
       "metrics[0].confidence: must be in (0, 1) (got 1.5)"},
      {R"pb(groups { name: "a" }
            metrics { name: "latency" groups: "a" confidence: 0 })pb",
       "metrics[0].confidence: must be in (0, 1) (got 0)"},
      {R"pb(groups { name: "a" }
            metrics { name: "latency" groups: "a" }
            thresholds { pass: 80 marginal: 90 })pb",
       "thresholds.marginal: must be <= thresholds.pass (got 90 > 80)"},
      {R"pb(groups { name: "a" }
            metrics { name: "latency" groups: "b" })pb",
       "metrics[0].groups[0]: unknown group \"b\""},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string path = TempFile(
        "judge_config_" + std::to_string(i) + ".textproto", cases[i].config);
    CliRun r =
        Judge(path, Data("judge_control.csv"), Data("judge_control.csv"));
    EXPECT_EQ(r.code, kExitFailure) << cases[i].config;
    EXPECT_EQ(r.err, "error: " + path + ": " + cases[i].want + "\n");
  }
  // Parse errors carry the line and column.
  const std::string typo =
      TempFile("judge_typo.textproto", "groups { name: \"a\" }\nmetrix {}\n");
  CliRun r = Judge(typo, Data("judge_control.csv"), Data("judge_control.csv"));
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("judge_typo.textproto: line 2:"));
}

TEST(JudgeCommandTest, JsonConfig) {
  const std::string path = TempFile("judge.json", R"json({
    "groups": [{"name": "all"}],
    "metrics": [{"name": "latency", "groups": ["all"],
                 "direction": "DIRECTION_INCREASE"}],
    "thresholds": {"pass": 90, "marginal": 50}
  })json");
  CliRun r = Judge(path, Data("judge_control.csv"),
                   Data("judge_experiment_slow.csv"), {"--format", "json"});
  EXPECT_EQ(r.code, kExitFailure) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"verdict\": \"Fail\""));
}

TEST(JudgeCommandTest, UsageErrors) {
  CliRun r = Sluice({"judge", "--control", "a.csv", "--experiment", "b.csv"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--config is required"));
  r = Judge(Data("judge_basic.textproto"), Data("judge_control.csv"),
            Data("judge_control.csv"), {"--format", "yaml"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--format: must be table or json"));
}

}  // namespace
}  // namespace sluice::cli

// Copyright 2026 The Sluice Authors.

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/proto_io.h"
#include "sluice/testing/status_matchers.h"
#include "sluice/v1/scenario.pb.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result Simulate(std::vector<std::string> args, bool terminal = false) {
  std::ostringstream out, err;
  args.insert(args.begin(), "simulate");
  const int code = RunCli(args, out, err, terminal);
  return {code, out.str(), err.str()};
}

const std::vector<std::string> kBase = {
    "examples/specs/regional_waves_gated.textproto", "--fleet",
    "examples/fleets/three_regions.csv", "--scenario",
    "examples/scenarios/bad_release_one_zone.textproto"};

std::vector<std::string> With(std::vector<std::string> extra) {
  std::vector<std::string> args = kBase;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(SimulateCommandTest, PrintsPlanTimelineAndVerdict) {
  const Result r = Simulate(kBase);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Plan: staged"));
  EXPECT_THAT(r.out, HasSubstr("one-box"));
  EXPECT_THAT(r.out, HasSubstr("Timeline of run 0"));
  EXPECT_THAT(r.out, HasSubstr("wave_started"));
  EXPECT_THAT(r.out, HasSubstr("Verdict: bad release"));
  EXPECT_THAT(r.out, Not(HasSubstr("Monte Carlo")));
  EXPECT_EQ(r.err, "");
}

TEST(SimulateCommandTest, SummarizesMonteCarloRuns) {
  const Result r = Simulate(With({"--runs", "20", "--seed", "3"}));
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Monte Carlo: 20 runs, seed 3"));
  EXPECT_THAT(r.out, HasSubstr("time to detect"));
  EXPECT_THAT(r.out, HasSubstr("95% CI"));
  // No progress bar when standard error is not a terminal.
  EXPECT_EQ(r.err, "");
}

TEST(SimulateCommandTest, ShowsProgressOnATerminal) {
  const Result r = Simulate(With({"--runs", "5"}), /*terminal=*/true);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, HasSubstr("\rsimulating ["));
  EXPECT_THAT(r.err, HasSubstr("5/5"));
}

TEST(SimulateCommandTest, JsonIsTheSameForAnyThreadCount) {
  const Result one =
      Simulate(With({"--runs", "16", "--threads", "1", "--format", "json"}));
  const Result two =
      Simulate(With({"--runs", "16", "--threads", "2", "--format", "json"}));
  ASSERT_EQ(one.code, kExitOk) << one.err;
  ASSERT_EQ(two.code, kExitOk) << two.err;
  EXPECT_EQ(one.out, two.out);
  v1::SimulationResult result;
  ASSERT_THAT(ParseJsonProto(one.out, &result), ::sluice::testing::IsOk());
  EXPECT_EQ(result.outcomes_size(), 16);
  EXPECT_EQ(result.summary().runs(), 16);
  EXPECT_EQ(result.fleet_size(), 36);
  EXPECT_GT(result.timeline_size(), 3);
  EXPECT_EQ(result.outcomes(5).run(), 5);
}

TEST(SimulateCommandTest, BreaksFalseRollbacksDownByStage) {
  // A good release whose every deploy fails: each run stops at its first
  // wave, the one-box.
  const std::string path =
      ::testing::TempDir() + "/every_deploy_fails.textproto";
  {
    std::ofstream out(path);
    out << "name: \"every deploy fails\" hours: 24 "
           "start_time: \"2026-11-30T08:00:00Z\" "
           "deploy { failure_probability: 1 } "
           "traffic { requests_per_second: 20 } errors { error_rate: 0.001 }";
  }
  const Result r = Simulate({"examples/specs/regional_waves_gated.textproto",
                             "--fleet", "examples/fleets/three_regions.csv",
                             "--scenario", path, "--runs", "3"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("false rollbacks (good)    100.0%"));
  EXPECT_THAT(r.out, HasSubstr("    by stage                one-box 3\n"));
}

TEST(SimulateCommandTest, WritesAnHtmlReport) {
  const std::string path = ::testing::TempDir() + "/sim_report.html";
  std::remove(path.c_str());
  const Result r = Simulate(With({"--runs", "8", "--report", path}));
  ASSERT_EQ(r.code, kExitOk) << r.err;
  std::ifstream in(path);
  std::stringstream html;
  html << in.rdbuf();
  EXPECT_THAT(html.str(), HasSubstr("<svg id=\"timeline\""));
  EXPECT_THAT(html.str(), HasSubstr("<svg id=\"metric-0\""));
  EXPECT_THAT(html.str(), HasSubstr("<svg id=\"dist-time-to-detect\""));
}

TEST(SimulateCommandTest, BadInputNamesTheField) {
  Result r = Simulate(With({"--runs", "0"}));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--runs: must be >= 1 (got 0)"));
  r = Simulate(With({"--runs", "many"}));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--runs: must be an integer (got \"many\")"));
  r = Simulate(With({"--threads", "-2"}));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--threads: must be >= 0 (got -2)"));
  r = Simulate(With({"--format", "xml"}));
  EXPECT_EQ(r.code, kExitUsage);
  r = Simulate({"examples/specs/regional_waves_gated.textproto", "--fleet",
                "examples/fleets/three_regions.csv"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--scenario is required"));
  r = Simulate({"examples/specs/regional_waves_gated.textproto", "--fleet",
                "examples/fleets/three_regions.csv", "--scenario",
                "tests/tools/testdata/simulate_missing_zone.textproto"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err,
              HasSubstr("simulate_missing_zone.textproto: fault.scope.zone: "
                        "the fleet has no zone \"use1-az9\""));
  r = Simulate({"examples/specs/regional_waves_gated.textproto", "--fleet",
                "examples/fleets/three_regions.csv", "--scenario",
                "tests/tools/testdata/simulate_bad_probability.textproto"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("delivery.drop_probability: must be in [0, 1] "
                               "(got 1.5)"));
}

const std::vector<std::string> kPhased = {
    "examples/phased/two_phase_schema_change.textproto", "--fleet",
    "examples/fleets/three_regions.csv", "--scenario",
    "examples/scenarios/bad_release_everywhere.textproto"};

std::vector<std::string> Phased(std::vector<std::string> extra) {
  std::vector<std::string> args = kPhased;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(SimulateCommandTest, PhasedSpecBadActivateIsRolledBackPrepareStays) {
  // By default the last phase (activate) carries the fault.
  const Result r = Simulate(Phased({"--runs", "3"}));
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Fault carried by: phase \"activate\" and "
                               "every later one\n"));
  EXPECT_THAT(r.out, HasSubstr("prepare    rollout-finished: succeeded\n"));
  EXPECT_THAT(r.out, HasSubstr("activate   rollback-completed"));
  EXPECT_THAT(r.out, HasSubstr("activate   rollout-finished wave 0: "
                               "rolled-back\n"));
  EXPECT_THAT(r.out, HasSubstr("\nOutcome: seed "));
  EXPECT_THAT(r.out, HasSubstr("rolled-back (phase 0 succeeded, phase 1 "
                               "rolled-back); activate wave 0 failed"));
  EXPECT_THAT(r.out, HasSubstr("\n3 runs, seed 7:\n  3 x rolled-back "
                               "[succeeded, rolled-back]\n  elapsed: p50 "));
  // Deterministic: the same seed prints the same.
  EXPECT_EQ(Simulate(Phased({"--runs", "3"})).out, r.out);
}

TEST(SimulateCommandTest, PhasedSpecBadPrepareNeverStartsActivate) {
  const std::string events = ::testing::TempDir() + "/phased_events.jsonl";
  std::remove(events.c_str());
  const Result r =
      Simulate(Phased({"--faulty-phase", "prepare", "--events", events}));
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("rolled-back (phase 0 rolled-back, phase 1 "
                               "pending)"));
  EXPECT_THAT(r.out, Not(HasSubstr("activate   rollout-started")));
  // The events carry their phase.
  std::ifstream in(events);
  std::stringstream lines;
  lines << in.rdbuf();
  EXPECT_THAT(lines.str(), HasSubstr("\"phase\":\"prepare\""));
  EXPECT_THAT(lines.str(), Not(HasSubstr("\"phase\":\"activate\"")));
}

TEST(SimulateCommandTest, PhasedSpecGoodReleaseRunsBothPhases) {
  const Result r =
      Simulate({"examples/phased/two_phase_schema_change.textproto", "--fleet",
                "examples/fleets/three_regions.csv", "--scenario",
                "examples/scenarios/good_release.textproto"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Fault carried by: none (a good release)"));
  EXPECT_THAT(r.out, HasSubstr("succeeded (phase 0 succeeded, phase 1 "
                               "succeeded); 2 of 2 phases started"));
}

TEST(SimulateCommandTest, PhasedSpecBadFlags) {
  Result r = Simulate(Phased({"--faulty-phase", "lanch"}));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--faulty-phase: no phase \"lanch\" (phases: "
                               "prepare, activate)"));
  r = Simulate(Phased({"--format", "json"}));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--format: a phased spec's simulation is a "
                               "table only"));
  r = Simulate(Phased({"--report", "x.html"}));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--report: not supported for a phased spec"));
  // --faulty-phase means nothing for a plain spec.
  r = Simulate(With({"--faulty-phase", "prepare"}));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--faulty-phase: only for a phased spec"));
}

}  // namespace
}  // namespace sluice::cli

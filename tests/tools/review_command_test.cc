// Copyright 2026 The Sluice Authors.
//
// `sluice review` on a recorded event stream (a simulated bad release
// caught in a late zone), and `sluice simulate --events --review`.

#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tools/cli_test_util.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kRecorded[] =
    "tests/tools/testdata/bad_release_one_zone.events.jsonl";
// The spec the recording was made with (the regional waves with threshold
// checks, before regional_waves_gated became self-baselines).
constexpr char kSpec[] =
    "tests/sim/testdata/regional_waves_thresholds.textproto";
constexpr char kFleet[] = "examples/fleets/three_regions.csv";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ReviewCommandTest, DraftsAReviewFromRecordedEvents) {
  CliRun r = Sluice({"review", kRecorded});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  EXPECT_THAT(r.out, HasSubstr("# Post-incident review (draft): checkout-api"));
  for (const char* section :
       {"## Summary", "## Impact", "## Timeline (UTC)",
        "## Detection and mitigation", "### Could it have been caught sooner?",
        "## Causes", "## Actions"}) {
    EXPECT_THAT(r.out, HasSubstr(section));
  }
  // The numbers of the recording: detected on wave 11 by the absolute
  // error-rate check, 8h13m49s after the first deploy, rolled back 4m23s
  // later; 32 targets had run the bad version.
  EXPECT_THAT(r.out,
              HasSubstr("gate `errors-absolute` (in `default`) on wave 11"));
  EXPECT_THAT(r.out,
              HasSubstr("**Time to detect**: 8h13m49s from the first deploy"));
  EXPECT_THAT(r.out, HasSubstr("**Time to mitigate**: 4m23s from detection"));
  EXPECT_THAT(r.out, HasSubstr("| targets that ran the new version | 32 |"));
  EXPECT_THAT(r.out,
              HasSubstr("| 16:13:49 | +8h13m49s | first failing check | 11 |"));
  EXPECT_THAT(r.out, HasSubstr("| 16:18:12 | +8h18m12s | rollback done |"));
  // Without the plan, no weights or zones.
  EXPECT_THAT(r.out, Not(HasSubstr("fleet weight")));
}

TEST(ReviewCommandTest, WithSpecAndFleetGivesWeightsAndZones) {
  CliRun r = Sluice({"review", kRecorded, "--spec", kSpec, "--fleet", kFleet});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("| targets that ran the new version | 32 of 36 |"));
  EXPECT_THAT(
      r.out,
      HasSubstr("| fleet weight on the new version (at most) | 83.3% |"));
  EXPECT_THAT(r.out,
              HasSubstr("wave 11 (\"us-east-1 / use1-az2\", stage "
                        "region-wave, 4 target(s) in us-east-1/use1-az2)"));
  // The earlier waves' verdicts of the decisive gate, with their numbers
  // (each wave's latest: wave 0's bake re-check at +27m12s).
  EXPECT_THAT(r.out,
              HasSubstr("The earlier waves' verdicts of `errors-absolute`"));
  EXPECT_THAT(r.out, HasSubstr("| +27m12s | PASS | error_rate=0.00141261ratio, "
                               "max=0.01ratio, n=5 | unknown |"));
}

TEST(ReviewCommandTest, WritesAFileAndIsDeterministic) {
  const std::string out = ::testing::TempDir() + "review.md";
  CliRun r = Sluice({"review", kRecorded, "--out", out});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, HasSubstr("wrote "));
  EXPECT_EQ(ReadAll(out), Sluice({"review", kRecorded}).out);
}

TEST(ReviewCommandTest, BadInputIsAClearError) {
  CliRun r = Sluice({"review"});
  EXPECT_EQ(r.code, kExitUsage);
  r = Sluice({"review", kRecorded, "--spec", kSpec});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--spec needs --fleet"));
  r = Sluice({"review", "/nonexistent/events.jsonl"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/events.jsonl: cannot open"));
  r = Sluice({"review", kRecorded, "--rollout", "other"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("--rollout: no event of rollout \"other\""));
  const std::string bad = ::testing::TempDir() + "bad.jsonl";
  std::ofstream(bad) << "{\"sequence\": \"1\", \"kind\": \"rollout-started\"}\n"
                     << "not json\n";
  r = Sluice({"review", bad});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("line 2"));
}

TEST(ReviewCommandTest, SimulateWritesEventsAndTheReviewOfItsFirstRun) {
  const std::string events = ::testing::TempDir() + "sim_events.jsonl";
  const std::string review = ::testing::TempDir() + "sim_review.md";
  CliRun r = Sluice({"simulate", kSpec, "--fleet", kFleet, "--scenario",
                     "examples/scenarios/bad_release_one_zone.textproto",
                     "--events", events, "--review", review});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  // The events are the recording's (the simulator is deterministic) ...
  std::string recorded = ReadAll(kRecorded);
  recorded = recorded.substr(recorded.find('\n') + 1);  // the comment
  EXPECT_EQ(ReadAll(events), recorded);
  // ... and the simulator adds what only it knows.
  const std::string md = ReadAll(review);
  EXPECT_THAT(md,
              HasSubstr("| bad requests | 77603 (known to the simulator) |"));
  EXPECT_THAT(md, HasSubstr("first request harmed"));
  EXPECT_THAT(md, HasSubstr("6m28s from the first harmed request"));
  EXPECT_THAT(md, HasSubstr("no: judged before the first harmed request"));
  EXPECT_THAT(md, HasSubstr("scenario: Scenario(bad release in one zone"));
}

TEST(ReviewCommandTest, AGoodReleaseHasNothingToReview) {
  const std::string review = ::testing::TempDir() + "good_review.md";
  CliRun r =
      Sluice({"simulate", "examples/specs/regional_waves.textproto", "--fleet",
              kFleet, "--scenario", "examples/scenarios/good_release.textproto",
              "--review", review});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("nothing to review"));
}

}  // namespace
}  // namespace sluice::cli

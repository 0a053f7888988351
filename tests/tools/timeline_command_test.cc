// Copyright 2026 The Sluice Authors.

#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/rollout_proto.h"
#include "sluice/testing/status_matchers.h"
#include "tests/rollout/rollout_harness.h"
#include "tests/tools/cli_test_util.h"
#include "tools/cli.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

// The events of a bad release caught at wave 2, as JSON lines.
std::string BadReleaseEvents() {
  rollout_test::Scenario s;
  for (rollout_test::Scenario& x : rollout_test::ScriptedScenarios()) {
    if (x.name == "bad-release-at-wave-2") s = x;
  }
  s.commands.push_back(
      {rollout_test::kT0 + absl::Minutes(1), [](Rollout& r, absl::Time now) {
         return r.Pause("alice@example.com", now);
       }});
  s.commands.push_back(
      {rollout_test::kT0 + absl::Minutes(3), [](Rollout& r, absl::Time now) {
         return r.Resume("alice@example.com", now);
       }});
  rollout_test::RunResult r = rollout_test::RunScenario(s, false);
  EXPECT_TRUE(r.status.ok()) << r.status;
  std::string text = "# events of bad-release-at-wave-2\n";
  for (const RolloutEvent& e : r.events) {
    text += EventToJsonLine(e) + "\n";
  }
  return text;
}

TEST(TimelineCommandTest, PrintsATimelineWithNumbersAndASummary) {
  const std::string path = WriteFile("events.jsonl", BadReleaseEvents());
  CliRun r = Sluice({"timeline", path});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  EXPECT_THAT(r.out, HasSubstr("Timeline of bad-release-at-wave-2: "));
  EXPECT_THAT(r.out, HasSubstr("rollout-started"));
  EXPECT_THAT(r.out, HasSubstr("** "));
  EXPECT_THAT(r.out, HasSubstr("pause by alice@example.com"));
  EXPECT_THAT(r.out, HasSubstr("wave 2  gate FAIL"));
  EXPECT_THAT(r.out, HasSubstr("[error_rate=7.5%, n=500]"));
  EXPECT_THAT(r.out, HasSubstr("!! "));
  EXPECT_THAT(r.out, HasSubstr("FAILED (gate-fail)"));
  EXPECT_THAT(r.out, HasSubstr("policy: roll-back-all"));
  EXPECT_THAT(r.out, HasSubstr("finished: rolled-back"));
  EXPECT_THAT(r.out, HasSubstr("Outcome: rolled-back; 1 wave failure(s); 1 "
                               "escalation(s); operator commands: pause by "
                               "alice@example.com at +1m, resume by "
                               "alice@example.com at +3m"));
}

TEST(TimelineCommandTest, ReportsMissingEvents) {
  std::string text = BadReleaseEvents();
  // Drop the third event line (after the comment).
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  lines.erase(lines.begin() + 3);
  const std::string path = WriteFile("gap.jsonl", absl::StrJoin(lines, "\n"));
  CliRun r = Sluice({"timeline", path});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(events 3 to 3 missing)"));
}

TEST(TimelineCommandTest, LargestSequenceDoesNotOverflow) {
  // A gap up to INT64_MAX, and INT64_MAX as the last event: the gap is
  // counted without computing one past INT64_MAX (UBSan checks the rest).
  rollout_test::Scenario s;
  for (rollout_test::Scenario& x : rollout_test::ScriptedScenarios()) {
    if (x.name == "bad-release-at-wave-2") s = x;
  }
  rollout_test::RunResult run = rollout_test::RunScenario(s, false);
  ASSERT_GE(run.events.size(), 2u);
  RolloutEvent first = run.events.front();
  first.sequence = 1;
  RolloutEvent last = run.events.back();
  last.sequence = std::numeric_limits<int64_t>::max();
  const std::string path = WriteFile(
      "max.jsonl",
      absl::StrCat(EventToJsonLine(first), "\n", EventToJsonLine(last), "\n"));
  CliRun r = Sluice({"timeline", path});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(events 2 to 9223372036854775806 missing)"));
  // Only the largest: nothing is missing.
  const std::string only =
      WriteFile("only-max.jsonl", EventToJsonLine(last) + "\n");
  r = Sluice({"timeline", only});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("missing")));
}

TEST(TimelineCommandTest, BadLineNamesTheLine) {
  const std::string path =
      WriteFile("bad.jsonl", "\n{\"sequence\": 1, \"kind\": \"wave-begun\"}\n");
  CliRun r = Sluice({"timeline", path});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("bad.jsonl: line 2: kind: unknown event kind "
                               "\"wave-begun\""));
  const std::string garbage = WriteFile("garbage.jsonl", "not json\n");
  r = Sluice({"timeline", garbage});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("garbage.jsonl: line 1: event: "));
}

TEST(TimelineCommandTest, SeparatesRolloutsAndDropsReplayedDuplicates) {
  const std::string one = BadReleaseEvents();
  std::vector<std::string> lines = absl::StrSplit(one, '\n');
  // A second run of the same rollout an hour later (another rollout id),
  // and a replay of the first run's first three events.
  std::string text = one;
  for (const std::string& line : lines) {
    if (line.empty() || line[0] == '#') continue;
    absl::StatusOr<RolloutEvent> e = EventFromJsonLine(line);
    ASSERT_TRUE(e.ok()) << e.status();
    e->time += absl::Hours(1);
    e->rollout_id = "second-run";
    text += EventToJsonLine(*e) + "\n";
  }
  text += absl::StrJoin(lines.begin() + 1, lines.begin() + 4, "\n") + "\n";
  const std::string path = WriteFile("two.jsonl", text);
  CliRun r = Sluice({"timeline", path});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Timeline of bad-release-at-wave-2: 20 events, "
                               "2025-11-24 16:00:00 to 2025-11-24 16:25:00 UTC "
                               "(25m); rollout id bad-release-at-wave-2/2.0/"
                               "2025-11-24T16:00:00+00:00; 3 replayed "
                               "duplicate(s) dropped"));
  EXPECT_THAT(r.out, HasSubstr("Timeline of bad-release-at-wave-2: 20 events, "
                               "2025-11-24 17:00:00 to 2025-11-24 17:25:00 UTC "
                               "(25m); rollout id second-run\n"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("missing")));
}

TEST(TimelineCommandTest, ReadsASnapshotsLedger) {
  const Fleet fleet = rollout_test::MakeFleet(4);
  RolloutOptions options;
  options.name = "ledger";
  options.version = "2.0";
  options.previous_version = "1.0";
  std::unique_ptr<Rollout> rollout =
      *Rollout::Create(fleet, rollout_test::MakePlan({1, 3}), options);
  std::vector<Action> actions = *rollout->Advance(rollout_test::kT0);
  ASSERT_FALSE(actions.empty());
  ASSERT_TRUE(rollout
                  ->ReportOutcome(actions[0].id,
                                  {TargetResult::Failed(0, "disk full")},
                                  rollout_test::kT0)
                  .ok());
  const std::string path = WriteFile("snapshot.bin", rollout->Snapshot());
  CliRun r = Sluice({"timeline", path});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Ledger of ledger (ledger/2.0/"
                               "2025-11-24T16:00:00+00:00) from a snapshot: "
                               "2.0 (rollback to 1.0), status running"));
  EXPECT_THAT(r.out, HasSubstr("w0-deploy-1"));
  EXPECT_THAT(r.out, HasSubstr("0 ok, 1 failed of 1; first: web-0: disk full"));
}

TEST(TimelineCommandTest, UsageErrors) {
  EXPECT_EQ(Sluice({"timeline"}).code, kExitUsage);
  CliRun r = Sluice({"timeline", "/nonexistent/events.jsonl"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("cannot open"));
}

}  // namespace
}  // namespace sluice::cli

// Copyright 2026 The Sluice Authors.
//
// The command hooks of `sluice run` (tools/hook_runner.h): placeholders with
// shell quoting, the environment and standard input, timeouts that kill the
// hook's process group, and per-target result lines.

#include "tools/hook_runner.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/testing/status_matchers.h"

namespace sluice::cli {
namespace {

using ::sluice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A new empty directory under $TEST_TMPDIR (Bazel) or /tmp.
std::string MakeTempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern =
      absl::StrCat(base != nullptr ? base : "/tmp", "/sluice_hook_XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

TEST(ShellQuoteTest, QuotesEverySpecialCharacter) {
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(ShellQuote("web-1,web-2"), "'web-1,web-2'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
}

TEST(ExpandHookTest, SubstitutesQuotedValuesAndLeavesShellSyntax) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::string cmd,
      ExpandHook("deploy.sh {version} {targets} ${HOME} {unknown} {wave}",
                 {{"version", "2.0"}, {"targets", "a,b"}, {"wave", "1"}}));
  EXPECT_EQ(cmd, "deploy.sh '2.0' 'a,b' ${HOME} {unknown} '1'");
  EXPECT_THAT(ExpandHook("deploy.sh {version} {percent}", {{"version", "2"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("placeholder {percent} has no value")));
  EXPECT_THAT(ExpandHook("  ", {}), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("hook: empty command")));
}

// A value that tries to break out of its quotes reaches the command as one
// argument, and runs nothing.
TEST(ExpandHookTest, AHostileValueStaysOneArgument) {
  const std::string dir = MakeTempDir();
  ASSERT_FALSE(dir.empty());
  const std::string hostile =
      absl::StrCat("x'; touch ", dir, "/pwned; echo '$(id) `id` \"q\" ;|&");
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::string cmd,
      ExpandHook("printf '%s\\n' {version} | wc -l", {{"version", hostile}}));
  SLUICE_ASSERT_OK_AND_ASSIGN(HookRun run,
                              RunHook(cmd, {}, "", absl::Seconds(10)));
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(absl::StripAsciiWhitespace(run.output), "1");
  EXPECT_NE(access((dir + "/pwned").c_str(), F_OK), 0);
  SLUICE_ASSERT_OK_AND_ASSIGN(
      std::string echo,
      ExpandHook("printf '%s' {version}", {{"version", hostile}}));
  SLUICE_ASSERT_OK_AND_ASSIGN(HookRun echoed,
                              RunHook(echo, {}, "", absl::Seconds(10)));
  EXPECT_EQ(echoed.output, hostile);
  rmdir(dir.c_str());
}

TEST(RunHookTest, PassesEnvironmentAndInputAndReportsTheExitStatus) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      HookRun run,
      RunHook("echo \"id=$SLUICE_ACTION_ID\"; cat; echo oops >&2; exit 3",
              {{"SLUICE_ACTION_ID", "w1-deploy-2"}}, "{\"a\":1}\n",
              absl::Seconds(10)));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_FALSE(run.ok());
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.output, "id=w1-deploy-2\n{\"a\":1}\n");
  EXPECT_EQ(run.error_tail, "oops\n");
  EXPECT_EQ(run.Describe(), "exit 3");
}

TEST(RunHookTest, KillsTheWholeProcessGroupOnTimeout) {
  const std::string dir = MakeTempDir();
  ASSERT_FALSE(dir.empty());
  const std::string pidfile = absl::StrCat(dir, "/child.pid");
  // The hook starts a child that would outlive it, then hangs.
  SLUICE_ASSERT_OK_AND_ASSIGN(
      HookRun run, RunHook(absl::StrCat("sleep 60 & echo $! > ", pidfile,
                                        "; echo started; sleep 60"),
                           {}, "", absl::Milliseconds(500)));
  EXPECT_TRUE(run.timed_out);
  EXPECT_FALSE(run.ok());
  EXPECT_EQ(run.exit_code, -1);
  EXPECT_THAT(run.Describe(), HasSubstr("timed out after"));
  EXPECT_EQ(run.output, "started\n");
  std::ifstream in(pidfile);
  std::string text;
  std::getline(in, text);
  int child = 0;
  ASSERT_TRUE(absl::SimpleAtoi(text, &child)) << text;
  // The background child was killed with the group (it may take a moment
  // to be reaped by init).
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::ifstream stat(absl::StrCat("/proc/", child, "/stat"));
    std::string line;
    gone = !std::getline(stat, line) || line.find(") Z") != std::string::npos;
    if (!gone) usleep(20000);
  }
  EXPECT_TRUE(gone) << "child " << child << " still running";
  unlink(pidfile.c_str());
  rmdir(dir.c_str());
  EXPECT_THAT(RunHook("true", {}, "", absl::ZeroDuration()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("timeout must be > 0")));
}

// The shell's exit ends the run even when a background process it started
// keeps the output pipe open (a deploy hook that restarts a daemon).
TEST(RunHookTest, ReturnsWhenTheShellExitsDespiteABackgroundProcess) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      HookRun run, RunHook("sleep 30 & echo done", {}, "", absl::Seconds(20)));
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.output, "done\n");
  EXPECT_LT(run.took, absl::Seconds(20));
}

TEST(RunHookTest, AHookThatIgnoresItsInputDoesNotHurtTheCaller) {
  SLUICE_ASSERT_OK_AND_ASSIGN(
      HookRun run,
      RunHook("exit 0", {}, std::string(1 << 20, 'x'), absl::Seconds(10)));
  EXPECT_EQ(run.exit_code, 0);
}

TEST(ParseHookOutcomesTest, ResultLinesWinAndTheExitStatusFillsIn) {
  HookRun run;
  run.exit_code = 0;
  run.output =
      "deploying...\n"
      "target web-1 ok\n"
      "target web-2 failed health check timed out\n"
      "target web-9 failed not ours\n"
      "target web-3 failed\n"
      "target web-4 maybe\n";
  EXPECT_THAT(
      ParseHookOutcomes(run, {"web-1", "web-2", "web-3", "web-4"}),
      ElementsAre(HookOutcome{"web-1", true, ""},
                  HookOutcome{"web-2", false, "health check timed out"},
                  HookOutcome{"web-3", false, "failed (no reason given)"},
                  HookOutcome{"web-4", true, ""}));
  // Without result lines, the exit status applies to all.
  HookRun failed;
  failed.exit_code = 4;
  failed.output = "target web-1 ok\n";
  EXPECT_THAT(ParseHookOutcomes(failed, {"web-1", "web-2"}),
              ElementsAre(HookOutcome{"web-1", true, ""},
                          HookOutcome{"web-2", false, "hook exit 4"}));
  HookRun timed_out;
  timed_out.timed_out = true;
  timed_out.took = absl::Seconds(30);
  EXPECT_THAT(ParseHookOutcomes(timed_out, {"a"}),
              ElementsAre(HookOutcome{"a", false, "hook timed out after 30s"}));
}

}  // namespace
}  // namespace sluice::cli

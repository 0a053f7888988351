// Copyright 2026 The Sluice Authors.
//
// `sluice run` as a program (the binary $SLUICE_CLI, as CTest sets it), with
// shell-script hooks and a SQLite store, without metrics: a rollout to the
// end; a failed target rolled back (exit 3); SIGTERM stops cleanly and the
// same command resumes; SIGKILL mid-rollout, and the restart takes the lease
// over and finishes without running a completed action again.

#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tools/cli_test_util.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

// A child process of the test, killed if still running at the end.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::string& out_path) {
    fflush(nullptr);  // or the child's freopen() writes our buffer again
    pid_ = fork();
    if (pid_ == 0) {
      FILE* f = freopen(out_path.c_str(), "a", stdout);
      (void)f;
      dup2(1, 2);
      std::vector<char*> args;
      for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !done_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  // The exit code, or -signal; nullopt if still running at `timeout`.
  std::optional<int> Wait(absl::Duration timeout) {
    const absl::Time end = absl::Now() + timeout;
    while (absl::Now() < end) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        done_ = true;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        return -WTERMSIG(status);
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    return std::nullopt;
  }
  void Signal(int sig) { kill(pid_, sig); }

 private:
  pid_t pid_ = -1;
  bool done_ = false;
};

class RunCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* cli = std::getenv("SLUICE_CLI");
    if (cli == nullptr) GTEST_SKIP() << "SLUICE_CLI not set (run under CTest)";
    cli_ = cli;
    char dir[] = "/tmp/sluice_run_test_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    // Eight targets in two zones.
    std::string fleet = "id,region,zone,weight\n";
    for (int i = 1; i <= 8; ++i) {
      fleet += absl::StrCat("web-", i, ",r1,", i <= 4 ? "z1" : "z2", ",1\n");
    }
    WriteFile(dir_ + "/fleet.csv", fleet);
    // Four waves of two, a 2 s bake each; no metrics, no gates; a failed
    // deploy is not retried.
    WriteFile(dir_ + "/spec.textproto", R"(
name: "web"
version: "2.0"
previous_version: "1.0"
waves {
  rolling {
    max_surge { count: 2 }
    max_unavailable { count: 0 }
    bake { seconds: 2 }
  }
}
rollback { deploy_attempts: 1 }
)");
    // The hook: logs each run, "deploys" by writing a version file per
    // target, fails the targets listed in fail.txt, and reports per target.
    WriteFile(dir_ + "/hook.sh", absl::StrCat(R"(#!/bin/sh
set -e
dir=)",
                                              dir_, R"(
kind=$1; version=$2; targets=$3
echo "start $SLUICE_ACTION_ID $kind $version $targets" >> "$dir/hooks.log"
sleep 0.2
for t in $(echo "$targets" | tr ',' ' '); do
  if [ "$kind" = deploy ] && [ -f "$dir/fail.txt" ] && grep -qx "$t" "$dir/fail.txt"; then
    echo "target $t failed disk full"
  else
    echo "$version" > "$dir/version-$t"
    echo "target $t ok"
  fi
done
echo "done $SLUICE_ACTION_ID" >> "$dir/hooks.log"
)"));
  }

  void TearDown() override {
    if (!dir_.empty()) {
      std::string cmd = absl::StrCat("rm -rf '", dir_, "'");
      (void)std::system(cmd.c_str());
    }
  }

  std::vector<std::string> RunArgs() {
    return {cli_,
            "run",
            dir_ + "/spec.textproto",
            "--fleet",
            dir_ + "/fleet.csv",
            "--store",
            "sqlite:" + dir_ + "/store.db",
            "--deploy",
            absl::StrCat("sh ", dir_, "/hook.sh deploy {version} {targets}"),
            "--rollback",
            absl::StrCat("sh ", dir_, "/hook.sh rollback {version} {targets}"),
            "--events",
            dir_ + "/events.jsonl",
            "--id",
            "web-2.0",
            "--lease-ttl",
            "3s",
            "--poll",
            "200ms",
            "--output",
            "json"};
  }

  // The "start" lines of the hook log: action id -> times run.
  std::map<std::string, int> Starts() {
    std::map<std::string, int> starts;
    for (absl::string_view line :
         absl::StrSplit(ReadAll(dir_ + "/hooks.log"), '\n')) {
      std::vector<std::string> w = absl::StrSplit(line, ' ');
      if (w.size() >= 2 && w[0] == "start") ++starts[w[1]];
    }
    return starts;
  }

  // Waits until `sluice status` shows the rollout baking wave >= `wave`.
  bool WaitForBaking(int wave, absl::Duration timeout) {
    const absl::Time end = absl::Now() + timeout;
    while (absl::Now() < end) {
      const std::string out = dir_ + "/status.txt";
      std::string cmd =
          absl::StrCat(cli_, " status web-2.0 --store sqlite:", dir_,
                       "/store.db > ", out, " 2>&1");
      if (std::system(cmd.c_str()) == 0) {
        const std::string s = ReadAll(out);
        for (int w = wave; w < 4; ++w) {
          if (absl::StrContains(s,
                                absl::StrCat("wave ", w, " of 4 (baking)"))) {
            return true;
          }
        }
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  void ExpectAllOn(const std::string& version) {
    for (int i = 1; i <= 8; ++i) {
      EXPECT_EQ(ReadAll(absl::StrCat(dir_, "/version-web-", i)), version + "\n")
          << "web-" << i;
    }
  }

  std::string cli_;
  std::string dir_;
};

TEST_F(RunCommandTest, RollsOutToTheEnd) {
  Child run(RunArgs(), dir_ + "/out.txt");
  std::optional<int> code = run.Wait(absl::Seconds(120));
  ASSERT_TRUE(code.has_value()) << ReadAll(dir_ + "/out.txt");
  EXPECT_EQ(*code, 0) << ReadAll(dir_ + "/out.txt");
  ExpectAllOn("2.0");
  // Four deploys, each run once.
  std::map<std::string, int> starts = Starts();
  EXPECT_EQ(starts.size(), 4u) << ReadAll(dir_ + "/hooks.log");
  for (const auto& [id, n] : starts) {
    EXPECT_EQ(n, 1) << id;
    EXPECT_THAT(id, HasSubstr("deploy"));
  }
  const std::string out = ReadAll(dir_ + "/out.txt");
  EXPECT_THAT(out, HasSubstr("\"type\":\"hook\""));
  EXPECT_THAT(out, HasSubstr("\"type\":\"event\""));
  EXPECT_THAT(out, HasSubstr("\"type\":\"exit\""));
  EXPECT_THAT(out, HasSubstr("web-2.0: succeeded (exit 0)"));
  // The events make a timeline.
  std::string cmd = absl::StrCat(cli_, " timeline ", dir_, "/events.jsonl > ",
                                 dir_, "/timeline.txt 2>&1");
  EXPECT_EQ(std::system(cmd.c_str()), 0) << ReadAll(dir_ + "/timeline.txt");
  EXPECT_THAT(ReadAll(dir_ + "/timeline.txt"), HasSubstr("succeeded"));
  // Running it again on the finished rollout runs nothing and says so.
  Child again(RunArgs(), dir_ + "/out2.txt");
  code = again.Wait(absl::Seconds(30));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
  EXPECT_EQ(Starts(), starts);
}

TEST_F(RunCommandTest, AFailedTargetIsRolledBackWithExitThree) {
  WriteFile(dir_ + "/fail.txt", "web-3\n");
  std::vector<std::string> args = RunArgs();
  // Pages go to --notify as JSON on standard input.
  args.push_back("--notify");
  args.push_back(absl::StrCat("cat >> ", dir_, "/pages.jsonl; echo >> ", dir_,
                              "/pages.jsonl"));
  Child run(args, dir_ + "/out.txt");
  std::optional<int> code = run.Wait(absl::Seconds(120));
  ASSERT_TRUE(code.has_value()) << ReadAll(dir_ + "/out.txt");
  EXPECT_EQ(*code, 3) << ReadAll(dir_ + "/out.txt");
  const std::string log = ReadAll(dir_ + "/hooks.log");
  EXPECT_THAT(log, HasSubstr("rollback 1.0"));
  // web-1 and web-2 (wave 0) and web-4 were deployed and are back on 1.0;
  // web-3 failed its deploy.
  for (int i : {1, 2, 4}) {
    EXPECT_EQ(ReadAll(absl::StrCat(dir_, "/version-web-", i)), "1.0\n") << i;
  }
  EXPECT_THAT(ReadAll(dir_ + "/events.jsonl"), HasSubstr("disk full"));
  EXPECT_THAT(ReadAll(dir_ + "/out.txt"), HasSubstr("rolled-back (exit 3)"));
  const std::string pages = ReadAll(dir_ + "/pages.jsonl");
  EXPECT_THAT(pages, HasSubstr("\"escalate\":true"));
  EXPECT_THAT(pages, HasSubstr("web-3: disk full"));
}

// --output live: the view a terminal gets, redrawn (here into a file).
TEST_F(RunCommandTest, TheLiveViewShowsWavesBakeCountdownAndBlockers) {
  std::vector<std::string> args = RunArgs();
  args.back() = "live";
  Child run(args, dir_ + "/out.txt");
  std::optional<int> code = run.Wait(absl::Seconds(120));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
  const std::string out = ReadAll(dir_ + "/out.txt");
  EXPECT_THAT(out, HasSubstr("\033[H\033[2J"));
  EXPECT_THAT(out, HasSubstr("waves:"));
  EXPECT_THAT(out, HasSubstr("batch 2/4"));
  EXPECT_THAT(out, HasSubstr("left"));  // the bake countdown
  EXPECT_THAT(out, HasSubstr("blocked by:"));
  EXPECT_THAT(out, HasSubstr("last verdict: "));
  EXPECT_THAT(out, HasSubstr("web-2.0: succeeded (exit 0)"));
}

TEST_F(RunCommandTest, SigtermStopsCleanlyAndTheSameCommandResumes) {
  Child run(RunArgs(), dir_ + "/out.txt");
  ASSERT_TRUE(WaitForBaking(1, absl::Seconds(60)))
      << ReadAll(dir_ + "/out.txt");
  run.Signal(SIGTERM);
  std::optional<int> code = run.Wait(absl::Seconds(30));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
  EXPECT_THAT(ReadAll(dir_ + "/out.txt"),
              HasSubstr("Run the same command again to resume"));
  // The lease was released: the restart does not wait for it to expire.
  const absl::Time restarted = absl::Now();
  Child resumed(RunArgs(), dir_ + "/out2.txt");
  code = resumed.Wait(absl::Seconds(120));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << ReadAll(dir_ + "/out2.txt");
  EXPECT_THAT(ReadAll(dir_ + "/out2.txt"), HasSubstr("\"type\":\"resume\""));
  (void)restarted;
  ExpectAllOn("2.0");
  for (const auto& [id, n] : Starts()) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(Starts().size(), 4u);
}

TEST_F(RunCommandTest, SigkillMidRolloutThenARestartResumesWithoutRerunning) {
  Child run(RunArgs(), dir_ + "/out.txt");
  ASSERT_TRUE(WaitForBaking(1, absl::Seconds(60)))
      << ReadAll(dir_ + "/out.txt");
  run.Signal(SIGKILL);
  std::optional<int> code = run.Wait(absl::Seconds(10));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, -SIGKILL);
  const std::map<std::string, int> before = Starts();
  ASSERT_GE(before.size(), 2u);
  ASSERT_LT(before.size(), 4u);
  // The restart takes the lease over once it expires (3 s) and finishes.
  Child resumed(RunArgs(), dir_ + "/out2.txt");
  code = resumed.Wait(absl::Seconds(120));
  ASSERT_TRUE(code.has_value()) << ReadAll(dir_ + "/out2.txt");
  EXPECT_EQ(*code, 0) << ReadAll(dir_ + "/out2.txt");
  ExpectAllOn("2.0");
  // No completed action ran again.
  std::map<std::string, int> after = Starts();
  EXPECT_EQ(after.size(), 4u) << ReadAll(dir_ + "/hooks.log");
  for (const auto& [id, n] : after) EXPECT_EQ(n, 1) << id;
  // Every event is in the log once (the timeline reads it without
  // dropping replayed events).
  std::set<std::string> lines;
  int count = 0;
  for (absl::string_view line : absl::StrSplit(ReadAll(dir_ + "/events.jsonl"),
                                               '\n', absl::SkipEmpty())) {
    lines.insert(std::string(line));
    ++count;
  }
  EXPECT_EQ(static_cast<int>(lines.size()), count);
  std::string cmd = absl::StrCat(cli_, " timeline ", dir_, "/events.jsonl > ",
                                 dir_, "/timeline.txt 2>&1");
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_THAT(ReadAll(dir_ + "/timeline.txt"), HasSubstr("succeeded"));
}

// Bad command lines and bad input: a clear error naming the flag or file,
// and nothing run.
TEST_F(RunCommandTest, BadInputIsAClearErrorAndRunsNothing) {
  auto without = [&](const std::string& flag) {
    std::vector<std::string> args = RunArgs();
    args.erase(args.begin());  // the program
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i] == flag) {
        args.erase(args.begin() + i, args.begin() + i + 2);
        break;
      }
    }
    return args;
  };
  CliRun r = Sluice(without("--deploy"));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--deploy: required"));
  std::vector<std::string> args = without("--lease-ttl");
  args.push_back("--lease-ttl");
  args.push_back("soon");
  r = Sluice(args);
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--lease-ttl: expected a duration"));
  args = without("--store");
  args.push_back("--store");
  args.push_back("etcd://x");
  r = Sluice(args);
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("--store: unknown URL"));
  args = without("--deploy");
  args.push_back("--deploy");
  args.push_back(" ");
  r = Sluice(args);
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--deploy: hook: empty command"));
  // A spec with metrics needs --prometheus.
  WriteFile(dir_ + "/spec.textproto",
            ReadAll(dir_ + "/spec.textproto") +
                "metrics { name: \"error_ratio\" }\n");
  r = Sluice(without("--events"));
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--prometheus URL required"));
  EXPECT_EQ(ReadAll(dir_ + "/hooks.log"), "");
}

TEST_F(RunCommandTest, AnIdOfAnotherVersionIsRefused) {
  Child run(RunArgs(), dir_ + "/out.txt");
  ASSERT_EQ(run.Wait(absl::Seconds(120)), 0);
  std::string spec = ReadAll(dir_ + "/spec.textproto");
  const std::string old_line = "version: \"2.0\"";
  spec.replace(spec.find(old_line), old_line.size(), "version: \"2.1\"");
  WriteFile(dir_ + "/spec.textproto", spec);
  std::vector<std::string> args = RunArgs();
  args.erase(args.begin());
  CliRun r = Sluice(args);
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_THAT(r.err, HasSubstr("rolls out version 2.0, the spec version 2.1: "
                               "give another --id"));
}

}  // namespace
}  // namespace sluice::cli

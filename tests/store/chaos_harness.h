// Copyright 2026 The Sluice Authors.
//
// The chaos test of issue 12, shared by the SQLite and PostgreSQL binaries:
// three controller processes (this test binary, re-executed with
// --gtest_filter=ChaosControllerProcess.Run and SLUICE_CHAOS_* in its
// environment) share N rollouts of 20 to 200 targets, good and bad
// releases, through one store; every 0.5 s (during the first 40 s) one
// random controller is SIGKILLed and restarted, and every fourth time one is
// SIGSTOPped past its lease and SIGCONTinued instead. Each process's transport
// records every (rollout, action id, target) effect in the database, a table of
// the store's own SQLite file or PostgreSQL database (an EffectLog, committed
// before the outcome is reported, so a SIGKILL loses no carried-out
// effect), and its publisher appends every delivered outbox message to its
// own append-only file (one write() per line, so a SIGKILL loses no written
// line). Then the checks, against a run of the
// same rollouts by one controller on virtual time:
//   * every rollout ends in the same state and version with the same event
//     sequence (events compared without their times);
//   * no target was deployed by two different action ids;
//   * no action lost: every action of the one-controller run has effects;
//   * no event lost: sequences 1..n delivered for every rollout, nothing
//     left pending in the outbox;
//   * every page (notification) delivered at least once; duplicates of
//     deliveries are counted (at least once, deduplicated by key).
// Scale: SLUICE_CHAOS_ROLLOUTS (default 50) rollouts; the CI run takes well
// under 2 minutes per store (docs/distributed.md has the figures).

#ifndef SLUICE_TESTS_STORE_CHAOS_HARNESS_H_
#define SLUICE_TESTS_STORE_CHAOS_HARNESS_H_

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/clock.h"
#include "sluice/rollout_proto.h"
#include "sluice/store/controller.h"
#include "sluice/store/memory_store.h"
#include "sluice/testing/fake_clock.h"
#include "tests/store/store_harness.h"

namespace sluice::chaos {

using StoreOpener = std::function<absl::StatusOr<std::unique_ptr<RolloutStore>>(
    const std::string& url)>;

// Where the controller processes record the effects of their actions: a
// table (chaos_effects) in the store's database. Each store's test
// implements it with the database's own client (SQLite, libpq). Open()
// creates the table; Append() commits one row per target of an action in
// one transaction (waiting out a busy database); Read() gives every row as
// {rollout, action id, kind, target}. Append() may be called from several
// threads.
class EffectLog {
 public:
  virtual ~EffectLog() = default;
  virtual absl::Status Append(const std::string& rollout,
                              const std::string& action_id,
                              const std::string& kind,
                              const std::vector<int64_t>& targets) = 0;
  virtual absl::StatusOr<std::vector<std::vector<std::string>>> Read() = 0;
};
using EffectLogOpener =
    std::function<absl::StatusOr<std::unique_ptr<EffectLog>>(
        const std::string& url)>;

inline int RolloutCount() {
  const char* env = std::getenv("SLUICE_CHAOS_ROLLOUTS");
  int n = 50;
  if (env != nullptr && absl::SimpleAtoi(env, &n) && n > 0) return n;
  return 50;
}

// The rollouts: "r00".."r<n-1>", 20 to 200 targets (seeded), every third a
// bad release; waves bake 5 s (so that the run lasts through many kills).
inline store_test::Configs ChaosConfigs(int n) {
  store_test::Configs configs;
  configs.bake = absl::Seconds(5);
  std::mt19937 rng(12);
  std::uniform_int_distribution<int> size(20, 200);
  for (int i = 0; i < n; ++i) {
    configs.Add(absl::StrFormat("r%02d", i), size(rng),
                i % 3 == 1 ? "2.0-bad" : "2.0");
  }
  return configs;
}

// Appends whole lines to a file with one write() each.
class LineFile {
 public:
  explicit LineFile(const std::string& path)
      : fd_(open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644)) {}
  ~LineFile() {
    if (fd_ >= 0) close(fd_);
  }
  void Append(const std::string& line) {
    const std::string l = line + "\n";
    absl::MutexLock lock(&mu_);
    (void)!write(fd_, l.data(), l.size());
  }

 private:
  int fd_;
  absl::Mutex mu_;
};

// The controller process's transport: records each effect in the
// database, then reports the outcome through its controller (deploys of a
// bad release fail on some targets, as store_test::DeployFails says). A
// process that cannot record an effect exits (the chaos loop restarts it
// when it next picks it), so no effect goes unrecorded.
class RecordingTransport : public ActionTransport {
 public:
  explicit RecordingTransport(EffectLog& effects) : effects_(effects) {}
  void Attach(Controller* c) { controller_ = c; }
  void Start(absl::string_view rollout, const Action& action) override {
    std::vector<int64_t> targets(action.targets.begin(), action.targets.end());
    if (targets.empty()) targets.push_back(-1);
    absl::Status s =
        effects_.Append(std::string(rollout), action.id,
                        std::string(ActionKindName(action.kind)), targets);
    if (!s.ok()) {
      std::cerr << "chaos: cannot record an effect: " << s << "\n";
      _exit(3);
    }
    std::vector<TargetResult> results;
    for (Fleet::TargetIndex t : action.targets) {
      results.push_back(store_test::DeployFails(action, t)
                            ? TargetResult::Failed(t, "bad release")
                            : TargetResult::Ok(t));
    }
    if (action.targets.empty()) {
      (void)controller_->ReportActionOutcome(rollout, action.id, true, "");
      return;
    }
    (void)controller_->ReportOutcome(rollout, action.id, results);
  }

 private:
  EffectLog& effects_;
  Controller* controller_ = nullptr;
};

class FilePublisher : public OutboxPublisher {
 public:
  explicit FilePublisher(LineFile& out) : out_(out) {}
  absl::Status Publish(const OutboxMessage& m) override {
    out_.Append(absl::StrCat(m.rollout, "\t", m.key, "\t",
                             OutboxKindName(m.kind), "\t", m.payload));
    return absl::OkStatus();
  }

 private:
  LineFile& out_;
};

inline ControllerOptions ChaosOptions(const std::string& id) {
  ControllerOptions o;
  o.id = id;
  o.lease_ttl = absl::Seconds(2);
  o.max_clock_skew = absl::Milliseconds(500);
  o.cas_attempts = 20;
  return o;
}

// The body of a controller process: runs until killed.
inline void RunControllerProcess(const StoreOpener& open,
                                 const EffectLogOpener& open_log) {
  const std::string id = std::getenv("SLUICE_CHAOS_ID");
  const std::string url = std::getenv("SLUICE_CHAOS_URL");
  const std::string dir = std::getenv("SLUICE_CHAOS_DIR");
  absl::StatusOr<std::unique_ptr<RolloutStore>> store = open(url);
  ASSERT_TRUE(store.ok()) << store.status();
  const store_test::Configs configs = ChaosConfigs(RolloutCount());
  absl::StatusOr<std::unique_ptr<EffectLog>> effects = open_log(url);
  ASSERT_TRUE(effects.ok()) << effects.status();
  LineFile delivered(absl::StrCat(dir, "/delivered-", id, "-", getpid()));
  RecordingTransport transport(**effects);
  FilePublisher publisher(delivered);
  Controller controller(**store, configs.Fn(), transport, publisher,
                        Clock::Real(), ChaosOptions(id));
  transport.Attach(&controller);
  while (true) {
    absl::StatusOr<PassResult> pass = controller.RunOnce();
    if (!pass.ok()) std::cerr << id << ": " << pass.status() << "\n";
    controller.WaitForWork(absl::Milliseconds(100));
  }
}

struct Process {
  std::string id;
  pid_t pid = -1;
};

inline pid_t Spawn(const std::string& id, const std::string& url,
                   const std::string& dir) {
  const pid_t pid = fork();
  if (pid == 0) {
    setenv("SLUICE_CHAOS_ID", id.c_str(), 1);
    setenv("SLUICE_CHAOS_URL", url.c_str(), 1);
    setenv("SLUICE_CHAOS_DIR", dir.c_str(), 1);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    execl("/proc/self/exe", "chaos-controller",
          "--gtest_filter=ChaosControllerProcess.Run", nullptr);
    _exit(127);
  }
  return pid;
}

// Every line of every file in `dir` starting with `prefix`, split by tabs
// into at most `fields` fields.
inline std::vector<std::vector<std::string>> ReadLines(
    const std::string& dir, const std::string& prefix, int fields) {
  std::vector<std::vector<std::string>> out;
  const std::string list = absl::StrCat(dir, "/list");
  (void)!std::system(
      absl::StrCat("ls ", dir, " | grep ^", prefix, " > ", list).c_str());
  std::ifstream names(list);
  std::string name;
  while (std::getline(names, name)) {
    std::ifstream in(absl::StrCat(dir, "/", name));
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> parts =
          absl::StrSplit(line, absl::MaxSplits('\t', fields - 1));
      if (static_cast<int>(parts.size()) == fields) out.push_back(parts);
    }
  }
  return out;
}

// What the run measured.
struct ChaosFigures {
  int rollouts = 0;
  int targets = 0;
  int kills = 0;
  int stops = 0;
  double seconds = 0;
  int duplicate_deliveries = 0;
  int duplicate_effects = 0;
};

// The whole chaos run against the store at `url` (empty, reachable).
inline void RunChaos(const StoreOpener& open, const EffectLogOpener& open_log,
                     const std::string& url, ChaosFigures& figures) {
  const int n = RolloutCount();
  const store_test::Configs configs = ChaosConfigs(n);
  figures.rollouts = n;
  for (const auto& [id, c] : configs.all()) figures.targets += c.fleet->size();

  // The one-controller run, on virtual time.
  InMemoryStore ref_store;
  testing::FakeClock ref_clock(absl::Now());
  store_test::ReportingTransport ref_transport;
  store_test::RecordingPublisher ref_publisher;
  Controller ref(ref_store, configs.Fn(), ref_transport, ref_publisher,
                 ref_clock, ChaosOptions("reference"));
  ref_transport.Attach(&ref);
  for (const auto& [id, c] : configs.all()) {
    ASSERT_TRUE(ref.AddRollout(id, *configs.NewRollout(id)).ok());
  }
  for (int round = 0; round < 10000; ++round) {
    absl::StatusOr<PassResult> pass = ref.RunOnce();
    ASSERT_TRUE(pass.ok()) << pass.status();
    if (ref_store.ListDue(absl::InfiniteFuture(), 1)->empty() &&
        ref_store.PendingOutbox("", 1)->empty()) {
      break;
    }
    ref_clock.Advance(absl::Milliseconds(100));
  }
  ASSERT_TRUE(ref_store.ListDue(absl::InfiniteFuture(), 1)->empty());

  // The shared store and the controllers.
  absl::StatusOr<std::unique_ptr<RolloutStore>> store = open(url);
  ASSERT_TRUE(store.ok()) << store.status();
  for (const auto& [id, c] : configs.all()) {
    std::unique_ptr<Rollout> r = configs.NewRollout(id);
    ASSERT_TRUE((*store)
                    ->Create({id, r->state_version(), r->Snapshot(),
                              absl::InfinitePast(), false, "pending"},
                             {})
                    .ok());
  }
  // The effects table, created before the controllers start.
  absl::StatusOr<std::unique_ptr<EffectLog>> effects = open_log(url);
  ASSERT_TRUE(effects.ok()) << effects.status();
  char tmpl[] = "/tmp/sluice_chaos_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  std::vector<Process> procs = {{"c1"}, {"c2"}, {"c3"}};
  for (Process& p : procs) p.pid = Spawn(p.id, url, dir);

  std::mt19937 rng(7);
  const absl::Time start = absl::Now();
  // Chaos for the first 40 s (on an idle machine the rollouts take about
  // 20 s, so they run through it); then the controllers finish in peace, so
  // a slow or loaded machine makes the run longer, not endless. The
  // rollouts must end within 300 s (CTest's limit is 600 s).
  const absl::Time chaos_end = start + absl::Seconds(40);
  const absl::Time deadline = start + absl::Seconds(300);
  absl::Time next_chaos = start + absl::Milliseconds(500);
  int cycle = 0;
  bool done = false;
  while (absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
    bool all_terminal = true;
    absl::StatusOr<std::vector<std::string>> listed = (*store)->List();
    ASSERT_TRUE(listed.ok()) << listed.status();
    const std::vector<std::string> ids = *std::move(listed);
    for (const std::string& id : ids) {
      if (!(*store)->Get(id)->terminal) {
        all_terminal = false;
        break;
      }
    }
    if (all_terminal && (*store)->PendingOutbox("", 1)->empty()) {
      done = true;
      break;
    }
    if (absl::Now() < next_chaos || absl::Now() >= chaos_end) continue;
    next_chaos = absl::Now() + absl::Milliseconds(500);
    Process& victim = procs[rng() % procs.size()];
    if (++cycle % 4 == 0) {
      // Paused past its lease, then continued: it must not act on what it
      // read before.
      kill(victim.pid, SIGSTOP);
      absl::SleepFor(absl::Seconds(5));
      kill(victim.pid, SIGCONT);
      ++figures.stops;
    } else {
      kill(victim.pid, SIGKILL);
      waitpid(victim.pid, nullptr, 0);
      victim.pid = Spawn(victim.id, url, dir);
      ++figures.kills;
    }
  }
  figures.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  for (Process& p : procs) {
    kill(p.pid, SIGKILL);
    waitpid(p.pid, nullptr, 0);
  }
  ASSERT_TRUE(done) << "the rollouts did not finish in 300 s";
  EXPECT_GT(figures.kills, 0);
  EXPECT_GT(figures.stops, 0);

  // Final states and event sequences.
  std::map<std::string, std::map<int64_t, std::string>> events;
  std::map<std::pair<std::string, std::string>, int> deliveries;
  std::set<std::pair<std::string, std::string>> pages;
  for (const auto& f : ReadLines(dir, "delivered-", 4)) {
    ++deliveries[{f[0], f[1]}];
    if (f[2] == "notification") pages.insert({f[0], f[1]});
    if (f[2] != "event") continue;
    absl::StatusOr<RolloutEvent> e = EventFromJsonLine(f[3]);
    ASSERT_TRUE(e.ok()) << f[3];
    e->time = absl::UnixEpoch();
    e->rollout_id.clear();  // derived from the wall clock of the first event
    const std::string line = EventToJsonLine(*e);
    auto [it, inserted] = events[f[0]].emplace(e->sequence, line);
    // Delivered again (at least once) is fine; a different event under the
    // same sequence is not.
    EXPECT_TRUE(inserted || it->second == line)
        << f[0] << " event " << e->sequence << " delivered as two events";
  }
  for (const auto& [key, count] : deliveries) {
    figures.duplicate_deliveries += count - 1;
  }
  std::map<std::string, std::map<int64_t, std::string>> ref_events;
  for (const OutboxMessage& m : ref_publisher.delivered()) {
    if (m.kind == OutboxKind::kNotification) {
      EXPECT_TRUE(pages.count({m.rollout, m.key}) > 0)
          << "page lost: " << m.rollout << " " << m.key;
      continue;
    }
    RolloutEvent e = *EventFromJsonLine(m.payload);
    e.time = absl::UnixEpoch();
    e.rollout_id.clear();
    ref_events[m.rollout][e.sequence] = EventToJsonLine(e);
  }
  for (const auto& [id, c] : configs.all()) {
    StoredRollout got = *(*store)->Get(id);
    StoredRollout want = *ref_store.Get(id);
    EXPECT_EQ(got.status, want.status) << id;
    EXPECT_EQ(got.version, want.version) << id;
    const int64_t last = ParseRolloutState(got.state)->event_sequence();
    ASSERT_EQ(static_cast<int64_t>(events[id].size()), last)
        << id << ": an event was lost";
    EXPECT_EQ(events[id], ref_events[id]) << id;
  }
  EXPECT_TRUE((*store)->PendingOutbox("", 1)->empty());

  // Effects: one deploy action id per target; every action of the
  // reference run carried out.
  std::map<std::pair<std::string, std::string>, std::set<std::string>>
      deploy_ids;
  std::set<std::pair<std::string, std::string>> actions;
  std::map<std::vector<std::string>, int> effect_count;
  absl::StatusOr<std::vector<std::vector<std::string>>> effect_rows =
      (*effects)->Read();
  ASSERT_TRUE(effect_rows.ok()) << effect_rows.status();
  EXPECT_FALSE(effect_rows->empty());
  for (const auto& f : *effect_rows) {
    actions.insert({f[0], f[1]});
    if (++effect_count[f] > 1) ++figures.duplicate_effects;
    if (f[2] == "deploy") deploy_ids[{f[0], f[3]}].insert(f[1]);
  }
  // A target whose deploy failed is deployed again by a retry action
  // (RolloutOptions::deploy_attempts): at most that many ids per target,
  // each one the reference run issued too.
  std::set<std::pair<std::string, std::string>> ref_actions;
  for (const auto& start : ref_transport.starts()) ref_actions.insert(start);
  for (const auto& [target, ids] : deploy_ids) {
    EXPECT_LE(ids.size(), static_cast<size_t>(RolloutOptions().deploy_attempts))
        << target.first << " target " << target.second << " deployed by "
        << ids.size() << " actions";
    for (const std::string& id : ids) {
      EXPECT_TRUE(ref_actions.count({target.first, id}) > 0)
          << target.first << " target " << target.second
          << " deployed by an action the reference run did not issue: " << id;
    }
  }
  for (const auto& [rollout, action] : ref_transport.starts()) {
    EXPECT_TRUE(actions.count({rollout, action}) > 0)
        << "action lost: " << rollout << " " << action;
  }
  (void)!std::system(absl::StrCat("rm -rf ", dir).c_str());
}

}  // namespace sluice::chaos

#endif  // SLUICE_TESTS_STORE_CHAOS_HARNESS_H_

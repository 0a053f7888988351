// Copyright 2026 The Sluice Authors.
//
// Shared by the rollout engine's tests: small fleets and plans, a scripted
// health gate, and a host loop that can snapshot and restore the engine
// after every step (crash-resume).

#ifndef SLUICE_TESTS_ROLLOUT_ROLLOUT_HARNESS_H_
#define SLUICE_TESTS_ROLLOUT_ROLLOUT_HARNESS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/health_gate.h"
#include "sluice/rollout.h"
#include "sluice/testing/fake_clock.h"
#include "sluice/testing/rollout_testing.h"
#include "sluice/verdict.h"
#include "sluice/wave_plan.h"

namespace sluice::rollout_test {

inline const absl::Time kT0 = absl::FromUnixSeconds(1'764'000'000);

inline Fleet MakeFleet(int n) {
  std::vector<Target> targets(n);
  for (int i = 0; i < n; ++i) {
    targets[i].id = absl::StrCat("web-", i);
    targets[i].topology = {"us-east-1", absl::StrCat("use1-az", i % 3), ""};
  }
  return *Fleet::Create(std::move(targets));
}

// Waves of the given sizes over targets 0, 1, 2, ... in order.
inline WavePlan MakePlan(const std::vector<int>& sizes,
                         absl::Duration bake = absl::Minutes(10),
                         int64_t max_failed = 0) {
  WavePlan plan;
  plan.strategy = "test";
  Fleet::TargetIndex next = 0;
  for (size_t w = 0; w < sizes.size(); ++w) {
    Wave wave;
    wave.name = absl::StrCat("wave ", w);
    wave.stage = w == 0 ? "one-box" : "zone";
    for (int i = 0; i < sizes[w]; ++i) wave.targets.push_back(next++);
    wave.bake = bake;
    wave.max_failed_targets = max_failed;
    plan.waves.push_back(std::move(wave));
  }
  return plan;
}

// A gate that holds for `delay` after the wave deployed ("collecting
// data"), then returns the scripted outcome of the wave (default kPass).
// A wave listed in `fail_until` fails while now < that time. Keeps a count
// in GateState, so crash-resume must restore it.
class ScriptedGate : public HealthGate {
 public:
  std::map<int, Outcome> outcomes;
  std::map<int, absl::Time> fail_until;
  absl::Duration delay = absl::Minutes(5);

  std::string name() const override { return "error-rate"; }
  Verdict Evaluate(const GateContext& context,
                   GateState& state) const override {
    if (state.started_at == absl::InfinitePast()) {
      state.started_at = context.now;
    }
    ++state.counts.count;
    const absl::Time ready = context.wave_deployed_at + delay;
    if (context.now < ready) {
      return Verdict::Hold(
          name(), ready,
          absl::StrCat("collecting data (", state.counts.count, " looks)"));
    }
    Outcome outcome = Outcome::kPass;
    auto it = outcomes.find(context.wave_index);
    if (it != outcomes.end()) outcome = it->second;
    auto f = fail_until.find(context.wave_index);
    if (f != fail_until.end() && context.now < f->second) {
      outcome = Outcome::kFail;
    }
    const double rate = outcome == Outcome::kFail ? 7.5 : 0.2;
    Verdict v;
    v.outcome = outcome;
    v.gate = name();
    v.reason = absl::StrCat("error_rate ", rate, "% vs max 1% on wave ",
                            context.wave_index, " (",
                            context.wave_targets.size(), " targets)");
    v.observations = {{"error_rate", rate, "%"}};
    v.sample_count = 100 * static_cast<int64_t>(context.wave_targets.size());
    return v;
  }
};

// An operator command at a time.
struct Command {
  absl::Time at;
  std::function<absl::Status(Rollout&, absl::Time)> run;
};

struct Scenario {
  std::string name;
  int fleet_size = 9;
  WavePlan plan;
  std::shared_ptr<ScriptedGate> gate = std::make_shared<ScriptedGate>();
  std::shared_ptr<const RollbackPolicy> policy;
  std::vector<int> approval_waves;
  std::function<void(testing::FakeTransport&)> setup;
  std::vector<Command> commands;
  // Report outcomes of deploys (false: never, to hit the deadline).
  bool report_deploys = true;
};

struct RunResult {
  absl::Status status;
  std::vector<Action> actions;
  std::vector<RolloutEvent> events;
  RolloutStatus final_status = RolloutStatus::kPending;
  std::vector<std::string> versions;  // per target, from the transport
  int steps = 0;
  int restores = 0;
};

inline RolloutOptions OptionsFor(const Scenario& s) {
  RolloutOptions o;
  o.name = s.name;
  o.version = "2.0";
  o.previous_version = "1.0";
  o.gate = s.gate;
  o.rollback_policy = s.policy;
  o.approval_waves = s.approval_waves;
  return o;
}

// Runs the scenario's host loop (testing::RolloutDriver) until the rollout
// ends, or pauses with no command left. With `crash_every_step`, the engine
// is snapshotted after every step and replaced by one restored from the
// bytes.
inline RunResult RunScenario(const Scenario& s, bool crash_every_step,
                             int max_steps = 2000) {
  RunResult result;
  const Fleet fleet = MakeFleet(s.fleet_size);
  testing::FakeClock clock(kT0);
  testing::RecordingEventSink sink;
  testing::FakeTransport transport(fleet.size(), "1.0");
  if (s.setup) s.setup(transport);
  RolloutOptions options = OptionsFor(s);
  options.event_sink = &sink;
  absl::StatusOr<std::unique_ptr<Rollout>> created =
      Rollout::Create(fleet, s.plan, options);
  if (!created.ok()) {
    result.status = created.status();
    return result;
  }
  testing::RolloutDriver driver(**created, transport, clock);
  for (const Command& c : s.commands) driver.ScheduleCommand(c.at, c.run);
  driver.set_report_deploys(s.report_deploys);
  if (crash_every_step) {
    driver.CrashAndRestoreEveryStep([&](const std::string& bytes) {
      return Rollout::Restore(fleet, options, bytes);
    });
  }
  result.status = driver.RunUntilSettled(max_steps);
  result.actions = driver.actions();
  result.steps = driver.steps();
  result.restores = driver.restores();
  result.final_status = driver.rollout().status();
  result.events = sink.events();
  for (size_t i = 0; i < fleet.size(); ++i) {
    result.versions.push_back(
        transport.VersionOf(static_cast<Fleet::TargetIndex>(i)));
  }
  return result;
}

// Creates a rollout of `plan` on `fleet` and drives it to its end (at most
// 500 steps) against `transport` with a FakeClock from kT0. With
// `crash_every_step`, the rollout is restored from its snapshot after every
// step, as a new process would. Appends the actions issued to `actions`.
// Returns the rollout as it ended, or null (with a test failure) when it
// could not be made or stepped.
inline std::unique_ptr<Rollout> DriveToEnd(const Fleet& fleet, WavePlan plan,
                                           const RolloutOptions& options,
                                           testing::FakeTransport& transport,
                                           bool crash_every_step,
                                           std::vector<Action>* actions) {
  auto created = Rollout::Create(fleet, std::move(plan), options);
  EXPECT_TRUE(created.ok()) << created.status();
  if (!created.ok()) return nullptr;
  std::unique_ptr<Rollout> rollout = *std::move(created);
  testing::FakeClock clock(kT0);
  testing::RolloutDriver driver(*rollout, transport, clock);
  if (crash_every_step) {
    driver.CrashAndRestoreEveryStep([&](const std::string& bytes) {
      return Rollout::Restore(fleet, options, bytes);
    });
  }
  for (int step = 0; step < 500 && !IsTerminal(driver.rollout().status());
       ++step) {
    absl::StatusOr<std::vector<Action>> stepped = driver.Step();
    EXPECT_TRUE(stepped.ok()) << stepped.status();
    if (!stepped.ok()) return nullptr;
  }
  const std::vector<Action>& issued = driver.actions();
  actions->insert(actions->end(), issued.begin(), issued.end());
  if (!crash_every_step) return rollout;
  // Hand the last restored rollout over: take a snapshot of it.
  auto restored = Rollout::Restore(fleet, options, driver.rollout().Snapshot());
  EXPECT_TRUE(restored.ok()) << restored.status();
  if (!restored.ok()) return nullptr;
  return *std::move(restored);
}

inline std::vector<std::string> ActionIds(const std::vector<Action>& actions,
                                          ActionKind kind) {
  std::vector<std::string> ids;
  for (const Action& a : actions) {
    if (a.kind == kind) ids.push_back(a.id);
  }
  return ids;
}

inline std::vector<EventKind> Kinds(const std::vector<RolloutEvent>& events) {
  std::vector<EventKind> out;
  for (const RolloutEvent& e : events) out.push_back(e.kind);
  return out;
}

inline int CountKind(const std::vector<RolloutEvent>& events, EventKind kind) {
  int n = 0;
  for (const RolloutEvent& e : events) n += e.kind == kind;
  return n;
}

// The scripted rollouts of the issue, shared by the end-to-end and the
// crash-resume tests.
inline std::vector<Scenario> ScriptedScenarios() {
  std::vector<Scenario> out;
  {
    Scenario s;
    s.name = "good-release";
    s.plan = MakePlan({1, 3, 5});
    out.push_back(s);
  }
  {
    Scenario s;
    s.name = "bad-release-at-wave-2";
    s.plan = MakePlan({1, 3, 5});
    s.gate->outcomes[2] = Outcome::kFail;
    out.push_back(s);
  }
  {
    Scenario s;
    s.name = "per-target-failures";
    s.plan = MakePlan({1, 3, 5}, absl::Minutes(10), /*max_failed=*/1);
    s.setup = [](testing::FakeTransport& t) {
      t.FailDeploy(2, "health check timed out");  // within wave 1's budget
      t.FailDeploy(5, "disk full");               // wave 2: 2 failures > 1
      t.FailDeploy(6, "disk full");
    };
    out.push_back(s);
  }
  {
    Scenario s;
    s.name = "transient-deploy-failures";
    s.plan = MakePlan({1, 3, 5});
    s.setup = [](testing::FakeTransport& t) {
      t.FailDeploy(2, "connection reset", 1);  // wave 1: retried once
      t.FailDeploy(5, "apt lock held", 2);     // wave 2: retried twice
    };
    out.push_back(s);
  }
  {
    Scenario s;
    s.name = "pause-resume-promote";
    s.plan = MakePlan({1, 3, 5});
    s.commands.push_back(
        {kT0 + absl::Minutes(2), [](Rollout& r, absl::Time now) {
           return r.Pause("alice@example.com", now);
         }});
    s.commands.push_back(
        {kT0 + absl::Minutes(40), [](Rollout& r, absl::Time now) {
           return r.Resume("alice@example.com", now);
         }});
    s.commands.push_back(
        {kT0 + absl::Minutes(45), [](Rollout& r, absl::Time now) {
           return r.Promote("bob@example.com", now);
         }});
    out.push_back(s);
  }
  {
    Scenario s;
    s.name = "approval-times-out";
    s.plan = MakePlan({1, 3, 5});
    s.approval_waves = {1};
    out.push_back(s);
  }
  {
    Scenario s;
    s.name = "retry-then-pass";
    s.plan = MakePlan({1, 3, 5});
    s.gate->fail_until[1] = kT0 + absl::Minutes(35);
    s.policy = *NewRetryThenPolicy(2, absl::Minutes(5), NewRollBackAllPolicy());
    out.push_back(s);
  }
  {
    Scenario s;
    s.name = "rollback-retries";
    s.plan = MakePlan({1, 3, 5});
    s.gate->outcomes[1] = Outcome::kFail;
    s.policy = NewRollBackAllPolicy(RollbackOrder::kReverseWaves);
    s.setup = [](testing::FakeTransport& t) {
      t.FailRollback(2, "ssh timeout", 1);
    };
    out.push_back(s);
  }
  {
    Scenario s;
    s.name = "inconclusive-then-promote";
    s.plan = MakePlan({1, 3, 5});
    s.gate->outcomes[1] = Outcome::kInconclusive;
    s.commands.push_back({kT0 + absl::Hours(2), [](Rollout& r, absl::Time now) {
                            return r.Promote("carol@example.com", now);
                          }});
    out.push_back(s);
  }
  return out;
}

}  // namespace sluice::rollout_test

#endif  // SLUICE_TESTS_ROLLOUT_ROLLOUT_HARNESS_H_

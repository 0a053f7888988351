// Copyright 2026 The Sluice Authors.
//
// Fakes for testing code that drives a Rollout (sluice/rollout.h) and for
// users' tests of their own rollback policies: an EventSink that records,
// a fake transport that carries out actions on an in-memory fleet with
// scripted per-target failures, and a driver that runs a rollout's host loop
// on virtual time.
//
// Example:
//
//   sluice::testing::RecordingEventSink events;
//   sluice::testing::FakeTransport transport(fleet.size(), "1.0");
//   transport.FailDeploy(3, "disk full");  // target 3 always fails
//   options.event_sink = &events;
//   auto rollout = sluice::Rollout::Create(fleet, plan, options);
//   sluice::testing::FakeClock clock(t0);
//   sluice::testing::RolloutDriver driver(**rollout, transport, clock);
//   ASSERT_TRUE(driver.RunUntilTerminal().ok());
//   EXPECT_EQ((*rollout)->status(), sluice::RolloutStatus::kRolledBack);
//   EXPECT_EQ(transport.VersionOf(3), "1.0");

#ifndef SLUICE_TESTING_ROLLOUT_TESTING_H_
#define SLUICE_TESTING_ROLLOUT_TESTING_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/rollout.h"
#include "sluice/rollout_event.h"
#include "sluice/testing/fake_clock.h"

namespace sluice::testing {

// An EventSink that keeps every event. Thread-compatible.
class RecordingEventSink : public EventSink {
 public:
  void OnEvent(const RolloutEvent& event) override { events_.push_back(event); }

  // The events received, in order.
  const std::vector<RolloutEvent>& events() const { return events_; }
  // The events of one kind, in order.
  std::vector<RolloutEvent> OfKind(EventKind kind) const;
  // Forgets the events.
  void Clear() { events_.clear(); }

 private:
  std::vector<RolloutEvent> events_;
};

// Carries out actions on an in-memory fleet: every target runs a version
// (initially `initial_version`); deploys and rollbacks succeed unless a
// failure was scripted. Records every action it carried out.
// Thread-compatible.
class FakeTransport {
 public:
  // A fleet of `size` targets, all running `initial_version`.
  FakeTransport(size_t size, std::string initial_version);

  // Deploys to `target` fail with `reason`, the next `times` times
  // (-1: always).
  void FailDeploy(Fleet::TargetIndex target, std::string reason,
                  int times = -1);
  // Rollbacks of `target` fail with `reason`, the next `times` times
  // (-1: always).
  void FailRollback(Fleet::TargetIndex target, std::string reason,
                    int times = -1);
  // Set-traffic actions fail with `reason`, the next `times` times.
  void FailTraffic(std::string reason, int times = -1);

  // Carries out `action` and returns one result per target (one result with
  // target 0 for traffic actions). Actions that take no outcome return none.
  std::vector<TargetResult> Execute(const Action& action);

  // The version target `i` runs.
  const std::string& VersionOf(Fleet::TargetIndex i) const {
    return versions_[i];
  }
  // The percent of traffic the new version gets.
  double traffic_percent() const { return traffic_percent_; }
  // Every action carried out, in order.
  const std::vector<Action>& log() const { return log_; }

 private:
  struct Script {
    std::string reason;
    int times = 0;
  };
  std::vector<std::string> versions_;
  std::map<Fleet::TargetIndex, Script> deploy_failures_;
  std::map<Fleet::TargetIndex, Script> rollback_failures_;
  Script traffic_failure_;
  double traffic_percent_ = 0;
  std::vector<Action> log_;
};

// The one host loop of Sluice's tests, on virtual time: Advance(), carry
// out every action with the transport, report the outcomes, and move the
// clock to the next wake-up. It can also run operator commands at scheduled
// times and, to test crash-resume, replace the rollout after every step by
// one restored from its snapshot, as a new process would.
//
// Example (crash-resume with an operator command):
//
//   sluice::testing::RolloutDriver driver(*rollout, transport, clock);
//   driver.ScheduleCommand(t0 + absl::Minutes(2),
//                          [](sluice::Rollout& r, absl::Time now) {
//                            return r.Pause("alice", now);
//                          });
//   driver.CrashAndRestoreEveryStep([&](const std::string& snapshot) {
//     return sluice::Rollout::Restore(fleet, options, snapshot);
//   });
//   ASSERT_TRUE(driver.RunUntilSettled().ok());
//   EXPECT_EQ(driver.rollout().status(), sluice::RolloutStatus::kPaused);
//
// Thread-compatible.
class RolloutDriver {
 public:
  // An operator command: called with the rollout and the time; its error
  // ends the step (and the run) with that error.
  using Command = std::function<absl::Status(Rollout&, absl::Time)>;
  // Makes a rollout from a snapshot (e.g. Rollout::Restore with the
  // original fleet and options).
  using Restorer = std::function<absl::StatusOr<std::unique_ptr<Rollout>>(
      const std::string& snapshot)>;

  // Borrows all three; they must outlive the driver.
  RolloutDriver(Rollout& rollout, FakeTransport& transport, FakeClock& clock)
      : rollout_(&rollout), transport_(&transport), clock_(&clock) {}

  // Points the driver at another Rollout (e.g. one restored from a
  // snapshot), borrowed: it must outlive the driver or the next Reset().
  void Reset(Rollout& rollout) {
    owned_.reset();
    rollout_ = &rollout;
  }

  // The rollout the driver steps: the one given, or the last one restored.
  Rollout& rollout() const { return *rollout_; }

  // Runs `command` in the first step at or after `at`, before that step's
  // Advance(). Commands due at the same step run in the order scheduled.
  // While a command is pending the driver sleeps no later than its time, and
  // a paused rollout is not settled.
  void ScheduleCommand(absl::Time at, Command command);

  // After every step, snapshots the rollout and replaces it by
  // `restore(snapshot)`, which the driver then owns. A restore error ends the
  // step with that error. Default: off.
  void CrashAndRestoreEveryStep(Restorer restore) {
    restore_ = std::move(restore);
  }

  // Whether deploy outcomes are reported to the rollout. Default: true;
  // false leaves every deploy action without an outcome (e.g. to reach a
  // progress deadline). Other actions are always reported.
  void set_report_deploys(bool report) { report_deploys_ = report; }

  // One step: run the commands that are due, Advance(now), carry out and
  // report every returned action (and crash-and-restore, if asked). If
  // nothing was returned and the rollout is not terminal, moves the clock to
  // NextWakeup() or the next command's time (at least a second ahead), at most
  // `max_sleep` ahead. Returns the actions of the step.
  absl::StatusOr<std::vector<Action>> Step(
      absl::Duration max_sleep = absl::Hours(1));

  // Steps until the rollout is terminal or paused with no command pending,
  // or `max_steps` steps. kDeadlineExceeded when the steps run out.
  absl::Status RunUntilSettled(int max_steps = 10000);

  // Steps until the rollout is terminal. A pause with no command pending
  // counts as an error (kFailedPrecondition), as does running out of steps.
  absl::Status RunUntilTerminal(int max_steps = 10000);

  // Every action returned by Advance() so far, in order.
  const std::vector<Action>& actions() const { return actions_; }
  // The steps taken so far.
  int steps() const { return steps_; }
  // How many times the rollout was restored from its snapshot.
  int restores() const { return restores_; }
  // Whether a scheduled command has not run yet.
  bool commands_pending() const { return next_command_ < commands_.size(); }

 private:
  struct Scheduled {
    absl::Time at;
    Command run;
  };

  Rollout* rollout_;
  std::unique_ptr<Rollout> owned_;
  FakeTransport* transport_;
  FakeClock* clock_;
  std::vector<Action> actions_;
  std::vector<Scheduled> commands_;  // sorted by `at`, stable
  size_t next_command_ = 0;
  Restorer restore_;
  bool report_deploys_ = true;
  int steps_ = 0;
  int restores_ = 0;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_ROLLOUT_TESTING_H_

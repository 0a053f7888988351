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
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
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

// Runs a host loop on virtual time: Advance(), carry out every action with
// the transport, report the outcomes, and move the clock to the next
// wake-up. Thread-compatible.
class RolloutDriver {
 public:
  // Borrows all three; they must outlive the driver.
  RolloutDriver(Rollout& rollout, FakeTransport& transport, FakeClock& clock)
      : rollout_(&rollout), transport_(&transport), clock_(&clock) {}

  // Points the driver at another Rollout (e.g. one restored from a
  // snapshot).
  void Reset(Rollout& rollout) { rollout_ = &rollout; }

  // One step: Advance(now) and carry out and report every returned action.
  // If nothing was returned, moves the clock to NextWakeup() (at most
  // `max_sleep` ahead). Returns the actions of the step.
  absl::StatusOr<std::vector<Action>> Step(
      absl::Duration max_sleep = absl::Hours(1));

  // Steps until the rollout is terminal or paused, or `max_steps` steps.
  // kDeadlineExceeded when the steps run out.
  absl::Status RunUntilSettled(int max_steps = 10000);

  // Steps until the rollout is terminal. A pause counts as an error
  // (kFailedPrecondition), as does running out of steps.
  absl::Status RunUntilTerminal(int max_steps = 10000);

  // Every action returned by Advance() so far, in order.
  const std::vector<Action>& actions() const { return actions_; }

 private:
  Rollout* rollout_;
  FakeTransport* transport_;
  FakeClock* clock_;
  std::vector<Action> actions_;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_ROLLOUT_TESTING_H_

// Copyright 2026 The Sluice Authors.
//
// PhasedSimulator: simulates a phased rollout (sluice/phased_rollout.h), e.g.
// a two-phase change (prepare, then activate), over a virtual fleet and a
// virtual clock, with the real engine, gates and rollback policies of every
// phase.
//
// The scenario's fault (Scenario::fault) is carried by one phase's version,
// `faulty_phase`, and by every later phase's (each later version contains
// the earlier code): a target shows the fault while it runs that version or
// a later one. A bad activate phase is then caught by activate's gates and
// rolled back to prepare by activate's own policy, and prepare stays; a bad
// prepare phase is rolled back and activate never starts. Deployments take
// a log-normal time per target and fail with the scenario's probability, as
// in Simulator (sluice/sim/simulator.h). Runs are deterministic: the same
// seed gives the same outcome and events, byte for byte.
//
// Example:
//
//   absl::StatusOr<sluice::sim::PhasedSimulator> simulator =
//       sluice::sim::PhasedSimulator::Create(spec, fleet, scenario,
//                                            "activate");
//   if (!simulator.ok()) return simulator.status();
//   absl::StatusOr<sluice::sim::PhasedRunOutcome> outcome =
//       simulator->Run(scenario.seed);
//   if (!outcome.ok()) return outcome.status();
//   std::cout << *outcome << "\n";

#ifndef SLUICE_SIM_PHASED_SIMULATOR_H_
#define SLUICE_SIM_PHASED_SIMULATOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/phased_rollout.h"
#include "sluice/rollback_policy.h"
#include "sluice/rollout_event.h"
#include "sluice/sim/scenario.h"

namespace sluice::sim {

// What happened in one simulated phased rollout. Value type: copyable,
// comparable, printable. Thread-compatible.
struct PhasedRunOutcome {
  // The seed. Default: 0.
  uint64_t seed = 0;
  // The phased rollout's final state (RolloutStatusName()), e.g.
  // "rolled-back". Default: empty.
  std::string final_state;
  // Each phase's final state, in phase order, e.g. {"succeeded",
  // "rolled-back"}. Default: empty.
  std::vector<std::string> phase_states;
  // The phase whose wave failed first, or empty. Default: empty.
  std::string failed_phase;
  // Why that wave failed. Default: unset.
  std::optional<FailureTrigger> stop_trigger;
  // That wave's index within its phase, or -1. Default: -1.
  int stop_wave = -1;
  // How many phases started (deployed or asked to deploy). Default: 0.
  int phases_started = 0;
  // How many targets ran the faulty version at most at once. Default: 0.
  int64_t max_faulty_targets = 0;
  // From the scenario's start to the rollout's end (or the scenario's end
  // when it had not ended). Default: zero.
  absl::Duration elapsed = absl::ZeroDuration();

  friend bool operator==(const PhasedRunOutcome& a, const PhasedRunOutcome& b) {
    return a.seed == b.seed && a.final_state == b.final_state &&
           a.phase_states == b.phase_states &&
           a.failed_phase == b.failed_phase &&
           a.stop_trigger == b.stop_trigger && a.stop_wave == b.stop_wave &&
           a.phases_started == b.phases_started &&
           a.max_faulty_targets == b.max_faulty_targets &&
           a.elapsed == b.elapsed;
  }
  friend bool operator!=(const PhasedRunOutcome& a, const PhasedRunOutcome& b) {
    return !(a == b);
  }
};

// One line: "seed 7: rolled-back (prepare succeeded, activate rolled-back);
// activate wave 1 failed (gate-fail); 2 of 2 phases started; at most 4
// faulty targets; 13h20m".
std::ostream& operator<<(std::ostream& os, const PhasedRunOutcome& outcome);

// A phased spec, a fleet and a scenario, checked against each other; runs
// share them. Copying is cheap. Thread-safe: Run() is const and may be
// called concurrently.
class PhasedSimulator {
 public:
  // Validates the scenario (ValidateScenario, ValidateScenarioAgainst) and
  // the spec against the fleet. `faulty_phase` names the phase whose version
  // carries the scenario's fault (ignored for a good release, fault.bad
  // false). Errors are kInvalidArgument naming the field, e.g.
  // "faulty_phase: no phase \"lanch\" (phases: prepare, activate)",
  // "phases[1].spec.waves: is required".
  static absl::StatusOr<PhasedSimulator> Create(
      const PhasedRolloutSpec& spec, const Fleet& fleet,
      const Scenario& scenario, const std::string& faulty_phase);

  // Simulates one phased rollout with `seed` until it ends or the scenario
  // does. When `events` is not null, it receives every phase's events (with
  // RolloutEvent::phase). Errors: the engine's, prefixed with what was being
  // done (a bug, kInternal "simulation did not settle").
  absl::StatusOr<PhasedRunOutcome> Run(
      uint64_t seed, std::vector<RolloutEvent>* events = nullptr) const;

 private:
  struct Data;
  explicit PhasedSimulator(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

}  // namespace sluice::sim

#endif  // SLUICE_SIM_PHASED_SIMULATOR_H_

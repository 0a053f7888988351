// Copyright 2026 The Sluice Authors.
//
// Simulator: drives the real rollout engine, wave scheduler, health gates
// and rollback policy of a spec over a virtual fleet and a virtual clock,
// and measures what happened (sluice/sim/outcome.h).
//
// One run is a discrete-event simulation: the engine's actions are carried
// out by a simulated host whose deployments take a log-normal time per
// target and fail with the scenario's probability; traffic splits of
// traffic-routed plans are modelled as the new version on that share of the
// targets; the gates query SimMetricSource and SimAlarmSource
// (sluice/sim/sim_sources.h) at virtual times; approvals are given at once.
// Virtual time jumps from one event to the next (a completion, or the
// engine's NextWakeup()), so a day of rollout costs what its decisions cost,
// not 1,440 steps of polling. Runs are deterministic: the same seed gives the
// same outcome, byte for byte.
//
// Example:
//
//   absl::StatusOr<sluice::sim::Simulator> simulator =
//       sluice::sim::Simulator::Create(spec, fleet, scenario);
//   if (!simulator.ok()) return simulator.status();
//   sluice::sim::RunTrace trace;
//   absl::StatusOr<sluice::sim::RunOutcome> first =
//       simulator->Run(/*run=*/0, /*seed=*/scenario.seed, &trace);
//   sluice::sim::MonteCarloOptions options;
//   options.runs = 1000;
//   absl::StatusOr<std::vector<sluice::sim::RunOutcome>> outcomes =
//       simulator->RunMany(options);
//   if (!outcomes.ok()) return outcomes.status();
//   sluice::sim::MonteCarloSummary summary =
//       sluice::sim::Summarize(*outcomes, options.seed);

#ifndef SLUICE_SIM_SIMULATOR_H_
#define SLUICE_SIM_SIMULATOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/health_gate.h"
#include "sluice/sim/monte_carlo.h"
#include "sluice/sim/outcome.h"
#include "sluice/sim/scenario.h"
#include "sluice/spec.h"
#include "sluice/verdict.h"
#include "sluice/wave_plan.h"

namespace sluice::sim {

// A spec, a fleet and a scenario, checked against each other and planned
// once; runs share them. Copying is cheap (the data is shared).
// Thread-safe: Run() and RunMany() are const and may be called concurrently.
class Simulator {
 public:
  // Validates the spec against the fleet and the scenario against the fleet,
  // plans the waves (the spec's strategy) and builds the gates. Errors are
  // kInvalidArgument naming the file's field, e.g. "fault.scope.zone: the
  // fleet has no zone \"use1-az9\"", "waves: is required", "metrics[0].metric:
  // binds \"p99\", which the spec does not declare (its metrics: ...)".
  static absl::StatusOr<Simulator> Create(const RolloutSpec& spec,
                                          const Fleet& fleet,
                                          const Scenario& scenario);

  // The plan every run rolls out.
  const WavePlan& plan() const;
  // The inputs.
  const RolloutSpec& spec() const;
  const Fleet& fleet() const;
  const Scenario& scenario() const;

  // Simulates one rollout with `seed` (outcome.run = run, outcome.seed =
  // seed). When `trace` is not null, also records the timeline, the waves
  // and the canary ("canary": targets on the new version) and baseline
  // (the others) curves of every metric the spec declares. Errors are
  // kInternal for an engine call that failed (a bug) and the engine's
  // errors.
  absl::StatusOr<RunOutcome> Run(int64_t run, uint64_t seed,
                                 RunTrace* trace = nullptr) const;

  // Monte Carlo: RunMonteCarlo() over Run().
  absl::StatusOr<std::vector<RunOutcome>> RunMany(
      const MonteCarloOptions& options) const;

 private:
  struct Data;
  explicit Simulator(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

// A post-incident review draft (sluice/review.h) of a simulated run: the
// run's engine events with the simulator's plan and fleet, and what only
// the simulator knows (the requests the fault harmed, when harm began, the
// scenario). `trace` must come from simulator.Run(). Errors as
// ReviewDraft(): a run with no failure is kFailedPrecondition.
absl::StatusOr<std::string> ReviewDraftForRun(const Simulator& simulator,
                                              const RunTrace& trace);

// How to backtest a gate on a healthy service. Value type;
// thread-compatible.
struct BacktestOptions {
  // Time between evaluations (each starts with fresh gate state, as after a
  // new wave). Must be > 0. Default: 1 hour.
  absl::Duration every = absl::Hours(1);
  // The canary: this many targets (the first ones of the fleet), the rest
  // are the baseline. Must be in [1, fleet size). Default: 1.
  int canary_targets = 1;
  // The longest a gate may hold before the evaluation counts as
  // inconclusive. Must be > 0. Default: 2 hours.
  absl::Duration max_hold = absl::Hours(2);
};

// One evaluation of a backtest. Value type; thread-compatible.
struct BacktestVerdict {
  // When the evaluation started (the canary "deployed") and when its final
  // verdict came.
  absl::Time at;
  absl::Time decided_at;
  // The final verdict: kHold means it still held after max_hold (counted as
  // inconclusive).
  Outcome outcome = Outcome::kPass;
  // The decisive gate (the innermost with the verdict's outcome) and its
  // reason.
  std::string gate;
  std::string reason;

  friend bool operator==(const BacktestVerdict& a, const BacktestVerdict& b) {
    return a.at == b.at && a.decided_at == b.decided_at &&
           a.outcome == b.outcome && a.gate == b.gate && a.reason == b.reason;
  }
};

// How often a gate fired on a healthy service. Value type;
// thread-compatible.
struct BacktestResult {
  // Evaluations made.
  int64_t evaluations = 0;
  // Final verdicts: fail, inconclusive (or held too long), error.
  int64_t failed = 0;
  int64_t inconclusive = 0;
  int64_t errors = 0;
  // failed / evaluations, with its 95% Wilson interval.
  Proportion false_alarm_rate;
  // Every evaluation's final verdict, in time order.
  std::vector<BacktestVerdict> verdicts;
};

// Backtests `gate` over the scenario (its release must be good; typically
// with a recorded background, e.g. a past week of a real service): every
// `options.every` from the scenario's start to its end, a fresh evaluation
// of the canary against the baseline at that virtual time, repeated while
// the gate holds. Errors: kInvalidArgument for a bad release ("fault.bad:
// a backtest needs a good release") or bad options naming the field.
absl::StatusOr<BacktestResult> BacktestGate(
    const HealthGate& gate, const Scenario& scenario, const Fleet& fleet,
    uint64_t seed, const BacktestOptions& options = {});

}  // namespace sluice::sim

#endif  // SLUICE_SIM_SIMULATOR_H_

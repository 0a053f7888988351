// Copyright 2026 The Sluice Authors.
//
// Monte Carlo: many simulated runs with seeds derived from one seed, spread
// over threads, summarized with percentiles and confidence intervals.
//
// Run i gets the seed RunSeed(seed, i), whatever thread runs it, and results
// are kept in run order, so the same seed gives the same outcomes and the
// same summary for any thread count.
//
// Example:
//
//   sluice::sim::MonteCarloOptions options;
//   options.runs = 1000;
//   options.seed = 7;
//   absl::StatusOr<std::vector<sluice::sim::RunOutcome>> outcomes =
//       sluice::sim::RunMonteCarlo(options,
//           [&](int64_t run, uint64_t seed) { return SimulateOnce(run, seed);
//           });
//   if (!outcomes.ok()) return outcomes.status();
//   sluice::sim::MonteCarloSummary summary =
//       sluice::sim::Summarize(*outcomes, options.seed);
//   std::cout << summary.time_to_detect_s.p90 << "\n";

#ifndef SLUICE_SIM_MONTE_CARLO_H_
#define SLUICE_SIM_MONTE_CARLO_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "sluice/sim/outcome.h"

namespace sluice::sim {

// The seed of run `run` of a Monte Carlo study seeded with `seed` (a
// splitmix64 hash of both).
uint64_t RunSeed(uint64_t seed, int64_t run);

// How to run a study. Value type; thread-compatible.
struct MonteCarloOptions {
  // Runs; >= 1. Default: 100.
  int64_t runs = 100;
  // The study's seed. Default: 1.
  uint64_t seed = 1;
  // Worker threads; 0 uses std::thread::hardware_concurrency(); never more
  // than `runs`. Default: 0.
  int threads = 0;
  // Called after each run with (runs done, runs in total), from the worker
  // threads but never concurrently. Default: none.
  std::function<void(int64_t done, int64_t total)> progress;
};

// One run: given its index and seed, simulates and returns its outcome.
// Called concurrently from several threads, so it must be thread-safe.
using RunFunction =
    std::function<absl::StatusOr<RunOutcome>(int64_t run, uint64_t seed)>;

// Runs `options.runs` runs and returns their outcomes in run order (each
// with `run` and `seed` set). Errors: kInvalidArgument "runs: must be >= 1
// (got 0)", "threads: must be >= 0 (got -1)"; the first (lowest-index) run's
// error, prefixed "run N: "; runs after a failure may be skipped.
absl::StatusOr<std::vector<RunOutcome>> RunMonteCarlo(
    const MonteCarloOptions& options, const RunFunction& run);

// Percentiles and moments of a measure over runs. Value type;
// thread-compatible.
struct Distribution {
  // The runs the measure was defined in; the rest are 0 when count is 0.
  int64_t count = 0;
  // The arithmetic mean.
  double mean = 0;
  // The smallest and largest values, and the 50th, 90th and 99th
  // percentiles (R type 7).
  double min = 0;
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;

  friend bool operator==(const Distribution& a, const Distribution& b) {
    return a.count == b.count && a.mean == b.mean && a.min == b.min &&
           a.p50 == b.p50 && a.p90 == b.p90 && a.p99 == b.p99 && a.max == b.max;
  }
};

// The distribution of `values` (any order); percentiles by linear
// interpolation between closest ranks (R's type 7, NumPy's default).
Distribution Summarize(std::vector<double> values);

// The `q` quantile, q in [0, 1], of sorted `values` (not empty), R type 7.
double Percentile(absl::Span<const double> sorted, double q);

// A proportion with its Wilson score interval. Value type;
// thread-compatible.
struct Proportion {
  // The count of successes among trials.
  int64_t successes = 0;
  int64_t trials = 0;
  // successes / trials (0 when trials is 0).
  double rate = 0;
  // The interval; [0, 1] when trials is 0.
  double low = 0;
  double high = 1;

  friend bool operator==(const Proportion& a, const Proportion& b) {
    return a.successes == b.successes && a.trials == b.trials &&
           a.rate == b.rate && a.low == b.low && a.high == b.high;
  }
};

// The Wilson score interval of successes / trials at normal quantile `z`.
// Default: z = 1.959964 (95%). Requires 0 <= successes <= trials.
Proportion WilsonInterval(int64_t successes, int64_t trials,
                          double z = 1.959963984540054);

// How many runs stopped with one trigger. Value type; thread-compatible.
struct TriggerCount {
  // FailureTriggerName(), e.g. "deploy-failures"; "unknown" without one.
  std::string trigger;
  int64_t count = 0;

  friend bool operator==(const TriggerCount& a, const TriggerCount& b) {
    return a.trigger == b.trigger && a.count == b.count;
  }
};

// The summary of a study. Value type; thread-compatible.
struct MonteCarloSummary {
  // Runs summarized and the study's seed.
  int64_t runs = 0;
  uint64_t seed = 0;
  // Detected among bad-release runs.
  Proportion detection;
  // Stopped, whatever the trigger, among good-release runs: every stop of a
  // good release is a false rollback.
  Proportion false_rollback;
  // Succeeded among all runs.
  Proportion completion;
  // Among bad-release runs: completed (the fault escaped), detected while
  // the new version was in one zone at most, detected before any region
  // ran it on every target.
  Proportion escaped;
  Proportion caught_in_first_zone;
  Proportion caught_before_region_complete;
  // Stops by trigger (most first, then by name): of good releases (the
  // false rollbacks) and of bad releases.
  std::vector<TriggerCount> false_rollback_triggers;
  std::vector<TriggerCount> bad_release_stop_triggers;
  // Gate-triggered stops by decisive gate (the gate's name in `trigger`):
  // of good releases and of bad releases.
  std::vector<TriggerCount> false_rollback_gates;
  std::vector<TriggerCount> bad_release_stop_gates;
  // False rollbacks by the stage of the wave that was stopped (the stage's
  // name in `trigger`: RunOutcome::stop_stage, e.g. "one-box", "zone";
  // "unknown" when the run recorded none), most first, then by name. The
  // counts add up to false_rollback.successes. Default: empty.
  std::vector<TriggerCount> false_rollback_stages;
  // Seconds, over detected runs: from the first bad target and from the
  // first harmed request.
  Distribution time_to_detect_s;
  Distribution time_to_detect_from_harm_s;
  // Over bad-release runs.
  Distribution max_bad_targets;
  Distribution max_bad_weight_share;
  Distribution bad_requests;
  Distribution excess_errors;
  // Seconds, over completed runs.
  Distribution time_to_full_rollout_s;

  friend bool operator==(const MonteCarloSummary& a,
                         const MonteCarloSummary& b);
};

// Summarizes outcomes (in any order).
MonteCarloSummary Summarize(absl::Span<const RunOutcome> outcomes,
                            uint64_t seed);

}  // namespace sluice::sim

#endif  // SLUICE_SIM_MONTE_CARLO_H_

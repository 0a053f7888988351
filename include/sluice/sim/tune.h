// Copyright 2026 The Sluice Authors.
//
// Tuning a spec's gates on a team's own history: Monte Carlo over recorded
// series (sluice/sim/efficacy.h) finds gate parameters whose false-rollback
// rate meets a target at the highest power.
//
// The spec is tuned as its message (sluice.v1.RolloutSpec): which fields are
// tunable is a table (TunableFields()), read by reflection wherever a gate
// message appears in the spec's gate tree, so a gate added to
// proto/sluice/v1/gates.proto becomes tunable by adding its rows. Every
// tunable field moves along one of two axes:
//   - looseness L (a factor around 1): a limit's margin from its "no
//     difference" value is multiplied by L (a threshold's max, a relative
//     gate's max_ratio - 1 or max_difference, a judge's 100 - pass score);
//     a significance level or a lower bound is divided by L; a failure
//     count grows by log2(L);
//   - duration scale D: bake lengths, test durations and measurement counts
//     are multiplied by D.
// For each D of the options, a bisection on L (same seeds at every step,
// so the false-rollback rate moves monotonically with L) finds the smallest
// L whose false-rollback rate over good releases is at most the target; its
// power is the detection rate over the tuning families (errors x2 and x5
// everywhere, p99 +20%). The tuned spec is the feasible point with the
// highest power (then the shortest time to full rollout).
//
// This is an edge header: it includes the generated message of the spec.
//
// Example:
//
//   sluice::v1::RolloutSpec message;  // e.g. from ReadSpecMessage()
//   sluice::sim::TuneOptions options;
//   options.max_false_rollbacks = 0.01;
//   absl::StatusOr<sluice::sim::TuneResult> tuned =
//       sluice::sim::TuneSpec(message, fleet, history, options);
//   if (!tuned.ok()) return tuned.status();
//   // tuned->tuned is the tuned message; tuned->curve the trade-off.

#ifndef SLUICE_SIM_TUNE_H_
#define SLUICE_SIM_TUNE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "sluice/fleet.h"
#include "sluice/sim/efficacy.h"
#include "sluice/sim/history.h"
#include "sluice/sim/monte_carlo.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice::sim {

// One row of the table of tunable fields. Value type; thread-compatible.
struct TunableField {
  // How the field moves.
  enum class Kind {
    // value = null_value + (value - null_value) * L: a limit's margin.
    kMargin,
    // value = value / L: a significance level, a lower bound.
    kInverse,
    // value = round(value + log2(L)): a count of failures tolerated.
    kCount,
    // value = value * D: a duration (google.protobuf.Duration) or a count
    // of measurements.
    kDuration,
  };
  // The message's full name, e.g. "sluice.v1.ThresholdGateSpec".
  const char* message;
  // The field's name in it, e.g. "max".
  const char* field;
  Kind kind;
  // For kMargin: the value of "no difference" (0, or 1 for a ratio).
  double null_value;
  // The value is clamped to [min_value, max_value] after moving.
  double min_value;
  double max_value;
  // For people, e.g. "threshold's upper limit".
  const char* meaning;
};

// The table: every tunable field of the gate messages.
absl::Span<const TunableField> TunableFields();

// A tunable field set in a spec. Value type; thread-compatible.
struct SpecField {
  // Its path in the message, e.g.
  // "gates.default[0].bake.check.all_of.gates[1].relative.max_difference".
  std::string path;
  // The row of the table it matches.
  const TunableField* row = nullptr;
  // Its value before and after tuning (seconds for durations).
  double original = 0;
  double tuned = 0;
};

// Every tunable field set in `spec` (a field without presence counts when
// it is not zero), in message order, with tuned = original.
std::vector<SpecField> FindTunableFields(const v1::RolloutSpec& spec);

// Moves every tunable field of `spec` by looseness `looseness` and duration
// scale `duration_scale` (1 and 1 change nothing) and returns the fields
// with their new values.
std::vector<SpecField> ApplyTuning(v1::RolloutSpec& spec, double looseness,
                                   double duration_scale);

// Reads a spec file into its message (text format or JSON by extension).
// Errors are prefixed with the path.
absl::StatusOr<v1::RolloutSpec> ReadSpecMessage(const std::string& path);

// Prints a spec message in text format, with a first comment line.
std::string SpecToText(const v1::RolloutSpec& spec, const std::string& comment);

// How to tune. Value type; thread-compatible.
struct TuneOptions {
  // The target: at most this share of good releases stopped, in (0, 1).
  // Default: 0.01.
  double max_false_rollbacks = 0.01;
  // Good-release runs per evaluated point; >= 1. Default: 400.
  int64_t good_runs = 400;
  // Runs of each tuning family per evaluated point; >= 1. Default: 100.
  int64_t power_runs = 100;
  // Duration scales tried. Default: 0.5, 1, 2.
  std::vector<double> duration_scales = {0.5, 1, 2};
  // The looseness searched, [min, max] with min < 1 < max, and the
  // bisection's steps. Default: [1/8, 8], 6 steps.
  double min_looseness = 0.125;
  double max_looseness = 8;
  int steps = 6;
  // The study's seed (the same seeds at every point). Default: 1.
  uint64_t seed = 1;
  // Worker threads (0: all cores). Default: 0.
  int threads = 0;
  // How the history replays. Default: see HistoryReplay.
  HistoryReplay replay;
  // The world; default (unset): ProductionScenario(fleet).
  std::optional<Scenario> base = std::nullopt;
  // Called after each evaluated point. Default: none.
  std::function<void(int64_t points, int64_t total)> progress = nullptr;
};

// One evaluated point of the trade-off. Value type; thread-compatible.
struct TunePoint {
  double duration_scale = 1;
  double looseness = 1;
  // Good releases stopped; detected among the tuning families' runs.
  Proportion false_rollback;
  Proportion power;
  // Seconds, over good releases that completed.
  Distribution time_to_full_rollout_s;
  // false_rollback.rate <= max_false_rollbacks.
  bool feasible = false;
};

// What tuning found. Value type; thread-compatible.
struct TuneResult {
  // The spec as written, at (1, 1).
  TunePoint original;
  // For each duration scale: the point the bisection settled on (the
  // smallest feasible looseness, or the largest tried when none was).
  std::vector<TunePoint> curve;
  // The chosen point: the feasible one with the highest power; unset when
  // no point met the target (the tuned spec is then the loosest tried).
  std::optional<TunePoint> chosen;
  // The tuned message and its fields (original and tuned values).
  v1::RolloutSpec tuned;
  std::vector<SpecField> fields;
};

// Tunes `spec` (see the header comment). Errors: kInvalidArgument
// "max_false_rollbacks: must be in (0, 1) (got 2)", "spec: no tunable
// gate field (see sluice/sim/tune.h)", "history: no series"; the spec's
// validation errors (RolloutSpec::FromProto); RunFamily()'s.
absl::StatusOr<TuneResult> TuneSpec(const v1::RolloutSpec& spec,
                                    const Fleet& fleet,
                                    absl::Span<const HistorySeries> history,
                                    const TuneOptions& options);

}  // namespace sluice::sim

#endif  // SLUICE_SIM_TUNE_H_

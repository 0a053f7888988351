// Copyright 2026 The Sluice Authors.
//
// History: a team's recorded metric series, as the efficacy benchmark
// (sluice/sim/efficacy.h), the tuner (sluice/sim/tune.h) and the backtest
// (sluice/sim/backtest.h) replay them.
//
// A history entry is a CSV file (`timestamp,value`, see
// sluice/sim/recorded_series.h) or a directory whose *.csv files are all
// taken, in name order. An entry may bind its series to one signal with a
// prefix: "error_rate=exports/5xx_ratio.csv", "latency_ms=...",
// "request_rate=...". Unbound series form a pool of shapes that every
// signal draws from; bound series are the signal's own record and are
// replayed as recorded.
//
// Example:
//
//   absl::StatusOr<std::vector<sluice::sim::HistorySeries>> history =
//       sluice::sim::LoadHistory({"examples/data",
//                                 "error_rate=/tmp/my_5xx_ratio.csv"});
//   if (!history.ok()) return history.status();

#ifndef SLUICE_SIM_HISTORY_H_
#define SLUICE_SIM_HISTORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "sluice/sim/recorded_series.h"
#include "sluice/sim/scenario.h"

namespace sluice::sim {

// One recorded series of a history. Value type; thread-compatible.
struct HistorySeries {
  // The file's name without directory and extension, e.g.
  // "elb_request_count_8c0756". Default: empty.
  std::string name;
  // The path it was loaded from. Default: empty.
  std::string path;
  // The series.
  RecordedSeries series;
  // The signal it is bound to (kRequestRate, kErrorRate or kLatencyMs), or
  // unset for the shared pool. Default: unset.
  std::optional<Signal> signal = std::nullopt;
};

// Loads history entries (see the header comment). Errors: kInvalidArgument
// "history: no series" when none is given or a directory holds no CSV,
// "history[1]: signal: want request_rate, error_rate or latency_ms (got
// \"cpu\")"; kNotFound for a missing path; a series' own errors prefixed
// with its path.
absl::StatusOr<std::vector<HistorySeries>> LoadHistory(
    absl::Span<const std::string> entries);

// How a history shapes a scenario's backgrounds. Value type;
// thread-compatible.
struct HistoryReplay {
  // Coefficients of variation at which pool series replay (see
  // RecordedBackground::cv): traffic (on top of the modelled daily cycle),
  // error rate and latency. Bound series replay at strength 1, as
  // recorded. Defaults: 0.15, 0.3, 0.1.
  double traffic_cv = 0.15;
  double error_cv = 0.3;
  double latency_cv = 0.1;
};

// The number of rotations of a history: the most candidates any signal
// has (its bound series, or else the pool); at least 1.
size_t HistoryRotations(absl::Span<const HistorySeries> history);

// Adds to `scenario` the backgrounds of rotation `rotation`: for each
// signal, its candidate number (rotation + k) modulo their count, k = 0, 1,
// 2 for traffic, errors and latency (so they differ when drawn from one
// pool), each replayed in every zone at an offset drawn per run (errors and
// latency shifted by a day per zone; see RecordedBackground).
void AddHistoryBackgrounds(absl::Span<const HistorySeries> history,
                           size_t rotation, const HistoryReplay& replay,
                           Scenario& scenario);

}  // namespace sluice::sim

#endif  // SLUICE_SIM_HISTORY_H_

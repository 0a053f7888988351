// Copyright 2026 The Sluice Authors.
//
// Backtesting a spec's gates on recorded series: the retrospective analysis
// Kayenta offers. Every gate of the spec (the default and each stage's) is
// evaluated afresh every `every` over the history's span, a canary of the
// first `canary_targets` targets against the rest, on a healthy service
// whose backgrounds are the recorded series replayed on their own timeline
// (every zone at the same moment, from each series' first point). Every
// verdict is kept, so a team sees when and why its gates would have fired
// on its own past (sluice/sim/simulator.h's BacktestGate does the
// evaluations). This is an edge header: it takes the spec as its message,
// to know which gates the spec declares.
//
// Example:
//
//   absl::StatusOr<std::vector<sluice::sim::GateBacktest>> backtests =
//       sluice::sim::BacktestSpec(spec_message, fleet, history, {});
//   if (!backtests.ok()) return backtests.status();
//   for (const auto& b : *backtests) {
//     std::cout << b.gate << ": " << b.result.false_alarm_rate.rate << "\n";
//   }

#ifndef SLUICE_SIM_BACKTEST_H_
#define SLUICE_SIM_BACKTEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/fleet.h"
#include "sluice/sim/history.h"
#include "sluice/sim/scenario.h"
#include "sluice/sim/simulator.h"
#include "sluice/v1/rollout_spec.pb.h"

namespace sluice::sim {

// How to backtest a spec. Value type; thread-compatible.
struct BacktestSpecOptions {
  // Time between evaluations; > 0. Default: 1 hour.
  absl::Duration every = absl::Hours(1);
  // The canary: the fleet's first targets; in [1, fleet size). Default: 1.
  int canary_targets = 1;
  // How long one evaluation may hold; > 0. Default: 2 hours.
  absl::Duration max_hold = absl::Hours(2);
  // The span backtested; default (unset): the shortest series' span.
  std::optional<absl::Duration> span = std::nullopt;
  // The simulation's seed (its noise). Default: 1.
  uint64_t seed = 1;
  // How the history's pool series replay (bound series replay as
  // recorded). Default: see HistoryReplay.
  HistoryReplay replay;
  // The world; default (unset): ProductionScenario(fleet) without random
  // incidents (the recorded series carry the real ones).
  std::optional<Scenario> base = std::nullopt;
};

// One gate's backtest. Value type; thread-compatible.
struct GateBacktest {
  // The stage whose gate it is ("" for the default gate) and the gate's
  // name.
  std::string stage;
  std::string gate;
  BacktestResult result;
};

// The scenario a backtest evaluates on: `base` with the history's series as
// backgrounds on their own timeline, starting at the first series' first
// point, lasting `span` (default: the shortest series' span).
Scenario BacktestScenario(const Scenario& base,
                          absl::Span<const HistorySeries> history,
                          const HistoryReplay& replay,
                          std::optional<absl::Duration> span);

// Backtests every gate `spec` declares: its default gates (when it has any)
// and each stage's (see the header comment). Errors: kInvalidArgument
// "history: no series", "spec: no gates to backtest", BacktestGate()'s
// ("every: must be > 0 (got 0)", "canary_targets: must be in [1, 36) (got
// 0)"), RolloutSpec::FromProto()'s.
absl::StatusOr<std::vector<GateBacktest>> BacktestSpec(
    const v1::RolloutSpec& spec, const Fleet& fleet,
    absl::Span<const HistorySeries> history,
    const BacktestSpecOptions& options);

}  // namespace sluice::sim

#endif  // SLUICE_SIM_BACKTEST_H_

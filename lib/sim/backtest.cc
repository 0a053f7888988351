// Copyright 2026 The Sluice Authors.

#include "sluice/sim/backtest.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "lib/core/status_macros.h"
#include "sluice/gate_policy.h"
#include "sluice/sim/efficacy.h"
#include "sluice/spec.h"

namespace sluice::sim {

Scenario BacktestScenario(const Scenario& base,
                          absl::Span<const HistorySeries> history,
                          const HistoryReplay& replay,
                          std::optional<absl::Duration> span) {
  Scenario s = base;
  s.fault = Fault();
  s.backgrounds.clear();
  s.background.reset();
  if (history.empty()) return s;
  AddHistoryBackgrounds(history, 0, replay, s);
  // The recorded timeline: every series from its first point, every zone
  // at the same moment.
  for (RecordedBackground& b : s.backgrounds) {
    b.offset = absl::ZeroDuration();
    b.zone_replay = RecordedBackground::ZoneReplay::kSame;
  }
  s.start = history.front().series.start();
  absl::Duration shortest = absl::InfiniteDuration();
  for (const HistorySeries& h : history) {
    shortest = std::min(shortest, h.series.span());
  }
  s.duration = std::min(span.value_or(shortest), absl::Hours(24 * 366));
  return s;
}

absl::StatusOr<std::vector<GateBacktest>> BacktestSpec(
    const v1::RolloutSpec& message, const Fleet& fleet,
    absl::Span<const HistorySeries> history,
    const BacktestSpecOptions& options) {
  if (history.empty()) return absl::InvalidArgumentError("history: no series");
  SLUICE_ASSIGN_OR_RETURN(RolloutSpec spec, RolloutSpec::FromProto(message));
  SLUICE_ASSIGN_OR_RETURN(GatePolicy policy, GatePolicy::FromSpec(spec));
  Scenario base = options.base.value_or(ProductionScenario(fleet));
  if (!options.base.has_value()) {
    base.incidents.zone_rate_per_day = 0;
    base.incidents.region_rate_per_day = 0;
  }
  const Scenario scenario =
      BacktestScenario(base, history, options.replay, options.span);
  SLUICE_RETURN_IF_ERROR(ValidateScenario(scenario));
  BacktestOptions gate_options;
  gate_options.every = options.every;
  gate_options.canary_targets = options.canary_targets;
  gate_options.max_hold = options.max_hold;
  std::vector<std::string> stages;
  if (message.gates().default__size() > 0) stages.push_back("");
  for (const std::string& stage : policy.OverriddenStages()) {
    stages.push_back(stage);
  }
  if (stages.empty()) {
    return absl::InvalidArgumentError("spec: no gates to backtest");
  }
  std::vector<GateBacktest> out;
  for (const std::string& stage : stages) {
    const HealthGate& gate = policy.ForStage(stage);
    SLUICE_ASSIGN_OR_RETURN(
        BacktestResult result,
        BacktestGate(gate, scenario, fleet, options.seed, gate_options));
    out.push_back({stage, gate.name(), std::move(result)});
  }
  return out;
}

}  // namespace sluice::sim

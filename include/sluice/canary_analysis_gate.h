// Copyright 2026 The Sluice Authors.
//
// The canary analysis gate: Kayenta's canary analysis over a canary's
// lifetime, as Spinnaker's Kayenta stage (orca-kayenta) runs it, built on
// the Kayenta judge gate (sluice/judge_gates.h).
//
// From the end of the wave's deploy (GateContext::wave_deployed_at, else the
// first evaluation) the gate waits `warmup` (Kayenta's
// beginCanaryAnalysisAfterMins), then judges the canary every `interval`
// (canaryAnalysisIntervalMins): n = floor(lifetime / interval) judgements
// (lifetimeDuration), judgement i at deploy + warmup + i * interval. Each
// judgement runs the judge over a window ending then, starting
//  - at deploy + warmup (growing windows; lookback zero, the default), or
//  - `lookback` earlier (sliding windows; lookbackMins), but never before
//    the deploy.
// The judge's thresholds (judge.judge.thresholds: pass and marginal, as
// scoreThresholds) decide, as orca does:
//  - a judgement whose score is <= marginal fails the gate at once;
//  - after the last judgement, its score (the final score, not an average)
//    decides: >= pass passes; below pass (and above marginal) is `marginal`
//    (default kFail, as orca ends the stage TERMINAL).
// The gate holds (kHold with the next judgement's time) in between.
//
// Where Sluice differs from orca: windows are clipped at the deploy (orca's
// lookback may reach before the canary started); an interval of zero or
// longer than the lifetime means one judgement over the lifetime, as in
// orca, but durations are exact rather than whole minutes; query errors
// follow the judge gate (retry, then kError) instead of failing the stage.
//
// Example (a three-hour canary judged every hour over the last hour, after
// a 15-minute warm-up):
//
//   sluice::CanaryAnalysisGateOptions options;
//   options.judge.judge = config;  // groups, metrics, thresholds
//   options.lifetime = absl::Hours(3);
//   options.interval = absl::Hours(1);
//   options.warmup = absl::Minutes(15);
//   options.lookback = absl::Hours(1);
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> gate =
//       sluice::NewCanaryAnalysisGate("canary analysis", options);
//   if (!gate.ok()) return gate.status();

#ifndef SLUICE_CANARY_ANALYSIS_GATE_H_
#define SLUICE_CANARY_ANALYSIS_GATE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/health_gate.h"
#include "sluice/judge_gates.h"
#include "sluice/verdict.h"

namespace sluice {

// Options of the canary analysis gate. A value type; thread-compatible.
struct CanaryAnalysisGateOptions {
  // The judge of each judgement: its config (groups, metrics and the
  // pass / marginal thresholds the aggregation uses), metric definitions and
  // error handling. Its `window` and `marginal` are not used (the windows
  // come from the fields below). Required; must validate as for
  // NewKayentaJudgeGate().
  KayentaJudgeGateOptions judge;
  // The canary's lifetime (Kayenta's lifetimeDuration); finite and > 0.
  // Required. Default: zero (invalid).
  absl::Duration lifetime = absl::ZeroDuration();
  // Time between judgements (canaryAnalysisIntervalMins); zero, or more than
  // the lifetime, means one judgement at the end. >= 0. Default: zero.
  absl::Duration interval = absl::ZeroDuration();
  // The wait before the first interval starts (beginCanaryAnalysisAfterMins);
  // >= 0. Default: zero.
  absl::Duration warmup = absl::ZeroDuration();
  // Sliding windows of this length (lookbackMins); zero means growing
  // windows from the end of the warm-up. >= 0. Default: zero.
  absl::Duration lookback = absl::ZeroDuration();
  // The outcome when the final score is below pass but above marginal:
  // kFail, kInconclusive or kPass. Default: kFail (orca).
  Outcome marginal = Outcome::kFail;
};

// A canary analysis gate; see the file comment. Verdict observations:
// "score" (the final or deciding score), "judgement", "judgements", then
// "score.1", "score.2", ... for the judgements made (at most the last 10 are
// kept). Its reason reads e.g. "judgement 2 of 3 (window 10m..50m): score
// 60 <= marginal 75". State: started_at the deploy, counts.count the
// judgements made, children[0] the judgement in progress, measurements the
// scores (at most GateState::kMaxMeasurements), so a snapshot resumes it.
// Errors: kInvalidArgument naming the field ("lifetime: must be > 0",
// "interval: must allow at most 10000 judgements",
// "lookback: must be >= 0", "judge.judge.groups: ...").
absl::StatusOr<std::unique_ptr<HealthGate>> NewCanaryAnalysisGate(
    std::string name, CanaryAnalysisGateOptions options);

}  // namespace sluice

#endif  // SLUICE_CANARY_ANALYSIS_GATE_H_

// Copyright 2026 The Sluice Authors.
//
// The self-baseline gate: is the wave's error rate higher after its deploy
// than the same targets' was before it, beyond what a control group's
// change over the same two windows explains? A difference in differences
// on error and request counts (sluice/stats/rate_did.h):
//
//   R = (wave after / wave before) / (control after / control before),
//
// each term an error rate (errors / requests) over a window. Comparing a
// target with itself removes what makes one box differ from the fleet (its
// own error-rate multiplier, its share of odd clients); a control of
// old-version targets in the wave's zones over the same minutes removes
// what moves a zone over time (an incident, the zone's daily pattern); when
// none is left there, settled_control takes the zone's targets that earlier
// waves moved to the new version instead of other zones' (docs/gates.md). A
// canary compared with a fleet-wide baseline confounds both with the
// release. Docs: docs/gates.md#self-baseline, docs/statistics.md.
//
// Timeline: the window before is [deployed - before_gap - before,
// deployed - before_gap); the window after is [deployed + 1 minute,
// deployed + k * interval) at look k = 1..K (a per-minute point is stamped
// with its minute's end, so the one stamped at the deploy is skipped), K =
// ceil(duration / interval), each look made delivery_delay after its window
// ends. A look fails when the one-sided quasi-Poisson test of R <= null_ratio
// (each cell's dispersion the larger of its cohort's Pearson dispersion
// pooled over both windows and its own window's) rejects at its share of
// alpha, alpha (k / K)^rho - alpha ((k - 1) / K)^rho
// with rho = spending_exponent (the power family of alpha-spending
// functions). The shares sum to alpha, so by the union bound the whole
// test's false-failure probability is at most alpha however the looks
// correlate and however often the gate is evaluated; rho = 1 is Bonferroni's
// alpha / K, rho = 3 keeps most of alpha for the last looks, where the
// evidence is. The last look passes otherwise, or is inconclusive when a cell
// has fewer than min_requests requests. A wave with no baseline (the last:
// no target is left on the old version) passes unjudged, or, with
// judge_without_control, is judged by the same test without the control's
// terms (stats::RateRatioTest(): R = wave after / wave before) against
// fallback_null_ratio, and its verdict says it had no control. With
// early_pass_margin, a look that does not fail passes at once when the
// wave is shown better than that multiple of the null (below).
//
// Example:
//
//   sluice::SelfBaselineGateOptions options;
//   options.errors = {.name = "errors"};
//   options.requests = {.name = "requests"};
//   options.duration = absl::Minutes(30);
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> gate =
//       sluice::NewSelfBaselineGate("errors self-baseline", options);
//   if (!gate.ok()) return gate.status();
//   sluice::GateState state;  // one per wave; the engine snapshots it
//   sluice::Verdict v = (*gate)->Evaluate(context, state);

#ifndef SLUICE_SELF_BASELINE_GATE_H_
#define SLUICE_SELF_BASELINE_GATE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/health_gate.h"
#include "sluice/metric_checks.h"

namespace sluice {

// Which old-version targets the self-baseline gate compares against.
enum class ControlScope {
  // Baseline targets in the zones of the wave's targets (GateContext::fleet
  // gives the zones); the whole baseline when none is left there or no
  // fleet is known, with fallback_null_ratio, and the verdict says so.
  kSameZone,
  // Every baseline target.
  kBaseline,
};

// Options of the self-baseline gate. Value type; thread-compatible.
struct SelfBaselineGateOptions {
  // Per-minute error counts of a cohort (samples; an aggregate answer is
  // one period). Required (a name).
  MetricDefinition errors;
  // Per-minute request counts on the same minutes. Required (a name).
  MetricDefinition requests;
  // The window before the deploy; > 0. Default: 1 hour.
  absl::Duration before = absl::Hours(1);
  // The window before ends this long before GateContext::wave_deployed_at;
  // >= 0. Default: 10 minutes.
  absl::Duration before_gap = absl::Minutes(10);
  // Time between looks; > 0 and <= duration. Default: 5 minutes.
  absl::Duration interval = absl::Minutes(5);
  // How long after the deploy the test runs; > 0. Default: 30 minutes.
  absl::Duration duration = absl::Minutes(30);
  // Looks wait this long after their window ends; >= 0. Default: 0.
  absl::Duration delivery_delay = absl::ZeroDuration();
  // The whole test's false-failure probability, in (0, 1). Default: 0.01.
  double alpha = 0.01;
  // How alpha is spent over the looks: by look k, alpha (k / K)^rho; >= 1.
  // Default: 3.
  double spending_exponent = 3;
  // R of the null hypothesis, > 0. Default: 1.
  double null_ratio = 1;
  // R of the null hypothesis when the control is not in the wave's zones;
  // >= null_ratio; 0 means null_ratio. Default: 0.
  double fallback_null_ratio = 0;
  // Default: kSameZone.
  ControlScope control = ControlScope::kSameZone;
  // With kSameZone, when no old-version target is left in the wave's zones,
  // compare with the targets of those zones that earlier waves moved to the
  // new version (GateContext::settled_targets) before falling back to the
  // whole baseline, against fallback_null_ratio. They share the wave's zone,
  // so a zone incident or the zone's own background moves both sides and
  // cancels, where against other zones it looks like a release; they run
  // the new version, so what they already show (a fault of the version,
  // judged when they deployed) cancels too, and the test sees only what is
  // worse on the wave's targets (a bad deploy, a fault of their own).
  // With judge_without_control, a last wave with settled targets in its
  // zones is judged against them rather than without a control. The
  // verdict names the control and observes control_settled = 1.
  // Default: false (the whole baseline).
  bool settled_control = false;
  // When no target is left on the old version (the rollout's last wave),
  // judge the wave's own after/before rate ratio against
  // fallback_null_ratio (the same dispersion, looks and alpha spending; the
  // two wave cells need min_requests) instead of passing it unjudged.
  // Default: false. Without a control nothing cancels what moves the wave's
  // targets over time (the daily cycle, a zone incident, a client's
  // change), so alpha no longer bounds false failures by itself: it does
  // only when fallback_null_ratio is at least the largest such drift
  // between the two windows. Turning it on by default would make existing
  // specs (fallback_null_ratio unset, i.e. null_ratio 1) start failing last
  // waves on ordinary drift; a spec opts in once it has chosen that margin.
  bool judge_without_control = false;
  // Pass before `duration` once the wave is shown better than this multiple
  // of the null ratio in use (null_ratio, or fallback_null_ratio): at a
  // look whose cells have min_requests, when the one-sided test of
  // R >= null * early_pass_margin rejects at early_pass_level (the upper
  // confidence bound of R, at 1 - early_pass_level, is below null *
  // early_pass_margin). A good release then stops waiting once its data
  // shows it good, which lets `duration` be sized for a smaller effect
  // without making every release wait it out. An early pass never fails a
  // release, so alpha still bounds false failures; what it costs is power
  // near the margin: a release whose R is null * early_pass_margin passes
  // early with probability at most early_pass_level at each look. 0: off;
  // else finite and > 1. Default: 0 (off).
  double early_pass_margin = 0;
  // Each look's early-pass level, in (0, 0.5). Default: 0.01.
  double early_pass_level = 0.01;
  // Requests each of the four cells needs by the last look; >= 0.
  // Default: 1000.
  int64_t min_requests = 1000;
  // After a retryable query error, retry this much later; > 0.
  // Default: 1 minute.
  absl::Duration error_retry_interval = absl::Minutes(1);
  // Retryable errors in a row tolerated before kError; >= 0. Default: 4.
  int32_t consecutive_error_limit = 4;
};

// Creates the gate. Errors are kInvalidArgument naming the option, e.g.
// "interval: must be <= duration (got 10m > 5m)". The gate's state holds
// only its start (the deploy) and its decision: each look re-reads the
// windows, so a restored gate looks exactly as the original would.
// The gate is thread-compatible.
absl::StatusOr<std::unique_ptr<HealthGate>> NewSelfBaselineGate(
    std::string name, SelfBaselineGateOptions options);

}  // namespace sluice

#endif  // SLUICE_SELF_BASELINE_GATE_H_

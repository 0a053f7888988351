// Copyright 2026 The Sluice Authors.
//
// Metric checks: what one measurement of the host's data checks, and the
// gates that take one such measurement.
//
// A check names a metric the spec declares (MetricDefinition) and a rule:
//   ThresholdCheck  an aggregate (mean, p99, rate, ...) of one cohort within
//                   [min, max] (Flagger's thresholdRange).
//   RelativeCheck   the wave's aggregate against the baseline's over the same
//                   window, within a ratio and/or an absolute difference.
//   AlarmCheck      the host's alarms: any in ALARM fails; INSUFFICIENT_DATA
//                   is a parameter.
// NewThresholdGate, NewRelativeGate and NewAlarmGate make a gate of one check:
// an analysis (sluice/analysis_gate.h) of one metric taking one measurement,
// so an errored query is retried after 10 s, up to the consecutive-error
// limit (4), like an Argo Rollouts metric with no interval. An analysis
// repeats checks over time.
//
// Errors are kInvalidArgument naming the field, e.g. "max: must be >= min
// (got 0.1 < 0.5)"; a spec's gates prefix them with the spec path.
//
// Example:
//
//   sluice::ThresholdCheck p99;
//   p99.metric.name = "p99_latency";
//   p99.metric.unit = "ms";
//   p99.aggregation = {sluice::AggregationKind::kQuantile, 0.99};
//   p99.max = 300;
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> gate =
//       sluice::NewThresholdGate("p99-latency", p99);
//   if (!gate.ok()) return gate.status();

#ifndef SLUICE_METRIC_CHECKS_H_
#define SLUICE_METRIC_CHECKS_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sluice/health_gate.h"
#include "sluice/metric_source.h"

namespace sluice {

// What a measurement is when its query returns no data (Kayenta's
// nanStrategy; Flagger counts no data as a failed check).
enum class MissingDataPolicy {
  // The measurement fails.
  kFail,
  // The measurement passes.
  kPass,
  // The measurement is inconclusive.
  kInconclusive,
  // The measurement counts for nothing: it uses up one of the count but is
  // neither a success nor a failure, and adds no samples.
  kIgnore,
};

// "fail", "pass", "inconclusive" or "ignore".
absl::string_view MissingDataPolicyName(MissingDataPolicy policy);

// A metric of the host, as declared in the spec. Value type;
// thread-compatible.
struct MetricDefinition {
  // The name, e.g. "p99_latency". Required. Default: empty (invalid).
  std::string name;
  // Provider-specific query text, passed to the host. Default: empty.
  std::string query;
  // Provider-specific parameters, passed to the host. Default: none.
  std::map<std::string, std::string> params;
  // The unit, for verdicts, e.g. "ms". Default: empty.
  std::string unit;
  // What no data means. Default: kFail.
  MissingDataPolicy missing_data = MissingDataPolicy::kFail;
};

// An aggregate of one cohort within [min, max], both inclusive.
// Value type; thread-compatible.
struct ThresholdCheck {
  // The metric. Required (a name).
  MetricDefinition metric;
  // How the cohort's samples are reduced. Default: mean.
  Aggregation aggregation;
  // The smallest acceptable value. Default: none.
  std::optional<double> min;
  // The largest acceptable value; >= min. Default: none. At least one of min
  // and max is required.
  std::optional<double> max;
  // The query window, ending at the evaluation; > 0. Default: 5 minutes.
  // It never reaches before the wave finished deploying
  // (GateContext::wave_deployed_at) unless include_before_deploy: a query
  // starts at the later of the two, and an analysis takes its first
  // measurement once a whole window has passed since the deploy (as if
  // Argo Rollouts' initialDelay were the window).
  absl::Duration window = absl::Minutes(5);
  // Let the window reach before the deploy (the check then also sees the
  // old version's minutes). Default: false.
  bool include_before_deploy = false;
  // The measurement is kInconclusive, saying so, when the data points
  // behind the wave's value (MetricResult::sample_count, or the samples'
  // count) are known and fewer than this; >= 0; 0 disables. Default: 0.
  int64_t min_samples = 0;
  // The cohort whose aggregate is checked. Default: kWave.
  Cohort cohort = Cohort::kWave;
};

// The wave's aggregate against the baseline's over the same window:
// ratio = wave / baseline, difference = wave - baseline.
//
// Rates from counts: with `requests_metric`, `metric` is an event count
// (errors) and `requests_metric` the request count of the same minutes;
// each cohort's value is its pooled rate sum(errors) / sum(requests) over
// the minutes of the window where both counts are known (not an average of
// per-minute ratios, which gives a quiet minute as much weight as a busy
// one), so the wave's share of the traffic is measured, never configured.
// The bounds then apply to those rates, min_samples counts the wave's
// requests, and the verdict's observations add "errors", "requests",
// "errors.baseline", "requests.baseline" (and "p_value" with
// significance_alpha).
// Value type; thread-compatible.
struct RelativeCheck {
  // The metric. Required (a name). With requests_metric: event counts.
  MetricDefinition metric;
  // How each cohort's samples are reduced. Default: mean. With
  // requests_metric: kSum, kRate or kMean (all three give the same pooled
  // rate; the queries ask for kSum); any other kind is an error.
  Aggregation aggregation;
  // The request counts (the opportunities for an event) of the same minutes
  // as `metric`; see the struct comment. Default: unset (the aggregates of
  // `metric` are compared as they are).
  std::optional<MetricDefinition> requests_metric;
  // With requests_metric: a ratio bound also needs significance. A wave
  // whose rate ratio is beyond max_ratio (min_ratio) fails only if the
  // conditional binomial test rejects "ratio <= max_ratio" (">= min_ratio")
  // at this level: given the n errors of both cohorts, the wave's errors
  // are Binomial(n, p0) with p0 = t R_w / (t R_w + R_b) at the bound t and
  // the measured request counts R_w, R_b. A ratio beyond the bound but not
  // significant counts as within it. Difference bounds are not affected.
  // In (0, 1) when set. Default: unset (the plain bound, as Flagger and
  // Argo Rollouts compare).
  std::optional<double> significance_alpha;
  // The smallest acceptable ratio (> 0 when set). Default: none.
  std::optional<double> min_ratio;
  // The largest acceptable ratio (> 0 when set). Default: none.
  std::optional<double> max_ratio;
  // The smallest acceptable difference, in the metric's unit. Default: none.
  std::optional<double> min_difference;
  // The largest acceptable difference, in the metric's unit. Default: none.
  std::optional<double> max_difference;
  // With both ratio and difference bounds: false passes a wave within either
  // allowance, true requires both. Default: false.
  bool require_both = false;
  // The query window, ending at the evaluation; > 0. Default: 5 minutes.
  // It never reaches before the wave finished deploying
  // (GateContext::wave_deployed_at) unless include_before_deploy: a query
  // starts at the later of the two, and an analysis takes its first
  // measurement once a whole window has passed since the deploy (as if
  // Argo Rollouts' initialDelay were the window).
  absl::Duration window = absl::Minutes(5);
  // Let the window reach before the deploy (the check then also sees the
  // old version's minutes). Default: false.
  bool include_before_deploy = false;
  // The measurement is kInconclusive, saying so, when the data points
  // behind the wave's value (MetricResult::sample_count, or the samples'
  // count) are known and fewer than this; with requests_metric, when the
  // wave's requests over the window are fewer than this; >= 0; 0 disables.
  // Default: 0.
  int64_t min_samples = 0;
};

// What an alarm in INSUFFICIENT_DATA means.
enum class InsufficientDataPolicy {
  // Like ALARM (AWS AppConfig rolls back on it).
  kFail,
  // Like OK (CodeDeploy can ignore it).
  kIgnore,
  // The check is inconclusive.
  kInconclusive,
};

// The host's alarms: any in ALARM fails. Value type; thread-compatible.
struct AlarmCheck {
  // Alarm names; at least one, unique. Default: none (invalid).
  std::vector<std::string> alarms;
  // What INSUFFICIENT_DATA means. Default: kFail.
  InsufficientDataPolicy insufficient_data = InsufficientDataPolicy::kFail;
};

// What one measurement checks.
using MetricCheck = std::variant<ThresholdCheck, RelativeCheck, AlarmCheck>;

// A gate checking `check` once (with Argo's error retries). Errors name the
// check's field, e.g. "max: must be >= min (got 0.1 < 0.5)", or "name: ..."
// for the gate's name.
absl::StatusOr<std::unique_ptr<HealthGate>> NewThresholdGate(
    std::string name, ThresholdCheck check);
// As NewThresholdGate(), for a relative check.
absl::StatusOr<std::unique_ptr<HealthGate>> NewRelativeGate(
    std::string name, RelativeCheck check);
// As NewThresholdGate(), for an alarm check.
absl::StatusOr<std::unique_ptr<HealthGate>> NewAlarmGate(std::string name,
                                                         AlarmCheck check);

}  // namespace sluice

#endif  // SLUICE_METRIC_CHECKS_H_

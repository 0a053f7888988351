// Copyright 2026 The Sluice Authors.
//
// The built-in health gates, made by validating factories.
//
// Checks on the host's data:
//   NewThresholdGate  an aggregate (mean, p99, rate, ...) within [min, max]
//                     (Flagger's thresholdRange).
//   NewRelativeGate   the wave's aggregate against the baseline's, within a
//                     ratio and/or an absolute difference.
//   NewAlarmGate      any alarm in ALARM fails; INSUFFICIENT_DATA is a
//                     parameter.
//   NewAnalysisGate   repeated measurements of such checks with Argo
//                     Rollouts' AnalysisRun semantics (interval, count,
//                     failure / inconclusive / consecutive-error limits,
//                     consecutive-success limit, dry run).
// Time and people:
//   NewBakeGate          a check that must keep passing for a whole bake.
//   NewDeployWindowGate  weekly windows in an IANA zone, and blackouts.
//   NewManualApprovalGate  holds until an operator approves or rejects.
// Composition:
//   NewAllOfGate, NewAnyOfGate, NewAtLeastGate, NewWeightedGate,
//   NewShadowGate (evaluates and records, never blocks).
//
// A threshold, relative or alarm gate is an analysis with one metric taking
// one measurement: an errored query is retried after 10 s, up to the
// consecutive-error limit (4), like an Argo metric with no interval.
//
// Errors are kInvalidArgument naming the field, e.g. "max: must be >= min
// (got 0.1 < 0.5)"; sluice/gate_policy.h prefixes them with the spec path.
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
//
//   sluice::DeployWindowOptions hours;
//   hours.time_zone = "America/New_York";
//   hours.windows.push_back(
//       {{absl::Weekday::monday, absl::Weekday::tuesday,
//         absl::Weekday::wednesday, absl::Weekday::thursday},
//        absl::Hours(9), absl::Hours(16)});
//   auto window = sluice::NewDeployWindowGate("business-hours", hours);

#ifndef SLUICE_GATES_H_
#define SLUICE_GATES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "sluice/health_gate.h"
#include "sluice/metric_source.h"
#include "sluice/verdict.h"

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
  // The name, e.g. "p99_latency". Required.
  std::string name;
  // Provider-specific query text, passed to the host. Default: empty.
  std::string query;
  // Provider-specific parameters, passed to the host. Default: none.
  std::map<std::string, std::string> params;
  // The unit, for verdicts, e.g. "ms". Default: empty.
  std::string unit;
  // Default: kFail.
  MissingDataPolicy missing_data = MissingDataPolicy::kFail;
};

// An aggregate of one cohort within [min, max], both inclusive.
// Value type; thread-compatible.
struct ThresholdCheck {
  // The metric. Required (a name).
  MetricDefinition metric;
  // Default: mean.
  Aggregation aggregation;
  // The smallest acceptable value. Default: none.
  std::optional<double> min;
  // The largest acceptable value; >= min. Default: none. At least one of min
  // and max is required.
  std::optional<double> max;
  // The query window, ending at the evaluation. Default: 5 minutes; > 0.
  absl::Duration window = absl::Minutes(5);
  // Default: kWave.
  Cohort cohort = Cohort::kWave;
};

// The wave's aggregate against the baseline's over the same window:
// ratio = wave / baseline, difference = wave - baseline.
// Value type; thread-compatible.
struct RelativeCheck {
  // The metric. Required (a name).
  MetricDefinition metric;
  // Default: mean.
  Aggregation aggregation;
  // Bounds on the ratio (> 0 when set). Default: none.
  std::optional<double> min_ratio;
  std::optional<double> max_ratio;
  // Bounds on the difference, in the metric's unit. Default: none.
  std::optional<double> min_difference;
  std::optional<double> max_difference;
  // With both ratio and difference bounds: false passes a wave within either
  // allowance, true requires both. Default: false.
  bool require_both = false;
  // Default: 5 minutes; > 0.
  absl::Duration window = absl::Minutes(5);
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
  // Alarm names; at least one, unique.
  std::vector<std::string> alarms;
  // Default: kFail.
  InsufficientDataPolicy insufficient_data = InsufficientDataPolicy::kFail;
};

// What one measurement checks.
using MetricCheck = std::variant<ThresholdCheck, RelativeCheck, AlarmCheck>;

// One metric of a repeated analysis (Argo Rollouts' Metric).
// Value type; thread-compatible.
struct AnalysisMetric {
  // The name in verdicts; unique within the analysis. Default: the check's
  // metric name ("alarms" for an alarm check).
  std::string name;
  // Required.
  MetricCheck check;
  // Time between measurements; zero means none. Required (> 0) when count >
  // 1. Default: zero.
  absl::Duration interval = absl::ZeroDuration();
  // How many measurements (errors do not count), >= 1. Default: 1 when
  // interval is zero; required when it is not.
  std::optional<int32_t> count;
  // The first measurement waits this long after the analysis starts (its
  // first evaluation). Default: zero.
  absl::Duration initial_delay = absl::ZeroDuration();
  // Fails when failed measurements exceed this; -1 disables. Default: 0.
  int32_t failure_limit = 0;
  // Inconclusive when inconclusive measurements exceed this; >= 0.
  // Default: 0.
  int32_t inconclusive_limit = 0;
  // Errors when consecutive errors exceed this; >= 0. Default: 4.
  int32_t consecutive_error_limit = 4;
  // Succeeds when this many measurements in a row succeeded; 0 disables.
  // Default: 0.
  int32_t consecutive_success_limit = 0;
  // Measured and reported, never changes the outcome. Default: false.
  bool dry_run = false;
  // Wait after an errored measurement. Default: 10 s (Argo's
  // DefaultErrorRetryInterval); > 0.
  absl::Duration error_retry_interval = absl::Seconds(10);
};

// A gate checking `check` once (with Argo's error retries).
absl::StatusOr<std::unique_ptr<HealthGate>> NewThresholdGate(
    std::string name, ThresholdCheck check);
absl::StatusOr<std::unique_ptr<HealthGate>> NewRelativeGate(
    std::string name, RelativeCheck check);
absl::StatusOr<std::unique_ptr<HealthGate>> NewAlarmGate(std::string name,
                                                         AlarmCheck check);

// A repeated analysis; errors name the metric, e.g. "metrics[1].count: must
// be >= failure_limit (got 2 < 3)". At least one metric.
absl::StatusOr<std::unique_ptr<HealthGate>> NewAnalysisGate(
    std::string name, std::vector<AnalysisMetric> metrics);

// Parameters of a bake. Value type; thread-compatible.
struct BakeOptions {
  // How long the wave must stay healthy, from the end of its deploy
  // (GateContext::wave_deployed_at, else the first evaluation). Required;
  // > 0.
  absl::Duration duration = absl::ZeroDuration();
  // Time between checks; the first check is one interval into the bake, the
  // last at its end. Required; > 0 and <= duration.
  absl::Duration interval = absl::ZeroDuration();
  // The checks' samples (Verdict::sample_count) must add up to at least this
  // for the bake to pass; 0 disables. Default: 0.
  int64_t min_samples = 0;
  // The outcome of a bake with too few samples: kInconclusive or kFail.
  // Default: kInconclusive.
  Outcome too_few_samples = Outcome::kInconclusive;
};

// A bake: `check` is evaluated afresh (with a fresh state) at every
// interval; any check that does not pass ends the bake with its outcome.
absl::StatusOr<std::unique_ptr<HealthGate>> NewBakeGate(
    std::string name, BakeOptions options, std::unique_ptr<HealthGate> check);

// A weekly window: on `days`, local times [start, end) after midnight.
// Value type; thread-compatible.
struct WeeklyWindow {
  // The days; at least one.
  std::vector<absl::Weekday> days;
  // Local time of day the window opens, in [0, 24h). Default: 0.
  absl::Duration start = absl::ZeroDuration();
  // Local time of day it closes, in (start, 24h]. Default: 0 (invalid).
  absl::Duration end = absl::ZeroDuration();
};

// A one-off period with no deploys, in local civil time [start, end).
// Value type; thread-compatible.
struct Blackout {
  absl::CivilSecond start;
  // After start.
  absl::CivilSecond end;
  // For people, e.g. "Black Friday freeze". Default: empty.
  std::string reason;
};

// Parameters of a deploy-window gate. Value type; thread-compatible.
struct DeployWindowOptions {
  // An IANA time zone, e.g. "America/New_York". Required.
  std::string time_zone;
  // Allowed windows; empty means always allowed outside blackouts.
  std::vector<WeeklyWindow> windows;
  // Blackouts.
  std::vector<Blackout> blackouts;
};

// Passes inside an allowed window and outside every blackout; otherwise
// holds until the next allowed time and says when. The zone is loaded from
// the system's zoneinfo (tzdata) by the factory.
absl::StatusOr<std::unique_ptr<HealthGate>> NewDeployWindowGate(
    std::string name, DeployWindowOptions options);

// Parameters of a manual-approval gate. Value type; thread-compatible.
struct ManualApprovalOptions {
  // How long to wait from the gate's first evaluation; > 0. Default: none
  // (wait forever).
  std::optional<absl::Duration> timeout;
  // The outcome at the timeout: kFail, kPass or kInconclusive. Default:
  // kFail.
  Outcome on_timeout = Outcome::kFail;
};

// Holds until GateContext::signals has a decision for this gate (a signal
// naming it, or naming no gate): any rejection fails, else an approval
// passes; the verdict says who.
absl::StatusOr<std::unique_ptr<HealthGate>> NewManualApprovalGate(
    std::string name, ManualApprovalOptions options);

// All gates must pass; the verdict is the worst outcome (by
// OutcomeSeverity()), so any failure fails at once and a hold waits.
absl::StatusOr<std::unique_ptr<HealthGate>> NewAllOfGate(
    std::string name, std::vector<std::unique_ptr<HealthGate>> gates);

// One gate must pass; the verdict is the best outcome.
absl::StatusOr<std::unique_ptr<HealthGate>> NewAnyOfGate(
    std::string name, std::vector<std::unique_ptr<HealthGate>> gates);

// At least k of the gates must pass: the verdict is the k-th best outcome
// (all-of is k = n, any-of is k = 1). k in [1, number of gates].
absl::StatusOr<std::unique_ptr<HealthGate>> NewAtLeastGate(
    std::string name, int k, std::vector<std::unique_ptr<HealthGate>> gates);

// A gate and its weight in a weighted score. Move-only.
struct WeightedGate {
  // > 0 and finite.
  double weight = 1;
  std::unique_ptr<HealthGate> gate;
};

// score = 100 * (weight of passing gates) / (total weight). Passes once
// score >= pass_score; when no gate holds any more: inconclusive at
// marginal_score <= score < pass_score, fails below (Kayenta's score
// thresholds). Fails early when even the holding gates could not lift the
// score to marginal_score. pass_score in (0, 100]; marginal_score in
// [0, pass_score], default pass_score.
absl::StatusOr<std::unique_ptr<HealthGate>> NewWeightedGate(
    std::string name, std::vector<WeightedGate> gates, double pass_score,
    std::optional<double> marginal_score = {});

// Evaluates `gate` and records its verdict in the details, but always
// passes (a shadow or dry run).
absl::StatusOr<std::unique_ptr<HealthGate>> NewShadowGate(
    std::string name, std::unique_ptr<HealthGate> gate);

}  // namespace sluice

#endif  // SLUICE_GATES_H_

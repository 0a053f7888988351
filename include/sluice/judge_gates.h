// Copyright 2026 The Sluice Authors.
//
// Statistical health gates: the canary (wave) cohort compared with the
// baseline cohort by the judges of sluice/stats/, as HealthGates that compose
// with the built-ins of sluice/gates.h (AllOf, AnyOf, Shadow, Bake, ...).
//
//  - The Kayenta judge gate is a fixed-horizon comparison: it waits until
//    `window` has passed since the wave deployed, queries every judged
//    metric's samples on the wave and on the baseline over that window, runs
//    sluice::stats::JudgeCanary and maps its Pass / Marginal / Fail.
//  - The sequential count gate (errors among requests) and the sequential
//    means gate (latency) watch continuously: every `interval` they query
//    the samples that arrived since the last check, stream them into an
//    anytime-valid test (sluice/stats/sequential_counts.h,
//    sequential_means.h) kept in the GateState, fail as soon as the test
//    shows the canary worse, and pass when `duration` ends without that.
//    Looking often costs no false alarms: the tests are valid at every time.
//
// docs/statistics.md says when to use a threshold, a judge or a sequential
// test. In a spec these are GateSpec.kayenta_judge, .sequential_count and
// .sequential_means (proto/sluice/v1/gates.proto).
//
// Host errors follow the analysis gates' conventions: a retryable error
// (kUnavailable, kDeadlineExceeded) holds for error_retry_interval and
// retries, until more than consecutive_error_limit errors in a row end the
// gate with kError; any other error ends it with kError at once.
//
// Example:
//
//   #include "sluice/judge_gates.h"
//
//   sluice::SequentialCountGateOptions options;
//   options.metric.name = "errors";  // per-target error counts
//   options.test.canary_share = 0.05;
//   options.duration = absl::Minutes(30);
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> gate =
//       sluice::NewSequentialCountGate("errors sequential", options);
//   if (!gate.ok()) return gate.status();
//   sluice::GateState state;  // one per wave; the engine snapshots it
//   sluice::Verdict v = (*gate)->Evaluate(context, state);

#ifndef SLUICE_JUDGE_GATES_H_
#define SLUICE_JUDGE_GATES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/health_gate.h"
#include "sluice/metric_checks.h"
#include "sluice/metric_source.h"
#include "sluice/stats/kayenta_classifier.h"
#include "sluice/stats/kayenta_judge.h"
#include "sluice/stats/sequential_counts.h"
#include "sluice/stats/sequential_means.h"
#include "sluice/stats/sequential_quantiles.h"
#include "sluice/stats/sequential_rates.h"
#include "sluice/verdict.h"

namespace sluice {

// Options of the Kayenta judge gate. A value type; thread-compatible.
struct KayentaJudgeGateOptions {
  // The judge: groups, metrics and thresholds. Required; must validate
  // (stats::KayentaJudgeConfig::Validate()).
  stats::KayentaJudgeConfig judge;
  // How each judged metric is queried (its query text, parameters, unit),
  // matched by name with judge.metrics; a judged metric without an entry is
  // queried by its name alone. Every entry must name a judged metric.
  // missing_data is not used: no data is Kayenta's Nodata (see
  // must_have_data). Default: none.
  std::vector<MetricDefinition> metrics;
  // The analysis window, from the end of the wave's deploy (or the gate's
  // first evaluation when unknown); the gate holds until it has passed. > 0.
  // Default: 30 minutes.
  absl::Duration window = absl::Minutes(30);
  // The gate's outcome for a Marginal score: kInconclusive, kPass or kFail.
  // Default: kInconclusive.
  Outcome marginal = Outcome::kInconclusive;
  // Wait after a retryable query error; > 0. Default: 10 s.
  absl::Duration error_retry_interval = absl::Seconds(10);
  // kError once retryable errors in a row exceed this; >= 0. Default: 4.
  int32_t consecutive_error_limit = 4;
  // Rates from counts: judged metric name -> the metric of its request
  // counts. A judged metric named here is an event (error) count; each
  // cohort's samples are then the per-interval rates errors / requests of
  // the intervals (timestamps) where both counts are known and requests > 0
  // (an aggregate answer is one pooled rate), so the judge compares rates
  // whatever each cohort's traffic. Every key must name a judged metric and
  // differ from its value's name. Default: none.
  std::map<std::string, MetricDefinition> requests_metrics;
  // Too little data is not a failure: when a judged metric that is not
  // muted has fewer than this many data points (for a metric with a
  // requests metric, requests) in the window on the wave or on the
  // baseline, the gate is kInconclusive, naming the metric and the counts,
  // without judging. >= 0; 0 disables. Default: 0.
  int64_t min_samples = 0;
};

// A Kayenta judge gate; see the file comment. The verdict's observations are
// "score" then, per metric, "<m>.p_value", "<m>.estimate", "<m>.lower",
// "<m>.upper" (in the metric's unit; NaN when not compared), "<m>.ratio",
// "<m>.n_control", "<m>.n_experiment"; its reason reads e.g. "judge score
// 62.5 < pass 75 (marginal 50): latency_p99 High (p=0.003, shift +41 ms
// [28, 55])". A metric with a requests metric adds "<m>.requests_control"
// and "<m>.requests_experiment" (the requests behind the rates). Below
// min_samples the verdict is kInconclusive with observations
// "<m>.n_control", "<m>.n_experiment" (requests for a rate metric) and a
// reason such as "too few samples to judge: errors has 40 requests on wave
// 2 (min_samples 1000)". The decision is kept in the GateState.
// Errors: kInvalidArgument naming the field ("judge.groups: weights must sum
// to 100 (got 90)", "window: must be > 0", "metrics[1].name: ...",
// "requests_metrics[\"errors\"]: names no judged metric", "min_samples: must be
// >= 0").
absl::StatusOr<std::unique_ptr<HealthGate>> NewKayentaJudgeGate(
    std::string name, KayentaJudgeGateOptions options);

// Options of the sequential count gate. A value type; thread-compatible.
struct SequentialCountGateOptions {
  // The metric: per-target event counts (e.g. errors per scrape), summed per
  // cohort over each interval; an aggregate answer is taken as that sum
  // (queries ask for kSum). No data is zero events. Required (a name).
  MetricDefinition metric;
  // The test: canary_share is the wave's share of the traffic of wave and
  // baseline together (required without requests_metric, then the test is
  // stats::SequentialCountTest at that share; with requests_metric, 0 or
  // the share the traffic split is meant to give, only compared with the
  // measured one); alpha (used by both tests), prior_concentration. Must
  // validate.
  stats::SequentialCountOptions test;
  // The request counts (the opportunities for an event) of the same
  // minutes. When set, each check adds each cohort's errors and requests
  // over the minutes both cohorts delivered to a stats::SequentialRateTest,
  // so the canary's share is measured, not configured; its verdicts report
  // "measured_share" (and "configured_share"), and say when a configured
  // share differs from the measured one by more than 20%. Default: unset.
  std::optional<MetricDefinition> requests_metric;
  // With requests_metric: null_ratio and tuning_events of the rate test
  // (its alpha is test.alpha, its alternative follows `direction`).
  // Defaults: 1 and 50.
  stats::SequentialRateOptions rate_test;
  // When `duration` ends without harm shown and the wave saw fewer than
  // this many requests (with requests_metric) or events, the gate is
  // kInconclusive, not kPass; >= 0; 0 disables. Default: 0.
  int64_t min_samples = 0;
  // Time between checks; > 0 and <= duration. Default: 1 minute.
  absl::Duration interval = absl::Minutes(1);
  // How long the test runs from the end of the wave's deploy (or the first
  // evaluation); > 0. Required.
  absl::Duration duration = absl::ZeroDuration();
  // Which rejection fails the gate: kIncrease (the canary's event rate is
  // higher: the rate ratio's confidence sequence lies above 1), kDecrease,
  // or kEither. Default: kIncrease.
  stats::MetricDirection direction = stats::MetricDirection::kIncrease;
  // As KayentaJudgeGateOptions. Default: 10 s and 4.
  absl::Duration error_retry_interval = absl::Seconds(10);
  int32_t consecutive_error_limit = 4;
};

// A sequential count gate; see the file comment. Holds (with the next check
// time) while the test has not shown harm and `duration` is not over; kFail
// when the rate ratio's confidence sequence excludes 1 (the null ratio with
// requests_metric) on the harmful side; kPass at the end (kInconclusive
// below min_samples). A wave with no baseline (wave targets but no baseline
// targets: the last wave of a plan) passes at once, saying so. Each check
// consumes the minutes both cohorts have delivered, so data arriving late
// is read at a later check rather than skipped. Observations: "rate_ratio",
// "lower", "upper", "p_value", "e_value", "n_canary", "n_baseline". The test's
// state lives in the GateState (one measurement whose observations hold
// SequentialCountTest::SaveState()), so a snapshot resumes it exactly.
// Errors: kInvalidArgument naming the field ("test.canary_share: is
// required without a requests metric ...", "duration: must be > 0",
// "interval: must be <= duration", "min_samples: must be >= 0").
absl::StatusOr<std::unique_ptr<HealthGate>> NewSequentialCountGate(
    std::string name, SequentialCountGateOptions options);

// Options of the sequential means gate. A value type; thread-compatible.
struct SequentialMeansGateOptions {
  // The metric (e.g. request latency samples). Every finite sample of each
  // cohort is streamed into the test, in time order (wave first on ties);
  // an aggregate answer counts as one sample. Required (a name).
  MetricDefinition metric;
  // The test: sigma_canary and sigma_baseline (required), alpha,
  // tuning_observations. Must validate.
  stats::SequentialMeanOptions test;
  // Values are clipped to [min_value, max_value] before the test. Default:
  // not clipped.
  std::optional<double> min_value;
  std::optional<double> max_value;
  // As SequentialCountGateOptions; the harmful side is relative to a
  // difference of 0 (wave mean - baseline mean). Defaults: 1 minute,
  // required, kIncrease, 10 s, 4.
  absl::Duration interval = absl::Minutes(1);
  absl::Duration duration = absl::ZeroDuration();
  stats::MetricDirection direction = stats::MetricDirection::kIncrease;
  absl::Duration error_retry_interval = absl::Seconds(10);
  int32_t consecutive_error_limit = 4;
  // When `duration` ends without harm shown and the wave gave fewer than
  // this many samples, the gate is kInconclusive; >= 0; 0 disables.
  // Default: 0.
  int64_t min_samples = 0;
};

// A sequential means gate: as the count gate, with the difference of means
// and its confidence sequence. Observations: "difference", "lower",
// "upper", "p_value", "e_value", "n_canary", "n_baseline".
// Errors: kInvalidArgument naming the field ("test.sigma_canary: ...",
// "max_value: must be > min_value").
absl::StatusOr<std::unique_ptr<HealthGate>> NewSequentialMeansGate(
    std::string name, SequentialMeansGateOptions options);

// Options of the sequential quantile gate. A value type; thread-compatible.
struct SequentialQuantileGateOptions {
  // The metric, queried with MetricSource::QueryDistribution() (every
  // request's latency as observations or cumulative histogram buckets).
  // Required (a name).
  MetricDefinition metric;
  // The test: quantile (e.g. 0.99), alpha, tuning_observations,
  // arm_boundary; its alternative follows `direction`. Must validate.
  // Defaults: stats::SequentialQuantileOptions's (quantile 0.5).
  stats::SequentialQuantileOptions test;
  // As SequentialCountGateOptions: interval (1 minute), duration (required),
  // direction (kIncrease: the wave's quantile higher), 10 s and 4.
  absl::Duration interval = absl::Minutes(1);
  absl::Duration duration = absl::ZeroDuration();
  stats::MetricDirection direction = stats::MetricDirection::kIncrease;
  absl::Duration error_retry_interval = absl::Seconds(10);
  int32_t consecutive_error_limit = 4;
  // When `duration` ends without harm shown and the wave gave fewer than
  // this many observations, the gate is kInconclusive; >= 0; 0 disables.
  // Default: 0.
  int64_t min_samples = 0;
  // Each query's window ends this long before the check, so that the host
  // has delivered it (distributions carry no timestamps, so late data
  // cannot be read later); >= 0 and < duration. Default: 0.
  absl::Duration delivery_delay = absl::ZeroDuration();
  // MetricQuery::max_observations of the queries (a host holding more
  // subsamples or answers a histogram); >= 0; 0: no limit. Default: 0.
  int64_t max_observations = 0;
};

// A sequential quantile gate: every `interval`, the wave's and the
// baseline's distributions since the last check (observations, or the
// histogram buckets' observations at their upper bounds) are added to a
// stats::SequentialQuantileTest (Howard & Ramdas' quantile A/B test, one-
// sided in the harmful direction); fails as soon as the test rejects,
// passes when `duration` ends without that (kInconclusive below
// min_samples); a wave with no baseline passes at once. Observations:
// "quantile_difference", "lower", "upper", "p_value", "e_value",
// "n_canary", "n_baseline". The test's state (one value and count per
// distinct observation) lives in the GateState, so a snapshot resumes it
// exactly. A host without distribution queries makes it kError.
// Errors: kInvalidArgument naming the field ("test.quantile: ...",
// "delivery_delay: must be >= 0 and < duration").
absl::StatusOr<std::unique_ptr<HealthGate>> NewSequentialQuantileGate(
    std::string name, SequentialQuantileGateOptions options);

}  // namespace sluice

#endif  // SLUICE_JUDGE_GATES_H_

// Copyright 2026 The Sluice Authors.
//
// The analysis gate: repeated measurements of metric checks
// (sluice/metric_checks.h) with Argo Rollouts' AnalysisRun semantics.
//
// Each AnalysisMetric measures its check every `interval`, `count` times
// (after an optional initial delay), and ends Failed when failed
// measurements exceed `failure_limit`, Inconclusive when inconclusive ones
// exceed `inconclusive_limit`, Error after more than
// `consecutive_error_limit` errors in a row, and Successful when the count
// is reached (or `consecutive_success_limit` successes in a row). The gate
// holds while any metric runs and then takes the worst phase of the metrics
// that are not dry-run. docs/gates.md lists where Sluice differs from Argo.
//
// Example (error rate every minute, five times, one failure tolerated):
//
//   sluice::ThresholdCheck errors;
//   errors.metric.name = "error_rate";
//   errors.max = 0.01;
//   errors.window = absl::Minutes(1);
//   sluice::AnalysisMetric metric;
//   metric.check = errors;
//   metric.interval = absl::Minutes(1);
//   metric.count = 5;
//   metric.failure_limit = 1;
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> gate =
//       sluice::NewAnalysisGate("error-rate", {metric});
//   if (!gate.ok()) return gate.status();

#ifndef SLUICE_ANALYSIS_GATE_H_
#define SLUICE_ANALYSIS_GATE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/health_gate.h"
#include "sluice/metric_checks.h"

namespace sluice {

// One metric of a repeated analysis (Argo Rollouts' Metric).
// Value type; thread-compatible.
struct AnalysisMetric {
  // The name in verdicts; unique within the analysis. Default: the check's
  // metric name ("alarms" for an alarm check).
  std::string name;
  // What each measurement checks. Required. Default: a ThresholdCheck with
  // no metric (invalid).
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
  // Wait after an errored measurement; > 0. Default: 10 s (Argo's
  // DefaultErrorRetryInterval).
  absl::Duration error_retry_interval = absl::Seconds(10);
};

// A repeated analysis; errors name the metric, e.g. "metrics[1].count: must
// be >= failure_limit (got 2 < 3)". At least one metric.
absl::StatusOr<std::unique_ptr<HealthGate>> NewAnalysisGate(
    std::string name, std::vector<AnalysisMetric> metrics);

}  // namespace sluice

#endif  // SLUICE_ANALYSIS_GATE_H_

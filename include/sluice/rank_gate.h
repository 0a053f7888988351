// Copyright 2026 The Sluice Authors.
//
// The rank test gate: the wave's (canary's) distribution of a metric, e.g.
// every request's latency, against the baseline's, by a one-sided
// Mann-Whitney U test with ties (sluice/stats/mann_whitney.h). Where the
// sequential quantile gate watches one quantile, this gate compares whole
// distributions: it sees a release that makes most requests slower (a +20%
// latency everywhere, hence +20% at the p99), not a change confined to the
// slowest 1%.
//
// The gate is a fixed-horizon test, as the Kayenta judge: it holds until
// `window` has passed since the wave finished deploying, then asks
// MetricSource::QueryDistribution() for each cohort's distribution over
// that window. A histogram answer (Prometheus' cumulative `le` buckets) is
// ranked bucket by bucket, every observation of a bucket tied with the
// others (MannWhitneyUHistograms); the finer the buckets, the more the test
// sees. Observations are ranked exactly. When the cohorts' buckets differ,
// or one cohort answers observations and the other a histogram, both are
// put into the buckets they share (each value into the first shared upper
// bound at or above it), so nothing is compared more finely than both
// cohorts were measured.
//
// Huge samples make a trivial shift significant; `min_superiority` asks for
// an effect too: the gate fails only when the canary is significantly
// slower (p < alpha) and its probability of superiority, P(canary >
// baseline) + P(canary = baseline) / 2 = U / (n m), is at least that.
// Too little data is not a failure: below `min_samples` observations on
// either cohort the verdict is kInconclusive, with the counts.
//
// In a spec: GateSpec.rank_test (proto/sluice/v1/gates.proto).
//
// Example:
//
//   #include "sluice/rank_gate.h"
//
//   sluice::RankTestGateOptions options;
//   options.metric.name = "latency_ms";  // answers QueryDistribution()
//   options.window = absl::Minutes(15);
//   options.min_samples = 500;
//   options.min_superiority = 0.55;
//   absl::StatusOr<std::unique_ptr<sluice::HealthGate>> gate =
//       sluice::NewRankTestGate("latency rank test", options);
//   if (!gate.ok()) return gate.status();
//   sluice::GateState state;  // one per wave; the engine snapshots it
//   sluice::Verdict v = (*gate)->Evaluate(context, state);

#ifndef SLUICE_RANK_GATE_H_
#define SLUICE_RANK_GATE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sluice/health_gate.h"
#include "sluice/metric_checks.h"

namespace sluice {

// Options of the rank test gate. A value type; thread-compatible.
struct RankTestGateOptions {
  // The metric, queried with MetricSource::QueryDistribution() on the wave
  // and on the baseline (observations or cumulative histogram buckets).
  // Required (a name).
  MetricDefinition metric;
  // The analysis window, from the end of the wave's deploy (or the gate's
  // first evaluation when unknown); the gate holds until it has passed.
  // finite and > 0. Default: 30 minutes.
  absl::Duration window = absl::Minutes(30);
  // The test's significance level (one-sided: the canary higher), in
  // (0, 1). Default: 0.05.
  double alpha = 0.05;
  // The least probability of superiority of the canary, U / (n m), that
  // fails the gate, in [0.5, 1): with 0.55, a canary is failed only when a
  // random canary observation exceeds a random baseline one at least 55% of
  // the time (ties counting half). Default: 0.5 (any significant shift).
  double min_superiority = 0.5;
  // Fewer observations than this on the wave or on the baseline make the
  // verdict kInconclusive, naming the cohort and the counts; >= 0; 0
  // disables. Default: 0.
  int64_t min_samples = 0;
  // MetricQuery::max_observations of the queries (a host holding more
  // subsamples them or answers a histogram); >= 0; 0: no limit. Default: 0.
  int64_t max_observations = 0;
  // Wait after a retryable query error; > 0. Default: 10 s.
  absl::Duration error_retry_interval = absl::Seconds(10);
  // kError once retryable errors in a row exceed this; >= 0. Default: 4.
  int32_t consecutive_error_limit = 4;
};

// A rank test gate; see the file comment. Holds until the window has
// passed; then kFail when the canary is significantly higher with at least
// min_superiority, kInconclusive below min_samples, else kPass. A wave with
// no baseline (the last wave of a plan) passes at once, saying so. No data
// on a cohort counts as 0 observations (kInconclusive with min_samples,
// else kPass: there is nothing to compare). Observations: "u", "p_value",
// "z", "superiority", "n_canary", "n_baseline"; the reason reads e.g.
// "latency_ms higher on wave 1: p=0.0004 < alpha 0.05, superiority 0.58 >=
// 0.55 (n 8123 vs 70211, 190 buckets)" (the buckets compared, for
// histograms). The decision (outcome, reason, observations) is
// kept in the GateState, so a snapshot restores it. A host without
// distribution queries, or invalid histograms, make it kError.
// Errors: kInvalidArgument naming the field ("metric.name: must not be
// empty", "window: must be finite and > 0", "alpha: must be in (0, 1)",
// "min_superiority: must be in [0.5, 1)", "min_samples: must be >= 0",
// "max_observations: must be >= 0", "error_retry_interval: must be > 0",
// "consecutive_error_limit: must be >= 0").
absl::StatusOr<std::unique_ptr<HealthGate>> NewRankTestGate(
    std::string name, RankTestGateOptions options);

}  // namespace sluice

#endif  // SLUICE_RANK_GATE_H_

// Copyright 2026 The Sluice Authors.
//
// MetricSource and AlarmSource: how Sluice asks the host about health.
//
// The host owns its metrics and alarms (Prometheus, CloudWatch, Datadog, an
// in-house store). Sluice never talks to them directly: after each wave, the
// health gates (sluice/health_gate.h) ask through these two small interfaces
// and decide. A MetricSource answers "what did metric M do on this cohort
// over this window"; an AlarmSource answers "what state are these alarms in".
//
// A metric query names a metric declared in the spec (with the spec's free
// text query and parameters, which only the host interprets), a cohort (the
// targets of the current wave, the baseline, or the whole fleet) and a time
// window. The answer is raw samples, one aggregate, or "no data". Failures
// are an absl::Status: kUnavailable and kDeadlineExceeded are retryable (the
// gate asks again a little later); every other code is not.
//
// Gates that compare distributions (e.g. every request's latency on the
// canary against the baseline's) ask QueryDistribution() instead: the answer
// is the observations themselves or cumulative histogram buckets, as
// Prometheus exposes them (`le`). A host that cannot answer keeps the
// default, kUnimplemented.
//
// Example (a host adapter over an in-house store):
//
//   class MyMetrics : public sluice::MetricSource {
//    public:
//     absl::StatusOr<sluice::MetricResult> Query(
//         const sluice::MetricQuery& query) override {
//       std::vector<sluice::Sample> samples;
//       for (const std::string& id : query.targets) {
//         // ... fetch query.query for target `id` over
//         // [query.start, query.end) and append to `samples` ...
//       }
//       if (samples.empty()) return sluice::MetricResult::NoData();
//       return sluice::MetricResult::FromSamples(std::move(samples));
//     }
//   };

#ifndef SLUICE_METRIC_SOURCE_H_
#define SLUICE_METRIC_SOURCE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace sluice {

// Which targets a query is about.
enum class Cohort {
  // The targets of the wave being judged (the canary).
  kWave,
  // The comparison targets: a baseline cohort running the old version, or the
  // stable targets, as the rollout engine chose them.
  kBaseline,
  // The whole fleet (query.targets is empty: the host knows its fleet).
  kFleet,
};

// "wave", "baseline" or "fleet".
absl::string_view CohortName(Cohort cohort);
std::ostream& operator<<(std::ostream& os, Cohort cohort);

// How a series of samples is reduced to one number.
enum class AggregationKind {
  // Arithmetic mean of the values.
  kMean,
  // Sum of the values.
  kSum,
  // Sum of the values divided by the window's length in seconds (per-second
  // rate of per-sample counts).
  kRate,
  // The number of samples.
  kCount,
  // The smallest value.
  kMin,
  // The largest value.
  kMax,
  // A quantile in (0, 1), e.g. p99 = 0.99, by linear interpolation between
  // closest ranks (the default method of R and NumPy).
  kQuantile,
};

// An aggregation: a kind and, for kQuantile, the quantile. Value type.
// Parse "mean", "sum", "rate", "count", "min", "max", "p50", "p99.9" or
// "quantile(0.995)" with ParseAggregation().
// Thread-compatible.
struct Aggregation {
  // The reduction. Default: kMean.
  AggregationKind kind = AggregationKind::kMean;
  // For kQuantile only: the quantile, in (0, 1). Default: 0.5.
  double quantile = 0.5;

  friend bool operator==(const Aggregation& a, const Aggregation& b) {
    return a.kind == b.kind &&
           (a.kind != AggregationKind::kQuantile || a.quantile == b.quantile);
  }
  friend bool operator!=(const Aggregation& a, const Aggregation& b) {
    return !(a == b);
  }
};

// Parses an aggregation name. Errors are kInvalidArgument, e.g. "quantile
// must be in (0, 1) (got 1.5)" or "unknown aggregation \"avg\" (want mean,
// sum, rate, count, min, max, pNN or quantile(q))".
absl::StatusOr<Aggregation> ParseAggregation(absl::string_view text);

// The canonical name: "mean", ..., "p99", "p99.9", "quantile(0.995)".
std::string AggregationName(const Aggregation& aggregation);
std::ostream& operator<<(std::ostream& os, const Aggregation& aggregation);

// One timestamped value. Value type; thread-compatible.
struct Sample {
  // When the value was observed.
  absl::Time time = absl::UnixEpoch();
  // The value. NaN values are dropped by the gates (treated as missing).
  double value = 0;

  friend bool operator==(const Sample& a, const Sample& b) {
    return a.time == b.time && a.value == b.value;
  }
  friend bool operator!=(const Sample& a, const Sample& b) { return !(a == b); }
};

// A question to a MetricSource. The spans borrow the caller's data and are
// valid only during the Query() call. Thread-compatible.
struct MetricQuery {
  // The metric's name as declared in the spec, e.g. "p99_latency".
  std::string metric;
  // The spec's provider-specific query text (MetricSpec.query), e.g. a PromQL
  // expression; only the host interprets it. Default: empty.
  std::string query;
  // The spec's provider-specific parameters (MetricSpec.params). Default:
  // none.
  std::map<std::string, std::string> params;
  // Which cohort to measure. Default: kWave.
  Cohort cohort = Cohort::kWave;
  // The ids of the cohort's targets; empty for kFleet. Borrowed.
  absl::Span<const std::string> targets;
  // The index of the wave being judged, or -1 when none. Default: -1.
  int wave_index = -1;
  // The stage of that wave, e.g. "one-box". Default: empty.
  std::string stage;
  // The window [start, end). Default: empty window at the epoch.
  absl::Time start = absl::UnixEpoch();
  absl::Time end = absl::UnixEpoch();
  // The aggregation the gate will apply. A host that can aggregate on its
  // side (a PromQL histogram_quantile, a CloudWatch statistic) may return
  // MetricResult::FromAggregate() with it; otherwise it returns samples and
  // the gate aggregates. Ignored by QueryDistribution(). Default: none
  // (samples wanted).
  std::optional<Aggregation> aggregation;
  // For QueryDistribution() only: at most this many observations are
  // wanted; a host holding more subsamples them uniformly (and sets
  // MetricDistribution::total_count) or answers a histogram. 0: no limit.
  // Default: 0.
  int64_t max_observations = 0;
};

// What a MetricSource found: samples, one aggregate, or no data.
// Value type; thread-compatible.
struct MetricResult {
  // The shape of the answer.
  enum class Kind {
    // Nothing was recorded for the cohort in the window.
    kNoData,
    // Raw samples (see `samples`).
    kSamples,
    // One aggregated value (see `value`, `sample_count`).
    kAggregate,
  };

  // Default: kNoData.
  Kind kind = Kind::kNoData;
  // For kSamples: the samples, in any order. An empty list means no data.
  std::vector<Sample> samples;
  // For kAggregate: the value, computed with MetricQuery::aggregation. NaN
  // means no data (Kayenta's NaN).
  double value = 0;
  // For kAggregate: how many data points it summarizes, if known. Reported in
  // verdicts ("n=1240") and counted by bake gates' min_samples. Default:
  // unknown.
  std::optional<int64_t> sample_count;
  // For kNoData: why, if the host knows (e.g. "no series matched"). Default:
  // empty.
  std::string message;

  // Convenience constructors.
  static MetricResult NoData(std::string message = "");
  static MetricResult FromSamples(std::vector<Sample> samples);
  static MetricResult FromAggregate(double value,
                                    std::optional<int64_t> sample_count = {});

  friend bool operator==(const MetricResult& a, const MetricResult& b);
  friend bool operator!=(const MetricResult& a, const MetricResult& b) {
    return !(a == b);
  }
};

// Prints e.g. "no data", "3 samples", "aggregate 412 (n=1240)".
std::ostream& operator<<(std::ostream& os, const MetricResult& result);

// One bucket of a cumulative histogram, as Prometheus exposes them: the
// number of observations less than or equal to `upper_bound` (the `le`
// label). Value type; thread-compatible.
struct HistogramBucket {
  // The bucket's inclusive upper bound; +infinity for the last bucket.
  // Default: 0.
  double upper_bound = 0;
  // Observations <= upper_bound; non-decreasing from bucket to bucket. A
  // double, as Prometheus counters are. Default: 0.
  double cumulative_count = 0;

  friend bool operator==(const HistogramBucket& a, const HistogramBucket& b) {
    return a.upper_bound == b.upper_bound &&
           a.cumulative_count == b.cumulative_count;
  }
  friend bool operator!=(const HistogramBucket& a, const HistogramBucket& b) {
    return !(a == b);
  }
};

// What a MetricSource found when asked for a distribution (QueryDistribution):
// the observations of a metric on one cohort over one window (e.g. every
// request's latency), as the observations themselves or as a cumulative
// histogram, or no data. Value type; thread-compatible.
struct MetricDistribution {
  // The shape of the answer.
  enum class Kind {
    // Nothing was observed on the cohort in the window.
    kNoData,
    // The observations (see `observations`).
    kObservations,
    // A cumulative histogram (see `buckets`).
    kHistogram,
  };

  // Default: kNoData.
  Kind kind = Kind::kNoData;
  // For kObservations: the values, in any order. Default: empty.
  std::vector<double> observations;
  // For kHistogram: the buckets, upper bounds strictly increasing, the last
  // +infinity (its count is the total); see ValidateHistogram(). Default:
  // empty.
  std::vector<HistogramBucket> buckets;
  // How many observations the answer stands for: a host that subsampled
  // returns the population's count (>= observations.size()). Default:
  // unknown (then observations.size(), or the last bucket's count).
  std::optional<double> total_count;
  // The sum of the observations, if known (Prometheus' `_sum`). Default:
  // unknown.
  std::optional<double> sum;
  // For kNoData: why, if the host knows. Default: empty.
  std::string message;

  // Convenience constructors.
  static MetricDistribution NoData(std::string message = "");
  static MetricDistribution FromObservations(std::vector<double> observations);
  static MetricDistribution FromHistogram(std::vector<HistogramBucket> buckets);

  // The number of observations it stands for: total_count if set, else
  // observations.size() or the last bucket's count (0 for kNoData).
  double count() const;

  friend bool operator==(const MetricDistribution& a,
                         const MetricDistribution& b);
  friend bool operator!=(const MetricDistribution& a,
                         const MetricDistribution& b) {
    return !(a == b);
  }
};

// Prints e.g. "no data", "1200 observations", "histogram of 12 buckets
// (n=84021)".
std::ostream& operator<<(std::ostream& os, const MetricDistribution& d);

// Checks a cumulative histogram: at least one bucket, upper bounds strictly
// increasing (not NaN), the last one +infinity, counts finite, >= 0 and
// non-decreasing. Errors are kInvalidArgument naming the bucket, e.g.
// "buckets[2].cumulative_count: must be >= buckets[1]'s (got 3 < 5)".
absl::Status ValidateHistogram(absl::Span<const HistogramBucket> buckets);

// The `q` quantile (q in [0, 1]) of a valid cumulative histogram as
// Prometheus' histogram_quantile() computes it: linear interpolation inside
// the bucket holding rank q * total, the first bucket starting at 0 (when
// its bound is positive), and the largest finite bound when the rank falls
// in the +infinity bucket. NaN when the histogram is empty or invalid.
double HistogramQuantile(absl::Span<const HistogramBucket> buckets, double q);

// True for the codes a gate retries: kUnavailable and kDeadlineExceeded.
bool IsRetryable(const absl::Status& status);

// The host's metrics. Host interface, implemented by the host.
//
// Ownership: the host owns it and keeps it alive while any GateContext that
// points to it is in use. Calls: made by gates from the thread that calls
// HealthGate::Evaluate() (the rollout engine's driver thread), one at a time
// per rollout; several rollouts may share one source, so an implementation
// shared between rollouts must be thread-safe. Query() may block on I/O
// (keep it bounded: return kDeadlineExceeded rather than hang) and must not
// call back into Sluice.
class MetricSource {
 public:
  virtual ~MetricSource() = default;

  // Answers `query`. Returns samples, an aggregate, or MetricResult::NoData()
  // when nothing was recorded. Errors: kUnavailable / kDeadlineExceeded for
  // transient failures (retried); any other code is permanent for this
  // measurement (e.g. kInvalidArgument for a query the backend rejects,
  // kNotFound for an unknown metric).
  virtual absl::StatusOr<MetricResult> Query(const MetricQuery& query) = 0;

  // Answers the distribution of the metric's observations on query.cohort
  // over [query.start, query.end) (query.aggregation is ignored): the
  // observations (at most query.max_observations when it is > 0), a
  // cumulative histogram, or MetricDistribution::NoData(). Same contract and
  // errors as Query(). Default: kUnimplemented ("this MetricSource answers
  // no distribution queries"), which a gate that needs a distribution
  // reports as an error.
  virtual absl::StatusOr<MetricDistribution> QueryDistribution(
      const MetricQuery& query);
};

// The state of an alarm, as CloudWatch names them.
enum class AlarmState {
  // The alarm's condition is not met.
  kOk,
  // The alarm's condition is met: the alarm gate fails.
  kAlarm,
  // The alarm has too little data to decide; what that means is the alarm
  // gate's parameter.
  kInsufficientData,
};

// "OK", "ALARM" or "INSUFFICIENT_DATA".
absl::string_view AlarmStateName(AlarmState state);
std::ostream& operator<<(std::ostream& os, AlarmState state);

// A question to an AlarmSource. The span borrows the caller's data and is
// valid only during the call. Thread-compatible.
struct AlarmQuery {
  // The alarms' names, as in the spec, in order; not empty.
  std::vector<std::string> alarms;
  // The ids of the current wave's targets, for hosts with per-target alarms.
  // Borrowed.
  absl::Span<const std::string> targets;
  // The index of the wave being judged, or -1 when none. Default: -1.
  int wave_index = -1;
  // The stage of that wave. Default: empty.
  std::string stage;
  // The time of the evaluation. Default: the epoch.
  absl::Time now = absl::UnixEpoch();
};

// One alarm's state. Value type; thread-compatible.
struct AlarmStatus {
  // The alarm's name, as asked.
  std::string name;
  // Its state. Default: kOk.
  AlarmState state = AlarmState::kOk;
  // Why, if the host knows (e.g. CloudWatch's StateReason). Default: empty.
  std::string reason;

  friend bool operator==(const AlarmStatus& a, const AlarmStatus& b) {
    return a.name == b.name && a.state == b.state && a.reason == b.reason;
  }
  friend bool operator!=(const AlarmStatus& a, const AlarmStatus& b) {
    return !(a == b);
  }
};

// The host's alarms. Host interface, implemented by the host. Same contract
// as MetricSource: owned by the host, called from the thread evaluating
// gates, may block (bounded), must not call back into Sluice; thread-safe if
// shared between rollouts.
class AlarmSource {
 public:
  virtual ~AlarmSource() = default;

  // Returns the state of every alarm in query.alarms (one AlarmStatus per
  // name; order does not matter; an alarm missing from the answer is an
  // error of the gate). Errors as MetricSource::Query(): kUnavailable and
  // kDeadlineExceeded are retried, others are not.
  virtual absl::StatusOr<std::vector<AlarmStatus>> QueryAlarms(
      const AlarmQuery& query) = 0;
};

}  // namespace sluice

#endif  // SLUICE_METRIC_SOURCE_H_

// Copyright 2026 The Sluice Authors.
//
// The simulator's world: which version each target serves over virtual time
// (VersionHistory) and the metrics the targets produce (MetricModel).
//
// Metrics are modelled per target and per minute and aggregated per cohort
// analytically, so a query costs O(cohort + minutes) however many requests
// the cohort served:
//   - requests of target i in minute m are Poisson with mean
//     60 * rate(m) * weight_i * factor_i, where rate(m) is the scenario's
//     rate per unit of weight with its daily cycle (or a replayed recorded
//     series), factor_i a persistent log-normal spread between targets; the
//     minute's rate carries log-normal noise of sigma / sqrt(n) for a cohort
//     of n targets. A sum of Poisson counts is Poisson with the summed mean,
//     so a cohort's count is drawn once.
//   - errors are binomial per request (Poisson-approximated) with the base
//     error rate, times the fault's multiplier on targets the fault hurts;
//   - latency of one request is log-normal with a Pareto tail; a hurt
//     target adds the fault's latency shift. A cohort's quantile is the
//     quantile of the mixture (hurt and healthy requests in proportion),
//     plus the sampling error of an empirical quantile of that many
//     requests, times per-minute noise.
// Every random value is a hash of (run seed, cohort, minute, stream), so the
// same seed gives the same metrics in any query order and on any thread.
//
// Example:
//
//   absl::StatusOr<sluice::sim::MetricModel> model =
//       sluice::sim::MetricModel::Create(scenario, fleet, /*run_seed=*/42);
//   if (!model.ok()) return model.status();
//   sluice::sim::VersionHistory versions(fleet.size());
//   versions.SetNew(0, scenario.start + absl::Minutes(5));
//   std::vector<sluice::sim::CohortMinute> minutes;
//   std::vector<uint32_t> canary = {0};
//   model->CohortMinutes(canary, versions, scenario.start,
//                        scenario.start + absl::Minutes(30), &minutes);
//   double p99 = model->Value(minutes.back(),
//                             sluice::sim::Signal::kLatencyMs, 0.99);

#ifndef SLUICE_SIM_METRIC_MODEL_H_
#define SLUICE_SIM_METRIC_MODEL_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/fleet.h"
#include "sluice/sim/scenario.h"

namespace sluice::sim {

// A half-open interval of virtual time [from, to). Value type;
// thread-compatible.
struct TimeInterval {
  // Start, inclusive.
  absl::Time from = absl::InfinitePast();
  // End, exclusive; absl::InfiniteFuture() while open.
  absl::Time to = absl::InfiniteFuture();

  friend bool operator==(const TimeInterval& a, const TimeInterval& b) {
    return a.from == b.from && a.to == b.to;
  }
};

// Which targets serve the new version, over virtual time: per target, the
// intervals during which it did. The driver records deployments (SetNew) and
// rollbacks (SetOld) in time order per target. Thread-compatible.
class VersionHistory {
 public:
  // A history for `fleet_size` targets, all on the old version.
  explicit VersionHistory(size_t fleet_size);

  // Target `target` serves the new version from `time` on. No-op if it
  // already does. Requires target < size() and `time` no earlier than the
  // target's last change.
  void SetNew(uint32_t target, absl::Time time);
  // Target `target` serves the old version again from `time` on. No-op if it
  // does already. Same requirements as SetNew().
  void SetOld(uint32_t target, absl::Time time);

  // Whether the target serves the new version now (after the last change).
  bool IsNew(uint32_t target) const;
  // The target's intervals on the new version, in time order.
  absl::Span<const TimeInterval> intervals(uint32_t target) const;
  // The number of targets serving the new version now.
  size_t new_count() const { return new_count_; }
  // The number of targets.
  size_t size() const { return intervals_.size(); }

 private:
  std::vector<absl::InlinedVector<TimeInterval, 1>> intervals_;
  size_t new_count_ = 0;
};

// One minute of a cohort's metrics. Value type; thread-compatible.
struct CohortMinute {
  // The minute's start; it covers [time, time + 1 minute).
  absl::Time time;
  // The index of the minute from the scenario's start.
  int64_t index = 0;
  // The number of targets in the cohort.
  int64_t targets = 0;
  // Requests served in the minute.
  double requests = 0;
  // Failed requests in the minute (<= requests).
  double errors = 0;
  // The share of the cohort's traffic served by targets the fault hurts at
  // the middle of the minute, in [0, 1].
  double hurt_share = 0;
  // Multiplier of the latency from a replayed background (1 without).
  double latency_factor = 1;
  // The cohort's random key (a hash of its targets and the run seed).
  uint64_t key = 0;
};

// The metric model of one run: a scenario on a fleet with a run seed.
// Copying is cheap (the per-target data is shared).
// Thread-safe: all methods are const and may be called concurrently.
class MetricModel {
 public:
  // Builds the model; draws each target's persistent traffic factor and,
  // for a fault scoped to a share, which targets it hurts. Errors:
  // ValidateScenarioAgainst()'s.
  static absl::StatusOr<MetricModel> Create(const Scenario& scenario,
                                            const Fleet& fleet,
                                            uint64_t run_seed);

  // The inputs.
  const Scenario& scenario() const;
  const Fleet& fleet() const;
  uint64_t run_seed() const;

  // Whether a bad release's fault hurts target `i` (false for good
  // releases).
  bool hurts(uint32_t i) const;
  // The number of targets the fault hurts.
  size_t hurt_count() const;

  // Requests per second per unit of weight at `time`, without noise: the
  // daily cycle, or the replayed series when it drives kRequestRate.
  double BaseRate(absl::Time time) const;

  // The index of the minute containing `time` (floor; negative before the
  // start).
  int64_t MinuteIndex(absl::Time time) const;
  // The start of minute `index`.
  absl::Time MinuteStart(int64_t index) const;

  // Appends to `out` (cleared first) the cohort's data for each minute
  // whose start is in [from, to), given which targets serve the new version
  // (`versions`, sized to the fleet). `targets` are fleet indices, each at
  // most once. An empty cohort gives zero requests.
  void CohortMinutes(absl::Span<const uint32_t> targets,
                     const VersionHistory& versions, absl::Time from,
                     absl::Time to, std::vector<CohortMinute>* out) const;

  // The value of `signal` in a minute (for kLatencyMs, the quantile
  // `quantile` in ms; NaN when the cohort served no requests).
  double Value(const CohortMinute& minute, Signal signal,
               double quantile = 0.99) const;

  // The latency quantile of the request mixture without sampling error or
  // noise: the healthy body (scaled by `latency_factor`) and, with weight
  // `hurt_share`, the same shifted by the fault's latency shift.
  double MixtureQuantile(double quantile, double hurt_share,
                         double latency_factor) const;

  // A cohort's random key: a hash of the run seed and the targets in the
  // given order.
  uint64_t CohortKey(absl::Span<const uint32_t> targets) const;

 private:
  struct Data;
  explicit MetricModel(std::shared_ptr<const Data> data);
  std::shared_ptr<const Data> data_;
};

}  // namespace sluice::sim

#endif  // SLUICE_SIM_METRIC_MODEL_H_

// Copyright 2026 The Sluice Authors.
//
// The simulator's world: which version each target serves over virtual time
// (VersionHistory) and the metrics the targets produce (MetricModel).
//
// Metrics are modelled per target and per minute and aggregated per cohort
// analytically, zone by zone, so a query costs O(cohort + minutes x zones)
// however many requests the cohort served:
//   - requests of target i in zone z in minute m have mean
//     60 * rate_z(m) * weight_i * factor_i, where rate_z(m) is the rate per
//     unit of weight with the daily cycle of z's region in its own time zone
//     (or a replayed traffic series), its low-traffic periods and z's
//     traffic background, and factor_i a persistent log-normal spread
//     between targets; the minute's rate carries log-normal noise of
//     sigma / sqrt(n) for a cohort of n targets. Counts are Poisson, or
//     negative binomial (gamma-Poisson) with the scenario's overdispersion:
//     a cohort's count is one gamma-Poisson draw with the sum's mean and the
//     sum's variance (mean + overdispersion * sum of squared target means),
//     so a cohort's count is drawn once;
//   - errors: each target's rate is the base rate times its persistent
//     factor, times the error backgrounds and incidents of its zone; on
//     targets the fault hurts, while it shows, it is multiplied and added to
//     (Fault), and a crashed target fails every request. A cohort's errors
//     are one draw (Poisson, or binomial for rates above 0.1; gamma-mixed
//     with the overdispersion) from the traffic-weighted rate;
//   - latency of one request is log-normal with a Pareto tail, scaled by
//     the target's persistent factor and its zone's latency background (a
//     cohort's scale is their traffic-weighted geometric mean and the body's
//     sigma grows by their spread: the log-latency's first two moments are
//     kept), times an incident's multiplier; a hurt target's requests are
//     multiplied and shifted by the fault, its tail part further by the
//     fault's tail multiplier. A cohort's quantile is the quantile of that
//     mixture plus the sampling error of an empirical quantile of that many
//     requests, times per-minute noise; a cohort's histogram buckets and
//     request samples come from the same mixture.
// Every random value is a hash of (run seed, cohort, minute, stream), so the
// same seed gives the same metrics in any query order and on any thread.
// Per run, the model draws each target's factors, which targets the fault
// hurts and which of them crash, the incidents of every zone and region,
// the intermittent fault's phase, and each recorded background's offset.
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
#include <utility>
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
  // How many SetNew() and SetOld() calls changed the history (no-ops do
  // not count): the same count means the same intervals. Starts at 0.
  int64_t changes() const { return changes_; }

 private:
  std::vector<absl::InlinedVector<TimeInterval, 1>> intervals_;
  size_t new_count_ = 0;
  int64_t changes_ = 0;
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
  // The share of the cohort's traffic served by targets the fault hurts
  // while it shows, at the middle of the minute, in [0, 1].
  double hurt_share = 0;
  // The mean size of the fault (in [0, 1], below 1 while it ramps up) over
  // that traffic. Default: 1.
  double hurt_severity = 1;
  // The scale of the cohort's latency (backgrounds, per-target factors: the
  // traffic-weighted geometric mean; 1 without).
  double latency_factor = 1;
  // The sigma of the log of the latency body, the scenario's widened by the
  // spread of the cohort's latency factors. 0 means the scenario's.
  double latency_sigma = 0;
  // The share of the cohort's traffic in zones with an incident, and those
  // zones' latency multiplier.
  double incident_share = 0;
  double incident_latency = 1;
  // The share of the cohort's traffic served by crashed targets.
  double crashed_share = 0;
  // The expected requests and failed requests (before noise), the expected
  // requests served by hurt targets while the fault showed or by crashed
  // targets, and the expected failed requests the fault added.
  double expected_requests = 0;
  double expected_errors = 0;
  double harmed_requests = 0;
  double excess_errors = 0;
  // The cohort's random key (a hash of its targets and the run seed).
  uint64_t key = 0;
};

// The part of a cohort's aggregation that depends only on its targets (its
// zones' sums of weights and factors, its random key, its hurt targets),
// computed once with MetricModel::Profile() and reused by every query of
// the same target list. Valid only with the model that made it. Value type;
// thread-compatible.
class CohortProfile {
 public:
  CohortProfile() = default;
  // The number of targets and the cohort's key.
  size_t size() const { return size_; }
  uint64_t key() const { return key_; }

 private:
  friend class MetricModel;
  struct Zone {
    uint32_t zone = 0;
    uint32_t region = 0;
    // Weight, weight * error factor, weight * log latency factor and its
    // square.
    double w = 0, we = 0, wl = 0, wl2 = 0;
  };
  struct Hurt {
    uint32_t target = 0;
    uint32_t zone_slot = 0;
  };
  size_t size_ = 0;
  uint64_t key_ = 0;
  std::vector<Zone> zones_;
  std::vector<Hurt> hurt_;
  double weight_ = 0, w2_ = 0, we_ = 0, we2_ = 0;
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
  // Target `i`'s persistent factors: of its error rate (mean 1 over
  // targets) and of its latency (median 1); 1 without spread.
  double ErrorFactor(uint32_t i) const;
  double LatencyFactor(uint32_t i) const;
  // Whether hurt target `i` dies fault.crash.after its deployment (drawn
  // per run with fault.crash.die_probability).
  bool crashes(uint32_t i) const;
  // Whether the deployment of hurt target `i`, attempt `attempt`, fails
  // because of the fault (fault.crash.deploy_failure_probability).
  bool CrashOnDeploy(uint32_t i, uint64_t attempt) const;

  // Requests per second per unit of weight at `time` in the fleet's zone
  // `zone`, without noise: its region's daily cycle in its own time zone (or
  // the replayed traffic series), low-traffic periods and traffic
  // backgrounds. Requires zone < fleet().zones().size().
  double ZoneRate(uint32_t zone, absl::Time time) const;
  // The fleet's mean of ZoneRate() weighted by the zones' weights.
  double BaseRate(absl::Time time) const;
  // The multiplier of `signal` (kRequestRate, kErrorRate or kLatencyMs)
  // from the recorded backgrounds replayed in `zone` at `time` (1 without).
  double BackgroundFactor(Signal signal, uint32_t zone, absl::Time time) const;
  // Incidents of `zone` active at `time`: their product error multiplier
  // and latency multiplier (1 and 1 without).
  std::pair<double, double> IncidentAt(uint32_t zone, absl::Time time) const;
  // One incident drawn for this run: an interval with its error and latency
  // multipliers. Value type; thread-compatible.
  struct Incident {
    absl::Time from;
    absl::Time to;
    double error_multiplier = 1;
    double latency_multiplier = 1;
  };
  // The incidents of the fleet's zone `zone`, in time order.
  absl::Span<const Incident> incidents(uint32_t zone) const;
  // Whether the fault's intermittence, load level and whole-region rule let
  // it show in `zone` at `time` (true for a fault with none of them; the
  // whole-region rule needs `versions`).
  bool FaultShows(uint32_t zone, absl::Time time,
                  const VersionHistory& versions) const;
  // A recorded background's offset into its series in one zone it covers,
  // for this run. Value type; thread-compatible.
  struct BackgroundOffset {
    size_t background = 0;
    uint32_t zone = 0;
    absl::Duration offset;
  };
  // Every (background index in Scenario::AllBackgrounds(), zone, offset),
  // in that order.
  std::vector<BackgroundOffset> background_offsets() const;

  // The index of the minute containing `time` (floor; negative before the
  // start).
  int64_t MinuteIndex(absl::Time time) const;
  // The start of minute `index`.
  absl::Time MinuteStart(int64_t index) const;

  // Appends to `out` (cleared first) the cohort's data for each minute
  // whose start is in [from, to), given which targets serve the new version
  // (`versions`, sized to the fleet). `targets` are fleet indices, each at
  // most once. An empty cohort gives zero requests. With `draw` false only
  // the expected values are filled (requests and errors are 0): cheaper,
  // for exposure measures.
  void CohortMinutes(absl::Span<const uint32_t> targets,
                     const VersionHistory& versions, absl::Time from,
                     absl::Time to, std::vector<CohortMinute>* out,
                     bool draw = true) const;
  // The same for a cohort profiled with Profile(): the same minutes, without
  // walking the cohort again (O(hurt targets + minutes x zones)).
  void CohortMinutes(const CohortProfile& profile,
                     const VersionHistory& versions, absl::Time from,
                     absl::Time to, std::vector<CohortMinute>* out,
                     bool draw = true) const;
  // The profile of a cohort (fleet indices, each at most once). O(cohort).
  CohortProfile Profile(absl::Span<const uint32_t> targets) const;

  // The value of `signal` in a minute (for kLatencyMs, the quantile
  // `quantile` in ms, NaN when the cohort served no requests; for
  // kSlowCount, the requests slower than `slower_than_ms`, drawn as
  // LatencyHistogram() draws its last bucket).
  double Value(const CohortMinute& minute, Signal signal,
               double quantile = 0.99,
               double slower_than_ms = kDefaultSlowerThanMs) const;

  // The latency quantile of the request mixture without sampling error or
  // noise: the healthy body (scaled by `latency_factor`) and, with weight
  // `hurt_share`, the same hurt by the fault at full size.
  double MixtureQuantile(double quantile, double hurt_share,
                         double latency_factor) const;
  // The latency quantile of a minute's request mixture (fault, incidents,
  // factors), without sampling error or noise.
  double MixtureQuantile(const CohortMinute& minute, double quantile) const;
  // The probability that one of the minute's requests takes at most `ms`
  // (without the minute's noise).
  double MixtureCdf(const CohortMinute& minute, double ms) const;
  // The minute's multiplicative latency noise (latency.minute_noise).
  double MinuteNoise(const CohortMinute& minute) const;

  // Draws how many of the minute's requests fall in each bucket: `bounds`
  // are upper bounds in ms, increasing, with +inf implied after the last;
  // `counts` gets bounds.size() + 1 (non-cumulative) counts summing to the
  // minute's requests, multinomial over the mixture (with the minute's
  // noise).
  void LatencyHistogram(const CohortMinute& minute,
                        absl::Span<const double> bounds,
                        std::vector<double>* counts) const;
  // Appends to `out` min(max_count, requests) request latencies of the
  // minute, drawn from the mixture (with the minute's noise).
  void LatencyObservations(const CohortMinute& minute, int64_t max_count,
                           std::vector<double>* out) const;
  // The mean latency of the minute's requests (with its noise), in ms;
  // +inf when the tail's shape is <= 1.
  double MeanLatency(const CohortMinute& minute) const;

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

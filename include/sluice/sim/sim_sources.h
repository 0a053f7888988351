// Copyright 2026 The Sluice Authors.
//
// The simulator's host: a virtual clock, and a MetricSource and an
// AlarmSource answering from a MetricModel, so the real health gates can be
// evaluated on a virtual fleet. Users' own tests can use them too: build a
// MetricModel from a scenario, record deployments in a VersionHistory, and
// evaluate a gate against these sources at virtual times.
//
// Metric delivery follows the scenario: a minute's data point becomes visible
// `delivery.lag` after the minute ends; each cohort-minute point is lost with
// `delivery.drop_probability`; each query fails with kUnavailable with
// `delivery.error_probability` (a retryable code, so gates ask again).
//
// Example:
//
//   sluice::sim::VirtualClock clock(scenario.start);
//   sluice::sim::VersionHistory versions(fleet.size());
//   sluice::sim::SimMetricSource metrics(model, versions, clock);
//   sluice::sim::SimAlarmSource alarms(model, versions, clock);
//   clock.Set(scenario.start + absl::Minutes(30));
//   sluice::MetricQuery query;
//   query.metric = "error_rate";
//   query.start = scenario.start;
//   query.end = clock.Now();
//   absl::StatusOr<sluice::MetricResult> result = metrics.Query(query);

#ifndef SLUICE_SIM_SIM_SOURCES_H_
#define SLUICE_SIM_SIM_SOURCES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sluice/clock.h"
#include "sluice/metric_source.h"
#include "sluice/sim/metric_model.h"

namespace sluice::sim {

// The simulator's virtual time: sluice::ManualClock (sluice/clock.h), the
// one manual clock of the simulator and of tests, moved only by the
// simulation driver. Thread-safe.
using VirtualClock = ::sluice::ManualClock;

// Resolved cohorts, remembered by the address and size of the caller's id
// list (the engine passes the same lists again and again) and checked id by
// id on every use. Thread-compatible.
struct CohortCache {
  // One remembered cohort.
  struct Entry {
    // The caller's id list: its address and length.
    const std::string* data = nullptr;
    size_t size = 0;
    // The fleet indices of the ids, in the same order.
    std::vector<uint32_t> indices;
    // Their profile (MetricModel::Profile), once a query needed it.
    std::optional<CohortProfile> profile = std::nullopt;
  };
  // The remembered cohorts.
  // At most kSize entries, replaced round-robin.
  static constexpr size_t kSize = 4;
  std::vector<Entry> entries;
  // The entry replaced next once all kSize are used.
  size_t next = 0;
};

// A MetricSource over a MetricModel. Metrics are resolved through
// Scenario::BindingFor() (kNotFound for a metric it cannot bind); each
// answer is one sample per visible minute ending in the window, stamped with
// the minute's end (as a rate over the minute is), or
// MetricResult::NoData() when none is visible. A cohort-minute's requests
// and errors come from the same draw and a lost minute is lost for every
// metric, so count metrics queried over one window line up minute by
// minute.
//
// Distribution queries (QueryDistribution) of a latency metric answer the
// requests of the same visible minutes: cumulative histogram buckets at the
// binding's bounds (Prometheus' default buckets unless set), with the total
// count and the expected sum; or, for a binding with
// Distribution::kObservations, up to max_observations_per_minute request
// latencies per minute (query.max_observations, when set, shared evenly
// across the minutes), with the requests they stand for as total_count.
// Other signals answer kUnimplemented.
//
// Cohorts: the query's target ids; without ids, kFleet is every target,
// kWave the targets on the new version and kBaseline the others
// (traffic-routed plans name no targets). A baseline with no target left
// (after the last wave) is answered with the whole fleet as it would behave
// on the old version, as a host comparing with history would.
//
// Borrows the model, the history and the clock, which must outlive it.
// Not thread-safe (it counts queries to decide which fail): one per run.
class SimMetricSource : public MetricSource {
 public:
  SimMetricSource(const MetricModel& model, const VersionHistory& versions,
                  const Clock& clock)
      : model_(model), versions_(versions), clock_(clock) {}

  // Answers from the model at the clock's time. Errors: kUnavailable
  // (simulated backend failure, retryable), kNotFound (unbound metric or
  // unknown target id).
  absl::StatusOr<MetricResult> Query(const MetricQuery& query) override;
  // The distribution of a latency metric's requests (see the class
  // comment). Errors as Query(), and kUnimplemented for other signals.
  absl::StatusOr<MetricDistribution> QueryDistribution(
      const MetricQuery& query) override;

  // The number of queries answered or failed so far.
  int64_t query_count() const { return queries_; }
  // The number of cohort windows computed from the model so far (a query
  // whose cohort, window and version history match one of the last eight
  // windows read is answered from it and not counted).
  int64_t computed_window_count() const { return computed_windows_; }

 private:
  // The binding, the cohort's minutes delivered in the window (in
  // minutes_), or an error.
  absl::StatusOr<MetricBinding> Prepare(const MetricQuery& query);

  const MetricModel& model_;
  const VersionHistory& versions_;
  const Clock& clock_;
  int64_t queries_ = 0;
  int64_t computed_windows_ = 0;
  std::vector<uint32_t> indices_;
  std::vector<CohortMinute> minutes_;
  CohortCache cache_;
  // The cache entry of the last resolved cohort, if it came from the cache.
  CohortCache::Entry* entry_ = nullptr;
  // Everyone on the old version: the baseline when none is left.
  std::optional<VersionHistory> old_version_;
  // The cohort minutes of the latest windows read, for the queries that
  // read the same cohort over the same window again (a gate's errors and
  // requests, two gates at one look): the minutes are a function of the
  // cohort, the history and the window alone, so a hit gives the same
  // answer without computing it again.
  struct Window {
    std::vector<uint32_t> indices;             // the cohort (fleet indices)
    const VersionHistory* versions = nullptr;  // the history read
    int64_t changes = 0;                       // versions->changes() when read
    absl::Time from;  // the minutes' window, as CohortMinutes() took it
    absl::Time to;
    std::vector<CohortMinute> minutes;  // after the delivery's drops
    uint64_t used = 0;  // the query count at its last read (for LRU)
  };
  // How many windows are kept; when full, the least recently read is
  // replaced (a gate's windows before are read at every look, its windows
  // after grow: replacing in turn would drop the ones read again).
  static constexpr size_t kWindows = 8;
  std::vector<Window> windows_;
};

// An AlarmSource over a MetricModel, evaluating the scenario's alarm rules
// like CloudWatch: over the last `evaluation_periods` complete, delivered
// one-minute points before the clock's time, ALARM when at least
// `datapoints_to_alarm` breach, INSUFFICIENT_DATA when fewer points than
// that exist, OK otherwise.
//
// Borrows the model, the history and the clock, which must outlive it.
// Not thread-safe: one per run.
class SimAlarmSource : public AlarmSource {
 public:
  SimAlarmSource(const MetricModel& model, const VersionHistory& versions,
                 const Clock& clock)
      : model_(model), versions_(versions), clock_(clock) {}

  // Errors: kUnavailable (simulated failure), kNotFound (an alarm the
  // scenario does not define, or an unknown target id).
  absl::StatusOr<std::vector<AlarmStatus>> QueryAlarms(
      const AlarmQuery& query) override;

 private:
  const MetricModel& model_;
  const VersionHistory& versions_;
  const Clock& clock_;
  int64_t queries_ = 0;
  std::vector<uint32_t> indices_;
  std::vector<CohortMinute> minutes_;
  CohortCache cache_;
};

}  // namespace sluice::sim

#endif  // SLUICE_SIM_SIM_SOURCES_H_

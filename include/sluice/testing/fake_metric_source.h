// Copyright 2026 The Sluice Authors.
//
// Fakes of the health-gate host interfaces MetricSource and AlarmSource,
// for Sluice's tests and for users' tests of their own gates and drivers.
// Their gMock mocks (and HealthGate's) have headers of their own,
// mock_metric_source.h, mock_alarm_source.h and mock_health_gate.h, included
// here too so that code written against this header keeps compiling.
//
// FakeMetricSource scripts what each (metric, cohort) returns over virtual
// time: from a given time on, a value, an error, or no data; or a series of
// samples from which each query takes its window. One-shot responses can be
// queued in front of the script (e.g. "two errors, then the script").
// FakeAlarmSource does the same for alarm states. Both record every query.
// Distribution queries (MetricSource::QueryDistribution) answer from their
// own script, set with SetDistribution().
//
// Example:
//
//   sluice::testing::FakeMetricSource metrics;
//   const absl::Time t0 = absl::FromUnixSeconds(1'700'000'000);
//   metrics.SetAggregate("p99_latency", sluice::Cohort::kWave, t0, 120, 500);
//   metrics.SetError("p99_latency", sluice::Cohort::kWave, t0 +
//   absl::Minutes(10),
//                    absl::UnavailableError("prometheus down"));
//   metrics.SetNoData("p99_latency", sluice::Cohort::kWave,
//                     t0 + absl::Minutes(20));
//   sluice::GateContext context;
//   context.metric_source = &metrics;
//
// A query is answered by, in order: the (metric, cohort)'s queued responses;
// else its scripted step with the latest `from` <= query.end; else its
// samples within [query.start, query.end) (no data if none); else no data.

#ifndef SLUICE_TESTING_FAKE_METRIC_SOURCE_H_
#define SLUICE_TESTING_FAKE_METRIC_SOURCE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "sluice/health_gate.h"
#include "sluice/metric_source.h"
#include "sluice/testing/mock_alarm_source.h"
#include "sluice/testing/mock_health_gate.h"
#include "sluice/testing/mock_metric_source.h"
#include "sluice/verdict.h"

namespace sluice::testing {

// A MetricQuery as FakeMetricSource recorded it (with owned copies of the
// borrowed fields). Value type; thread-compatible.
struct RecordedMetricQuery {
  std::string metric;
  std::string query;
  std::map<std::string, std::string> params;
  Cohort cohort = Cohort::kWave;
  std::vector<std::string> targets;
  int wave_index = -1;
  std::string stage;
  absl::Time start = absl::UnixEpoch();
  absl::Time end = absl::UnixEpoch();
  std::optional<Aggregation> aggregation;
  // True for a QueryDistribution() call. Default: false.
  bool distribution = false;
  int64_t max_observations = 0;
};

// A MetricSource answering from a script over virtual time. Thread-safe.
class FakeMetricSource : public MetricSource {
 public:
  FakeMetricSource() = default;

  // From `from` on, queries of (metric, cohort) whose window ends at or after
  // `from` return the aggregate `value` (NaN means no data) with
  // `sample_count`.
  void SetAggregate(const std::string& metric, Cohort cohort, absl::Time from,
                    double value, std::optional<int64_t> sample_count = {});
  // From `from` on, queries return `status` (not OK).
  void SetError(const std::string& metric, Cohort cohort, absl::Time from,
                absl::Status status);
  // From `from` on, queries return no data.
  void SetNoData(const std::string& metric, Cohort cohort, absl::Time from);
  // From `from` on, queries return the samples added with AddSamples() that
  // fall in their window (the default when nothing else is scripted).
  void UseSamples(const std::string& metric, Cohort cohort, absl::Time from);

  // Adds samples to (metric, cohort)'s series.
  void AddSamples(const std::string& metric, Cohort cohort,
                  const std::vector<Sample>& samples);

  // Queues one response, returned by the next query of (metric, cohort)
  // before the script is consulted.
  void QueueResponse(const std::string& metric, Cohort cohort,
                     absl::StatusOr<MetricResult> response);

  // From `from` on, distribution queries of (metric, cohort) whose window
  // ends at or after `from` return `answer` (a distribution or an error).
  // Before any, they return MetricDistribution::NoData().
  void SetDistribution(const std::string& metric, Cohort cohort,
                       absl::Time from,
                       absl::StatusOr<MetricDistribution> answer);

  // MetricSource.
  absl::StatusOr<MetricResult> Query(const MetricQuery& query) override;
  absl::StatusOr<MetricDistribution> QueryDistribution(
      const MetricQuery& query) override;

  // Every query so far, in order.
  std::vector<RecordedMetricQuery> queries() const;
  // The number of queries so far.
  size_t query_count() const;

 private:
  struct Step {
    enum class Kind { kAggregate, kError, kNoData, kSamples };
    absl::Time from;
    Kind kind = Kind::kNoData;
    double value = 0;
    std::optional<int64_t> sample_count;
    absl::Status status;
  };
  struct Script {
    std::vector<Step> steps;  // sorted by `from`, stable
    std::vector<Sample> samples;
    std::deque<absl::StatusOr<MetricResult>> queued;
  };
  void AddStep(const std::string& metric, Cohort cohort, Step step);
  void Record(const MetricQuery& query, bool distribution)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, Cohort>, Script> scripts_
      ABSL_GUARDED_BY(mu_);
  std::map<
      std::pair<std::string, Cohort>,
      std::vector<std::pair<absl::Time, absl::StatusOr<MetricDistribution>>>>
      distributions_ ABSL_GUARDED_BY(mu_);
  std::vector<RecordedMetricQuery> queries_ ABSL_GUARDED_BY(mu_);
};

// An AlarmQuery as FakeAlarmSource recorded it. Value type;
// thread-compatible.
struct RecordedAlarmQuery {
  std::vector<std::string> alarms;
  std::vector<std::string> targets;
  int wave_index = -1;
  std::string stage;
  absl::Time now = absl::UnixEpoch();
};

// An AlarmSource answering from a script over virtual time. An alarm never
// scripted is OK. Thread-safe.
class FakeAlarmSource : public AlarmSource {
 public:
  FakeAlarmSource() = default;

  // From `from` on (query.now >= from), `alarm` is in `state`.
  void SetState(const std::string& alarm, absl::Time from, AlarmState state,
                std::string reason = "");
  // From `from` on, every query fails with `status`; SetError(from,
  // absl::OkStatus()) ends the outage.
  void SetError(absl::Time from, absl::Status status);
  // Drops `alarm` from answers (the host "forgot" it) from `from` on.
  void Forget(const std::string& alarm, absl::Time from);

  // AlarmSource.
  absl::StatusOr<std::vector<AlarmStatus>> QueryAlarms(
      const AlarmQuery& query) override;

  // Every query so far, in order.
  std::vector<RecordedAlarmQuery> queries() const;

 private:
  struct Step {
    absl::Time from;
    bool forget = false;
    AlarmState state = AlarmState::kOk;
    std::string reason;
  };

  mutable absl::Mutex mu_;
  std::map<std::string, std::vector<Step>> alarms_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<absl::Time, absl::Status>> errors_ ABSL_GUARDED_BY(mu_);
  std::vector<RecordedAlarmQuery> queries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_FAKE_METRIC_SOURCE_H_

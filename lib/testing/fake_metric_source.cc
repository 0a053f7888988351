// Copyright 2026 The Sluice Authors.

#include "sluice/testing/fake_metric_source.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace sluice::testing {

void FakeMetricSource::AddStep(const std::string& metric, Cohort cohort,
                               Step step) {
  absl::MutexLock lock(&mu_);
  std::vector<Step>& steps = scripts_[{metric, cohort}].steps;
  // Keep steps sorted by `from`; a later call with the same `from` wins.
  auto it =
      std::upper_bound(steps.begin(), steps.end(), step.from,
                       [](absl::Time t, const Step& s) { return t < s.from; });
  steps.insert(it, std::move(step));
}

void FakeMetricSource::SetAggregate(const std::string& metric, Cohort cohort,
                                    absl::Time from, double value,
                                    std::optional<int64_t> sample_count) {
  Step step;
  step.from = from;
  step.kind = Step::Kind::kAggregate;
  step.value = value;
  step.sample_count = sample_count;
  AddStep(metric, cohort, std::move(step));
}

void FakeMetricSource::SetError(const std::string& metric, Cohort cohort,
                                absl::Time from, absl::Status status) {
  Step step;
  step.from = from;
  step.kind = Step::Kind::kError;
  step.status = status.ok() ? absl::InternalError("SetError with OK status")
                            : std::move(status);
  AddStep(metric, cohort, std::move(step));
}

void FakeMetricSource::SetNoData(const std::string& metric, Cohort cohort,
                                 absl::Time from) {
  Step step;
  step.from = from;
  step.kind = Step::Kind::kNoData;
  AddStep(metric, cohort, std::move(step));
}

void FakeMetricSource::UseSamples(const std::string& metric, Cohort cohort,
                                  absl::Time from) {
  Step step;
  step.from = from;
  step.kind = Step::Kind::kSamples;
  AddStep(metric, cohort, std::move(step));
}

void FakeMetricSource::AddSamples(const std::string& metric, Cohort cohort,
                                  const std::vector<Sample>& samples) {
  absl::MutexLock lock(&mu_);
  std::vector<Sample>& series = scripts_[{metric, cohort}].samples;
  series.insert(series.end(), samples.begin(), samples.end());
}

void FakeMetricSource::QueueResponse(const std::string& metric, Cohort cohort,
                                     absl::StatusOr<MetricResult> response) {
  absl::MutexLock lock(&mu_);
  scripts_[{metric, cohort}].queued.push_back(std::move(response));
}

void FakeMetricSource::SetDistribution(
    const std::string& metric, Cohort cohort, absl::Time from,
    absl::StatusOr<MetricDistribution> answer) {
  absl::MutexLock lock(&mu_);
  auto& steps = distributions_[{metric, cohort}];
  auto it = std::upper_bound(
      steps.begin(), steps.end(), from,
      [](absl::Time t, const auto& step) { return t < step.first; });
  steps.insert(it, {from, std::move(answer)});
}

void FakeMetricSource::Record(const MetricQuery& query, bool distribution) {
  RecordedMetricQuery recorded;
  recorded.metric = query.metric;
  recorded.query = query.query;
  recorded.params = query.params;
  recorded.cohort = query.cohort;
  recorded.targets.assign(query.targets.begin(), query.targets.end());
  recorded.wave_index = query.wave_index;
  recorded.stage = query.stage;
  recorded.start = query.start;
  recorded.end = query.end;
  recorded.aggregation = query.aggregation;
  recorded.distribution = distribution;
  recorded.max_observations = query.max_observations;
  queries_.push_back(std::move(recorded));
}

absl::StatusOr<MetricDistribution> FakeMetricSource::QueryDistribution(
    const MetricQuery& query) {
  absl::MutexLock lock(&mu_);
  Record(query, /*distribution=*/true);
  auto it = distributions_.find({query.metric, query.cohort});
  if (it == distributions_.end()) {
    return MetricDistribution::NoData("not scripted");
  }
  const absl::StatusOr<MetricDistribution>* current = nullptr;
  for (const auto& [from, answer] : it->second) {
    if (from <= query.end) current = &answer;
  }
  if (current == nullptr) return MetricDistribution::NoData("not yet");
  return *current;
}

absl::StatusOr<MetricResult> FakeMetricSource::Query(const MetricQuery& query) {
  absl::MutexLock lock(&mu_);
  Record(query, /*distribution=*/false);

  auto it = scripts_.find({query.metric, query.cohort});
  if (it == scripts_.end()) return MetricResult::NoData("not scripted");
  Script& script = it->second;
  if (!script.queued.empty()) {
    absl::StatusOr<MetricResult> response = std::move(script.queued.front());
    script.queued.pop_front();
    return response;
  }
  const Step* current = nullptr;
  for (const Step& step : script.steps) {
    if (step.from <= query.end) current = &step;
  }
  if (current != nullptr) {
    switch (current->kind) {
      case Step::Kind::kAggregate:
        return MetricResult::FromAggregate(current->value,
                                           current->sample_count);
      case Step::Kind::kError:
        return current->status;
      case Step::Kind::kNoData:
        return MetricResult::NoData("scripted");
      case Step::Kind::kSamples:
        break;
    }
  }
  std::vector<Sample> in_window;
  for (const Sample& s : script.samples) {
    if (s.time >= query.start && s.time < query.end) in_window.push_back(s);
  }
  if (in_window.empty()) return MetricResult::NoData("no samples in window");
  std::stable_sort(
      in_window.begin(), in_window.end(),
      [](const Sample& a, const Sample& b) { return a.time < b.time; });
  return MetricResult::FromSamples(std::move(in_window));
}

std::vector<RecordedMetricQuery> FakeMetricSource::queries() const {
  absl::MutexLock lock(&mu_);
  return queries_;
}

size_t FakeMetricSource::query_count() const {
  absl::MutexLock lock(&mu_);
  return queries_.size();
}

void FakeAlarmSource::SetState(const std::string& alarm, absl::Time from,
                               AlarmState state, std::string reason) {
  absl::MutexLock lock(&mu_);
  std::vector<Step>& steps = alarms_[alarm];
  Step step{from, false, state, std::move(reason)};
  auto it =
      std::upper_bound(steps.begin(), steps.end(), from,
                       [](absl::Time t, const Step& s) { return t < s.from; });
  steps.insert(it, std::move(step));
}

void FakeAlarmSource::SetError(absl::Time from, absl::Status status) {
  absl::MutexLock lock(&mu_);
  auto it = std::upper_bound(
      errors_.begin(), errors_.end(), from,
      [](absl::Time t, const std::pair<absl::Time, absl::Status>& e) {
        return t < e.first;
      });
  errors_.insert(it, {from, std::move(status)});
}

void FakeAlarmSource::Forget(const std::string& alarm, absl::Time from) {
  absl::MutexLock lock(&mu_);
  std::vector<Step>& steps = alarms_[alarm];
  Step step{from, true, AlarmState::kOk, ""};
  auto it =
      std::upper_bound(steps.begin(), steps.end(), from,
                       [](absl::Time t, const Step& s) { return t < s.from; });
  steps.insert(it, std::move(step));
}

absl::StatusOr<std::vector<AlarmStatus>> FakeAlarmSource::QueryAlarms(
    const AlarmQuery& query) {
  absl::MutexLock lock(&mu_);
  RecordedAlarmQuery recorded;
  recorded.alarms = query.alarms;
  recorded.targets.assign(query.targets.begin(), query.targets.end());
  recorded.wave_index = query.wave_index;
  recorded.stage = query.stage;
  recorded.now = query.now;
  queries_.push_back(std::move(recorded));

  const absl::Status* error = nullptr;
  for (const auto& [from, status] : errors_) {
    if (from <= query.now) error = &status;
  }
  if (error != nullptr && !error->ok()) return *error;

  std::vector<AlarmStatus> out;
  for (const std::string& name : query.alarms) {
    AlarmStatus status;
    status.name = name;
    bool forgotten = false;
    auto it = alarms_.find(name);
    if (it != alarms_.end()) {
      for (const Step& step : it->second) {
        if (step.from > query.now) break;
        forgotten = step.forget;
        status.state = step.state;
        status.reason = step.reason;
      }
    }
    if (!forgotten) out.push_back(std::move(status));
  }
  return out;
}

std::vector<RecordedAlarmQuery> FakeAlarmSource::queries() const {
  absl::MutexLock lock(&mu_);
  return queries_;
}

}  // namespace sluice::testing

// Copyright 2026 The Sluice Authors.

#include "sluice/sim/sim_sources.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/core/status_macros.h"
#include "lib/sim/sim_random.h"

namespace sluice::sim {
namespace {

// Streams of the delivery draws.
constexpr uint64_t kStreamQueryError = 101;
constexpr uint64_t kStreamAlarmError = 102;
constexpr uint64_t kStreamDrop = 103;

// Resolves target ids to fleet indices. Without ids: the whole fleet for
// kFleet; for kWave the targets serving the new version and for kBaseline
// the others (traffic-routed plans name no targets).
absl::Status ResolveTargets(const Fleet& fleet, const VersionHistory& versions,
                            Cohort cohort, absl::Span<const std::string> ids,
                            std::vector<uint32_t>* out,
                            CohortCache* cache = nullptr,
                            CohortCache::Entry** used = nullptr) {
  out->clear();
  if (used != nullptr) *used = nullptr;
  if (cache != nullptr && !ids.empty()) {
    for (CohortCache::Entry& entry : cache->entries) {
      if (entry.data != ids.data() || entry.size != ids.size()) continue;
      bool same = true;
      for (size_t i = 0; i < ids.size() && same; ++i) {
        same = ids[i] == fleet.target(entry.indices[i]).id;
      }
      if (same) {
        *out = entry.indices;
        if (used != nullptr) *used = &entry;
        return absl::OkStatus();
      }
    }
  }
  if (ids.empty()) {
    for (uint32_t i = 0; i < fleet.size(); ++i) {
      if (cohort == Cohort::kFleet ||
          versions.IsNew(i) == (cohort == Cohort::kWave)) {
        out->push_back(i);
      }
    }
    return absl::OkStatus();
  }
  out->reserve(ids.size());
  for (const std::string& id : ids) {
    std::optional<Fleet::TargetIndex> index = fleet.IndexOf(id);
    if (!index.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("targets: unknown target \"", id, "\""));
    }
    out->push_back(*index);
  }
  if (cache != nullptr) {
    CohortCache::Entry entry{ids.data(), ids.size(), *out};
    CohortCache::Entry* slot;
    if (cache->entries.size() < CohortCache::kSize) {
      cache->entries.reserve(CohortCache::kSize);
      cache->entries.push_back(std::move(entry));
      slot = &cache->entries.back();
    } else {
      slot = &cache->entries[cache->next];
      *slot = std::move(entry);
      cache->next = (cache->next + 1) % CohortCache::kSize;
    }
    if (used != nullptr) *used = slot;
  }
  return absl::OkStatus();
}

bool Dropped(const MetricModel& model, const CohortMinute& minute) {
  const double p = model.scenario().delivery.drop_probability;
  if (p <= 0) return false;
  return internal::UnitFromBits(internal::HashWords(
             {minute.key, static_cast<uint64_t>(minute.index), kStreamDrop})) <
         p;
}

bool QueryFails(const MetricModel& model, uint64_t stream, int64_t count) {
  const double p = model.scenario().delivery.error_probability;
  if (p <= 0) return false;
  return internal::UnitFromBits(internal::HashWords(
             {model.run_seed(), stream, static_cast<uint64_t>(count)})) < p;
}

// The end (exclusive) of the minutes delivered by `now`: a minute [t, t+1m)
// is visible when t + 1m + lag <= now.
absl::Time DeliveredUntil(const MetricModel& model, absl::Time now) {
  return now - model.scenario().delivery.lag - absl::Minutes(1) +
         absl::Nanoseconds(1);
}

}  // namespace

absl::StatusOr<MetricBinding> SimMetricSource::Prepare(
    const MetricQuery& query) {
  minutes_.clear();
  const int64_t count = queries_++;
  if (QueryFails(model_, kStreamQueryError, count)) {
    return absl::UnavailableError("simulated metric backend failure");
  }
  std::optional<MetricBinding> binding =
      model_.scenario().BindingFor(query.metric);
  if (!binding.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "metric \"", query.metric,
        "\" is not simulated; bind it to a signal in the scenario's "
        "metrics"));
  }
  absl::Span<const std::string> ids = query.targets;
  if (query.cohort == Cohort::kFleet) ids = {};
  SLUICE_RETURN_IF_ERROR(ResolveTargets(model_.fleet(), versions_, query.cohort,
                                        ids, &indices_, &cache_));
  // No baseline left (the last wave): compare with the old version's
  // behaviour on the whole fleet, as a host comparing with history would.
  const VersionHistory* versions = &versions_;
  if (indices_.empty() && query.cohort == Cohort::kBaseline) {
    if (!old_version_.has_value()) old_version_.emplace(model_.fleet().size());
    versions = &*old_version_;
    SLUICE_RETURN_IF_ERROR(ResolveTargets(model_.fleet(), *versions,
                                          Cohort::kFleet, {}, &indices_));
    entry_ = nullptr;
  }
  if (indices_.empty()) return *binding;
  // A minute's point is stamped with the minute's end (as a rate over the
  // minute is), so a window [start, end) holds the minutes ending in it,
  // and consecutive windows never lose a minute between them.
  const absl::Time end = std::min(query.end - absl::Minutes(1),
                                  DeliveredUntil(model_, clock_.Now()));
  const absl::Time from = query.start - absl::Minutes(1);
  for (Window& w : windows_) {
    if (w.versions == versions && w.changes == versions->changes() &&
        w.from == from && w.to == end && w.indices == indices_) {
      w.used = static_cast<uint64_t>(queries_);
      minutes_ = w.minutes;
      return *binding;
    }
  }
  ++computed_windows_;
  if (entry_ != nullptr) {
    // The engine asks about the same lists again and again: profile once.
    if (!entry_->profile.has_value())
      entry_->profile = model_.Profile(indices_);
    model_.CohortMinutes(*entry_->profile, *versions, from, end, &minutes_);
  } else {
    model_.CohortMinutes(indices_, *versions, from, end, &minutes_);
  }
  minutes_.erase(std::remove_if(minutes_.begin(), minutes_.end(),
                                [&](const CohortMinute& minute) {
                                  return Dropped(model_, minute);
                                }),
                 minutes_.end());
  Window w{indices_,
           versions,
           versions->changes(),
           from,
           end,
           minutes_,
           static_cast<uint64_t>(queries_)};
  if (windows_.size() < kWindows) {
    windows_.push_back(std::move(w));
  } else {
    *std::min_element(windows_.begin(), windows_.end(),
                      [](const Window& a, const Window& b) {
                        return a.used < b.used;
                      }) = std::move(w);
  }
  return *binding;
}

absl::StatusOr<MetricResult> SimMetricSource::Query(const MetricQuery& query) {
  SLUICE_ASSIGN_OR_RETURN(const MetricBinding binding, Prepare(query));
  if (indices_.empty()) {
    return MetricResult::NoData(
        absl::StrCat("the ", CohortName(query.cohort), " cohort is empty"));
  }
  std::vector<Sample> samples;
  samples.reserve(minutes_.size());
  for (const CohortMinute& minute : minutes_) {
    const double value = model_.Value(minute, binding.signal, binding.quantile,
                                      binding.slower_than_ms);
    if (std::isnan(value)) continue;
    samples.push_back(Sample{minute.time + absl::Minutes(1), value});
  }
  if (samples.empty()) {
    return MetricResult::NoData("no simulated data delivered in the window");
  }
  return MetricResult::FromSamples(std::move(samples));
}

absl::StatusOr<MetricDistribution> SimMetricSource::QueryDistribution(
    const MetricQuery& query) {
  SLUICE_ASSIGN_OR_RETURN(const MetricBinding binding, Prepare(query));
  if (binding.signal != Signal::kLatencyMs) {
    return absl::UnimplementedError(
        absl::StrCat("metric \"", query.metric, "\" is a per-minute ",
                     SignalName(binding.signal),
                     ", not a distribution; query it with Query()"));
  }
  if (indices_.empty()) {
    return MetricDistribution::NoData(
        absl::StrCat("the ", CohortName(query.cohort), " cohort is empty"));
  }
  double requests = 0, sum = 0;
  for (const CohortMinute& minute : minutes_) {
    if (!(minute.requests > 0)) continue;
    requests += minute.requests;
    sum += minute.requests * model_.MeanLatency(minute);
  }
  if (!(requests > 0)) {
    return MetricDistribution::NoData(
        "no simulated requests delivered in the window");
  }
  MetricDistribution out;
  if (binding.distribution == MetricBinding::Distribution::kObservations) {
    // Per minute: the binding's cap, and an even share of the query's.
    const int64_t minutes = static_cast<int64_t>(minutes_.size());
    std::vector<double> values;
    for (int64_t i = 0; i < minutes; ++i) {
      int64_t cap = binding.max_observations_per_minute;
      if (query.max_observations > 0) {
        const int64_t share = query.max_observations / minutes +
                              (i < query.max_observations % minutes ? 1 : 0);
        cap = std::min(cap, share);
      }
      model_.LatencyObservations(minutes_[i], cap, &values);
    }
    out = MetricDistribution::FromObservations(std::move(values));
  } else {
    const std::vector<double>& bounds = binding.buckets_ms.empty()
                                            ? DefaultLatencyBucketsMs()
                                            : binding.buckets_ms;
    std::vector<double> total(bounds.size() + 1, 0.0), counts;
    for (const CohortMinute& minute : minutes_) {
      model_.LatencyHistogram(minute, bounds, &counts);
      for (size_t b = 0; b < counts.size(); ++b) total[b] += counts[b];
    }
    std::vector<HistogramBucket> buckets;
    double cumulative = 0;
    for (size_t b = 0; b < total.size(); ++b) {
      cumulative += total[b];
      buckets.push_back({b < bounds.size()
                             ? bounds[b]
                             : std::numeric_limits<double>::infinity(),
                         cumulative});
    }
    out = MetricDistribution::FromHistogram(std::move(buckets));
  }
  out.total_count = requests;
  if (std::isfinite(sum)) out.sum = sum;
  return out;
}

absl::StatusOr<std::vector<AlarmStatus>> SimAlarmSource::QueryAlarms(
    const AlarmQuery& query) {
  const int64_t count = queries_++;
  if (QueryFails(model_, kStreamAlarmError, count)) {
    return absl::UnavailableError("simulated alarm backend failure");
  }
  std::vector<AlarmStatus> out;
  out.reserve(query.alarms.size());
  const absl::Time now = clock_.Now();
  for (const std::string& name : query.alarms) {
    const AlarmRule* rule = nullptr;
    for (const AlarmRule& candidate : model_.scenario().alarms) {
      if (candidate.name == name) rule = &candidate;
    }
    if (rule == nullptr) {
      return absl::NotFoundError(absl::StrCat(
          "alarm \"", name, "\" is not defined in the scenario's alarms"));
    }
    absl::Span<const std::string> ids;
    if (rule->scope == AlarmRule::Scope::kWave) ids = query.targets;
    if (absl::Status status = ResolveTargets(
            model_.fleet(), versions_,
            rule->scope == AlarmRule::Scope::kWave ? Cohort::kWave
                                                   : Cohort::kFleet,
            ids, &indices_, &cache_);
        !status.ok()) {
      return status;
    }
    // The last evaluation_periods complete minutes delivered by now.
    const int64_t last =
        model_.MinuteIndex(now - model_.scenario().delivery.lag);  // exclusive
    const absl::Time from = model_.MinuteStart(last - rule->evaluation_periods);
    model_.CohortMinutes(indices_, versions_,
                         std::max(from, model_.scenario().start),
                         model_.MinuteStart(last), &minutes_);
    if (indices_.empty()) minutes_.clear();  // nothing to watch
    int points = 0;
    int breaching = 0;
    for (const CohortMinute& minute : minutes_) {
      if (Dropped(model_, minute)) continue;
      const double value = model_.Value(minute, rule->signal, rule->quantile);
      if (std::isnan(value)) continue;
      ++points;
      if (rule->below ? value < rule->threshold : value > rule->threshold) {
        ++breaching;
      }
    }
    AlarmStatus status;
    status.name = name;
    if (breaching >= rule->datapoints_to_alarm) {
      status.state = AlarmState::kAlarm;
      status.reason =
          absl::StrCat(breaching, " of ", points, " points ",
                       rule->below ? "below " : "above ", rule->threshold);
    } else if (points < rule->datapoints_to_alarm) {
      status.state = AlarmState::kInsufficientData;
      status.reason = absl::StrCat(points, " data points, need ",
                                   rule->datapoints_to_alarm);
    } else {
      status.state = AlarmState::kOk;
      status.reason =
          absl::StrCat(breaching, " of ", points, " points breaching");
    }
    out.push_back(std::move(status));
  }
  return out;
}

}  // namespace sluice::sim

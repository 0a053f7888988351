// Copyright 2026 The Sluice Authors.

#include "sluice/sim/metric_model.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "lib/core/status_macros.h"
#include "lib/sim/sim_random.h"

namespace sluice::sim {

using internal::HashWords;
using internal::NormalFromBits;
using internal::PoissonFromBits;
using internal::SimNormalCdf;
using internal::UnitFromBits;

// ---- VersionHistory

VersionHistory::VersionHistory(size_t fleet_size) : intervals_(fleet_size) {}

void VersionHistory::SetNew(uint32_t target, absl::Time time) {
  auto& list = intervals_[target];
  if (!list.empty() && list.back().to == absl::InfiniteFuture()) return;
  list.push_back(TimeInterval{time, absl::InfiniteFuture()});
  ++new_count_;
}

void VersionHistory::SetOld(uint32_t target, absl::Time time) {
  auto& list = intervals_[target];
  if (list.empty() || list.back().to != absl::InfiniteFuture()) return;
  list.back().to = time;
  --new_count_;
}

bool VersionHistory::IsNew(uint32_t target) const {
  const auto& list = intervals_[target];
  return !list.empty() && list.back().to == absl::InfiniteFuture();
}

absl::Span<const TimeInterval> VersionHistory::intervals(
    uint32_t target) const {
  return intervals_[target];
}

// ---- MetricModel

namespace {

// Streams: the last word of a draw's hash, so draws never collide.
enum Stream : uint64_t {
  kStreamTargetFactor = 1,
  kStreamHurt = 2,
  kStreamTrafficNoise = 3,
  kStreamRequests = 4,
  kStreamErrors = 5,
  kStreamLatencyNoise = 6,
  kStreamLatencySampling = 7,
};

constexpr double kTwoPi = 6.283185307179586476925;

}  // namespace

struct MetricModel::Data {
  Scenario scenario;
  Fleet fleet;
  uint64_t run_seed = 0;
  // Per target: weight * persistent factor.
  std::vector<double> effective_weight;
  std::vector<bool> hurt;
  size_t hurt_count = 0;
};

MetricModel::MetricModel(std::shared_ptr<const Data> data)
    : data_(std::move(data)) {}

absl::StatusOr<MetricModel> MetricModel::Create(const Scenario& scenario,
                                                const Fleet& fleet,
                                                uint64_t run_seed) {
  SLUICE_RETURN_IF_ERROR(ValidateScenarioAgainst(scenario, fleet));
  auto data =
      std::make_shared<Data>(Data{scenario, fleet, run_seed, {}, {}, 0});
  const size_t n = fleet.size();
  data->effective_weight.resize(n);
  data->hurt.assign(n, false);
  const double spread = scenario.traffic.target_spread;
  std::optional<uint32_t> region;
  const FaultScope& scope = scenario.fault.scope;
  if (scope.kind == FaultScope::Kind::kRegion ||
      (scope.kind == FaultScope::Kind::kZone && !scope.region.empty())) {
    region = fleet.RegionIndex(scope.region);
  }
  for (size_t i = 0; i < n; ++i) {
    const double z =
        spread > 0
            ? NormalFromBits(HashWords({run_seed, i, kStreamTargetFactor}))
            : 0.0;
    // Mean-preserving log-normal factor.
    data->effective_weight[i] =
        fleet.target(i).weight * std::exp(spread * z - 0.5 * spread * spread);
    if (!scenario.fault.bad) continue;
    bool hurt = false;
    switch (scope.kind) {
      case FaultScope::Kind::kAll:
        hurt = true;
        break;
      case FaultScope::Kind::kRegion:
        hurt = fleet.region_of(i) == *region;
        break;
      case FaultScope::Kind::kZone: {
        const Fleet::Zone& zone = fleet.zones()[fleet.zone_of(i)];
        hurt = zone.name == scope.zone &&
               (!region.has_value() || zone.region == *region);
        break;
      }
      case FaultScope::Kind::kShare:
        hurt =
            UnitFromBits(HashWords({run_seed, i, kStreamHurt})) < scope.share;
        break;
    }
    data->hurt[i] = hurt;
    if (hurt) ++data->hurt_count;
  }
  return MetricModel(std::move(data));
}

const Scenario& MetricModel::scenario() const { return data_->scenario; }
const Fleet& MetricModel::fleet() const { return data_->fleet; }
uint64_t MetricModel::run_seed() const { return data_->run_seed; }
bool MetricModel::hurts(uint32_t i) const { return data_->hurt[i]; }
size_t MetricModel::hurt_count() const { return data_->hurt_count; }

namespace {

double BackgroundFactor(const RecordedBackground& bg, absl::Duration since) {
  const double shape = bg.series.ValueAt(bg.offset + since) / bg.series.mean();
  return std::max(0.0, 1.0 + bg.strength * (shape - 1.0));
}

}  // namespace

double MetricModel::BaseRate(absl::Time time) const {
  const Scenario& s = data_->scenario;
  const TrafficModel& traffic = s.traffic;
  if (s.background.has_value() &&
      s.background->signal == Signal::kRequestRate) {
    return traffic.requests_per_second *
           BackgroundFactor(*s.background, time - s.start);
  }
  if (traffic.diurnal_amplitude == 0) return traffic.requests_per_second;
  // Hours since midnight UTC.
  const double day_seconds =
      std::fmod(absl::ToDoubleSeconds(time - absl::UnixEpoch()), 86400.0);
  const double hour =
      (day_seconds < 0 ? day_seconds + 86400 : day_seconds) / 3600.0;
  return traffic.requests_per_second *
         (1.0 + traffic.diurnal_amplitude *
                    std::cos(kTwoPi * (hour - traffic.peak_hour_utc) / 24.0));
}

int64_t MetricModel::MinuteIndex(absl::Time time) const {
  const absl::Duration floored =
      absl::Floor(time - data_->scenario.start, absl::Minutes(1));
  absl::Duration remainder;
  return absl::IDivDuration(floored, absl::Minutes(1), &remainder);
}

absl::Time MetricModel::MinuteStart(int64_t index) const {
  return data_->scenario.start + absl::Minutes(index);
}

uint64_t MetricModel::CohortKey(absl::Span<const uint32_t> targets) const {
  // Order-independent: a sum of per-target hashes.
  uint64_t sum = 0;
  for (uint32_t t : targets) sum += internal::SplitMix64(t + 1);
  return HashWords({data_->run_seed, sum, targets.size()});
}

void MetricModel::CohortMinutes(absl::Span<const uint32_t> targets,
                                const VersionHistory& versions, absl::Time from,
                                absl::Time to,
                                std::vector<CohortMinute>* out) const {
  out->clear();
  const Data& d = *data_;
  const Scenario& s = d.scenario;
  int64_t first = MinuteIndex(from);
  if (MinuteStart(first) < from) ++first;
  int64_t last = MinuteIndex(to);  // exclusive
  if (MinuteStart(last) < to) ++last;
  if (last <= first) return;

  const uint64_t key = CohortKey(targets);
  double weight = 0;
  // Hurt-weight changes: (time, delta).
  std::vector<std::pair<absl::Time, double>> events;
  for (uint32_t t : targets) {
    const double w = d.effective_weight[t];
    weight += w;
    if (!d.hurt[t]) continue;
    for (const TimeInterval& interval : versions.intervals(t)) {
      const absl::Time onset = interval.from + s.fault.onset_delay;
      if (onset >= interval.to) continue;
      events.emplace_back(onset, w);
      if (interval.to != absl::InfiniteFuture()) {
        events.emplace_back(interval.to, -w);
      }
    }
  }
  std::sort(events.begin(), events.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  const double n = static_cast<double>(targets.size());
  const double traffic_sigma =
      n > 0 ? s.traffic.minute_noise / std::sqrt(n) : 0.0;
  const bool error_background =
      s.background.has_value() && s.background->signal == Signal::kErrorRate;
  const bool latency_background =
      s.background.has_value() && s.background->signal == Signal::kLatencyMs;
  size_t next_event = 0;
  double hurt_weight = 0;
  out->reserve(static_cast<size_t>(last - first));
  for (int64_t m = first; m < last; ++m) {
    CohortMinute minute;
    minute.time = MinuteStart(m);
    minute.index = m;
    minute.targets = static_cast<int64_t>(targets.size());
    minute.key = key;
    const absl::Time mid = minute.time + absl::Seconds(30);
    while (next_event < events.size() && events[next_event].first <= mid) {
      hurt_weight += events[next_event].second;
      ++next_event;
    }
    if (weight > 0) {
      const uint64_t um = static_cast<uint64_t>(m);
      const double noise =
          traffic_sigma > 0
              ? std::exp(traffic_sigma * NormalFromBits(HashWords(
                                             {key, um, kStreamTrafficNoise})))
              : 1.0;
      const double mean = 60.0 * BaseRate(mid) * weight * noise;
      minute.requests =
          PoissonFromBits(mean, HashWords({key, um, kStreamRequests}));
      minute.hurt_share = std::clamp(hurt_weight / weight, 0.0, 1.0);
      double error_rate = s.error_rate;
      if (error_background) {
        error_rate *= BackgroundFactor(*s.background, mid - s.start);
      }
      const double bad_rate =
          std::min(1.0, error_rate * s.fault.error_multiplier);
      error_rate = std::min(1.0, error_rate);
      const double p =
          (1.0 - minute.hurt_share) * error_rate + minute.hurt_share * bad_rate;
      minute.errors =
          std::min(minute.requests,
                   PoissonFromBits(minute.requests * p,
                                   HashWords({key, um, kStreamErrors})));
      if (latency_background) {
        minute.latency_factor = BackgroundFactor(*s.background, mid - s.start);
      }
    }
    out->push_back(minute);
  }
}

namespace {

// CDF of one healthy request's latency (scaled by `factor`).
double BodyCdf(const LatencyModel& model, double x, double factor) {
  if (!(x > 0)) return 0;
  const double scaled = x / factor;
  const double body =
      SimNormalCdf(std::log(scaled / model.median_ms) / model.sigma);
  double tail = 0;
  if (scaled > model.tail_scale_ms) {
    tail = 1.0 - std::pow(model.tail_scale_ms / scaled, model.tail_shape);
  }
  return (1.0 - model.tail_probability) * body + model.tail_probability * tail;
}

double MixtureCdf(const LatencyModel& model, double shift, double x,
                  double hurt_share, double factor) {
  double cdf = (1.0 - hurt_share) * BodyCdf(model, x, factor);
  if (hurt_share > 0) cdf += hurt_share * BodyCdf(model, x - shift, factor);
  return cdf;
}

}  // namespace

double MetricModel::MixtureQuantile(double quantile, double hurt_share,
                                    double latency_factor) const {
  const LatencyModel& model = data_->scenario.latency;
  const double shift = data_->scenario.fault.latency_shift_ms;
  // Bisection on log(x).
  double lo = std::log(model.median_ms * latency_factor) - 12 * model.sigma;
  double hi = std::log(model.median_ms * latency_factor + shift) + 1;
  for (int i = 0; i < 64 && MixtureCdf(model, shift, std::exp(hi), hurt_share,
                                       latency_factor) < quantile;
       ++i) {
    hi += 2;
  }
  for (int i = 0; i < 48; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (MixtureCdf(model, shift, std::exp(mid), hurt_share, latency_factor) <
        quantile) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return std::exp(0.5 * (lo + hi));
}

double MetricModel::Value(const CohortMinute& minute, Signal signal,
                          double quantile) const {
  switch (signal) {
    case Signal::kRequestRate:
      return minute.requests / 60.0;
    case Signal::kRequestCount:
      return minute.requests;
    case Signal::kErrorCount:
      return minute.errors;
    case Signal::kErrorRate:
      return minute.requests > 0 ? minute.errors / minute.requests : 0.0;
    case Signal::kLatencyMs:
      break;
  }
  if (!(minute.requests > 0)) return std::numeric_limits<double>::quiet_NaN();
  const LatencyModel& model = data_->scenario.latency;
  const double shift = data_->scenario.fault.latency_shift_ms;
  const double x =
      MixtureQuantile(quantile, minute.hurt_share, minute.latency_factor);
  // Sampling error of an empirical quantile of n requests:
  // sd = sqrt(q (1 - q) / n) / density(x).
  const double h = 0.01 * x;
  const double density = (MixtureCdf(model, shift, x + h, minute.hurt_share,
                                     minute.latency_factor) -
                          MixtureCdf(model, shift, x - h, minute.hurt_share,
                                     minute.latency_factor)) /
                         (2 * h);
  const uint64_t um = static_cast<uint64_t>(minute.index);
  const uint64_t q_bits = static_cast<uint64_t>(quantile * 1e9);
  double value = x;
  if (density > 0) {
    const double sd =
        std::sqrt(quantile * (1 - quantile) / minute.requests) / density;
    value += std::min(sd, x) *
             NormalFromBits(
                 HashWords({minute.key, um, q_bits, kStreamLatencySampling}));
  }
  value = std::max(value, 0.05 * x);
  if (model.minute_noise > 0) {
    value *= std::exp(
        model.minute_noise *
        NormalFromBits(HashWords({minute.key, um, kStreamLatencyNoise})));
  }
  return value;
}

}  // namespace sluice::sim

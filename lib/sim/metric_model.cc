// Copyright 2026 The Sluice Authors.

#include "sluice/sim/metric_model.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "lib/core/status_macros.h"
#include "lib/sim/sim_random.h"

namespace sluice::sim {

using internal::BinomialFromBits;
using internal::GammaFromKey;
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
  ++changes_;
}

void VersionHistory::SetOld(uint32_t target, absl::Time time) {
  auto& list = intervals_[target];
  if (list.empty() || list.back().to != absl::InfiniteFuture()) return;
  list.back().to = time;
  --new_count_;
  ++changes_;
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
  kStreamErrorFactor = 8,
  kStreamLatencyFactor = 9,
  kStreamCrash = 10,
  kStreamCrashOnDeploy = 11,
  kStreamZoneIncidents = 12,
  kStreamRegionIncidents = 13,
  kStreamBackgroundOffset = 14,
  kStreamPhase = 15,
  kStreamRequestGamma = 16,
  kStreamErrorGamma = 17,
  kStreamHistogram = 18,
  kStreamObservation = 19,
};

constexpr double kTwoPi = 6.283185307179586476925;
constexpr double kInf = std::numeric_limits<double>::infinity();

// Signals a background can shape, as indices.
enum BackgroundSlot : size_t {
  kTrafficSlot = 0,
  kErrorSlot = 1,
  kLatencySlot = 2
};

std::optional<size_t> SlotOf(Signal signal) {
  switch (signal) {
    case Signal::kRequestRate:
      return kTrafficSlot;
    case Signal::kErrorRate:
      return kErrorSlot;
    case Signal::kLatencyMs:
      return kLatencySlot;
    default:
      return std::nullopt;
  }
}

// One recorded series as one zone replays it.
struct ZoneBackground {
  const RecordedSeries* series = nullptr;
  absl::Duration offset;
  double strength = 1;
  // For traffic: multiplies the daily cycle instead of replacing it.
  bool keep_daily_cycle = false;
};

double ReplayFactor(const ZoneBackground& bg, absl::Duration since) {
  const double shape =
      bg.series->ValueAt(bg.offset + since) / bg.series->mean();
  return std::max(0.0, 1.0 + bg.strength * (shape - 1.0));
}

// Hours since midnight UTC, in [0, 24).
double UtcHour(absl::Time time) {
  const double day_seconds =
      std::fmod(absl::ToDoubleSeconds(time - absl::UnixEpoch()), 86400.0);
  return (day_seconds < 0 ? day_seconds + 86400 : day_seconds) / 3600.0;
}

double WrapHour(double hour) {
  hour = std::fmod(hour, 24.0);
  return hour < 0 ? hour + 24 : hour;
}

}  // namespace

struct MetricModel::Data {
  Data(const Scenario& scenario, const Fleet& fleet, uint64_t run_seed)
      : scenario(scenario), fleet(fleet), run_seed(run_seed) {}

  Scenario scenario;
  Fleet fleet;
  uint64_t run_seed = 0;
  // Per target: weight * persistent traffic factor.
  std::vector<double> effective_weight;
  // Per target: the persistent error-rate factor and the log of the
  // latency factor (empty when the scenario has no spread).
  std::vector<double> error_factor;
  std::vector<double> latency_log_factor;
  std::vector<bool> hurt;
  size_t hurt_count = 0;
  std::vector<bool> crash;
  // Per zone of the fleet: its region, weight, backgrounds per signal and
  // incidents.
  std::vector<uint32_t> zone_region;
  std::vector<double> zone_weight;
  std::vector<std::array<std::vector<ZoneBackground>, 3>> zone_backgrounds;
  std::vector<std::vector<Incident>> zone_incidents;
  std::vector<BackgroundOffset> background_offsets;
  // Per region of the fleet: hours from UTC.
  std::vector<double> region_offset_hours;
  // Every zone has the same traffic rate at every moment.
  bool uniform_traffic = true;
  // The intermittent fault's phase.
  absl::Duration phase;
};

MetricModel::MetricModel(std::shared_ptr<const Data> data)
    : data_(std::move(data)) {}

absl::StatusOr<MetricModel> MetricModel::Create(const Scenario& scenario,
                                                const Fleet& fleet,
                                                uint64_t run_seed) {
  SLUICE_RETURN_IF_ERROR(ValidateScenarioAgainst(scenario, fleet));
  auto data = std::make_shared<Data>(scenario, fleet, run_seed);
  const Scenario& s = data->scenario;
  const size_t n = fleet.size();
  const size_t zones = fleet.zones().size();
  const size_t regions = fleet.regions().size();

  data->zone_region.resize(zones);
  for (size_t z = 0; z < zones; ++z) {
    data->zone_region[z] = fleet.zones()[z].region;
  }
  data->region_offset_hours.assign(regions, 0.0);
  for (const RegionTimeZone& tz : s.regions) {
    data->region_offset_hours[*fleet.RegionIndex(tz.name)] =
        tz.utc_offset_hours;
  }
  for (size_t r = 1; r < regions; ++r) {
    if (data->region_offset_hours[r] != data->region_offset_hours[0] &&
        (s.traffic.peak_hour_local.has_value() ||
         !s.traffic.low_traffic.empty())) {
      data->uniform_traffic = false;
    }
  }

  // Per target.
  data->effective_weight.resize(n);
  data->zone_weight.assign(zones, 0.0);
  data->hurt.assign(n, false);
  data->crash.assign(n, false);
  const double spread = s.traffic.target_spread;
  const double error_spread = s.errors.target_spread;
  const double latency_spread = s.latency.target_spread;
  if (error_spread > 0) data->error_factor.resize(n);
  if (latency_spread > 0) data->latency_log_factor.resize(n);
  std::optional<uint32_t> region;
  const FaultScope& scope = s.fault.scope;
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
    data->zone_weight[fleet.zone_of(i)] += fleet.target(i).weight;
    if (error_spread > 0) {
      const double ze =
          NormalFromBits(HashWords({run_seed, i, kStreamErrorFactor}));
      data->error_factor[i] =
          std::exp(error_spread * ze - 0.5 * error_spread * error_spread);
    }
    if (latency_spread > 0) {
      data->latency_log_factor[i] =
          latency_spread *
          NormalFromBits(HashWords({run_seed, i, kStreamLatencyFactor}));
    }
    if (!s.fault.bad) continue;
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
    if (hurt) {
      ++data->hurt_count;
      data->crash[i] = s.fault.crash.die_probability > 0 &&
                       UnitFromBits(HashWords({run_seed, i, kStreamCrash})) <
                           s.fault.crash.die_probability;
    }
  }

  // Recorded backgrounds: each zone's replays, offsets drawn per run.
  data->zone_backgrounds.resize(zones);
  const std::vector<const RecordedBackground*> backgrounds = s.AllBackgrounds();
  for (size_t b = 0; b < backgrounds.size(); ++b) {
    const RecordedBackground& bg = *backgrounds[b];
    const size_t slot = *SlotOf(bg.signal);
    std::vector<uint32_t> covered;
    for (uint32_t z = 0; z < zones; ++z) {
      const Fleet::Zone& zone = fleet.zones()[z];
      if (bg.zone.empty() ||
          (zone.name == bg.zone &&
           (bg.region.empty() || fleet.regions()[zone.region] == bg.region))) {
        covered.push_back(z);
      }
    }
    const absl::Duration period = bg.series.period();
    absl::Duration base;
    if (bg.offset.has_value()) {
      base = *bg.offset;
    } else {
      const double u = UnitFromBits(HashWords(
          {run_seed, static_cast<uint64_t>(b), kStreamBackgroundOffset}));
      base = absl::Minutes(std::floor(u * absl::ToDoubleMinutes(period)));
    }
    absl::Duration shift = absl::ZeroDuration();
    if (bg.EffectiveZoneReplay() == RecordedBackground::ZoneReplay::kShifted &&
        covered.size() > 1) {
      shift = period >= absl::Hours(48)
                  ? absl::Hours(24)
                  : absl::Floor(period / static_cast<double>(covered.size()),
                                absl::Minutes(1));
      if (bg.signal == Signal::kRequestRate) data->uniform_traffic = false;
    }
    if (bg.signal == Signal::kRequestRate && covered.size() != zones) {
      data->uniform_traffic = false;
    }
    for (size_t k = 0; k < covered.size(); ++k) {
      const absl::Duration offset = base + shift * static_cast<int64_t>(k);
      data->zone_backgrounds[covered[k]][slot].push_back(ZoneBackground{
          &bg.series, offset, bg.EffectiveStrength(), bg.keep_daily_cycle});
      data->background_offsets.push_back({b, covered[k], offset});
    }
  }

  // Incidents unrelated to the release, per zone and per region.
  data->zone_incidents.resize(zones);
  const IncidentModel& inc = s.incidents;
  const double days = absl::ToDoubleHours(s.duration) / 24.0;
  auto draw = [&](uint64_t stream, uint64_t index, double rate,
                  const std::vector<uint32_t>& hit) {
    if (!(rate > 0)) return;
    const double count = internal::PoissonFromBits(
        rate * days, HashWords({run_seed, stream, index}));
    for (uint64_t j = 0; j < static_cast<uint64_t>(count); ++j) {
      const double u = UnitFromBits(HashWords({run_seed, stream, index, j, 1}));
      const double z =
          NormalFromBits(HashWords({run_seed, stream, index, j, 2}));
      Incident incident;
      incident.from =
          s.start +
          absl::Seconds(std::round(u * absl::ToDoubleSeconds(s.duration)));
      incident.to =
          incident.from +
          absl::Seconds(std::max(
              1.0, std::round(absl::ToDoubleSeconds(inc.median_duration) *
                              std::exp(inc.duration_spread * z))));
      incident.error_multiplier = inc.error_multiplier;
      incident.latency_multiplier = inc.latency_multiplier;
      for (uint32_t zone : hit) data->zone_incidents[zone].push_back(incident);
    }
  };
  for (uint32_t z = 0; z < zones; ++z) {
    draw(kStreamZoneIncidents, z, inc.zone_rate_per_day, {z});
  }
  for (uint32_t r = 0; r < regions; ++r) {
    std::vector<uint32_t> hit;
    for (uint32_t z = 0; z < zones; ++z) {
      if (data->zone_region[z] == r) hit.push_back(z);
    }
    draw(kStreamRegionIncidents, r, inc.region_rate_per_day, hit);
  }
  for (std::vector<Incident>& list : data->zone_incidents) {
    std::stable_sort(
        list.begin(), list.end(),
        [](const Incident& a, const Incident& b) { return a.from < b.from; });
  }
  if (s.fault.intermittent.has_value()) {
    const double u = UnitFromBits(HashWords({run_seed, kStreamPhase}));
    data->phase = absl::Seconds(
        std::floor(u * absl::ToDoubleSeconds(s.fault.intermittent->period)));
  }
  return MetricModel(std::move(data));
}

const Scenario& MetricModel::scenario() const { return data_->scenario; }
const Fleet& MetricModel::fleet() const { return data_->fleet; }
uint64_t MetricModel::run_seed() const { return data_->run_seed; }
bool MetricModel::hurts(uint32_t i) const { return data_->hurt[i]; }
size_t MetricModel::hurt_count() const { return data_->hurt_count; }
bool MetricModel::crashes(uint32_t i) const { return data_->crash[i]; }
double MetricModel::ErrorFactor(uint32_t i) const {
  return data_->error_factor.empty() ? 1.0 : data_->error_factor[i];
}
double MetricModel::LatencyFactor(uint32_t i) const {
  return data_->latency_log_factor.empty()
             ? 1.0
             : std::exp(data_->latency_log_factor[i]);
}

bool MetricModel::CrashOnDeploy(uint32_t i, uint64_t attempt) const {
  const double p = data_->scenario.fault.crash.deploy_failure_probability;
  if (!data_->hurt[i] || !(p > 0)) return false;
  return UnitFromBits(HashWords(
             {data_->run_seed, i, attempt, kStreamCrashOnDeploy})) < p;
}

absl::Span<const MetricModel::Incident> MetricModel::incidents(
    uint32_t zone) const {
  return data_->zone_incidents[zone];
}

std::vector<MetricModel::BackgroundOffset> MetricModel::background_offsets()
    const {
  return data_->background_offsets;
}

double MetricModel::BackgroundFactor(Signal signal, uint32_t zone,
                                     absl::Time time) const {
  const std::optional<size_t> slot = SlotOf(signal);
  if (!slot.has_value()) return 1;
  double factor = 1;
  const absl::Duration since = time - data_->scenario.start;
  for (const ZoneBackground& bg : data_->zone_backgrounds[zone][*slot]) {
    factor *= ReplayFactor(bg, since);
  }
  return factor;
}

std::pair<double, double> MetricModel::IncidentAt(uint32_t zone,
                                                  absl::Time time) const {
  double errors = 1, latency = 1;
  for (const Incident& incident : data_->zone_incidents[zone]) {
    if (incident.from > time) break;
    if (time < incident.to) {
      errors *= incident.error_multiplier;
      latency *= incident.latency_multiplier;
    }
  }
  return {errors, latency};
}

double MetricModel::ZoneRate(uint32_t zone, absl::Time time) const {
  const Data& d = *data_;
  const TrafficModel& traffic = d.scenario.traffic;
  const uint32_t region = d.zone_region[zone];
  const double offset = d.region_offset_hours[region];
  const double utc_hour =
      traffic.diurnal_amplitude != 0 || !traffic.low_traffic.empty()
          ? UtcHour(time)
          : 0.0;
  double rate = traffic.requests_per_second;
  const std::vector<ZoneBackground>& replays =
      d.zone_backgrounds[zone][kTrafficSlot];
  bool cycle = true;
  if (!replays.empty()) {
    const absl::Duration since = time - d.scenario.start;
    for (const ZoneBackground& bg : replays) {
      rate *= ReplayFactor(bg, since);
      cycle = cycle && bg.keep_daily_cycle;
    }
  }
  if (cycle && traffic.diurnal_amplitude != 0) {
    const double hour = traffic.peak_hour_local.has_value()
                            ? WrapHour(utc_hour + offset)
                            : utc_hour;
    const double peak = traffic.peak_hour_local.value_or(traffic.peak_hour_utc);
    rate *= 1.0 +
            traffic.diurnal_amplitude * std::cos(kTwoPi * (hour - peak) / 24.0);
  }
  if (!traffic.low_traffic.empty()) {
    const double local = WrapHour(utc_hour + offset);
    for (const LowTrafficPeriod& low : traffic.low_traffic) {
      const double into =
          WrapHour(local - low.start_hour);  // hours since it started
      if (into < absl::ToDoubleHours(low.duration)) rate *= low.factor;
    }
  }
  return rate;
}

double MetricModel::BaseRate(absl::Time time) const {
  const Data& d = *data_;
  if (d.uniform_traffic || d.zone_weight.size() <= 1) {
    return ZoneRate(0, time);
  }
  double sum = 0, weight = 0;
  for (uint32_t z = 0; z < d.zone_weight.size(); ++z) {
    sum += d.zone_weight[z] * ZoneRate(z, time);
    weight += d.zone_weight[z];
  }
  return weight > 0 ? sum / weight : 0.0;
}

namespace {

// Intervals during which every target of a region serves the new version.
std::vector<TimeInterval> RegionComplete(const Fleet& fleet,
                                         const VersionHistory& versions,
                                         uint32_t region) {
  std::vector<std::pair<absl::Time, int>> changes;
  int64_t members = 0;
  for (uint32_t t = 0; t < fleet.size(); ++t) {
    if (fleet.region_of(t) != region) continue;
    ++members;
    for (const TimeInterval& interval : versions.intervals(t)) {
      changes.emplace_back(interval.from, +1);
      if (interval.to != absl::InfiniteFuture()) {
        changes.emplace_back(interval.to, -1);
      }
    }
  }
  // Leaving before joining at the same instant.
  std::sort(changes.begin(), changes.end());
  std::vector<TimeInterval> out;
  int64_t on_new = 0;
  for (const auto& [time, delta] : changes) {
    const bool was = on_new == members;
    on_new += delta;
    const bool is = on_new == members;
    if (!was && is) out.push_back({time, absl::InfiniteFuture()});
    if (was && !is) out.back().to = time;
  }
  return out;
}

bool Inside(const std::vector<TimeInterval>& intervals, absl::Time t) {
  for (const TimeInterval& i : intervals) {
    if (i.from <= t && t < i.to) return true;
  }
  return false;
}

}  // namespace

bool MetricModel::FaultShows(uint32_t zone, absl::Time time,
                             const VersionHistory& versions) const {
  const Fault& f = data_->scenario.fault;
  if (f.intermittent.has_value()) {
    const absl::Duration into =
        (time - data_->scenario.start + data_->phase) % f.intermittent->period;
    const absl::Duration wrapped =
        into < absl::ZeroDuration() ? into + f.intermittent->period : into;
    if (wrapped >= f.intermittent->on) return false;
  }
  if (f.min_load_rps > 0 && ZoneRate(zone, time) < f.min_load_rps) {
    return false;
  }
  if (f.needs_whole_region) {
    return Inside(
        RegionComplete(data_->fleet, versions, data_->zone_region[zone]), time);
  }
  return true;
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

namespace {

// A cohort's targets in one zone: static sums and the hurt and crashed
// targets' sums over time (piecewise linear while a fault ramps).
struct ZoneSlot {
  uint32_t zone = 0;
  uint32_t region = 0;
  // Weight, weight * error factor, weight * log latency factor and its
  // square.
  double w = 0, we = 0, wl = 0, wl2 = 0;
  // Hurt targets whose fault shows: weight, weight * error factor, and the
  // same times the fault's size (a + b * t, t in seconds from the start).
  double h = 0, he = 0, hs_a = 0, hs_b = 0, hes_a = 0, hes_b = 0;
  // Crashed targets: weight and weight * error factor.
  double c = 0, ce = 0;
  // Whether the region is complete (for needs_whole_region).
  std::vector<TimeInterval> complete;
};

// A change of a slot's hurt or crashed sums at time t (seconds).
struct SlotEvent {
  double t = 0;
  uint32_t slot = 0;
  double dh = 0, dhe = 0, dhs_a = 0, dhs_b = 0, dhes_a = 0, dhes_b = 0;
  double dc = 0, dce = 0;
};

void Apply(const SlotEvent& e, ZoneSlot& s) {
  s.h += e.dh;
  s.he += e.dhe;
  s.hs_a += e.dhs_a;
  s.hs_b += e.dhs_b;
  s.hes_a += e.dhes_a;
  s.hes_b += e.dhes_b;
  s.c += e.dc;
  s.ce += e.dce;
}

double Seconds(absl::Time t, absl::Time start) {
  if (t == absl::InfiniteFuture()) return kInf;
  return absl::ToDoubleSeconds(t - start);
}

}  // namespace

CohortProfile MetricModel::Profile(absl::Span<const uint32_t> targets) const {
  const Data& d = *data_;
  CohortProfile profile;
  profile.size_ = targets.size();
  profile.key_ = CohortKey(targets);
  const bool error_spread = !d.error_factor.empty();
  const bool latency_spread = !d.latency_log_factor.empty();
  // Zones of the cohort, in order of first appearance.
  std::vector<int32_t> slot_of(d.zone_region.size(), -1);
  for (uint32_t t : targets) {
    const uint32_t zone = d.fleet.zone_of(t);
    if (slot_of[zone] < 0) {
      slot_of[zone] = static_cast<int32_t>(profile.zones_.size());
      CohortProfile::Zone z;
      z.zone = zone;
      z.region = d.zone_region[zone];
      profile.zones_.push_back(z);
    }
    const uint32_t index = static_cast<uint32_t>(slot_of[zone]);
    CohortProfile::Zone& z = profile.zones_[index];
    const double w = d.effective_weight[t];
    const double e = error_spread ? d.error_factor[t] : 1.0;
    const double l = latency_spread ? d.latency_log_factor[t] : 0.0;
    z.w += w;
    z.we += w * e;
    z.wl += w * l;
    z.wl2 += w * l * l;
    profile.weight_ += w;
    profile.w2_ += w * w;
    profile.we_ += w * e;
    profile.we2_ += w * e * w * e;
    if (d.hurt[t]) profile.hurt_.push_back({t, index});
  }
  return profile;
}

void MetricModel::CohortMinutes(absl::Span<const uint32_t> targets,
                                const VersionHistory& versions, absl::Time from,
                                absl::Time to, std::vector<CohortMinute>* out,
                                bool draw) const {
  CohortMinutes(Profile(targets), versions, from, to, out, draw);
}

void MetricModel::CohortMinutes(const CohortProfile& profile,
                                const VersionHistory& versions, absl::Time from,
                                absl::Time to, std::vector<CohortMinute>* out,
                                bool draw) const {
  out->clear();
  const Data& d = *data_;
  const Scenario& s = d.scenario;
  const Fault& fault = s.fault;
  int64_t first = MinuteIndex(from);
  if (MinuteStart(first) < from) ++first;
  int64_t last = MinuteIndex(to);  // exclusive
  if (MinuteStart(last) < to) ++last;
  if (last <= first) return;

  const uint64_t key = profile.key_;
  const bool error_spread = !d.error_factor.empty();
  const bool latency_spread = !d.latency_log_factor.empty();
  std::vector<ZoneSlot> slots(profile.zones_.size());
  for (size_t i = 0; i < slots.size(); ++i) {
    const CohortProfile::Zone& z = profile.zones_[i];
    slots[i].zone = z.zone;
    slots[i].region = z.region;
    slots[i].w = z.w;
    slots[i].we = z.we;
    slots[i].wl = z.wl;
    slots[i].wl2 = z.wl2;
  }
  const double weight = profile.weight_, w2 = profile.w2_;
  const double we_total = profile.we_, we2 = profile.we2_;
  std::vector<SlotEvent> events;
  const double ramp = absl::ToDoubleSeconds(fault.ramp);
  for (const CohortProfile::Hurt& hurt_target : profile.hurt_) {
    const uint32_t t = hurt_target.target;
    const uint32_t index = hurt_target.zone_slot;
    const double w = d.effective_weight[t];
    const double e = error_spread ? d.error_factor[t] : 1.0;
    const double we = w * e;
    for (const TimeInterval& interval : versions.intervals(t)) {
      const double on = Seconds(interval.from + fault.onset_delay, s.start);
      const double end = Seconds(interval.to, s.start);
      const double crash =
          d.crash[t] ? Seconds(interval.from + fault.crash.after, s.start)
                     : kInf;
      const double show_end = std::min(end, crash);
      if (on < show_end) {
        SlotEvent start{on, index};
        start.dh = w;
        start.dhe = we;
        if (ramp > 0) {
          start.dhs_b = w / ramp;
          start.dhs_a = -w * on / ramp;
          start.dhes_b = we / ramp;
          start.dhes_a = -we * on / ramp;
        } else {
          start.dhs_a = w;
          start.dhes_a = we;
        }
        events.push_back(start);
        const double full = on + ramp;
        if (ramp > 0 && full < show_end) {
          SlotEvent grown{full, index};
          grown.dhs_b = -w / ramp;
          grown.dhs_a = w * on / ramp + w;
          grown.dhes_b = -we / ramp;
          grown.dhes_a = we * on / ramp + we;
          events.push_back(grown);
        }
        if (show_end < kInf) {
          SlotEvent stop{show_end, index};
          stop.dh = -w;
          stop.dhe = -we;
          if (ramp > 0 && show_end <= full) {
            stop.dhs_b = -w / ramp;
            stop.dhs_a = w * on / ramp;
            stop.dhes_b = -we / ramp;
            stop.dhes_a = we * on / ramp;
          } else {
            stop.dhs_a = -w;
            stop.dhes_a = -we;
          }
          events.push_back(stop);
        }
      }
      if (crash < end) {
        SlotEvent died{crash, index};
        died.dc = w;
        died.dce = we;
        events.push_back(died);
        if (end < kInf) {
          SlotEvent restored{end, index};
          restored.dc = -w;
          restored.dce = -we;
          events.push_back(restored);
        }
      }
    }
  }
  std::stable_sort(
      events.begin(), events.end(),
      [](const SlotEvent& a, const SlotEvent& b) { return a.t < b.t; });
  if (fault.needs_whole_region && !events.empty()) {
    for (ZoneSlot& slot : slots) {
      slot.complete = RegionComplete(d.fleet, versions, slot.region);
    }
  }
  const double n = static_cast<double>(profile.size_);
  const double traffic_sigma =
      n > 0 ? s.traffic.minute_noise / std::sqrt(n) : 0.0;
  // Overdispersion of the cohort's sums: the gamma's shape is the sum's
  // squared mean over its extra variance.
  const double request_shape =
      s.traffic.overdispersion > 0 && w2 > 0
          ? weight * weight / (s.traffic.overdispersion * w2)
          : 0.0;
  const double error_shape =
      s.errors.overdispersion > 0 && we2 > 0
          ? we_total * we_total / (s.errors.overdispersion * we2)
          : 0.0;
  const double sigma = s.latency.sigma;
  const bool error_backgrounds = [&] {
    for (const ZoneSlot& slot : slots) {
      if (!d.zone_backgrounds[slot.zone][kErrorSlot].empty()) return true;
    }
    return false;
  }();
  const bool latency_backgrounds = [&] {
    for (const ZoneSlot& slot : slots) {
      if (!d.zone_backgrounds[slot.zone][kLatencySlot].empty()) return true;
    }
    return false;
  }();
  const bool gated = fault.intermittent.has_value() || fault.min_load_rps > 0 ||
                     fault.needs_whole_region;
  size_t next_event = 0;
  out->reserve(static_cast<size_t>(last - first));
  for (int64_t m = first; m < last; ++m) {
    CohortMinute minute;
    minute.time = MinuteStart(m);
    minute.index = m;
    minute.targets = static_cast<int64_t>(profile.size_);
    minute.key = key;
    minute.latency_sigma = sigma;
    const absl::Time mid = minute.time + absl::Seconds(30);
    const double mid_s = Seconds(mid, s.start);
    while (next_event < events.size() && events[next_event].t <= mid_s) {
      Apply(events[next_event], slots[events[next_event].slot]);
      ++next_event;
    }
    if (!(weight > 0)) {
      out->push_back(minute);
      continue;
    }
    const double uniform_rate =
        d.uniform_traffic ? ZoneRate(slots.front().zone, mid) : 0.0;
    bool intermittent_on = true;
    if (fault.intermittent.has_value()) {
      absl::Duration into =
          (mid - s.start + d.phase) % fault.intermittent->period;
      if (into < absl::ZeroDuration()) into += fault.intermittent->period;
      intermittent_on = into < fault.intermittent->on;
    }
    double rate = 0, errors = 0, hurt = 0, hurt_size = 0, crashed = 0;
    double excess = 0, incident = 0, incident_log = 0, log1 = 0, log2 = 0;
    for (const ZoneSlot& slot : slots) {
      const double lambda =
          d.uniform_traffic ? uniform_rate : ZoneRate(slot.zone, mid);
      if (!(lambda > 0)) continue;
      rate += lambda * slot.w;
      double p = s.error_rate;
      if (error_backgrounds) {
        p *= BackgroundFactor(Signal::kErrorRate, slot.zone, mid);
      }
      const auto [incident_errors, incident_latency] =
          d.zone_incidents[slot.zone].empty() ? std::pair<double, double>{1, 1}
                                              : IncidentAt(slot.zone, mid);
      if (incident_errors != 1 || incident_latency != 1) {
        p *= incident_errors;
        incident += lambda * slot.w;
        incident_log += lambda * slot.w * std::log(incident_latency);
      }
      bool shows = slot.h > 0;
      if (shows && gated) {
        shows = intermittent_on &&
                (fault.min_load_rps <= 0 || lambda >= fault.min_load_rps) &&
                (!fault.needs_whole_region || Inside(slot.complete, mid));
      }
      const double size_w = slot.hs_a + slot.hs_b * mid_s;
      const double size_we = slot.hes_a + slot.hes_b * mid_s;
      double extra = 0;
      if (shows) {
        extra = p * (fault.error_multiplier - 1) * size_we +
                fault.error_rate_added * size_w;
        hurt += lambda * slot.h;
        hurt_size += lambda * size_w;
      }
      errors += lambda * (p * (slot.we - slot.ce) + extra + slot.c);
      excess += lambda * (extra + slot.c - p * slot.ce);
      crashed += lambda * slot.c;
      if (latency_spread || latency_backgrounds) {
        const double b =
            latency_backgrounds
                ? std::log(std::max(1e-12, BackgroundFactor(Signal::kLatencyMs,
                                                            slot.zone, mid)))
                : 0.0;
        log1 += lambda * (slot.wl + slot.w * b);
        log2 += lambda * (slot.wl2 + 2 * b * slot.wl + slot.w * b * b);
      }
    }
    if (!(rate > 0)) {
      out->push_back(minute);
      continue;
    }
    minute.expected_requests = 60.0 * rate;
    minute.expected_errors = 60.0 * std::min(rate, errors);
    minute.hurt_share = std::clamp(hurt / rate, 0.0, 1.0);
    minute.hurt_severity =
        hurt > 0 ? std::clamp(hurt_size / hurt, 0.0, 1.0) : 1.0;
    minute.crashed_share = std::clamp(crashed / rate, 0.0, 1.0);
    minute.harmed_requests = 60.0 * (hurt + crashed);
    minute.excess_errors = 60.0 * std::max(0.0, excess);
    if (incident > 0) {
      minute.incident_share = std::clamp(incident / rate, 0.0, 1.0);
      minute.incident_latency = std::exp(incident_log / incident);
    }
    if (latency_spread || latency_backgrounds) {
      const double mean = log1 / rate;
      const double variance = log2 / rate - mean * mean;
      minute.latency_factor = std::exp(mean);
      if (variance > 1e-12) {
        minute.latency_sigma = std::sqrt(sigma * sigma + variance);
      }
    }
    if (!draw) {
      out->push_back(minute);
      continue;
    }
    const uint64_t um = static_cast<uint64_t>(m);
    const double noise =
        traffic_sigma > 0
            ? std::exp(traffic_sigma * NormalFromBits(HashWords(
                                           {key, um, kStreamTrafficNoise})))
            : 1.0;
    double mean = minute.expected_requests * noise;
    if (request_shape > 0) {
      mean *= GammaFromKey(request_shape,
                           HashWords({key, um, kStreamRequestGamma})) /
              request_shape;
    }
    minute.requests =
        PoissonFromBits(mean, HashWords({key, um, kStreamRequests}));
    double p = std::min(1.0, errors / rate);
    if (error_shape > 0 && p > 0) {
      p = std::min(1.0,
                   p *
                       GammaFromKey(error_shape,
                                    HashWords({key, um, kStreamErrorGamma})) /
                       error_shape);
    }
    const uint64_t error_bits = HashWords({key, um, kStreamErrors});
    minute.errors =
        p <= 0.1 ? std::min(minute.requests,
                            PoissonFromBits(minute.requests * p, error_bits))
                 : BinomialFromBits(minute.requests, p, error_bits);
    out->push_back(minute);
  }
}

namespace {

// One part of a minute's latency mixture.
struct Component {
  double weight = 0;
  double scale = 1;       // multiplies body and tail
  double shift = 0;       // added, ms
  double tail_scale = 1;  // further multiplies the tail
};

// The (at most four) parts: healthy or hurt, in an incident's zone or not.
int Components(const Scenario& s, const CohortMinute& minute,
               std::array<Component, 4>* out) {
  const Fault& f = s.fault;
  const double h = minute.hurt_share;
  const double inc = minute.incident_share;
  const double size = minute.hurt_severity;
  const double lm = 1 + size * (f.latency_multiplier - 1);
  const double tm = 1 + size * (f.tail_multiplier - 1);
  const double shift = size * f.latency_shift_ms;
  const double base = minute.latency_factor;
  int count = 0;
  auto add = [&](double weight, double scale, double add_ms, double tail) {
    if (!(weight > 0)) return;
    (*out)[count++] = Component{weight, scale, add_ms, tail};
  };
  add((1 - h) * (1 - inc), base, 0, 1);
  add(h * (1 - inc), base * lm, shift, tm);
  add((1 - h) * inc, base * minute.incident_latency, 0, 1);
  add(h * inc, base * minute.incident_latency * lm, shift, tm);
  if (count == 0) add(1, base, 0, 1);
  return count;
}

double ComponentCdf(const LatencyModel& model, double sigma, const Component& c,
                    double x) {
  const double y = x - c.shift;
  if (!(y > 0)) return 0;
  const double body =
      SimNormalCdf(std::log(y / (c.scale * model.median_ms)) / sigma);
  double tail = 0;
  const double scaled = y / (c.scale * c.tail_scale);
  if (scaled > model.tail_scale_ms) {
    tail = 1.0 - std::pow(model.tail_scale_ms / scaled, model.tail_shape);
  }
  return (1.0 - model.tail_probability) * body + model.tail_probability * tail;
}

double Sigma(const Scenario& s, const CohortMinute& minute) {
  return minute.latency_sigma > 0 ? minute.latency_sigma : s.latency.sigma;
}

}  // namespace

double MetricModel::MixtureCdf(const CohortMinute& minute, double ms) const {
  const Scenario& s = data_->scenario;
  std::array<Component, 4> parts;
  const int count = Components(s, minute, &parts);
  const double sigma = Sigma(s, minute);
  double cdf = 0;
  for (int i = 0; i < count; ++i) {
    cdf += parts[i].weight * ComponentCdf(s.latency, sigma, parts[i], ms);
  }
  return cdf;
}

double MetricModel::MixtureQuantile(const CohortMinute& minute,
                                    double quantile) const {
  const Scenario& s = data_->scenario;
  std::array<Component, 4> parts;
  const int count = Components(s, minute, &parts);
  const double sigma = Sigma(s, minute);
  double low_scale = kInf, high = 0;
  for (int i = 0; i < count; ++i) {
    low_scale = std::min(low_scale, parts[i].scale);
    high =
        std::max(high, s.latency.median_ms * parts[i].scale + parts[i].shift);
  }
  // Bisection on log(x).
  double lo = std::log(s.latency.median_ms * low_scale) - 12 * sigma;
  double hi = std::log(high) + 1;
  for (int i = 0; i < 64 && MixtureCdf(minute, std::exp(hi)) < quantile; ++i) {
    hi += 2;
  }
  for (int i = 0; i < 48; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (MixtureCdf(minute, std::exp(mid)) < quantile) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return std::exp(0.5 * (lo + hi));
}

double MetricModel::MixtureQuantile(double quantile, double hurt_share,
                                    double latency_factor) const {
  CohortMinute minute;
  minute.hurt_share = hurt_share;
  minute.latency_factor = latency_factor;
  return MixtureQuantile(minute, quantile);
}

double MetricModel::MinuteNoise(const CohortMinute& minute) const {
  const double noise = data_->scenario.latency.minute_noise;
  if (!(noise > 0)) return 1;
  return std::exp(noise * NormalFromBits(HashWords(
                              {minute.key, static_cast<uint64_t>(minute.index),
                               kStreamLatencyNoise})));
}

double MetricModel::Value(const CohortMinute& minute, Signal signal,
                          double quantile, double slower_than_ms) const {
  switch (signal) {
    case Signal::kRequestRate:
      return minute.requests / 60.0;
    case Signal::kRequestCount:
      return minute.requests;
    case Signal::kErrorCount:
      return minute.errors;
    case Signal::kErrorRate:
      return minute.requests > 0 ? minute.errors / minute.requests : 0.0;
    case Signal::kSlowCount: {
      std::vector<double> counts;
      const double bound[] = {slower_than_ms};
      LatencyHistogram(minute, bound, &counts);
      return counts.back();
    }
    case Signal::kLatencyMs:
      break;
  }
  if (!(minute.requests > 0)) return std::numeric_limits<double>::quiet_NaN();
  const double x = MixtureQuantile(minute, quantile);
  // Sampling error of an empirical quantile of n requests:
  // sd = sqrt(q (1 - q) / n) / density(x).
  const double h = 0.01 * x;
  const double density =
      (MixtureCdf(minute, x + h) - MixtureCdf(minute, x - h)) / (2 * h);
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
  return value * MinuteNoise(minute);
}

void MetricModel::LatencyHistogram(const CohortMinute& minute,
                                   absl::Span<const double> bounds,
                                   std::vector<double>* counts) const {
  counts->assign(bounds.size() + 1, 0.0);
  double remaining = std::floor(minute.requests);
  if (!(remaining > 0)) return;
  const double noise = MinuteNoise(minute);
  const uint64_t um = static_cast<uint64_t>(minute.index);
  double below = 0;  // probability mass of the buckets drawn so far
  for (size_t b = 0; b < bounds.size() && remaining > 0; ++b) {
    const double cdf = MixtureCdf(minute, bounds[b] / noise);
    const double mass = std::max(0.0, cdf - below);
    const double left = 1.0 - below;
    const double count =
        left > 0
            ? BinomialFromBits(remaining, std::min(1.0, mass / left),
                               HashWords({minute.key, um, kStreamHistogram, b}))
            : 0.0;
    (*counts)[b] = count;
    remaining -= count;
    below = std::max(below, cdf);
  }
  counts->back() += remaining;
}

void MetricModel::LatencyObservations(const CohortMinute& minute,
                                      int64_t max_count,
                                      std::vector<double>* out) const {
  const Scenario& s = data_->scenario;
  const int64_t count = std::min<int64_t>(
      max_count, static_cast<int64_t>(std::floor(minute.requests)));
  if (count <= 0) return;
  std::array<Component, 4> parts;
  const int components = Components(s, minute, &parts);
  const double sigma = Sigma(s, minute);
  const double noise = MinuteNoise(minute);
  const LatencyModel& model = s.latency;
  const uint64_t um = static_cast<uint64_t>(minute.index);
  for (int64_t j = 0; j < count; ++j) {
    const uint64_t h = HashWords(
        {minute.key, um, kStreamObservation, static_cast<uint64_t>(j)});
    double pick = UnitFromBits(internal::SplitMix64(h));
    int c = 0;
    while (c + 1 < components && pick >= parts[c].weight) {
      pick -= parts[c].weight;
      ++c;
    }
    const Component& part = parts[c];
    const bool tail =
        UnitFromBits(internal::SplitMix64(h + 1)) < model.tail_probability;
    const uint64_t value_bits = internal::SplitMix64(h + 2);
    const double value =
        tail ? internal::ParetoFromBits(model.tail_scale_ms, model.tail_shape,
                                        value_bits) *
                   part.scale * part.tail_scale
             : model.median_ms * part.scale *
                   std::exp(sigma * NormalFromBits(value_bits));
    out->push_back((value + part.shift) * noise);
  }
}

double MetricModel::MeanLatency(const CohortMinute& minute) const {
  const Scenario& s = data_->scenario;
  const LatencyModel& model = s.latency;
  if (model.tail_probability > 0 && model.tail_shape <= 1) return kInf;
  std::array<Component, 4> parts;
  const int count = Components(s, minute, &parts);
  const double sigma = Sigma(s, minute);
  const double tail_mean =
      model.tail_probability > 0
          ? model.tail_scale_ms * model.tail_shape / (model.tail_shape - 1)
          : 0.0;
  double mean = 0;
  for (int i = 0; i < count; ++i) {
    const Component& c = parts[i];
    mean +=
        c.weight *
        ((1 - model.tail_probability) * model.median_ms * c.scale *
             std::exp(0.5 * sigma * sigma) +
         model.tail_probability * tail_mean * c.scale * c.tail_scale + c.shift);
  }
  return mean * MinuteNoise(minute);
}

}  // namespace sluice::sim

// Copyright 2026 The Sluice Authors.
//
// Scenario: the virtual world in which the simulator tries a rollout policy.
//
// A scenario says how long deployments take and how often they fail, what
// traffic, errors and latency each target produces (a daily cycle in each
// region's time zone, low-traffic periods, per-target heterogeneity,
// overdispersed counts, per-minute noise and a heavy latency tail),
// incidents unrelated to the release that hit one zone or region, recorded
// series replayed as backgrounds (per zone, at offsets drawn per run),
// whether the release is good or bad (a bad release's fault has a size that
// may multiply or add, ramp up, come and go, need load or a whole region; it
// may crash targets; it has an onset delay and a scope), how metrics reach
// the gates (lag, loss, failing queries) and which alarms derive from them.
// Scenarios are sluice.v1.Scenario messages in text format or JSON
// (proto/sluice/v1/scenario.proto); docs/simulation.md explains the model.
//
// Example:
//
//   absl::StatusOr<sluice::sim::Scenario> scenario =
//       sluice::sim::LoadScenarioFile("examples/scenarios/bad_one_zone.textproto");
//   if (!scenario.ok()) return scenario.status();
//   // Checks that need the fleet, e.g. that fault.scope.zone exists:
//   absl::Status status = sluice::sim::ValidateScenarioAgainst(*scenario,
//   fleet);

#ifndef SLUICE_SIM_SCENARIO_H_
#define SLUICE_SIM_SCENARIO_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sluice/fleet.h"
#include "sluice/sim/recorded_series.h"

namespace sluice {
namespace v1 {
class Scenario;
}  // namespace v1

namespace sim {

// A simulated health signal, per cohort and per minute.
enum class Signal {
  // Requests per second in the minute.
  kRequestRate,
  // Requests in the minute.
  kRequestCount,
  // Failed requests in the minute.
  kErrorCount,
  // Failed requests / requests in the minute (0 when there were none).
  kErrorRate,
  // A latency quantile of the minute's requests, in milliseconds.
  kLatencyMs,
  // Requests in the minute slower than a bound (MetricBinding::
  // slower_than_ms): a latency SLO's "bad" requests, as a host computes them
  // from histogram buckets (the +Inf bucket's count minus the bound's).
  kSlowCount,
};

// "request_rate", "request_count", "error_count", "error_rate", "latency_ms",
// "slow_count".
absl::string_view SignalName(Signal signal);
std::ostream& operator<<(std::ostream& os, Signal signal);

// How long a deployment to one target takes and how often it fails.
// Value type; thread-compatible.
struct DeployModel {
  // Median time to deploy one target; >= 0. Default: 2 minutes.
  absl::Duration median_duration = absl::Minutes(2);
  // Log-normal spread (sigma of the log) of the time, in [0, 3]. Default:
  // 0.3.
  double duration_spread = 0.3;
  // Probability that one target's deployment fails, in [0, 1]. Default: 0.
  double failure_probability = 0;

  friend bool operator==(const DeployModel& a, const DeployModel& b) {
    return a.median_duration == b.median_duration &&
           a.duration_spread == b.duration_spread &&
           a.failure_probability == b.failure_probability;
  }
};

// A daily period of low traffic in each region's own time. Value type;
// thread-compatible.
struct LowTrafficPeriod {
  // The local hour it starts at, in [0, 24). Default: 0.
  double start_hour = 0;
  // Its length, in (0, 24h]. Default: 1 hour.
  absl::Duration duration = absl::Hours(1);
  // The traffic multiplier during it, in [0, 1]. Default: 0.1.
  double factor = 0.1;

  friend bool operator==(const LowTrafficPeriod& a, const LowTrafficPeriod& b) {
    return a.start_hour == b.start_hour && a.duration == b.duration &&
           a.factor == b.factor;
  }
};

// Requests per unit of weight, varying over the day. Value type;
// thread-compatible.
struct TrafficModel {
  // Requests per second per unit of target weight at the daily mean; > 0.
  // Default: 10.
  double requests_per_second = 10;
  // Relative amplitude of the daily cycle, in [0, 1). Default: 0.3.
  double diurnal_amplitude = 0.3;
  // Hour of the day (UTC) of the peak, in [0, 24). Default: 15.
  double peak_hour_utc = 15;
  // Per-minute log-normal noise of one target's rate (a cohort of n targets
  // sees sigma / sqrt(n)), in [0, 3]. Default: 0.1.
  double minute_noise = 0.1;
  // Persistent log-normal spread between targets, in [0, 3]. Default: 0.1.
  double target_spread = 0.1;
  // The peak hour in each region's own time (Scenario::regions); replaces
  // peak_hour_utc when set. In [0, 24). Default: unset.
  std::optional<double> peak_hour_local = std::nullopt;
  // Daily low-traffic periods in each region's own time. Default: none.
  std::vector<LowTrafficPeriod> low_traffic = {};
  // Negative-binomial overdispersion of a target's requests per minute
  // (variance mean + overdispersion * mean^2), >= 0. Default: 0 (Poisson).
  double overdispersion = 0;

  friend bool operator==(const TrafficModel& a, const TrafficModel& b) {
    return a.requests_per_second == b.requests_per_second &&
           a.diurnal_amplitude == b.diurnal_amplitude &&
           a.peak_hour_utc == b.peak_hour_utc &&
           a.minute_noise == b.minute_noise &&
           a.target_spread == b.target_spread &&
           a.peak_hour_local == b.peak_hour_local &&
           a.low_traffic == b.low_traffic &&
           a.overdispersion == b.overdispersion;
  }
};

// The noise of a healthy target's errors beyond the base rate
// (Scenario::error_rate). Value type; thread-compatible.
struct ErrorNoise {
  // Persistent spread of the error rate between targets: a log-normal
  // factor with mean 1 and this sigma of the log, in [0, 3]. Default: 0.
  double target_spread = 0;
  // Negative-binomial overdispersion of a target's errors per minute
  // (variance mean + overdispersion * mean^2), in [0, 100]. Default: 0
  // (Poisson).
  double overdispersion = 0;

  friend bool operator==(const ErrorNoise& a, const ErrorNoise& b) {
    return a.target_spread == b.target_spread &&
           a.overdispersion == b.overdispersion;
  }
};

// A region's time zone. Value type; thread-compatible.
struct RegionTimeZone {
  // A region of the fleet. Required.
  std::string name = {};
  // Hours from UTC, in [-12, 14]. Default: 0.
  double utc_offset_hours = 0;

  friend bool operator==(const RegionTimeZone& a, const RegionTimeZone& b) {
    return a.name == b.name && a.utc_offset_hours == b.utc_offset_hours;
  }
};

// Incidents unrelated to the release, per zone and per region, drawn per
// run: every target of the zone (or region) is degraded while one lasts,
// whatever version it serves. Value type; thread-compatible.
struct IncidentModel {
  // Incidents per zone per day (Poisson), >= 0. Default: 0.
  double zone_rate_per_day = 0;
  // Incidents per region per day, >= 0. Default: 0.
  double region_rate_per_day = 0;
  // Median duration; > 0. Default: 20 minutes.
  absl::Duration median_duration = absl::Minutes(20);
  // Log-normal spread of the duration, in [0, 3]. Default: 0.5.
  double duration_spread = 0.5;
  // Error-rate multiplier during an incident, >= 0. Default: 3.
  double error_multiplier = 3;
  // Latency multiplier during an incident, > 0. Default: 1.5.
  double latency_multiplier = 1.5;

  friend bool operator==(const IncidentModel& a, const IncidentModel& b) {
    return a.zone_rate_per_day == b.zone_rate_per_day &&
           a.region_rate_per_day == b.region_rate_per_day &&
           a.median_duration == b.median_duration &&
           a.duration_spread == b.duration_spread &&
           a.error_multiplier == b.error_multiplier &&
           a.latency_multiplier == b.latency_multiplier;
  }
};

// Latency of one request: a log-normal body with a Pareto tail. Value type;
// thread-compatible.
struct LatencyModel {
  // Median of the body in ms; > 0. Default: 40.
  double median_ms = 40;
  // Sigma of the log of the body, in (0, 3]. Default: 0.35.
  double sigma = 0.35;
  // Share of requests in the tail, in [0, 1]. Default: 0.02.
  double tail_probability = 0.02;
  // Pareto scale (minimum) of the tail in ms; > 0. Default: 150.
  double tail_scale_ms = 150;
  // Pareto shape; > 0 (smaller is heavier). Default: 2.5.
  double tail_shape = 2.5;
  // Per-minute log-normal noise of a cohort's latency, in [0, 3]. Default:
  // 0.05.
  double minute_noise = 0.05;
  // Persistent log-normal spread of latency between targets (median 1), in
  // [0, 3]. Default: 0.
  double target_spread = 0;

  friend bool operator==(const LatencyModel& a, const LatencyModel& b) {
    return a.median_ms == b.median_ms && a.sigma == b.sigma &&
           a.tail_probability == b.tail_probability &&
           a.tail_scale_ms == b.tail_scale_ms && a.tail_shape == b.tail_shape &&
           a.minute_noise == b.minute_noise &&
           a.target_spread == b.target_spread;
  }
};

// Which targets a bad release hurts. Value type; thread-compatible.
struct FaultScope {
  // The kinds of scope.
  enum class Kind {
    // Every target.
    kAll,
    // The targets of one zone (`zone`, and `region` when given).
    kZone,
    // The targets of one region (`region`).
    kRegion,
    // A random share of the targets (`share`), drawn per run.
    kShare,
  };
  // Default: kAll.
  Kind kind = Kind::kAll;
  // For kRegion: the region; for kZone: optionally the zone's region (zone
  // names are scoped by region; without it every zone of that name).
  // Default: empty.
  std::string region;
  // For kZone: the zone. Default: empty.
  std::string zone;
  // For kShare: the share of targets hurt, in [0, 1]. Default: 1.
  double share = 1;

  friend bool operator==(const FaultScope& a, const FaultScope& b) {
    return a.kind == b.kind && a.region == b.region && a.zone == b.zone &&
           a.share == b.share;
  }
};

// An intermittent fault's cycle. Value type; thread-compatible.
struct Intermittence {
  // The cycle; > 0. Default: 1 hour.
  absl::Duration period = absl::Hours(1);
  // How long the fault shows per cycle, in (0, period]. Default: 10
  // minutes.
  absl::Duration on = absl::Minutes(10);

  friend bool operator==(const Intermittence& a, const Intermittence& b) {
    return a.period == b.period && a.on == b.on;
  }
};

// Crash-looping targets on a bad version. Value type; thread-compatible.
struct CrashModel {
  // Probability that a hurt target's deployment fails, in [0, 1]. Default:
  // 0.
  double deploy_failure_probability = 0;
  // Probability that a hurt, deployed target dies `after` its deployment
  // and then fails every request, in [0, 1]. Default: 0.
  double die_probability = 0;
  // From deployment to death; > 0. Default: 10 minutes.
  absl::Duration after = absl::Minutes(10);

  friend bool operator==(const CrashModel& a, const CrashModel& b) {
    return a.deploy_failure_probability == b.deploy_failure_probability &&
           a.die_probability == b.die_probability && a.after == b.after;
  }
};

// Whether the release is good or bad, and how bad. On a hurt target whose
// fault shows with size s in [0, 1] (1 unless it ramps), the error rate is
// base * (1 + s * (error_multiplier - 1)) + s * error_rate_added, and every
// request takes (1 + s * (latency_multiplier - 1)) times as long plus
// s * latency_shift_ms, its tail part (1 + s * (tail_multiplier - 1)) times
// as long. Value type; thread-compatible.
struct Fault {
  // True for a bad release. Default: false.
  bool bad = false;
  // Multiplier of the error rate on hurt targets; >= 0. Default: 1.
  double error_multiplier = 1;
  // Latency added to every request on hurt targets, in ms; >= 0. Default: 0.
  double latency_shift_ms = 0;
  // Time from a target's deployment to the fault showing; >= 0. Default: 0.
  absl::Duration onset_delay = absl::ZeroDuration();
  // Which targets are hurt. Default: all.
  FaultScope scope;
  // Added to the error rate of hurt targets, in [0, 1]. Default: 0.
  double error_rate_added = 0;
  // Multiplier of every request's latency on hurt targets; > 0. Default: 1.
  double latency_multiplier = 1;
  // Multiplier of the latency tail's requests on hurt targets; > 0.
  // Default: 1.
  double tail_multiplier = 1;
  // From the onset to full size, growing linearly (a leak); >= 0. Default:
  // 0 (full size at once).
  absl::Duration ramp = absl::ZeroDuration();
  // Shows only part of each cycle, at a phase drawn per run. Default: unset
  // (always).
  std::optional<Intermittence> intermittent = std::nullopt;
  // Shows only while the target's region serves at least this many requests
  // per second per unit of weight; >= 0. Default: 0 (any load).
  double min_load_rps = 0;
  // Shows on a region's targets only while every target of the region
  // serves the new version. Default: false.
  bool needs_whole_region = false;
  // Crash-looping targets. Default: none.
  CrashModel crash = {};

  friend bool operator==(const Fault& a, const Fault& b) {
    return a.bad == b.bad && a.error_multiplier == b.error_multiplier &&
           a.latency_shift_ms == b.latency_shift_ms &&
           a.onset_delay == b.onset_delay && a.scope == b.scope &&
           a.error_rate_added == b.error_rate_added &&
           a.latency_multiplier == b.latency_multiplier &&
           a.tail_multiplier == b.tail_multiplier && a.ramp == b.ramp &&
           a.intermittent == b.intermittent &&
           a.min_load_rps == b.min_load_rps &&
           a.needs_whole_region == b.needs_whole_region && a.crash == b.crash;
  }
};

// How metrics reach the gates. Value type; thread-compatible.
struct MetricDelivery {
  // A minute's data is visible this long after the minute ends; >= 0.
  // Default: 0.
  absl::Duration lag = absl::ZeroDuration();
  // Probability that a cohort's data point of one minute is lost, in
  // [0, 1]. Default: 0.
  double drop_probability = 0;
  // Probability that one query fails with kUnavailable, in [0, 1]. Default:
  // 0.
  double error_probability = 0;

  friend bool operator==(const MetricDelivery& a, const MetricDelivery& b) {
    return a.lag == b.lag && a.drop_probability == b.drop_probability &&
           a.error_probability == b.error_probability;
  }
};

// Prometheus' default histogram buckets (DefBuckets), in ms: 5, 10, 25, 50,
// 100, 250, 500, 1000, 2500, 5000, 10000.
const std::vector<double>& DefaultLatencyBucketsMs();

// Ties a metric name of the spec to a signal. Value type; thread-compatible.
// The default latency bound of Signal::kSlowCount, in ms.
inline constexpr double kDefaultSlowerThanMs = 250;

struct MetricBinding {
  // What a distribution query (MetricSource::QueryDistribution) of a
  // latency metric answers.
  enum class Distribution {
    // Cumulative histogram buckets at `buckets_ms`.
    kHistogram,
    // The requests' latencies, at most max_observations_per_minute per
    // cohort and minute.
    kObservations,
  };
  // The spec's metric name. Required.
  std::string metric;
  // Default: kErrorRate.
  Signal signal = Signal::kErrorRate;
  // For kLatencyMs: the quantile, in (0, 1). Default: 0.99.
  double quantile = 0.99;
  // For kLatencyMs. Default: kHistogram.
  Distribution distribution = Distribution::kHistogram;
  // Histogram upper bounds in ms, strictly increasing and > 0 (+inf is
  // added). Default: empty, meaning DefaultLatencyBucketsMs().
  std::vector<double> buckets_ms = {};
  // For kObservations, in [1, 100000]. Default: 1000.
  int max_observations_per_minute = 1000;
  // For kSlowCount: a request slower than this many ms counts, > 0.
  // Default: kDefaultSlowerThanMs (250, Prometheus' default bucket bound
  // above the healthy p99 of the default latency model).
  double slower_than_ms = kDefaultSlowerThanMs;

  friend bool operator==(const MetricBinding& a, const MetricBinding& b) {
    return a.metric == b.metric && a.signal == b.signal &&
           a.quantile == b.quantile && a.distribution == b.distribution &&
           a.buckets_ms == b.buckets_ms &&
           a.max_observations_per_minute == b.max_observations_per_minute &&
           a.slower_than_ms == b.slower_than_ms;
  }
};

// Infers a binding from a metric's name ("error_rate", "p99_latency_ms",
// "request_rate", ...; see proto/sluice/v1/scenario.proto), or nullopt.
std::optional<MetricBinding> InferBinding(absl::string_view metric);

// An alarm derived from a signal, evaluated as a CloudWatch alarm over
// one-minute data points. Value type; thread-compatible.
struct AlarmRule {
  // Which targets the alarm watches.
  enum class Scope {
    // The whole fleet.
    kFleet,
    // The targets named by the query (the current wave).
    kWave,
  };
  // The alarm's name; required, unique.
  std::string name;
  // Default: kErrorRate.
  Signal signal = Signal::kErrorRate;
  // For kLatencyMs: the quantile, in (0, 1). Default: 0.99.
  double quantile = 0.99;
  // Breach threshold; finite. Default: 0.
  double threshold = 0;
  // Breach below the threshold instead of above. Default: false.
  bool below = false;
  // Data points evaluated; >= 1. Default: 3.
  int evaluation_periods = 3;
  // Breaching points needed, in [1, evaluation_periods]. Default: 3.
  int datapoints_to_alarm = 3;
  // Default: kFleet.
  Scope scope = Scope::kFleet;

  friend bool operator==(const AlarmRule& a, const AlarmRule& b) {
    return a.name == b.name && a.signal == b.signal &&
           a.quantile == b.quantile && a.threshold == b.threshold &&
           a.below == b.below && a.evaluation_periods == b.evaluation_periods &&
           a.datapoints_to_alarm == b.datapoints_to_alarm && a.scope == b.scope;
  }
};

// A recorded series shaping one signal: factor = max(0, 1 + strength *
// (value / mean - 1)). Value type; thread-compatible.
struct RecordedBackground {
  // How the zones a background covers replay it.
  enum class ZoneReplay {
    // kSame for kRequestRate, kShifted for kErrorRate and kLatencyMs.
    kDefault,
    // Every zone at the same moment of the series.
    kSame,
    // Zone k (in the fleet's zone order) replays k days later than the
    // first (span / zones when the series is shorter than two days).
    kShifted,
  };
  // The file it was loaded from, as written in the scenario. Default: empty.
  std::string path;
  // The loaded series.
  RecordedSeries series;
  // kRequestRate (replaces the daily cycle), kErrorRate or kLatencyMs.
  // Default: kRequestRate.
  Signal signal = Signal::kRequestRate;
  // Offset into the series at the simulation's start in the first zone;
  // >= 0. Default: unset, drawn per run uniformly over the series' period
  // in whole minutes.
  std::optional<absl::Duration> offset = std::nullopt;
  // In [0, 10]. Default: 1.
  double strength = 1;
  // Only this zone replays it (and `region`, when given, names the zone's
  // region). Default: empty, every zone.
  std::string zone = {};
  std::string region = {};
  // Default: kDefault.
  ZoneReplay zone_replay = ZoneReplay::kDefault;
  // When set, replaces `strength`: the factor's coefficient of variation,
  // in [0, 10] (strength = cv / series.cv(), at most 10). Default: unset.
  std::optional<double> cv = std::nullopt;
  // For kRequestRate: multiply the daily cycle instead of replacing it.
  // Default: false.
  bool keep_daily_cycle = false;

  // zone_replay with kDefault resolved by the signal.
  ZoneReplay EffectiveZoneReplay() const;
  // The strength applied: from `cv` when set, else `strength`.
  double EffectiveStrength() const;

  friend bool operator==(const RecordedBackground& a,
                         const RecordedBackground& b) {
    return a.path == b.path && a.series == b.series && a.signal == b.signal &&
           a.offset == b.offset && a.strength == b.strength &&
           a.zone == b.zone && a.region == b.region &&
           a.zone_replay == b.zone_replay && a.cv == b.cv &&
           a.keep_daily_cycle == b.keep_daily_cycle;
  }
};

// A validated scenario (ValidateScenario() passes). Value type;
// thread-compatible.
struct Scenario {
  // For reports. Default: empty.
  std::string name;
  // For people. Default: empty.
  std::string description;
  // Virtual time simulated; > 0, at most 366 days. Default: 24 hours.
  absl::Duration duration = absl::Hours(24);
  // Virtual start time. Default: 2026-01-05 08:00 UTC (a Monday morning).
  absl::Time start = absl::FromUnixSeconds(1767600000);
  // Seed used when the caller gives none. Default: 1.
  uint64_t seed = 1;
  // Default: see DeployModel.
  DeployModel deploy;
  // Default: see TrafficModel.
  TrafficModel traffic;
  // A healthy request's failure probability, in [0, 1]. Default: 0.001.
  double error_rate = 0.001;
  // Heterogeneity and overdispersion of errors. Default: none.
  ErrorNoise errors;
  // Default: see LatencyModel.
  LatencyModel latency;
  // Default: a good release.
  Fault fault;
  // Default: perfect delivery.
  MetricDelivery delivery;
  // Explicit metric bindings (others are inferred by name). Default: none.
  std::vector<MetricBinding> metrics;
  // Alarms for alarm gates. Default: none.
  std::vector<AlarmRule> alarms;
  // A replayed background (the proto's `background`). Default: none.
  std::optional<RecordedBackground> background;
  // More replayed backgrounds (the proto's `backgrounds`). Default: none.
  std::vector<RecordedBackground> backgrounds;
  // Incidents unrelated to the release. Default: none.
  IncidentModel incidents;
  // The regions' time zones; regions not listed are at UTC. Default: none.
  std::vector<RegionTimeZone> regions;

  // `background` (if any) followed by `backgrounds`.
  std::vector<const RecordedBackground*> AllBackgrounds() const;

  // The binding of `metric`: an explicit one, else InferBinding(), else
  // nullopt.
  std::optional<MetricBinding> BindingFor(absl::string_view metric) const;

  friend bool operator==(const Scenario& a, const Scenario& b);
  friend bool operator!=(const Scenario& a, const Scenario& b) {
    return !(a == b);
  }
};

// Prints a one-line summary, e.g. "Scenario(bad-one-zone: 24h, bad release
// (errors x20, +0ms, onset 5m, zone use1-az1), 1 alarm)".
std::ostream& operator<<(std::ostream& os, const Scenario& scenario);

// Checks the ranges of every field. Errors are kInvalidArgument naming the
// field: "hours: must be > 0 (got -1)", "deploy.failure_probability: must be
// in [0, 1] (got 1.5)", "alarms[1].name: duplicate \"errors\"".
absl::Status ValidateScenario(const Scenario& scenario);

// The checks that need the fleet: the fault's zone or region exists, and so
// do the zones of per-zone backgrounds and the regions given time zones.
// Errors: "fault.scope.zone: the fleet has no zone \"use1-az9\"",
// "fault.scope.region: the fleet has no region \"ap-south-9\"",
// "backgrounds[1].zone: the fleet has no zone \"x\"", "regions[0].name: the
// fleet has no region \"mars-1\"".
absl::Status ValidateScenarioAgainst(const Scenario& scenario,
                                     const Fleet& fleet);

// Converts and validates a message. A background's CSV path is resolved
// relative to `base_dir` (unless absolute or `base_dir` is empty) and
// loaded.
absl::StatusOr<Scenario> ScenarioFromProto(const v1::Scenario& proto,
                                           absl::string_view base_dir = "");

// Reads a scenario file (.textproto/.txtpb/.pbtxt or .json), converts and
// validates it; the background's path is relative to the file's directory.
// Errors are prefixed with the path.
absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path);

}  // namespace sim
}  // namespace sluice

#endif  // SLUICE_SIM_SCENARIO_H_

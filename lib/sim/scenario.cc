// Copyright 2026 The Sluice Authors.

#include "sluice/sim/scenario.h"

#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "sluice/proto_io.h"
#include "sluice/v1/scenario.pb.h"

namespace sluice::sim {

using internal::DurationFromProto;
using internal::FieldPath;
using internal::kIsRequired;
using internal::kMustBeNonNegative;
using internal::kMustBeNonNegativeFinite;
using internal::kMustBePositive;
using internal::kMustBePositiveFinite;
using internal::kMustNotBeEmpty;
using internal::MustBe;

absl::string_view SignalName(Signal signal) {
  switch (signal) {
    case Signal::kRequestRate:
      return "request_rate";
    case Signal::kRequestCount:
      return "request_count";
    case Signal::kErrorCount:
      return "error_count";
    case Signal::kErrorRate:
      return "error_rate";
    case Signal::kLatencyMs:
      return "latency_ms";
    case Signal::kSlowCount:
      return "slow_count";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, Signal signal) {
  return os << SignalName(signal);
}

std::optional<MetricBinding> InferBinding(absl::string_view metric) {
  const std::string name = absl::AsciiStrToLower(metric);
  MetricBinding binding;
  binding.metric = std::string(metric);
  // Before "request": "slow_requests" counts slow requests.
  if (absl::StrContains(name, "slow")) {
    binding.signal = Signal::kSlowCount;
    return binding;
  }
  if (absl::StrContains(name, "error_rate") ||
      absl::StrContains(name, "error_ratio") ||
      absl::StrContains(name, "errorrate")) {
    binding.signal = Signal::kErrorRate;
    return binding;
  }
  if (absl::StrContains(name, "error")) {
    binding.signal = Signal::kErrorCount;
    return binding;
  }
  if (absl::StrContains(name, "latency")) {
    binding.signal = Signal::kLatencyMs;
    // Longest first: "p999" before "p99" before "p9...".
    static constexpr std::pair<const char*, double> kQuantiles[] = {
        {"p999", 0.999}, {"p99", 0.99}, {"p95", 0.95},
        {"p90", 0.9},    {"p75", 0.75}, {"p50", 0.5}};
    binding.quantile = 0.99;
    for (const auto& [label, q] : kQuantiles) {
      if (absl::StrContains(name, label)) {
        binding.quantile = q;
        break;
      }
    }
    if (absl::StrContains(name, "median")) binding.quantile = 0.5;
    return binding;
  }
  if (absl::StrContains(name, "request_rate") ||
      absl::StrContains(name, "rps") || absl::StrContains(name, "qps")) {
    binding.signal = Signal::kRequestRate;
    return binding;
  }
  if (absl::StrContains(name, "request")) {
    binding.signal = Signal::kRequestCount;
    return binding;
  }
  return std::nullopt;
}

const std::vector<double>& DefaultLatencyBucketsMs() {
  static const auto* buckets = new std::vector<double>{
      5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};
  return *buckets;
}

RecordedBackground::ZoneReplay RecordedBackground::EffectiveZoneReplay() const {
  if (zone_replay != ZoneReplay::kDefault) return zone_replay;
  return signal == Signal::kRequestRate ? ZoneReplay::kSame
                                        : ZoneReplay::kShifted;
}

double RecordedBackground::EffectiveStrength() const {
  if (!cv.has_value()) return strength;
  const double own = series.cv();
  return own > 0 ? std::min(10.0, *cv / own) : 0.0;
}

std::vector<const RecordedBackground*> Scenario::AllBackgrounds() const {
  std::vector<const RecordedBackground*> all;
  if (background.has_value()) all.push_back(&*background);
  for (const RecordedBackground& b : backgrounds) all.push_back(&b);
  return all;
}

std::optional<MetricBinding> Scenario::BindingFor(
    absl::string_view metric) const {
  for (const MetricBinding& binding : metrics) {
    if (binding.metric == metric) return binding;
  }
  return InferBinding(metric);
}

bool operator==(const Scenario& a, const Scenario& b) {
  return a.name == b.name && a.description == b.description &&
         a.duration == b.duration && a.start == b.start && a.seed == b.seed &&
         a.deploy == b.deploy && a.traffic == b.traffic &&
         a.error_rate == b.error_rate && a.latency == b.latency &&
         a.fault == b.fault && a.delivery == b.delivery &&
         a.metrics == b.metrics && a.alarms == b.alarms &&
         a.background == b.background && a.errors == b.errors &&
         a.backgrounds == b.backgrounds && a.incidents == b.incidents &&
         a.regions == b.regions;
}

namespace {

std::string Num(double value) { return absl::StrFormat("%g", value); }

std::string ScopeText(const FaultScope& scope) {
  switch (scope.kind) {
    case FaultScope::Kind::kAll:
      return "all targets";
    case FaultScope::Kind::kZone:
      return scope.region.empty()
                 ? absl::StrCat("zone ", scope.zone)
                 : absl::StrCat("zone ", scope.region, "/", scope.zone);
    case FaultScope::Kind::kRegion:
      return absl::StrCat("region ", scope.region);
    case FaultScope::Kind::kShare:
      return absl::StrCat(Num(scope.share * 100), "% of targets");
  }
  return "";
}

// Range checks, each returning an error naming `path`.
absl::Status CheckProbability(const FieldPath& path, double value) {
  if (!(value >= 0 && value <= 1)) {
    return path.Invalid(
        absl::StrCat("must be in [0, 1] (got ", Num(value), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckRange(const FieldPath& path, double value, double low,
                        double high, bool low_open = false) {
  const bool ok = low_open ? (value > low && value <= high)
                           : (value >= low && value <= high);
  if (!ok) {
    return path.Invalid(absl::StrCat("must be in ", low_open ? "(" : "[",
                                     Num(low), ", ", Num(high), "] (got ",
                                     Num(value), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckPositive(const FieldPath& path, double value) {
  if (!(value > 0) || !std::isfinite(value)) {
    return path.Invalid(MustBe(kMustBePositiveFinite, Num(value)));
  }
  return absl::OkStatus();
}

absl::Status CheckNonNegative(const FieldPath& path, double value) {
  if (!(value >= 0) || !std::isfinite(value)) {
    return path.Invalid(MustBe(kMustBeNonNegativeFinite, Num(value)));
  }
  return absl::OkStatus();
}

// A finite duration >= 0.
absl::Status CheckDuration(const FieldPath& path, absl::Duration value) {
  if (value < absl::ZeroDuration() || value == absl::InfiniteDuration()) {
    return path.Invalid(MustBe(kMustBeNonNegative, value));
  }
  return absl::OkStatus();
}

// A finite duration > 0.
absl::Status CheckPositiveDuration(const FieldPath& path,
                                   absl::Duration value) {
  if (!(value > absl::ZeroDuration()) || value == absl::InfiniteDuration()) {
    return path.Invalid(MustBe(kMustBePositive, value));
  }
  return absl::OkStatus();
}

absl::Status CheckQuantile(const FieldPath& path, double q) {
  if (!(q > 0 && q < 1)) {
    return path.Invalid(absl::StrCat("must be in (0, 1) (got ", Num(q), ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateBackground(const FieldPath& at,
                                const RecordedBackground& bg) {
  if (bg.signal != Signal::kRequestRate && bg.signal != Signal::kErrorRate &&
      bg.signal != Signal::kLatencyMs) {
    return at.Field("signal").Invalid(
        absl::StrCat("must be request_rate, error_rate or latency_ms (got ",
                     SignalName(bg.signal), ")"));
  }
  if (bg.offset.has_value()) {
    SLUICE_RETURN_IF_ERROR(CheckDuration(at.Field("offset"), *bg.offset));
  }
  SLUICE_RETURN_IF_ERROR(CheckRange(at.Field("strength"), bg.strength, 0, 10));
  if (bg.cv.has_value()) {
    SLUICE_RETURN_IF_ERROR(CheckRange(at.Field("cv"), *bg.cv, 0, 10));
  }
  if (!(bg.series.mean() > 0)) {
    return at.Field("path").Invalid(absl::StrCat(
        "the series' mean must be > 0 (got ", Num(bg.series.mean()), ")"));
  }
  if (bg.zone.empty() && !bg.region.empty()) {
    return at.Field("zone").Invalid("must not be empty when a region is given");
  }
  return absl::OkStatus();
}

absl::Status ValidateFault(const Fault& f) {
  const FieldPath fault("fault");
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative(fault.Field("error_multiplier"), f.error_multiplier));
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative(fault.Field("latency_shift_ms"), f.latency_shift_ms));
  SLUICE_RETURN_IF_ERROR(
      CheckDuration(fault.Field("onset_delay"), f.onset_delay));
  SLUICE_RETURN_IF_ERROR(
      CheckProbability(fault.Field("error_rate_added"), f.error_rate_added));
  SLUICE_RETURN_IF_ERROR(
      CheckPositive(fault.Field("latency_multiplier"), f.latency_multiplier));
  SLUICE_RETURN_IF_ERROR(
      CheckPositive(fault.Field("tail_multiplier"), f.tail_multiplier));
  SLUICE_RETURN_IF_ERROR(CheckDuration(fault.Field("ramp"), f.ramp));
  if (f.intermittent.has_value()) {
    const Intermittence& in = *f.intermittent;
    const FieldPath path = fault.Field("intermittent");
    SLUICE_RETURN_IF_ERROR(
        CheckPositiveDuration(path.Field("period"), in.period));
    if (!(in.on > absl::ZeroDuration()) || in.on > in.period) {
      return path.Field("on").Invalid(absl::StrCat(
          "must be in (0, period = ", absl::FormatDuration(in.period),
          "] (got ", absl::FormatDuration(in.on), ")"));
    }
  }
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative(fault.Field("min_load_rps"), f.min_load_rps));
  const FieldPath crash = fault.Field("crash");
  SLUICE_RETURN_IF_ERROR(
      CheckProbability(crash.Field("deploy_failure_probability"),
                       f.crash.deploy_failure_probability));
  SLUICE_RETURN_IF_ERROR(CheckProbability(crash.Field("die_probability"),
                                          f.crash.die_probability));
  SLUICE_RETURN_IF_ERROR(
      CheckPositiveDuration(crash.Field("after"), f.crash.after));
  const FieldPath scope = fault.Field("scope");
  switch (f.scope.kind) {
    case FaultScope::Kind::kAll:
      break;
    case FaultScope::Kind::kZone:
      if (f.scope.zone.empty()) {
        return scope.Field("zone").Invalid(kMustNotBeEmpty);
      }
      break;
    case FaultScope::Kind::kRegion:
      if (f.scope.region.empty()) {
        return scope.Field("region").Invalid(kMustNotBeEmpty);
      }
      break;
    case FaultScope::Kind::kShare:
      SLUICE_RETURN_IF_ERROR(
          CheckProbability(scope.Field("share"), f.scope.share));
      break;
  }
  return absl::OkStatus();
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const Scenario& scenario) {
  os << "Scenario(" << (scenario.name.empty() ? "unnamed" : scenario.name)
     << ": " << absl::FormatDuration(scenario.duration) << ", ";
  if (scenario.fault.bad) {
    const Fault& f = scenario.fault;
    os << "bad release (errors x" << Num(f.error_multiplier);
    if (f.error_rate_added > 0) os << " +" << Num(f.error_rate_added);
    os << ", +" << Num(f.latency_shift_ms) << "ms";
    if (f.latency_multiplier != 1) {
      os << ", latency x" << Num(f.latency_multiplier);
    }
    if (f.tail_multiplier != 1) os << ", tail x" << Num(f.tail_multiplier);
    os << ", onset " << absl::FormatDuration(f.onset_delay);
    if (f.ramp > absl::ZeroDuration()) {
      os << ", ramp " << absl::FormatDuration(f.ramp);
    }
    if (f.intermittent.has_value()) {
      os << ", " << absl::FormatDuration(f.intermittent->on) << " of every "
         << absl::FormatDuration(f.intermittent->period);
    }
    if (f.min_load_rps > 0) os << ", above " << Num(f.min_load_rps) << " rps";
    if (f.needs_whole_region) os << ", once a whole region runs it";
    if (f.crash.deploy_failure_probability > 0 || f.crash.die_probability > 0) {
      os << ", crashes";
    }
    os << ", " << ScopeText(f.scope) << ")";
  } else {
    os << "good release";
  }
  os << ", " << scenario.alarms.size()
     << (scenario.alarms.size() == 1 ? " alarm" : " alarms");
  for (const RecordedBackground* b : scenario.AllBackgrounds()) {
    os << ", background " << b->path << " -> " << b->signal;
    if (!b->zone.empty()) os << " in " << b->zone;
  }
  if (scenario.incidents.zone_rate_per_day > 0 ||
      scenario.incidents.region_rate_per_day > 0) {
    os << ", incidents";
  }
  return os << ")";
}

absl::Status ValidateScenario(const Scenario& s) {
  const FieldPath hours("hours");
  if (!(s.duration > absl::ZeroDuration())) {
    return hours.Invalid(
        MustBe(kMustBePositive, Num(absl::ToDoubleHours(s.duration))));
  }
  if (s.duration > absl::Hours(24 * 366)) {
    return hours.Invalid(absl::StrCat("must be at most 8784 (got ",
                                      Num(absl::ToDoubleHours(s.duration)),
                                      ")"));
  }
  const FieldPath deploy("deploy");
  SLUICE_RETURN_IF_ERROR(
      CheckDuration(deploy.Field("median_duration"), s.deploy.median_duration));
  SLUICE_RETURN_IF_ERROR(CheckRange(deploy.Field("duration_spread"),
                                    s.deploy.duration_spread, 0, 3));
  SLUICE_RETURN_IF_ERROR(CheckProbability(deploy.Field("failure_probability"),
                                          s.deploy.failure_probability));
  const FieldPath traffic("traffic");
  SLUICE_RETURN_IF_ERROR(CheckPositive(traffic.Field("requests_per_second"),
                                       s.traffic.requests_per_second));
  if (!(s.traffic.diurnal_amplitude >= 0 && s.traffic.diurnal_amplitude < 1)) {
    return traffic.Field("diurnal_amplitude")
        .Invalid(absl::StrCat("must be in [0, 1) (got ",
                              Num(s.traffic.diurnal_amplitude), ")"));
  }
  if (!(s.traffic.peak_hour_utc >= 0 && s.traffic.peak_hour_utc < 24)) {
    return traffic.Field("peak_hour_utc")
        .Invalid(absl::StrCat("must be in [0, 24) (got ",
                              Num(s.traffic.peak_hour_utc), ")"));
  }
  SLUICE_RETURN_IF_ERROR(
      CheckRange(traffic.Field("minute_noise"), s.traffic.minute_noise, 0, 3));
  SLUICE_RETURN_IF_ERROR(CheckRange(traffic.Field("target_spread"),
                                    s.traffic.target_spread, 0, 3));
  if (s.traffic.peak_hour_local.has_value() &&
      !(*s.traffic.peak_hour_local >= 0 && *s.traffic.peak_hour_local < 24)) {
    return traffic.Field("peak_hour_local")
        .Invalid(absl::StrCat("must be in [0, 24) (got ",
                              Num(*s.traffic.peak_hour_local), ")"));
  }
  for (size_t i = 0; i < s.traffic.low_traffic.size(); ++i) {
    const LowTrafficPeriod& low = s.traffic.low_traffic[i];
    const FieldPath path =
        traffic.Field("low_traffic").Index(static_cast<int>(i));
    if (!(low.start_hour >= 0 && low.start_hour < 24)) {
      return path.Field("start_hour")
          .Invalid(absl::StrCat("must be in [0, 24) (got ", Num(low.start_hour),
                                ")"));
    }
    if (!(low.duration > absl::ZeroDuration()) ||
        low.duration > absl::Hours(24)) {
      return path.Field("duration")
          .Invalid(absl::StrCat("must be in (0, 24h] (got ",
                                absl::FormatDuration(low.duration), ")"));
    }
    SLUICE_RETURN_IF_ERROR(CheckProbability(path.Field("factor"), low.factor));
  }
  SLUICE_RETURN_IF_ERROR(CheckNonNegative(traffic.Field("overdispersion"),
                                          s.traffic.overdispersion));
  const FieldPath errors("errors");
  SLUICE_RETURN_IF_ERROR(
      CheckProbability(errors.Field("error_rate"), s.error_rate));
  SLUICE_RETURN_IF_ERROR(
      CheckRange(errors.Field("target_spread"), s.errors.target_spread, 0, 3));
  SLUICE_RETURN_IF_ERROR(CheckRange(errors.Field("overdispersion"),
                                    s.errors.overdispersion, 0, 100));
  const FieldPath latency("latency");
  SLUICE_RETURN_IF_ERROR(
      CheckPositive(latency.Field("median_ms"), s.latency.median_ms));
  SLUICE_RETURN_IF_ERROR(CheckRange(latency.Field("sigma"), s.latency.sigma, 0,
                                    3, /*low_open=*/true));
  SLUICE_RETURN_IF_ERROR(CheckProbability(latency.Field("tail_probability"),
                                          s.latency.tail_probability));
  SLUICE_RETURN_IF_ERROR(
      CheckPositive(latency.Field("tail_scale_ms"), s.latency.tail_scale_ms));
  SLUICE_RETURN_IF_ERROR(
      CheckPositive(latency.Field("tail_shape"), s.latency.tail_shape));
  SLUICE_RETURN_IF_ERROR(
      CheckRange(latency.Field("minute_noise"), s.latency.minute_noise, 0, 3));
  SLUICE_RETURN_IF_ERROR(CheckRange(latency.Field("target_spread"),
                                    s.latency.target_spread, 0, 3));
  SLUICE_RETURN_IF_ERROR(ValidateFault(s.fault));
  const FieldPath delivery("delivery");
  SLUICE_RETURN_IF_ERROR(CheckDuration(delivery.Field("lag"), s.delivery.lag));
  SLUICE_RETURN_IF_ERROR(CheckProbability(delivery.Field("drop_probability"),
                                          s.delivery.drop_probability));
  SLUICE_RETURN_IF_ERROR(CheckProbability(delivery.Field("error_probability"),
                                          s.delivery.error_probability));
  std::set<std::string> names;
  for (size_t i = 0; i < s.metrics.size(); ++i) {
    const FieldPath path = FieldPath("metrics").Index(static_cast<int>(i));
    const MetricBinding& binding = s.metrics[i];
    if (binding.metric.empty()) {
      return path.Field("metric").Invalid(kMustNotBeEmpty);
    }
    if (!names.insert(binding.metric).second) {
      return path.Field("metric").Invalid(
          absl::StrCat("duplicate \"", binding.metric, "\""));
    }
    if (binding.signal == Signal::kLatencyMs) {
      SLUICE_RETURN_IF_ERROR(
          CheckQuantile(path.Field("quantile"), binding.quantile));
    }
    for (size_t b = 0; b < binding.buckets_ms.size(); ++b) {
      const double bound = binding.buckets_ms[b];
      const FieldPath at = path.Field("buckets_ms").Index(static_cast<int>(b));
      SLUICE_RETURN_IF_ERROR(CheckPositive(at, bound));
      if (b > 0 && !(bound > binding.buckets_ms[b - 1])) {
        return at.Invalid(
            absl::StrCat("must be > the previous bound (got ", Num(bound),
                         " <= ", Num(binding.buckets_ms[b - 1]), ")"));
      }
    }
    if (!(binding.slower_than_ms > 0) || std::isinf(binding.slower_than_ms)) {
      return path.Field("slower_than_ms")
          .Invalid(MustBe(kMustBePositiveFinite, Num(binding.slower_than_ms)));
    }
    if (binding.max_observations_per_minute < 1 ||
        binding.max_observations_per_minute > 100000) {
      return path.Field("max_observations_per_minute")
          .Invalid(absl::StrCat("must be in [1, 100000] (got ",
                                binding.max_observations_per_minute, ")"));
    }
  }
  names.clear();
  for (size_t i = 0; i < s.alarms.size(); ++i) {
    const FieldPath path = FieldPath("alarms").Index(static_cast<int>(i));
    const AlarmRule& alarm = s.alarms[i];
    if (alarm.name.empty()) return path.Field("name").Invalid(kMustNotBeEmpty);
    if (!names.insert(alarm.name).second) {
      return path.Field("name").Invalid(
          absl::StrCat("duplicate \"", alarm.name, "\""));
    }
    if (alarm.signal == Signal::kLatencyMs) {
      SLUICE_RETURN_IF_ERROR(
          CheckQuantile(path.Field("quantile"), alarm.quantile));
    }
    if (!std::isfinite(alarm.threshold)) {
      return path.Field("threshold").Invalid("must be finite");
    }
    if (alarm.evaluation_periods < 1 || alarm.evaluation_periods > 1440) {
      return path.Field("evaluation_periods")
          .Invalid(absl::StrCat("must be in [1, 1440] (got ",
                                alarm.evaluation_periods, ")"));
    }
    if (alarm.datapoints_to_alarm < 1 ||
        alarm.datapoints_to_alarm > alarm.evaluation_periods) {
      return path.Field("datapoints_to_alarm")
          .Invalid(absl::StrCat(
              "must be in [1, evaluation_periods = ", alarm.evaluation_periods,
              "] (got ", alarm.datapoints_to_alarm, ")"));
    }
  }
  if (s.background.has_value()) {
    SLUICE_RETURN_IF_ERROR(
        ValidateBackground(FieldPath("background"), *s.background));
  }
  for (size_t i = 0; i < s.backgrounds.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(ValidateBackground(
        FieldPath("backgrounds").Index(static_cast<int>(i)), s.backgrounds[i]));
  }
  const IncidentModel& inc = s.incidents;
  const FieldPath incidents("incidents");
  SLUICE_RETURN_IF_ERROR(CheckNonNegative(incidents.Field("zone_rate_per_day"),
                                          inc.zone_rate_per_day));
  SLUICE_RETURN_IF_ERROR(CheckNonNegative(
      incidents.Field("region_rate_per_day"), inc.region_rate_per_day));
  SLUICE_RETURN_IF_ERROR(CheckPositiveDuration(
      incidents.Field("median_duration"), inc.median_duration));
  SLUICE_RETURN_IF_ERROR(CheckRange(incidents.Field("duration_spread"),
                                    inc.duration_spread, 0, 3));
  SLUICE_RETURN_IF_ERROR(CheckNonNegative(incidents.Field("error_multiplier"),
                                          inc.error_multiplier));
  SLUICE_RETURN_IF_ERROR(CheckPositive(incidents.Field("latency_multiplier"),
                                       inc.latency_multiplier));
  std::set<std::string> regions;
  for (size_t i = 0; i < s.regions.size(); ++i) {
    const FieldPath path = FieldPath("regions").Index(static_cast<int>(i));
    if (s.regions[i].name.empty()) {
      return path.Field("name").Invalid(kMustNotBeEmpty);
    }
    if (!regions.insert(s.regions[i].name).second) {
      return path.Field("name").Invalid(
          absl::StrCat("duplicate \"", s.regions[i].name, "\""));
    }
    SLUICE_RETURN_IF_ERROR(CheckRange(path.Field("utc_offset_hours"),
                                      s.regions[i].utc_offset_hours, -12, 14));
  }
  return absl::OkStatus();
}

namespace {

// Whether the fleet has a zone named `zone` (in `region` when not empty).
bool HasZone(const Fleet& fleet, const std::string& zone,
             const std::string& region) {
  for (const Fleet::Zone& z : fleet.zones()) {
    if (z.name == zone &&
        (region.empty() || fleet.regions()[z.region] == region)) {
      return true;
    }
  }
  return false;
}

absl::Status CheckZoneExists(const Fleet& fleet, const FieldPath& path,
                             const std::string& zone,
                             const std::string& region) {
  if (HasZone(fleet, zone, region)) return absl::OkStatus();
  return path.Invalid(region.empty()
                          ? absl::StrCat("the fleet has no zone \"", zone, "\"")
                          : absl::StrCat("the fleet has no zone \"", zone,
                                         "\" in region \"", region, "\""));
}

}  // namespace

absl::Status ValidateScenarioAgainst(const Scenario& scenario,
                                     const Fleet& fleet) {
  const FaultScope& scope = scenario.fault.scope;
  const FieldPath scope_path = FieldPath("fault").Field("scope");
  if (scope.kind == FaultScope::Kind::kRegion ||
      (scope.kind == FaultScope::Kind::kZone && !scope.region.empty())) {
    if (!fleet.RegionIndex(scope.region).has_value()) {
      return scope_path.Field("region").Invalid(
          absl::StrCat("the fleet has no region \"", scope.region, "\""));
    }
  }
  if (scope.kind == FaultScope::Kind::kZone) {
    SLUICE_RETURN_IF_ERROR(CheckZoneExists(fleet, scope_path.Field("zone"),
                                           scope.zone, scope.region));
  }
  if (scenario.background.has_value() && !scenario.background->zone.empty()) {
    SLUICE_RETURN_IF_ERROR(CheckZoneExists(
        fleet, FieldPath("background").Field("zone"), scenario.background->zone,
        scenario.background->region));
  }
  for (size_t i = 0; i < scenario.backgrounds.size(); ++i) {
    const RecordedBackground& b = scenario.backgrounds[i];
    if (b.zone.empty()) continue;
    SLUICE_RETURN_IF_ERROR(CheckZoneExists(
        fleet,
        FieldPath("backgrounds").Index(static_cast<int>(i)).Field("zone"),
        b.zone, b.region));
  }
  for (size_t i = 0; i < scenario.regions.size(); ++i) {
    if (!fleet.RegionIndex(scenario.regions[i].name).has_value()) {
      return FieldPath("regions")
          .Index(static_cast<int>(i))
          .Field("name")
          .Invalid(absl::StrCat("the fleet has no region \"",
                                scenario.regions[i].name, "\""));
    }
  }
  return absl::OkStatus();
}

namespace {

absl::StatusOr<Signal> FromProtoSignal(const FieldPath& path,
                                       v1::SimSignal signal) {
  switch (signal) {
    case v1::SIM_SIGNAL_REQUEST_RATE:
      return Signal::kRequestRate;
    case v1::SIM_SIGNAL_REQUEST_COUNT:
      return Signal::kRequestCount;
    case v1::SIM_SIGNAL_ERROR_COUNT:
      return Signal::kErrorCount;
    case v1::SIM_SIGNAL_ERROR_RATE:
      return Signal::kErrorRate;
    case v1::SIM_SIGNAL_LATENCY_MS:
      return Signal::kLatencyMs;
    case v1::SIM_SIGNAL_SLOW_COUNT:
      return Signal::kSlowCount;
    default:
      return path.Invalid(kIsRequired);
  }
}

absl::StatusOr<RecordedBackground> BackgroundFromProto(
    const FieldPath& at, const v1::RecordedBackground& b,
    absl::string_view base_dir) {
  if (b.path().empty()) return at.Field("path").Invalid(kMustNotBeEmpty);
  std::string path = b.path();
  if (!base_dir.empty() && path[0] != '/') {
    path = absl::StrCat(base_dir, "/", path);
  }
  absl::StatusOr<RecordedSeries> series = RecordedSeries::LoadFile(path);
  if (!series.ok()) {
    return internal::PrefixStatus(series.status(), at.Field("path").str());
  }
  RecordedBackground background{b.path(), *std::move(series)};
  SLUICE_ASSIGN_OR_RETURN(background.signal,
                          FromProtoSignal(at.Field("signal"), b.signal()));
  if (b.has_offset()) {
    SLUICE_ASSIGN_OR_RETURN(background.offset,
                            DurationFromProto(b.offset(), at.Field("offset")));
  }
  if (b.has_strength()) background.strength = b.strength();
  if (b.has_cv()) {
    if (b.has_strength()) {
      return at.Field("cv").Invalid("set either strength or cv, not both");
    }
    background.cv = b.cv();
  }
  background.keep_daily_cycle = b.keep_daily_cycle();
  const size_t slash = b.zone().find('/');
  if (slash == std::string::npos) {
    background.zone = b.zone();
  } else {
    background.region = b.zone().substr(0, slash);
    background.zone = b.zone().substr(slash + 1);
  }
  switch (b.zone_replay()) {
    case v1::RecordedBackground::ZONE_REPLAY_SAME:
      background.zone_replay = RecordedBackground::ZoneReplay::kSame;
      break;
    case v1::RecordedBackground::ZONE_REPLAY_SHIFTED:
      background.zone_replay = RecordedBackground::ZoneReplay::kShifted;
      break;
    default:
      break;
  }
  return background;
}

}  // namespace

absl::StatusOr<Scenario> ScenarioFromProto(const v1::Scenario& proto,
                                           absl::string_view base_dir) {
  Scenario s;
  s.name = proto.name();
  s.description = proto.description();
  if (proto.has_hours()) {
    const double hours = proto.hours();
    if (!(hours > 0)) {
      return FieldPath("hours").Invalid(MustBe(kMustBePositive, Num(hours)));
    }
    if (!(hours <= 24 * 366)) {
      return FieldPath("hours").Invalid(
          absl::StrCat("must be at most 8784 (got ", Num(hours), ")"));
    }
    s.duration = absl::Seconds(std::round(hours * 3600));
  }
  if (!proto.start_time().empty()) {
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, proto.start_time(), &s.start,
                         &error)) {
      return FieldPath("start_time")
          .Invalid(absl::StrCat("want RFC 3339, e.g. "
                                "\"2026-11-30T08:00:00Z\" (got \"",
                                proto.start_time(), "\")"));
    }
  }
  if (proto.has_seed()) s.seed = proto.seed();

  const v1::DeployModel& deploy = proto.deploy();
  if (deploy.has_median_duration()) {
    SLUICE_ASSIGN_OR_RETURN(
        s.deploy.median_duration,
        DurationFromProto(deploy.median_duration(),
                          FieldPath("deploy").Field("median_duration")));
  }
  if (deploy.has_duration_spread()) {
    s.deploy.duration_spread = deploy.duration_spread();
  }
  s.deploy.failure_probability = deploy.failure_probability();

  const v1::TrafficModel& traffic = proto.traffic();
  if (traffic.has_requests_per_second()) {
    s.traffic.requests_per_second = traffic.requests_per_second();
  }
  if (traffic.has_diurnal_amplitude()) {
    s.traffic.diurnal_amplitude = traffic.diurnal_amplitude();
  }
  if (traffic.has_peak_hour_utc()) {
    s.traffic.peak_hour_utc = traffic.peak_hour_utc();
  }
  if (traffic.has_minute_noise())
    s.traffic.minute_noise = traffic.minute_noise();
  if (traffic.has_target_spread()) {
    s.traffic.target_spread = traffic.target_spread();
  }
  if (traffic.has_peak_hour_local()) {
    s.traffic.peak_hour_local = traffic.peak_hour_local();
  }
  for (int i = 0; i < traffic.low_traffic_size(); ++i) {
    const v1::LowTrafficPeriod& low = traffic.low_traffic(i);
    const FieldPath path =
        FieldPath("traffic").Field("low_traffic").Index(i).Field("duration");
    if (!low.has_duration()) return path.Invalid(kIsRequired);
    LowTrafficPeriod period;
    period.start_hour = low.start_hour();
    SLUICE_ASSIGN_OR_RETURN(period.duration,
                            DurationFromProto(low.duration(), path));
    if (low.has_factor()) period.factor = low.factor();
    s.traffic.low_traffic.push_back(period);
  }
  s.traffic.overdispersion = traffic.overdispersion();
  if (proto.errors().has_error_rate()) {
    s.error_rate = proto.errors().error_rate();
  }
  s.errors.target_spread = proto.errors().target_spread();
  s.errors.overdispersion = proto.errors().overdispersion();

  const v1::LatencyModel& latency = proto.latency();
  if (latency.has_median_ms()) s.latency.median_ms = latency.median_ms();
  if (latency.has_sigma()) s.latency.sigma = latency.sigma();
  if (latency.has_tail_probability()) {
    s.latency.tail_probability = latency.tail_probability();
  }
  if (latency.has_tail_scale_ms()) {
    s.latency.tail_scale_ms = latency.tail_scale_ms();
  }
  if (latency.has_tail_shape()) s.latency.tail_shape = latency.tail_shape();
  if (latency.has_minute_noise()) {
    s.latency.minute_noise = latency.minute_noise();
  }
  s.latency.target_spread = latency.target_spread();

  const v1::Fault& fault = proto.fault();
  s.fault.bad = fault.bad();
  if (fault.has_error_multiplier()) {
    s.fault.error_multiplier = fault.error_multiplier();
  }
  s.fault.latency_shift_ms = fault.latency_shift_ms();
  if (fault.has_onset_delay()) {
    SLUICE_ASSIGN_OR_RETURN(
        s.fault.onset_delay,
        DurationFromProto(fault.onset_delay(),
                          FieldPath("fault").Field("onset_delay")));
  }
  switch (fault.scope().scope_case()) {
    case v1::FaultScope::kZone: {
      s.fault.scope.kind = FaultScope::Kind::kZone;
      // "region/zone" names a zone of one region.
      const std::string& zone = fault.scope().zone();
      const size_t slash = zone.find('/');
      if (slash == std::string::npos) {
        s.fault.scope.zone = zone;
      } else {
        s.fault.scope.region = zone.substr(0, slash);
        s.fault.scope.zone = zone.substr(slash + 1);
      }
      break;
    }
    case v1::FaultScope::kRegion:
      s.fault.scope.kind = FaultScope::Kind::kRegion;
      s.fault.scope.region = fault.scope().region();
      break;
    case v1::FaultScope::kShare:
      s.fault.scope.kind = FaultScope::Kind::kShare;
      s.fault.scope.share = fault.scope().share();
      break;
    case v1::FaultScope::kAll:
    case v1::FaultScope::SCOPE_NOT_SET:
      break;
  }
  s.fault.error_rate_added = fault.error_rate_added();
  if (fault.has_latency_multiplier()) {
    s.fault.latency_multiplier = fault.latency_multiplier();
  }
  if (fault.has_tail_multiplier()) {
    s.fault.tail_multiplier = fault.tail_multiplier();
  }
  if (fault.has_ramp()) {
    SLUICE_ASSIGN_OR_RETURN(
        s.fault.ramp,
        DurationFromProto(fault.ramp(), FieldPath("fault").Field("ramp")));
  }
  if (fault.has_intermittent()) {
    const v1::Intermittence& in = fault.intermittent();
    const FieldPath path = FieldPath("fault").Field("intermittent");
    if (!in.has_period()) return path.Field("period").Invalid(kIsRequired);
    if (!in.has_on()) return path.Field("on").Invalid(kIsRequired);
    Intermittence intermittence;
    SLUICE_ASSIGN_OR_RETURN(
        intermittence.period,
        DurationFromProto(in.period(), path.Field("period")));
    SLUICE_ASSIGN_OR_RETURN(intermittence.on,
                            DurationFromProto(in.on(), path.Field("on")));
    s.fault.intermittent = intermittence;
  }
  s.fault.min_load_rps = fault.min_load_rps();
  s.fault.needs_whole_region = fault.needs_whole_region();
  s.fault.crash.deploy_failure_probability =
      fault.crash().deploy_failure_probability();
  s.fault.crash.die_probability = fault.crash().die_probability();
  if (fault.crash().has_after()) {
    SLUICE_ASSIGN_OR_RETURN(
        s.fault.crash.after,
        DurationFromProto(fault.crash().after(),
                          FieldPath("fault").Field("crash").Field("after")));
  }

  const v1::MetricDelivery& delivery = proto.delivery();
  if (delivery.has_lag()) {
    SLUICE_ASSIGN_OR_RETURN(
        s.delivery.lag,
        DurationFromProto(delivery.lag(), FieldPath("delivery").Field("lag")));
  }
  s.delivery.drop_probability = delivery.drop_probability();
  s.delivery.error_probability = delivery.error_probability();

  for (int i = 0; i < proto.metrics_size(); ++i) {
    const v1::MetricBinding& m = proto.metrics(i);
    MetricBinding binding;
    binding.metric = m.metric();
    SLUICE_ASSIGN_OR_RETURN(
        binding.signal,
        FromProtoSignal(FieldPath("metrics").Index(i).Field("signal"),
                        m.signal()));
    if (m.has_quantile()) binding.quantile = m.quantile();
    if (m.distribution() == v1::MetricBinding::DISTRIBUTION_OBSERVATIONS) {
      binding.distribution = MetricBinding::Distribution::kObservations;
    }
    binding.buckets_ms.assign(m.buckets_ms().begin(), m.buckets_ms().end());
    if (m.has_max_observations_per_minute()) {
      binding.max_observations_per_minute = m.max_observations_per_minute();
    }
    if (m.has_slower_than_ms()) binding.slower_than_ms = m.slower_than_ms();
    s.metrics.push_back(std::move(binding));
  }
  for (int i = 0; i < proto.alarms_size(); ++i) {
    const v1::AlarmRule& a = proto.alarms(i);
    AlarmRule alarm;
    alarm.name = a.name();
    SLUICE_ASSIGN_OR_RETURN(
        alarm.signal,
        FromProtoSignal(FieldPath("alarms").Index(i).Field("signal"),
                        a.signal()));
    if (a.has_quantile()) alarm.quantile = a.quantile();
    alarm.threshold = a.threshold();
    alarm.below = a.below();
    if (a.has_evaluation_periods()) {
      alarm.evaluation_periods = a.evaluation_periods();
    }
    alarm.datapoints_to_alarm = a.has_datapoints_to_alarm()
                                    ? a.datapoints_to_alarm()
                                    : alarm.evaluation_periods;
    alarm.scope = a.scope() == v1::AlarmRule::SCOPE_WAVE
                      ? AlarmRule::Scope::kWave
                      : AlarmRule::Scope::kFleet;
    s.alarms.push_back(std::move(alarm));
  }
  if (proto.has_background()) {
    SLUICE_ASSIGN_OR_RETURN(s.background,
                            BackgroundFromProto(FieldPath("background"),
                                                proto.background(), base_dir));
  }
  for (int i = 0; i < proto.backgrounds_size(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(
        RecordedBackground background,
        BackgroundFromProto(FieldPath("backgrounds").Index(i),
                            proto.backgrounds(i), base_dir));
    s.backgrounds.push_back(std::move(background));
  }
  const v1::IncidentModel& incidents = proto.incidents();
  s.incidents.zone_rate_per_day = incidents.zone_rate_per_day();
  s.incidents.region_rate_per_day = incidents.region_rate_per_day();
  if (incidents.has_median_duration()) {
    SLUICE_ASSIGN_OR_RETURN(
        s.incidents.median_duration,
        DurationFromProto(incidents.median_duration(),
                          FieldPath("incidents").Field("median_duration")));
  }
  if (incidents.has_duration_spread()) {
    s.incidents.duration_spread = incidents.duration_spread();
  }
  if (incidents.has_error_multiplier()) {
    s.incidents.error_multiplier = incidents.error_multiplier();
  }
  if (incidents.has_latency_multiplier()) {
    s.incidents.latency_multiplier = incidents.latency_multiplier();
  }
  for (const v1::RegionModel& region : proto.regions()) {
    s.regions.push_back({region.name(), region.utc_offset_hours()});
  }
  SLUICE_RETURN_IF_ERROR(ValidateScenario(s));
  return s;
}

absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path) {
  v1::Scenario proto;
  SLUICE_RETURN_IF_ERROR(ParseProtoFile(path, &proto));
  const size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : path.substr(0, slash);
  absl::StatusOr<Scenario> scenario = ScenarioFromProto(proto, dir);
  if (!scenario.ok()) return internal::PrefixStatus(scenario.status(), path);
  return scenario;
}

}  // namespace sluice::sim

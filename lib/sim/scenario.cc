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
#include "lib/core/status_macros.h"
#include "sluice/proto_io.h"
#include "sluice/v1/scenario.pb.h"

namespace sluice::sim {

using internal::InvalidArgumentAt;

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
absl::Status CheckProbability(absl::string_view path, double value) {
  if (!(value >= 0 && value <= 1)) {
    return InvalidArgumentAt(
        path, absl::StrCat("must be in [0, 1] (got ", Num(value), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckRange(absl::string_view path, double value, double low,
                        double high, bool low_open = false) {
  const bool ok = low_open ? (value > low && value <= high)
                           : (value >= low && value <= high);
  if (!ok) {
    return InvalidArgumentAt(
        path, absl::StrCat("must be in ", low_open ? "(" : "[", Num(low), ", ",
                           Num(high), "] (got ", Num(value), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckPositive(absl::string_view path, double value) {
  if (!(value > 0) || !std::isfinite(value)) {
    return InvalidArgumentAt(
        path, absl::StrCat("must be finite and > 0 (got ", Num(value), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckNonNegative(absl::string_view path, double value) {
  if (!(value >= 0) || !std::isfinite(value)) {
    return InvalidArgumentAt(
        path, absl::StrCat("must be finite and >= 0 (got ", Num(value), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckDuration(absl::string_view path, absl::Duration value) {
  if (value < absl::ZeroDuration() || value == absl::InfiniteDuration()) {
    return InvalidArgumentAt(
        path,
        absl::StrCat("must be >= 0 (got ", absl::FormatDuration(value), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckQuantile(absl::string_view path, double q) {
  if (!(q > 0 && q < 1)) {
    return InvalidArgumentAt(
        path, absl::StrCat("must be in (0, 1) (got ", Num(q), ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateBackground(const std::string& at,
                                const RecordedBackground& bg) {
  if (bg.signal != Signal::kRequestRate && bg.signal != Signal::kErrorRate &&
      bg.signal != Signal::kLatencyMs) {
    return InvalidArgumentAt(
        absl::StrCat(at, ".signal"),
        absl::StrCat("must be request_rate, error_rate or latency_ms (got ",
                     SignalName(bg.signal), ")"));
  }
  if (bg.offset.has_value()) {
    SLUICE_RETURN_IF_ERROR(
        CheckDuration(absl::StrCat(at, ".offset"), *bg.offset));
  }
  SLUICE_RETURN_IF_ERROR(
      CheckRange(absl::StrCat(at, ".strength"), bg.strength, 0, 10));
  if (bg.cv.has_value()) {
    SLUICE_RETURN_IF_ERROR(CheckRange(absl::StrCat(at, ".cv"), *bg.cv, 0, 10));
  }
  if (!(bg.series.mean() > 0)) {
    return InvalidArgumentAt(absl::StrCat(at, ".path"),
                             absl::StrCat("the series' mean must be > 0 (got ",
                                          Num(bg.series.mean()), ")"));
  }
  if (bg.zone.empty() && !bg.region.empty()) {
    return InvalidArgumentAt(absl::StrCat(at, ".zone"),
                             "must not be empty when a region is given");
  }
  return absl::OkStatus();
}

absl::Status ValidateFault(const Fault& f) {
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative("fault.error_multiplier", f.error_multiplier));
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative("fault.latency_shift_ms", f.latency_shift_ms));
  SLUICE_RETURN_IF_ERROR(CheckDuration("fault.onset_delay", f.onset_delay));
  SLUICE_RETURN_IF_ERROR(
      CheckProbability("fault.error_rate_added", f.error_rate_added));
  SLUICE_RETURN_IF_ERROR(
      CheckPositive("fault.latency_multiplier", f.latency_multiplier));
  SLUICE_RETURN_IF_ERROR(
      CheckPositive("fault.tail_multiplier", f.tail_multiplier));
  SLUICE_RETURN_IF_ERROR(CheckDuration("fault.ramp", f.ramp));
  if (f.intermittent.has_value()) {
    const Intermittence& in = *f.intermittent;
    if (!(in.period > absl::ZeroDuration()) ||
        in.period == absl::InfiniteDuration()) {
      return InvalidArgumentAt(
          "fault.intermittent.period",
          absl::StrCat("must be > 0 (got ", absl::FormatDuration(in.period),
                       ")"));
    }
    if (!(in.on > absl::ZeroDuration()) || in.on > in.period) {
      return InvalidArgumentAt(
          "fault.intermittent.on",
          absl::StrCat(
              "must be in (0, period = ", absl::FormatDuration(in.period),
              "] (got ", absl::FormatDuration(in.on), ")"));
    }
  }
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative("fault.min_load_rps", f.min_load_rps));
  SLUICE_RETURN_IF_ERROR(
      CheckProbability("fault.crash.deploy_failure_probability",
                       f.crash.deploy_failure_probability));
  SLUICE_RETURN_IF_ERROR(
      CheckProbability("fault.crash.die_probability", f.crash.die_probability));
  if (!(f.crash.after > absl::ZeroDuration()) ||
      f.crash.after == absl::InfiniteDuration()) {
    return InvalidArgumentAt(
        "fault.crash.after",
        absl::StrCat("must be > 0 (got ", absl::FormatDuration(f.crash.after),
                     ")"));
  }
  switch (f.scope.kind) {
    case FaultScope::Kind::kAll:
      break;
    case FaultScope::Kind::kZone:
      if (f.scope.zone.empty()) {
        return InvalidArgumentAt("fault.scope.zone", "must not be empty");
      }
      break;
    case FaultScope::Kind::kRegion:
      if (f.scope.region.empty()) {
        return InvalidArgumentAt("fault.scope.region", "must not be empty");
      }
      break;
    case FaultScope::Kind::kShare:
      SLUICE_RETURN_IF_ERROR(
          CheckProbability("fault.scope.share", f.scope.share));
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
  if (!(s.duration > absl::ZeroDuration())) {
    return InvalidArgumentAt(
        "hours", absl::StrCat("must be > 0 (got ",
                              Num(absl::ToDoubleHours(s.duration)), ")"));
  }
  if (s.duration > absl::Hours(24 * 366)) {
    return InvalidArgumentAt(
        "hours", absl::StrCat("must be at most 8784 (got ",
                              Num(absl::ToDoubleHours(s.duration)), ")"));
  }
  SLUICE_RETURN_IF_ERROR(
      CheckDuration("deploy.median_duration", s.deploy.median_duration));
  SLUICE_RETURN_IF_ERROR(
      CheckRange("deploy.duration_spread", s.deploy.duration_spread, 0, 3));
  SLUICE_RETURN_IF_ERROR(CheckProbability("deploy.failure_probability",
                                          s.deploy.failure_probability));
  SLUICE_RETURN_IF_ERROR(CheckPositive("traffic.requests_per_second",
                                       s.traffic.requests_per_second));
  if (!(s.traffic.diurnal_amplitude >= 0 && s.traffic.diurnal_amplitude < 1)) {
    return InvalidArgumentAt(
        "traffic.diurnal_amplitude",
        absl::StrCat("must be in [0, 1) (got ",
                     Num(s.traffic.diurnal_amplitude), ")"));
  }
  if (!(s.traffic.peak_hour_utc >= 0 && s.traffic.peak_hour_utc < 24)) {
    return InvalidArgumentAt("traffic.peak_hour_utc",
                             absl::StrCat("must be in [0, 24) (got ",
                                          Num(s.traffic.peak_hour_utc), ")"));
  }
  SLUICE_RETURN_IF_ERROR(
      CheckRange("traffic.minute_noise", s.traffic.minute_noise, 0, 3));
  SLUICE_RETURN_IF_ERROR(
      CheckRange("traffic.target_spread", s.traffic.target_spread, 0, 3));
  if (s.traffic.peak_hour_local.has_value() &&
      !(*s.traffic.peak_hour_local >= 0 && *s.traffic.peak_hour_local < 24)) {
    return InvalidArgumentAt(
        "traffic.peak_hour_local",
        absl::StrCat("must be in [0, 24) (got ",
                     Num(*s.traffic.peak_hour_local), ")"));
  }
  for (size_t i = 0; i < s.traffic.low_traffic.size(); ++i) {
    const LowTrafficPeriod& low = s.traffic.low_traffic[i];
    const std::string path = absl::StrCat("traffic.low_traffic[", i, "]");
    if (!(low.start_hour >= 0 && low.start_hour < 24)) {
      return InvalidArgumentAt(
          absl::StrCat(path, ".start_hour"),
          absl::StrCat("must be in [0, 24) (got ", Num(low.start_hour), ")"));
    }
    if (!(low.duration > absl::ZeroDuration()) ||
        low.duration > absl::Hours(24)) {
      return InvalidArgumentAt(
          absl::StrCat(path, ".duration"),
          absl::StrCat("must be in (0, 24h] (got ",
                       absl::FormatDuration(low.duration), ")"));
    }
    SLUICE_RETURN_IF_ERROR(
        CheckProbability(absl::StrCat(path, ".factor"), low.factor));
  }
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative("traffic.overdispersion", s.traffic.overdispersion));
  SLUICE_RETURN_IF_ERROR(CheckProbability("errors.error_rate", s.error_rate));
  SLUICE_RETURN_IF_ERROR(
      CheckRange("errors.target_spread", s.errors.target_spread, 0, 3));
  SLUICE_RETURN_IF_ERROR(
      CheckRange("errors.overdispersion", s.errors.overdispersion, 0, 100));
  SLUICE_RETURN_IF_ERROR(
      CheckPositive("latency.median_ms", s.latency.median_ms));
  SLUICE_RETURN_IF_ERROR(
      CheckRange("latency.sigma", s.latency.sigma, 0, 3, /*low_open=*/true));
  SLUICE_RETURN_IF_ERROR(
      CheckProbability("latency.tail_probability", s.latency.tail_probability));
  SLUICE_RETURN_IF_ERROR(
      CheckPositive("latency.tail_scale_ms", s.latency.tail_scale_ms));
  SLUICE_RETURN_IF_ERROR(
      CheckPositive("latency.tail_shape", s.latency.tail_shape));
  SLUICE_RETURN_IF_ERROR(
      CheckRange("latency.minute_noise", s.latency.minute_noise, 0, 3));
  SLUICE_RETURN_IF_ERROR(
      CheckRange("latency.target_spread", s.latency.target_spread, 0, 3));
  SLUICE_RETURN_IF_ERROR(ValidateFault(s.fault));
  SLUICE_RETURN_IF_ERROR(CheckDuration("delivery.lag", s.delivery.lag));
  SLUICE_RETURN_IF_ERROR(CheckProbability("delivery.drop_probability",
                                          s.delivery.drop_probability));
  SLUICE_RETURN_IF_ERROR(CheckProbability("delivery.error_probability",
                                          s.delivery.error_probability));
  std::set<std::string> names;
  for (size_t i = 0; i < s.metrics.size(); ++i) {
    const std::string path = absl::StrCat("metrics[", i, "]");
    const MetricBinding& binding = s.metrics[i];
    if (binding.metric.empty()) {
      return InvalidArgumentAt(absl::StrCat(path, ".metric"),
                               "must not be empty");
    }
    if (!names.insert(binding.metric).second) {
      return InvalidArgumentAt(
          absl::StrCat(path, ".metric"),
          absl::StrCat("duplicate \"", binding.metric, "\""));
    }
    if (binding.signal == Signal::kLatencyMs) {
      SLUICE_RETURN_IF_ERROR(
          CheckQuantile(absl::StrCat(path, ".quantile"), binding.quantile));
    }
    for (size_t b = 0; b < binding.buckets_ms.size(); ++b) {
      const double bound = binding.buckets_ms[b];
      const std::string at = absl::StrCat(path, ".buckets_ms[", b, "]");
      SLUICE_RETURN_IF_ERROR(CheckPositive(at, bound));
      if (b > 0 && !(bound > binding.buckets_ms[b - 1])) {
        return InvalidArgumentAt(
            at, absl::StrCat("must be > the previous bound (got ", Num(bound),
                             " <= ", Num(binding.buckets_ms[b - 1]), ")"));
      }
    }
    if (!(binding.slower_than_ms > 0) || std::isinf(binding.slower_than_ms)) {
      return InvalidArgumentAt(absl::StrCat(path, ".slower_than_ms"),
                               absl::StrCat("must be finite and > 0 (got ",
                                            Num(binding.slower_than_ms), ")"));
    }
    if (binding.max_observations_per_minute < 1 ||
        binding.max_observations_per_minute > 100000) {
      return InvalidArgumentAt(
          absl::StrCat(path, ".max_observations_per_minute"),
          absl::StrCat("must be in [1, 100000] (got ",
                       binding.max_observations_per_minute, ")"));
    }
  }
  names.clear();
  for (size_t i = 0; i < s.alarms.size(); ++i) {
    const std::string path = absl::StrCat("alarms[", i, "]");
    const AlarmRule& alarm = s.alarms[i];
    if (alarm.name.empty()) {
      return InvalidArgumentAt(absl::StrCat(path, ".name"),
                               "must not be empty");
    }
    if (!names.insert(alarm.name).second) {
      return InvalidArgumentAt(absl::StrCat(path, ".name"),
                               absl::StrCat("duplicate \"", alarm.name, "\""));
    }
    if (alarm.signal == Signal::kLatencyMs) {
      SLUICE_RETURN_IF_ERROR(
          CheckQuantile(absl::StrCat(path, ".quantile"), alarm.quantile));
    }
    if (!std::isfinite(alarm.threshold)) {
      return InvalidArgumentAt(absl::StrCat(path, ".threshold"),
                               "must be finite");
    }
    if (alarm.evaluation_periods < 1 || alarm.evaluation_periods > 1440) {
      return InvalidArgumentAt(absl::StrCat(path, ".evaluation_periods"),
                               absl::StrCat("must be in [1, 1440] (got ",
                                            alarm.evaluation_periods, ")"));
    }
    if (alarm.datapoints_to_alarm < 1 ||
        alarm.datapoints_to_alarm > alarm.evaluation_periods) {
      return InvalidArgumentAt(
          absl::StrCat(path, ".datapoints_to_alarm"),
          absl::StrCat(
              "must be in [1, evaluation_periods = ", alarm.evaluation_periods,
              "] (got ", alarm.datapoints_to_alarm, ")"));
    }
  }
  if (s.background.has_value()) {
    SLUICE_RETURN_IF_ERROR(ValidateBackground("background", *s.background));
  }
  for (size_t i = 0; i < s.backgrounds.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(ValidateBackground(
        absl::StrCat("backgrounds[", i, "]"), s.backgrounds[i]));
  }
  const IncidentModel& inc = s.incidents;
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative("incidents.zone_rate_per_day", inc.zone_rate_per_day));
  SLUICE_RETURN_IF_ERROR(CheckNonNegative("incidents.region_rate_per_day",
                                          inc.region_rate_per_day));
  if (!(inc.median_duration > absl::ZeroDuration()) ||
      inc.median_duration == absl::InfiniteDuration()) {
    return InvalidArgumentAt(
        "incidents.median_duration",
        absl::StrCat("must be > 0 (got ",
                     absl::FormatDuration(inc.median_duration), ")"));
  }
  SLUICE_RETURN_IF_ERROR(
      CheckRange("incidents.duration_spread", inc.duration_spread, 0, 3));
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative("incidents.error_multiplier", inc.error_multiplier));
  SLUICE_RETURN_IF_ERROR(
      CheckPositive("incidents.latency_multiplier", inc.latency_multiplier));
  std::set<std::string> regions;
  for (size_t i = 0; i < s.regions.size(); ++i) {
    const std::string path = absl::StrCat("regions[", i, "]");
    if (s.regions[i].name.empty()) {
      return InvalidArgumentAt(absl::StrCat(path, ".name"),
                               "must not be empty");
    }
    if (!regions.insert(s.regions[i].name).second) {
      return InvalidArgumentAt(
          absl::StrCat(path, ".name"),
          absl::StrCat("duplicate \"", s.regions[i].name, "\""));
    }
    SLUICE_RETURN_IF_ERROR(CheckRange(absl::StrCat(path, ".utc_offset_hours"),
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

absl::Status CheckZoneExists(const Fleet& fleet, const std::string& path,
                             const std::string& zone,
                             const std::string& region) {
  if (HasZone(fleet, zone, region)) return absl::OkStatus();
  return InvalidArgumentAt(
      path, region.empty()
                ? absl::StrCat("the fleet has no zone \"", zone, "\"")
                : absl::StrCat("the fleet has no zone \"", zone,
                               "\" in region \"", region, "\""));
}

}  // namespace

absl::Status ValidateScenarioAgainst(const Scenario& scenario,
                                     const Fleet& fleet) {
  const FaultScope& scope = scenario.fault.scope;
  if (scope.kind == FaultScope::Kind::kRegion ||
      (scope.kind == FaultScope::Kind::kZone && !scope.region.empty())) {
    if (!fleet.RegionIndex(scope.region).has_value()) {
      return InvalidArgumentAt(
          "fault.scope.region",
          absl::StrCat("the fleet has no region \"", scope.region, "\""));
    }
  }
  if (scope.kind == FaultScope::Kind::kZone) {
    SLUICE_RETURN_IF_ERROR(
        CheckZoneExists(fleet, "fault.scope.zone", scope.zone, scope.region));
  }
  if (scenario.background.has_value() && !scenario.background->zone.empty()) {
    SLUICE_RETURN_IF_ERROR(CheckZoneExists(fleet, "background.zone",
                                           scenario.background->zone,
                                           scenario.background->region));
  }
  for (size_t i = 0; i < scenario.backgrounds.size(); ++i) {
    const RecordedBackground& b = scenario.backgrounds[i];
    if (b.zone.empty()) continue;
    SLUICE_RETURN_IF_ERROR(CheckZoneExists(
        fleet, absl::StrCat("backgrounds[", i, "].zone"), b.zone, b.region));
  }
  for (size_t i = 0; i < scenario.regions.size(); ++i) {
    if (!fleet.RegionIndex(scenario.regions[i].name).has_value()) {
      return InvalidArgumentAt(absl::StrCat("regions[", i, "].name"),
                               absl::StrCat("the fleet has no region \"",
                                            scenario.regions[i].name, "\""));
    }
  }
  return absl::OkStatus();
}

namespace {

absl::StatusOr<absl::Duration> FromProtoDuration(absl::string_view path,
                                                 int64_t seconds,
                                                 int32_t nanos) {
  if (seconds > 0 && nanos < 0) {
    return InvalidArgumentAt(path, "seconds and nanos must have the same sign");
  }
  return absl::Seconds(seconds) + absl::Nanoseconds(nanos);
}

absl::StatusOr<Signal> FromProtoSignal(absl::string_view path,
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
      return InvalidArgumentAt(path, "must be set");
  }
}

#define SLUICE_SIM_DURATION_(lhs, path, msg) \
  SLUICE_ASSIGN_OR_RETURN(                   \
      lhs, FromProtoDuration(path, (msg).seconds(), (msg).nanos()))

}  // namespace

namespace {

absl::StatusOr<RecordedBackground> BackgroundFromProto(
    const std::string& at, const v1::RecordedBackground& b,
    absl::string_view base_dir) {
  if (b.path().empty()) {
    return InvalidArgumentAt(absl::StrCat(at, ".path"), "must not be empty");
  }
  std::string path = b.path();
  if (!base_dir.empty() && path[0] != '/') {
    path = absl::StrCat(base_dir, "/", path);
  }
  absl::StatusOr<RecordedSeries> series = RecordedSeries::LoadFile(path);
  if (!series.ok()) {
    return internal::PrefixStatus(series.status(), absl::StrCat(at, ".path"));
  }
  RecordedBackground background{b.path(), *std::move(series)};
  SLUICE_ASSIGN_OR_RETURN(
      background.signal,
      FromProtoSignal(absl::StrCat(at, ".signal"), b.signal()));
  if (b.has_offset()) {
    absl::Duration offset;
    SLUICE_SIM_DURATION_(offset, absl::StrCat(at, ".offset"), b.offset());
    background.offset = offset;
  }
  if (b.has_strength()) background.strength = b.strength();
  if (b.has_cv()) {
    if (b.has_strength()) {
      return InvalidArgumentAt(absl::StrCat(at, ".cv"),
                               "set either strength or cv, not both");
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
      return InvalidArgumentAt(
          "hours", absl::StrCat("must be > 0 (got ", Num(hours), ")"));
    }
    if (!(hours <= 24 * 366)) {
      return InvalidArgumentAt(
          "hours", absl::StrCat("must be at most 8784 (got ", Num(hours), ")"));
    }
    s.duration = absl::Seconds(std::round(hours * 3600));
  }
  if (!proto.start_time().empty()) {
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, proto.start_time(), &s.start,
                         &error)) {
      return InvalidArgumentAt("start_time",
                               absl::StrCat("want RFC 3339, e.g. "
                                            "\"2026-11-30T08:00:00Z\" (got \"",
                                            proto.start_time(), "\")"));
    }
  }
  if (proto.has_seed()) s.seed = proto.seed();

  const v1::DeployModel& deploy = proto.deploy();
  if (deploy.has_median_duration()) {
    SLUICE_SIM_DURATION_(s.deploy.median_duration, "deploy.median_duration",
                         deploy.median_duration());
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
    const std::string path = absl::StrCat("traffic.low_traffic[", i, "]");
    if (!low.has_duration()) {
      return InvalidArgumentAt(absl::StrCat(path, ".duration"), "must be set");
    }
    LowTrafficPeriod period;
    period.start_hour = low.start_hour();
    SLUICE_SIM_DURATION_(period.duration, absl::StrCat(path, ".duration"),
                         low.duration());
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
    SLUICE_SIM_DURATION_(s.fault.onset_delay, "fault.onset_delay",
                         fault.onset_delay());
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
    SLUICE_SIM_DURATION_(s.fault.ramp, "fault.ramp", fault.ramp());
  }
  if (fault.has_intermittent()) {
    const v1::Intermittence& in = fault.intermittent();
    if (!in.has_period()) {
      return InvalidArgumentAt("fault.intermittent.period", "must be set");
    }
    if (!in.has_on()) {
      return InvalidArgumentAt("fault.intermittent.on", "must be set");
    }
    Intermittence intermittence;
    SLUICE_SIM_DURATION_(intermittence.period, "fault.intermittent.period",
                         in.period());
    SLUICE_SIM_DURATION_(intermittence.on, "fault.intermittent.on", in.on());
    s.fault.intermittent = intermittence;
  }
  s.fault.min_load_rps = fault.min_load_rps();
  s.fault.needs_whole_region = fault.needs_whole_region();
  s.fault.crash.deploy_failure_probability =
      fault.crash().deploy_failure_probability();
  s.fault.crash.die_probability = fault.crash().die_probability();
  if (fault.crash().has_after()) {
    SLUICE_SIM_DURATION_(s.fault.crash.after, "fault.crash.after",
                         fault.crash().after());
  }

  const v1::MetricDelivery& delivery = proto.delivery();
  if (delivery.has_lag()) {
    SLUICE_SIM_DURATION_(s.delivery.lag, "delivery.lag", delivery.lag());
  }
  s.delivery.drop_probability = delivery.drop_probability();
  s.delivery.error_probability = delivery.error_probability();

  for (int i = 0; i < proto.metrics_size(); ++i) {
    const v1::MetricBinding& m = proto.metrics(i);
    MetricBinding binding;
    binding.metric = m.metric();
    SLUICE_ASSIGN_OR_RETURN(
        binding.signal,
        FromProtoSignal(absl::StrCat("metrics[", i, "].signal"), m.signal()));
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
        FromProtoSignal(absl::StrCat("alarms[", i, "].signal"), a.signal()));
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
    SLUICE_ASSIGN_OR_RETURN(
        s.background,
        BackgroundFromProto("background", proto.background(), base_dir));
  }
  for (int i = 0; i < proto.backgrounds_size(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(
        RecordedBackground background,
        BackgroundFromProto(absl::StrCat("backgrounds[", i, "]"),
                            proto.backgrounds(i), base_dir));
    s.backgrounds.push_back(std::move(background));
  }
  const v1::IncidentModel& incidents = proto.incidents();
  s.incidents.zone_rate_per_day = incidents.zone_rate_per_day();
  s.incidents.region_rate_per_day = incidents.region_rate_per_day();
  if (incidents.has_median_duration()) {
    SLUICE_SIM_DURATION_(s.incidents.median_duration,
                         "incidents.median_duration",
                         incidents.median_duration());
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

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
         a.background == b.background;
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

}  // namespace

std::ostream& operator<<(std::ostream& os, const Scenario& scenario) {
  os << "Scenario(" << (scenario.name.empty() ? "unnamed" : scenario.name)
     << ": " << absl::FormatDuration(scenario.duration) << ", ";
  if (scenario.fault.bad) {
    os << "bad release (errors x" << Num(scenario.fault.error_multiplier)
       << ", +" << Num(scenario.fault.latency_shift_ms) << "ms, onset "
       << absl::FormatDuration(scenario.fault.onset_delay) << ", "
       << ScopeText(scenario.fault.scope) << ")";
  } else {
    os << "good release";
  }
  os << ", " << scenario.alarms.size()
     << (scenario.alarms.size() == 1 ? " alarm" : " alarms");
  if (scenario.background.has_value()) {
    os << ", background " << scenario.background->path << " -> "
       << scenario.background->signal;
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
  SLUICE_RETURN_IF_ERROR(CheckProbability("errors.error_rate", s.error_rate));
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
      CheckNonNegative("fault.error_multiplier", s.fault.error_multiplier));
  SLUICE_RETURN_IF_ERROR(
      CheckNonNegative("fault.latency_shift_ms", s.fault.latency_shift_ms));
  SLUICE_RETURN_IF_ERROR(
      CheckDuration("fault.onset_delay", s.fault.onset_delay));
  switch (s.fault.scope.kind) {
    case FaultScope::Kind::kAll:
      break;
    case FaultScope::Kind::kZone:
      if (s.fault.scope.zone.empty()) {
        return InvalidArgumentAt("fault.scope.zone", "must not be empty");
      }
      break;
    case FaultScope::Kind::kRegion:
      if (s.fault.scope.region.empty()) {
        return InvalidArgumentAt("fault.scope.region", "must not be empty");
      }
      break;
    case FaultScope::Kind::kShare:
      SLUICE_RETURN_IF_ERROR(
          CheckProbability("fault.scope.share", s.fault.scope.share));
      break;
  }
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
    const RecordedBackground& bg = *s.background;
    if (bg.signal != Signal::kRequestRate && bg.signal != Signal::kErrorRate &&
        bg.signal != Signal::kLatencyMs) {
      return InvalidArgumentAt(
          "background.signal",
          absl::StrCat("must be request_rate, error_rate or latency_ms (got ",
                       SignalName(bg.signal), ")"));
    }
    SLUICE_RETURN_IF_ERROR(CheckDuration("background.offset", bg.offset));
    SLUICE_RETURN_IF_ERROR(
        CheckRange("background.strength", bg.strength, 0, 10));
    if (!(bg.series.mean() > 0)) {
      return InvalidArgumentAt(
          "background.path", absl::StrCat("the series' mean must be > 0 (got ",
                                          Num(bg.series.mean()), ")"));
    }
  }
  return absl::OkStatus();
}

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
    bool found = false;
    for (const Fleet::Zone& zone : fleet.zones()) {
      if (zone.name == scope.zone &&
          (scope.region.empty() ||
           fleet.regions()[zone.region] == scope.region)) {
        found = true;
        break;
      }
    }
    if (!found) {
      return InvalidArgumentAt(
          "fault.scope.zone",
          scope.region.empty()
              ? absl::StrCat("the fleet has no zone \"", scope.zone, "\"")
              : absl::StrCat("the fleet has no zone \"", scope.zone,
                             "\" in region \"", scope.region, "\""));
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
    default:
      return InvalidArgumentAt(path, "must be set");
  }
}

#define SLUICE_SIM_DURATION_(lhs, path, msg) \
  SLUICE_ASSIGN_OR_RETURN(                   \
      lhs, FromProtoDuration(path, (msg).seconds(), (msg).nanos()))

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
  if (proto.errors().has_error_rate())
    s.error_rate = proto.errors().error_rate();

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
    const v1::RecordedBackground& b = proto.background();
    if (b.path().empty()) {
      return InvalidArgumentAt("background.path", "must not be empty");
    }
    std::string path = b.path();
    if (!base_dir.empty() && path[0] != '/') {
      path = absl::StrCat(base_dir, "/", path);
    }
    absl::StatusOr<RecordedSeries> series = RecordedSeries::LoadFile(path);
    if (!series.ok()) {
      return internal::PrefixStatus(series.status(), "background.path");
    }
    RecordedBackground background{b.path(), *std::move(series)};
    SLUICE_ASSIGN_OR_RETURN(background.signal,
                            FromProtoSignal("background.signal", b.signal()));
    if (b.has_offset()) {
      SLUICE_SIM_DURATION_(background.offset, "background.offset", b.offset());
    }
    if (b.has_strength()) background.strength = b.strength();
    s.background = std::move(background);
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

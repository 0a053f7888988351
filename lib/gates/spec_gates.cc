// Copyright 2026 The Sluice Authors.
//
// RolloutSpec.metrics and RolloutSpec.gates: validation, summary, building.

#include "lib/gates/spec_gates.h"

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "lib/core/status_macros.h"
#include "lib/gates/checks.h"
#include "lib/gates/rank_gate_spec.h"
#include "sluice/analysis_gate.h"
#include "sluice/approval_gate.h"
#include "sluice/bake_gate.h"
#include "sluice/canary_analysis_gate.h"
#include "sluice/deploy_window_gate.h"
#include "sluice/gate_combinators.h"
#include "sluice/judge_gates.h"
#include "sluice/judge_proto.h"
#include "sluice/metric_checks.h"

namespace sluice::internal {
namespace {

using Metrics = std::map<std::string, MetricDefinition>;

// A google.protobuf.Duration as an absl::Duration; errors name `path`.
absl::StatusOr<absl::Duration> DurationFromProto(
    const google::protobuf::Duration& d, const std::string& path) {
  if (d.nanos() <= -1000000000 || d.nanos() >= 1000000000 ||
      (d.seconds() > 0 && d.nanos() < 0) ||
      (d.seconds() < 0 && d.nanos() > 0)) {
    return InvalidArgumentAt(
        path, absl::StrCat("not a valid duration (seconds ", d.seconds(),
                           ", nanos ", d.nanos(), ")"));
  }
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

bool ValidMetricNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '-' || c == '.' || c == ':' || c == '/';
}

absl::StatusOr<MissingDataPolicy> MissingDataFromProto(
    v1::MetricSpec::MissingData m) {
  switch (m) {
    case v1::MetricSpec::MISSING_DATA_UNSPECIFIED:
    case v1::MetricSpec::MISSING_DATA_FAIL:
      return MissingDataPolicy::kFail;
    case v1::MetricSpec::MISSING_DATA_PASS:
      return MissingDataPolicy::kPass;
    case v1::MetricSpec::MISSING_DATA_INCONCLUSIVE:
      return MissingDataPolicy::kInconclusive;
    case v1::MetricSpec::MISSING_DATA_IGNORE:
      return MissingDataPolicy::kIgnore;
    default:
      return InvalidArgumentAt("missing_data",
                               absl::StrCat("unknown value ", m));
  }
}

absl::StatusOr<Cohort> CohortFromProto(v1::Cohort c) {
  switch (c) {
    case v1::COHORT_UNSPECIFIED:
    case v1::COHORT_WAVE:
      return Cohort::kWave;
    case v1::COHORT_BASELINE:
      return Cohort::kBaseline;
    case v1::COHORT_FLEET:
      return Cohort::kFleet;
    default:
      return InvalidArgumentAt("cohort", absl::StrCat("unknown value ", c));
  }
}

// Looks up the metric a check names; errors name "<path>.metric".
absl::StatusOr<MetricDefinition> FindMetric(const Metrics& metrics,
                                            const std::string& name,
                                            const std::string& path) {
  if (name.empty()) {
    return InvalidArgumentAt(absl::StrCat(path, ".metric"),
                             "must not be empty");
  }
  auto it = metrics.find(name);
  if (it == metrics.end()) {
    std::vector<std::string> declared;
    for (const auto& [n, m] : metrics) declared.push_back(n);
    return InvalidArgumentAt(
        absl::StrCat(path, ".metric"),
        absl::StrCat("names undeclared metric \"", name, "\" (declared: ",
                     declared.empty() ? "none" : absl::StrJoin(declared, ", "),
                     ")"));
  }
  return it->second;
}

absl::StatusOr<Aggregation> AggregationFromProto(const std::string& text,
                                                 const std::string& path) {
  if (text.empty()) return Aggregation{};
  absl::StatusOr<Aggregation> a = ParseAggregation(text);
  if (!a.ok())
    return PrefixStatus(a.status(), absl::StrCat(path, ".aggregate"));
  return a;
}

absl::StatusOr<absl::Duration> WindowFromProto(
    bool has, const google::protobuf::Duration& d, const std::string& path) {
  if (!has) return absl::Minutes(5);
  return DurationFromProto(d, absl::StrCat(path, ".window"));
}

// `path` is the check's own path, e.g. "gates.default[0].threshold".
absl::StatusOr<ThresholdCheck> ThresholdFromProto(
    const v1::ThresholdGateSpec& p, const Metrics& metrics,
    const std::string& path) {
  ThresholdCheck c;
  SLUICE_ASSIGN_OR_RETURN(c.metric, FindMetric(metrics, p.metric(), path));
  SLUICE_ASSIGN_OR_RETURN(c.aggregation,
                          AggregationFromProto(p.aggregate(), path));
  if (p.has_min()) c.min = p.min();
  if (p.has_max()) c.max = p.max();
  SLUICE_ASSIGN_OR_RETURN(c.window,
                          WindowFromProto(p.has_window(), p.window(), path));
  absl::StatusOr<Cohort> cohort = CohortFromProto(p.cohort());
  if (!cohort.ok()) return NestStatus(cohort.status(), path);
  c.cohort = *cohort;
  c.include_before_deploy = p.include_before_deploy();
  c.min_samples = p.min_samples();
  return c;
}

absl::StatusOr<RelativeCheck> RelativeFromProto(const v1::RelativeGateSpec& p,
                                                const Metrics& metrics,
                                                const std::string& path) {
  RelativeCheck c;
  SLUICE_ASSIGN_OR_RETURN(c.metric, FindMetric(metrics, p.metric(), path));
  SLUICE_ASSIGN_OR_RETURN(c.aggregation,
                          AggregationFromProto(p.aggregate(), path));
  if (p.has_min_ratio()) c.min_ratio = p.min_ratio();
  if (p.has_max_ratio()) c.max_ratio = p.max_ratio();
  if (p.has_min_difference()) c.min_difference = p.min_difference();
  if (p.has_max_difference()) c.max_difference = p.max_difference();
  c.require_both = p.require_both();
  SLUICE_ASSIGN_OR_RETURN(c.window,
                          WindowFromProto(p.has_window(), p.window(), path));
  c.include_before_deploy = p.include_before_deploy();
  c.min_samples = p.min_samples();
  if (!p.requests_metric().empty()) {
    auto it = metrics.find(p.requests_metric());
    if (it == metrics.end()) {
      std::vector<std::string> declared;
      for (const auto& [n, m] : metrics) declared.push_back(n);
      return InvalidArgumentAt(
          absl::StrCat(path, ".requests_metric"),
          absl::StrCat("names undeclared metric \"", p.requests_metric(),
                       "\" (declared: ", absl::StrJoin(declared, ", "), ")"));
    }
    c.requests_metric = it->second;
    const AggregationKind k = c.aggregation.kind;
    if (!p.aggregate().empty() && k != AggregationKind::kSum &&
        k != AggregationKind::kRate && k != AggregationKind::kMean) {
      return InvalidArgumentAt(
          absl::StrCat(path, ".aggregate"),
          absl::StrCat("must be unset, \"sum\", \"rate\" or \"mean\" with "
                       "requests_metric (got \"",
                       p.aggregate(),
                       "\"): each cohort's error and request counts are "
                       "summed into one rate"));
    }
    if (p.aggregate().empty()) c.aggregation.kind = AggregationKind::kSum;
  }
  if (p.has_significance_alpha()) c.significance_alpha = p.significance_alpha();
  return c;
}

AlarmCheck AlarmFromProto(const v1::AlarmGateSpec& p) {
  AlarmCheck c;
  c.alarms.assign(p.alarms().begin(), p.alarms().end());
  switch (p.insufficient_data()) {
    case v1::AlarmGateSpec::INSUFFICIENT_DATA_IGNORE:
      c.insufficient_data = InsufficientDataPolicy::kIgnore;
      break;
    case v1::AlarmGateSpec::INSUFFICIENT_DATA_INCONCLUSIVE:
      c.insufficient_data = InsufficientDataPolicy::kInconclusive;
      break;
    default:
      c.insufficient_data = InsufficientDataPolicy::kFail;
      break;
  }
  return c;
}

// Returns the check's own C++ validation errors under `path`.
absl::Status CheckErrorsAt(const absl::Status& status,
                           const std::string& path) {
  return NestStatus(status, path);
}

absl::StatusOr<AnalysisMetric> AnalysisMetricFromProto(
    const v1::AnalysisMetricSpec& p, const Metrics& metrics,
    const std::string& path) {
  AnalysisMetric m;
  m.name = p.name();
  switch (p.check_case()) {
    case v1::AnalysisMetricSpec::kThreshold: {
      SLUICE_ASSIGN_OR_RETURN(
          ThresholdCheck c,
          ThresholdFromProto(p.threshold(), metrics,
                             absl::StrCat(path, ".threshold")));
      m.check = std::move(c);
      break;
    }
    case v1::AnalysisMetricSpec::kRelative: {
      SLUICE_ASSIGN_OR_RETURN(
          RelativeCheck c, RelativeFromProto(p.relative(), metrics,
                                             absl::StrCat(path, ".relative")));
      m.check = std::move(c);
      break;
    }
    case v1::AnalysisMetricSpec::kAlarm:
      m.check = AlarmFromProto(p.alarm());
      break;
    case v1::AnalysisMetricSpec::CHECK_NOT_SET:
      return InvalidArgumentAt(
          path, "needs a check: one of threshold, relative or alarm");
  }
  if (p.has_interval()) {
    SLUICE_ASSIGN_OR_RETURN(
        m.interval,
        DurationFromProto(p.interval(), absl::StrCat(path, ".interval")));
    if (m.interval == absl::ZeroDuration()) {
      return InvalidArgumentAt(absl::StrCat(path, ".interval"),
                               "must be > 0 when set (got 0s)");
    }
  }
  if (p.has_count()) m.count = p.count();
  if (p.has_initial_delay()) {
    SLUICE_ASSIGN_OR_RETURN(
        m.initial_delay,
        DurationFromProto(p.initial_delay(),
                          absl::StrCat(path, ".initial_delay")));
  }
  if (p.has_failure_limit()) m.failure_limit = p.failure_limit();
  if (p.has_inconclusive_limit()) m.inconclusive_limit = p.inconclusive_limit();
  if (p.has_consecutive_error_limit()) {
    m.consecutive_error_limit = p.consecutive_error_limit();
  }
  m.consecutive_success_limit = p.consecutive_success_limit();
  m.dry_run = p.dry_run();
  if (p.has_error_retry_interval()) {
    SLUICE_ASSIGN_OR_RETURN(
        m.error_retry_interval,
        DurationFromProto(p.error_retry_interval(),
                          absl::StrCat(path, ".error_retry_interval")));
  }
  return m;
}

// "Mon" -> 0 ... "Sun" -> 6; full names and any case accepted.
absl::StatusOr<int> ParseDay(absl::string_view text) {
  static constexpr absl::string_view kNames[] = {
      "monday", "tuesday",  "wednesday", "thursday",
      "friday", "saturday", "sunday"};
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  for (int i = 0; i < 7; ++i) {
    if (lower == kNames[i] || lower == kNames[i].substr(0, 3)) return i;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown day \"", text, "\" (want Mon, Tue, Wed, Thu, Fri, Sat, Sun)"));
}

absl::StatusOr<std::vector<absl::Weekday>> ParseDays(const std::string& text,
                                                     const std::string& path) {
  static constexpr absl::Weekday kDays[] = {
      absl::Weekday::monday,   absl::Weekday::tuesday, absl::Weekday::wednesday,
      absl::Weekday::thursday, absl::Weekday::friday,  absl::Weekday::saturday,
      absl::Weekday::sunday};
  if (absl::StripAsciiWhitespace(text).empty()) {
    return InvalidArgumentAt(path, "must not be empty (e.g. \"Mon-Thu\")");
  }
  bool seen[7] = {false, false, false, false, false, false, false};
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    std::vector<absl::string_view> ends = absl::StrSplit(item, '-');
    if (ends.size() > 2) {
      return InvalidArgumentAt(path, absl::StrCat("bad day range \"", item,
                                                  "\" (want e.g. Mon-Thu)"));
    }
    absl::StatusOr<int> first = ParseDay(ends[0]);
    if (!first.ok()) return PrefixStatus(first.status(), path);
    absl::StatusOr<int> last = ends.size() == 2 ? ParseDay(ends[1]) : first;
    if (!last.ok()) return PrefixStatus(last.status(), path);
    // Ranges may wrap: Fri-Mon is Fri, Sat, Sun, Mon.
    for (int d = *first;; d = (d + 1) % 7) {
      seen[d] = true;
      if (d == *last) break;
    }
  }
  std::vector<absl::Weekday> days;
  for (int i = 0; i < 7; ++i) {
    if (seen[i]) days.push_back(kDays[i]);
  }
  return days;
}

// "HH:MM" -> time of day; "24:00" only when allow_24.
absl::StatusOr<absl::Duration> ParseClock(const std::string& text,
                                          const std::string& path,
                                          bool allow_24) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  int h = -1, m = -1;
  if (parts.size() != 2 || parts[0].empty() || parts[0].size() > 2 ||
      parts[1].size() != 2 || !absl::SimpleAtoi(parts[0], &h) ||
      !absl::SimpleAtoi(parts[1], &m) || h < 0 || m < 0 || m > 59 || h > 24 ||
      (h == 24 && (m != 0 || !allow_24))) {
    return InvalidArgumentAt(
        path,
        absl::StrCat("want a local time HH:MM in 00:00-",
                     allow_24 ? "24:00" : "23:59", " (got \"", text, "\")"));
  }
  return absl::Hours(h) + absl::Minutes(m);
}

absl::StatusOr<absl::CivilSecond> ParseLocal(const std::string& text,
                                             const std::string& path) {
  absl::CivilSecond s;
  if (absl::ParseCivilTime(text, &s)) return s;
  absl::CivilMinute m;
  if (absl::ParseCivilTime(text, &m)) return absl::CivilSecond(m);
  absl::CivilDay d;
  if (absl::ParseCivilTime(text, &d)) return absl::CivilSecond(d);
  return InvalidArgumentAt(
      path, absl::StrCat("want a local date YYYY-MM-DD or date and time "
                         "YYYY-MM-DDTHH:MM[:SS] (got \"",
                         text, "\")"));
}

absl::StatusOr<DeployWindowOptions> WindowFromProto(const v1::WindowGateSpec& p,
                                                    const std::string& path) {
  DeployWindowOptions o;
  o.time_zone = p.time_zone();
  for (int i = 0; i < p.windows_size(); ++i) {
    const v1::WeeklyWindowSpec& w = p.windows(i);
    const std::string wpath = absl::StrCat(path, ".windows[", i, "]");
    WeeklyWindow out;
    SLUICE_ASSIGN_OR_RETURN(out.days,
                            ParseDays(w.days(), absl::StrCat(wpath, ".days")));
    SLUICE_ASSIGN_OR_RETURN(
        out.start, ParseClock(w.start(), absl::StrCat(wpath, ".start"), false));
    SLUICE_ASSIGN_OR_RETURN(
        out.end, ParseClock(w.end(), absl::StrCat(wpath, ".end"), true));
    o.windows.push_back(std::move(out));
  }
  for (int i = 0; i < p.blackouts_size(); ++i) {
    const v1::BlackoutSpec& b = p.blackouts(i);
    const std::string bpath = absl::StrCat(path, ".blackouts[", i, "]");
    Blackout out;
    SLUICE_ASSIGN_OR_RETURN(
        out.start, ParseLocal(b.start(), absl::StrCat(bpath, ".start")));
    SLUICE_ASSIGN_OR_RETURN(out.end,
                            ParseLocal(b.end(), absl::StrCat(bpath, ".end")));
    out.reason = b.reason();
    o.blackouts.push_back(std::move(out));
  }
  return o;
}

// The judge's metrics must be declared; errors name
// "<path>.metrics[i].name". The judge's own errors are nested under `path`.
absl::StatusOr<KayentaJudgeGateOptions> KayentaJudgeFromProto(
    const v1::KayentaJudgeSpec& p, const Metrics& metrics,
    const std::string& path) {
  KayentaJudgeGateOptions o;
  absl::StatusOr<stats::KayentaJudgeConfig> judge = JudgeConfigFromProto(p);
  if (!judge.ok()) return NestStatus(judge.status(), path);
  o.judge = *std::move(judge);
  for (int i = 0; i < p.metrics_size(); ++i) {
    const std::string mp = absl::StrCat(path, ".metrics[", i, "]");
    absl::StatusOr<MetricDefinition> def =
        FindMetric(metrics, p.metrics(i).name(), mp);
    if (!def.ok()) {
      // FindMetric names "<mp>.metric"; the judge's field is "name".
      std::string message(def.status().message());
      const std::string wrong = absl::StrCat(mp, ".metric");
      if (absl::StartsWith(message, wrong)) {
        message = absl::StrCat(mp, ".name", message.substr(wrong.size()));
      }
      return absl::InvalidArgumentError(message);
    }
    o.metrics.push_back(*std::move(def));
    if (!p.metrics(i).requests_metric().empty()) {
      const std::string& req = p.metrics(i).requests_metric();
      auto it = metrics.find(req);
      if (it == metrics.end()) {
        std::vector<std::string> declared;
        for (const auto& [n, m] : metrics) declared.push_back(n);
        return InvalidArgumentAt(
            absl::StrCat(mp, ".requests_metric"),
            absl::StrCat("names undeclared metric \"", req,
                         "\" (declared: ", absl::StrJoin(declared, ", "), ")"));
      }
      if (req == p.metrics(i).name()) {
        return InvalidArgumentAt(
            absl::StrCat(mp, ".requests_metric"),
            absl::StrCat("must differ from name (both \"", req, "\")"));
      }
      o.requests_metrics[p.metrics(i).name()] = it->second;
    }
  }
  if (p.min_samples() < 0) {
    return InvalidArgumentAt(
        absl::StrCat(path, ".min_samples"),
        absl::StrCat("must be >= 0 (got ", p.min_samples(), ")"));
  }
  o.min_samples = p.min_samples();
  if (p.has_window()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.window, DurationFromProto(p.window(), absl::StrCat(path, ".window")));
  }
  switch (p.marginal()) {
    case v1::KayentaJudgeSpec::MARGINAL_UNSPECIFIED:
    case v1::KayentaJudgeSpec::MARGINAL_INCONCLUSIVE:
      o.marginal = Outcome::kInconclusive;
      break;
    case v1::KayentaJudgeSpec::MARGINAL_PASS:
      o.marginal = Outcome::kPass;
      break;
    case v1::KayentaJudgeSpec::MARGINAL_FAIL:
      o.marginal = Outcome::kFail;
      break;
    default:
      return InvalidArgumentAt(absl::StrCat(path, ".marginal"),
                               absl::StrCat("unknown value ", p.marginal()));
  }
  return o;
}

// A canary analysis gate: the judge as kayenta_judge, then the schedule.
absl::StatusOr<CanaryAnalysisGateOptions> CanaryAnalysisFromProto(
    const v1::CanaryAnalysisGateSpec& p, const Metrics& metrics,
    const std::string& path) {
  CanaryAnalysisGateOptions o;
  if (!p.has_judge()) {
    return InvalidArgumentAt(absl::StrCat(path, ".judge"), "must be set");
  }
  SLUICE_ASSIGN_OR_RETURN(
      o.judge,
      KayentaJudgeFromProto(p.judge(), metrics, absl::StrCat(path, ".judge")));
  if (!p.has_lifetime()) {
    return InvalidArgumentAt(absl::StrCat(path, ".lifetime"), "must be set");
  }
  SLUICE_ASSIGN_OR_RETURN(
      o.lifetime,
      DurationFromProto(p.lifetime(), absl::StrCat(path, ".lifetime")));
  if (p.has_interval()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.interval,
        DurationFromProto(p.interval(), absl::StrCat(path, ".interval")));
  }
  if (p.has_warmup()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.warmup, DurationFromProto(p.warmup(), absl::StrCat(path, ".warmup")));
  }
  if (p.has_lookback()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.lookback,
        DurationFromProto(p.lookback(), absl::StrCat(path, ".lookback")));
  }
  switch (p.marginal()) {
    case v1::KayentaJudgeSpec::MARGINAL_UNSPECIFIED:
    case v1::KayentaJudgeSpec::MARGINAL_FAIL:
      o.marginal = Outcome::kFail;
      break;
    case v1::KayentaJudgeSpec::MARGINAL_INCONCLUSIVE:
      o.marginal = Outcome::kInconclusive;
      break;
    case v1::KayentaJudgeSpec::MARGINAL_PASS:
      o.marginal = Outcome::kPass;
      break;
    default:
      return InvalidArgumentAt(absl::StrCat(path, ".marginal"),
                               absl::StrCat("unknown value ", p.marginal()));
  }
  return o;
}

// The interval (default 1m) and duration (required) of a sequential gate.
absl::Status ScheduleFromProto(bool has_interval,
                               const google::protobuf::Duration& interval,
                               bool has_duration,
                               const google::protobuf::Duration& duration,
                               const std::string& path,
                               absl::Duration* interval_out,
                               absl::Duration* duration_out) {
  if (has_interval) {
    SLUICE_ASSIGN_OR_RETURN(
        *interval_out,
        DurationFromProto(interval, absl::StrCat(path, ".interval")));
  }
  if (!has_duration) {
    return InvalidArgumentAt(absl::StrCat(path, ".duration"),
                             "is required (how long the test runs)");
  }
  SLUICE_ASSIGN_OR_RETURN(
      *duration_out,
      DurationFromProto(duration, absl::StrCat(path, ".duration")));
  return absl::OkStatus();
}

absl::StatusOr<SequentialCountGateOptions> SequentialCountFromProto(
    const v1::SequentialCountGateSpec& p, const Metrics& metrics,
    const std::string& path) {
  SequentialCountGateOptions o;
  SLUICE_ASSIGN_OR_RETURN(o.metric, FindMetric(metrics, p.metric(), path));
  o.test.canary_share = p.canary_share();
  if (p.has_alpha()) o.test.alpha = p.alpha();
  if (p.has_prior_concentration()) {
    o.test.prior_concentration = p.prior_concentration();
  }
  if (!p.requests_metric().empty()) {
    auto it = metrics.find(p.requests_metric());
    if (it == metrics.end()) {
      return InvalidArgumentAt(absl::StrCat(path, ".requests_metric"),
                               absl::StrCat("names undeclared metric \"",
                                            p.requests_metric(), "\""));
    }
    o.requests_metric = it->second;
    if (p.canary_share() != 0 &&
        !(p.canary_share() > 0 && p.canary_share() < 1)) {
      return InvalidArgumentAt(absl::StrCat(path, ".canary_share"),
                               absl::StrCat("must be in (0, 1) or unset (got ",
                                            p.canary_share(), ")"));
    }
    stats::SequentialRateOptions rate;
    if (p.has_null_ratio()) rate.null_ratio = p.null_ratio();
    if (p.has_tuning_events()) rate.tuning_events = p.tuning_events();
    rate.alpha = o.test.alpha;
    if (absl::Status s = rate.Validate(); !s.ok()) return NestStatus(s, path);
    o.rate_test = rate;
  } else {
    if (p.canary_share() == 0) {
      return InvalidArgumentAt(
          absl::StrCat(path, ".canary_share"),
          "is required without requests_metric (name a metric of request "
          "counts in requests_metric so that the canary's share is measured, "
          "or give the traffic split's share)");
    }
    if (p.has_null_ratio() || p.has_tuning_events()) {
      return InvalidArgumentAt(
          absl::StrCat(path,
                       p.has_null_ratio() ? ".null_ratio" : ".tuning_events"),
          "needs requests_metric (it is a parameter of the measured-share "
          "test)");
    }
    // The test's fields are the spec's own (no "test." level).
    if (absl::Status s = o.test.Validate(); !s.ok()) return NestStatus(s, path);
  }
  if (p.min_samples() < 0) {
    return InvalidArgumentAt(
        absl::StrCat(path, ".min_samples"),
        absl::StrCat("must be >= 0 (got ", p.min_samples(), ")"));
  }
  o.min_samples = p.min_samples();
  SLUICE_RETURN_IF_ERROR(ScheduleFromProto(p.has_interval(), p.interval(),
                                           p.has_duration(), p.duration(), path,
                                           &o.interval, &o.duration));
  absl::StatusOr<stats::MetricDirection> d =
      DirectionFromProto(p.direction(), stats::MetricDirection::kIncrease);
  if (!d.ok()) {
    return InvalidArgumentAt(absl::StrCat(path, ".direction"),
                             d.status().message());
  }
  o.direction = *d;
  return o;
}

absl::StatusOr<SequentialQuantileGateOptions> SequentialQuantileFromProto(
    const v1::SequentialQuantileGateSpec& p, const Metrics& metrics,
    const std::string& path) {
  SequentialQuantileGateOptions o;
  SLUICE_ASSIGN_OR_RETURN(o.metric, FindMetric(metrics, p.metric(), path));
  if (p.has_quantile()) o.test.quantile = p.quantile();
  if (p.has_alpha()) o.test.alpha = p.alpha();
  if (p.has_tuning_observations()) {
    o.test.tuning_observations = p.tuning_observations();
  }
  // The test's fields are the spec's own (no "test." level).
  if (absl::Status s = o.test.Validate(); !s.ok()) return NestStatus(s, path);
  SLUICE_RETURN_IF_ERROR(ScheduleFromProto(p.has_interval(), p.interval(),
                                           p.has_duration(), p.duration(), path,
                                           &o.interval, &o.duration));
  absl::StatusOr<stats::MetricDirection> d =
      DirectionFromProto(p.direction(), stats::MetricDirection::kIncrease);
  if (!d.ok()) {
    return InvalidArgumentAt(absl::StrCat(path, ".direction"),
                             d.status().message());
  }
  o.direction = *d;
  o.min_samples = p.min_samples();
  o.max_observations = p.max_observations();
  if (p.has_delivery_delay()) {
    SLUICE_ASSIGN_OR_RETURN(
        o.delivery_delay,
        DurationFromProto(p.delivery_delay(),
                          absl::StrCat(path, ".delivery_delay")));
  }
  return o;
}

absl::StatusOr<SequentialMeansGateOptions> SequentialMeansFromProto(
    const v1::SequentialMeansGateSpec& p, const Metrics& metrics,
    const std::string& path) {
  SequentialMeansGateOptions o;
  SLUICE_ASSIGN_OR_RETURN(o.metric, FindMetric(metrics, p.metric(), path));
  o.test.sigma_canary = p.sigma_canary();
  o.test.sigma_baseline = p.sigma_baseline();
  if (p.has_alpha()) o.test.alpha = p.alpha();
  if (p.has_tuning_observations()) {
    o.test.tuning_observations = p.tuning_observations();
  }
  // The test's fields are the spec's own (no "test." level).
  if (absl::Status s = o.test.Validate(); !s.ok()) return NestStatus(s, path);
  if (p.has_min_value()) o.min_value = p.min_value();
  if (p.has_max_value()) o.max_value = p.max_value();
  o.min_samples = p.min_samples();
  SLUICE_RETURN_IF_ERROR(ScheduleFromProto(p.has_interval(), p.interval(),
                                           p.has_duration(), p.duration(), path,
                                           &o.interval, &o.duration));
  absl::StatusOr<stats::MetricDirection> d =
      DirectionFromProto(p.direction(), stats::MetricDirection::kIncrease);
  if (!d.ok()) {
    return InvalidArgumentAt(absl::StrCat(path, ".direction"),
                             d.status().message());
  }
  o.direction = *d;
  return o;
}

std::string DefaultName(const v1::GateSpec& g) {
  switch (g.kind_case()) {
    case v1::GateSpec::kThreshold:
      return absl::StrCat("threshold ", g.threshold().metric());
    case v1::GateSpec::kRelative:
      return absl::StrCat("relative ", g.relative().metric());
    case v1::GateSpec::kAlarm:
      return g.alarm().alarms_size() == 1
                 ? absl::StrCat("alarm ", g.alarm().alarms(0))
                 : "alarms";
    case v1::GateSpec::kAnalysis:
      return "analysis";
    case v1::GateSpec::kBake:
      return "bake";
    case v1::GateSpec::kWindow:
      return "deploy window";
    case v1::GateSpec::kManualApproval:
      return "manual approval";
    case v1::GateSpec::kAllOf:
      return "all of";
    case v1::GateSpec::kAnyOf:
      return "any of";
    case v1::GateSpec::kAtLeast:
      return absl::StrCat("at least ", g.at_least().k(), " of");
    case v1::GateSpec::kWeighted:
      return "weighted score";
    case v1::GateSpec::kShadow:
      return absl::StrCat("shadow ", DefaultName(g.shadow()));
    case v1::GateSpec::kKayentaJudge:
      return "kayenta judge";
    case v1::GateSpec::kSequentialCount:
      return absl::StrCat("sequential count ", g.sequential_count().metric());
    case v1::GateSpec::kSequentialMeans:
      return absl::StrCat("sequential means ", g.sequential_means().metric());
    case v1::GateSpec::kCanaryAnalysis:
      return "canary analysis";
    case v1::GateSpec::kSequentialQuantile:
      return absl::StrCat("sequential quantile ",
                          g.sequential_quantile().metric());
    case v1::GateSpec::kRankTest:
      return absl::StrCat("rank test ", g.rank_test().metric());
    case v1::GateSpec::KIND_NOT_SET:
      return "gate";
  }
  return "gate";
}

std::string NameOf(const v1::GateSpec& g) {
  return g.name().empty() ? DefaultName(g) : g.name();
}

absl::StatusOr<std::unique_ptr<HealthGate>> BuildGate(const v1::GateSpec& g,
                                                      const Metrics& metrics,
                                                      const std::string& path,
                                                      int depth = 1);

// Builds a list of sibling gates; names must be unique among them.
absl::StatusOr<std::vector<std::unique_ptr<HealthGate>>> BuildGateList(
    const google::protobuf::RepeatedPtrField<v1::GateSpec>& gates,
    const Metrics& metrics, const std::string& path, int depth = 1) {
  std::vector<std::unique_ptr<HealthGate>> out;
  std::map<std::string, int> seen;
  for (int i = 0; i < gates.size(); ++i) {
    const std::string child = absl::StrCat(path, "[", i, "]");
    const std::string name = NameOf(gates[i]);
    auto [it, inserted] = seen.emplace(name, i);
    if (!inserted) {
      return InvalidArgumentAt(
          absl::StrCat(child, ".name"),
          absl::StrCat("duplicate gate name \"", name, "\" (first at ", path,
                       "[", it->second, "]; give the gates distinct names)"));
    }
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<HealthGate> gate,
                            BuildGate(gates[i], metrics, child, depth));
    out.push_back(std::move(gate));
  }
  return out;
}

absl::StatusOr<std::unique_ptr<HealthGate>> Nested(
    absl::StatusOr<std::unique_ptr<HealthGate>> gate, const std::string& path) {
  if (!gate.ok()) return CheckErrorsAt(gate.status(), path);
  return gate;
}

absl::StatusOr<std::unique_ptr<HealthGate>> BuildGate(const v1::GateSpec& g,
                                                      const Metrics& metrics,
                                                      const std::string& path,
                                                      int depth) {
  if (depth > kMaxGateDepth) {
    return InvalidArgumentAt(
        path, absl::StrCat("gates nest more than ", kMaxGateDepth,
                           " levels deep (the limit); flatten the spec"));
  }
  const std::string name = NameOf(g);
  if (absl::Status s = ValidateGateName(name); !s.ok()) {
    return NestStatus(s, path);
  }
  switch (g.kind_case()) {
    case v1::GateSpec::kThreshold: {
      const std::string p = absl::StrCat(path, ".threshold");
      SLUICE_ASSIGN_OR_RETURN(ThresholdCheck c,
                              ThresholdFromProto(g.threshold(), metrics, p));
      return Nested(NewThresholdGate(name, std::move(c)), p);
    }
    case v1::GateSpec::kRelative: {
      const std::string p = absl::StrCat(path, ".relative");
      SLUICE_ASSIGN_OR_RETURN(RelativeCheck c,
                              RelativeFromProto(g.relative(), metrics, p));
      return Nested(NewRelativeGate(name, std::move(c)), p);
    }
    case v1::GateSpec::kAlarm:
      return Nested(NewAlarmGate(name, AlarmFromProto(g.alarm())),
                    absl::StrCat(path, ".alarm"));
    case v1::GateSpec::kAnalysis: {
      const std::string p = absl::StrCat(path, ".analysis");
      std::vector<AnalysisMetric> ms;
      for (int i = 0; i < g.analysis().metrics_size(); ++i) {
        SLUICE_ASSIGN_OR_RETURN(
            AnalysisMetric m,
            AnalysisMetricFromProto(g.analysis().metrics(i), metrics,
                                    absl::StrCat(p, ".metrics[", i, "]")));
        ms.push_back(std::move(m));
      }
      return Nested(NewAnalysisGate(name, std::move(ms)), p);
    }
    case v1::GateSpec::kBake: {
      const std::string p = absl::StrCat(path, ".bake");
      const v1::BakeGateSpec& b = g.bake();
      BakeOptions o;
      if (!b.has_duration()) {
        return InvalidArgumentAt(absl::StrCat(p, ".duration"), "is required");
      }
      if (!b.has_interval()) {
        return InvalidArgumentAt(absl::StrCat(p, ".interval"), "is required");
      }
      SLUICE_ASSIGN_OR_RETURN(
          o.duration,
          DurationFromProto(b.duration(), absl::StrCat(p, ".duration")));
      SLUICE_ASSIGN_OR_RETURN(
          o.interval,
          DurationFromProto(b.interval(), absl::StrCat(p, ".interval")));
      o.min_samples = b.min_samples();
      o.too_few_samples =
          b.too_few_samples() == v1::BakeGateSpec::TOO_FEW_SAMPLES_FAIL
              ? Outcome::kFail
              : Outcome::kInconclusive;
      if (!b.has_check()) {
        return InvalidArgumentAt(absl::StrCat(p, ".check"), "is required");
      }
      SLUICE_ASSIGN_OR_RETURN(
          std::unique_ptr<HealthGate> check,
          BuildGate(b.check(), metrics, absl::StrCat(p, ".check"), depth + 1));
      return Nested(NewBakeGate(name, o, std::move(check)), p);
    }
    case v1::GateSpec::kWindow: {
      const std::string p = absl::StrCat(path, ".window");
      SLUICE_ASSIGN_OR_RETURN(DeployWindowOptions o,
                              WindowFromProto(g.window(), p));
      return Nested(NewDeployWindowGate(name, std::move(o)), p);
    }
    case v1::GateSpec::kManualApproval: {
      const std::string p = absl::StrCat(path, ".manual_approval");
      const v1::ManualApprovalGateSpec& a = g.manual_approval();
      ManualApprovalOptions o;
      if (a.has_timeout()) {
        SLUICE_ASSIGN_OR_RETURN(
            o.timeout,
            DurationFromProto(a.timeout(), absl::StrCat(p, ".timeout")));
      }
      switch (a.on_timeout()) {
        case v1::ManualApprovalGateSpec::ON_TIMEOUT_PASS:
          o.on_timeout = Outcome::kPass;
          break;
        case v1::ManualApprovalGateSpec::ON_TIMEOUT_INCONCLUSIVE:
          o.on_timeout = Outcome::kInconclusive;
          break;
        default:
          o.on_timeout = Outcome::kFail;
          break;
      }
      return Nested(NewManualApprovalGate(name, o), p);
    }
    case v1::GateSpec::kAllOf:
    case v1::GateSpec::kAnyOf: {
      const bool all = g.kind_case() == v1::GateSpec::kAllOf;
      const std::string p = absl::StrCat(path, all ? ".all_of" : ".any_of");
      const v1::GateListSpec& list = all ? g.all_of() : g.any_of();
      if (list.gates().empty()) {
        return InvalidArgumentAt(absl::StrCat(p, ".gates"),
                                 "must not be empty");
      }
      SLUICE_ASSIGN_OR_RETURN(
          auto children, BuildGateList(list.gates(), metrics,
                                       absl::StrCat(p, ".gates"), depth + 1));
      return Nested(all ? NewAllOfGate(name, std::move(children))
                        : NewAnyOfGate(name, std::move(children)),
                    p);
    }
    case v1::GateSpec::kAtLeast: {
      const std::string p = absl::StrCat(path, ".at_least");
      if (g.at_least().gates().empty()) {
        return InvalidArgumentAt(absl::StrCat(p, ".gates"),
                                 "must not be empty");
      }
      SLUICE_ASSIGN_OR_RETURN(
          auto children, BuildGateList(g.at_least().gates(), metrics,
                                       absl::StrCat(p, ".gates"), depth + 1));
      return Nested(NewAtLeastGate(name, g.at_least().k(), std::move(children)),
                    p);
    }
    case v1::GateSpec::kWeighted: {
      const std::string p = absl::StrCat(path, ".weighted");
      const v1::WeightedGateSpec& w = g.weighted();
      if (w.gates().empty()) {
        return InvalidArgumentAt(absl::StrCat(p, ".gates"),
                                 "must not be empty");
      }
      std::vector<WeightedGate> entries;
      std::map<std::string, int> seen;
      for (int i = 0; i < w.gates_size(); ++i) {
        const std::string ep = absl::StrCat(p, ".gates[", i, "]");
        if (!w.gates(i).has_gate()) {
          return InvalidArgumentAt(absl::StrCat(ep, ".gate"), "is required");
        }
        const std::string child = NameOf(w.gates(i).gate());
        auto [it, inserted] = seen.emplace(child, i);
        if (!inserted) {
          return InvalidArgumentAt(
              absl::StrCat(ep, ".gate.name"),
              absl::StrCat("duplicate gate name \"", child, "\" (first at ", p,
                           ".gates[", it->second, "])"));
        }
        WeightedGate e;
        e.weight = w.gates(i).weight();
        SLUICE_ASSIGN_OR_RETURN(
            e.gate, BuildGate(w.gates(i).gate(), metrics,
                              absl::StrCat(ep, ".gate"), depth + 1));
        entries.push_back(std::move(e));
      }
      std::optional<double> marginal;
      if (w.has_marginal_score()) marginal = w.marginal_score();
      return Nested(
          NewWeightedGate(name, std::move(entries), w.pass_score(), marginal),
          p);
    }
    case v1::GateSpec::kShadow: {
      const std::string p = absl::StrCat(path, ".shadow");
      SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<HealthGate> child,
                              BuildGate(g.shadow(), metrics, p, depth + 1));
      return Nested(NewShadowGate(name, std::move(child)), path);
    }
    case v1::GateSpec::kKayentaJudge: {
      const std::string p = absl::StrCat(path, ".kayenta_judge");
      SLUICE_ASSIGN_OR_RETURN(
          KayentaJudgeGateOptions o,
          KayentaJudgeFromProto(g.kayenta_judge(), metrics, p));
      return Nested(NewKayentaJudgeGate(name, std::move(o)), p);
    }
    case v1::GateSpec::kSequentialCount: {
      const std::string p = absl::StrCat(path, ".sequential_count");
      SLUICE_ASSIGN_OR_RETURN(
          SequentialCountGateOptions o,
          SequentialCountFromProto(g.sequential_count(), metrics, p));
      return Nested(NewSequentialCountGate(name, std::move(o)), p);
    }
    case v1::GateSpec::kSequentialMeans: {
      const std::string p = absl::StrCat(path, ".sequential_means");
      SLUICE_ASSIGN_OR_RETURN(
          SequentialMeansGateOptions o,
          SequentialMeansFromProto(g.sequential_means(), metrics, p));
      return Nested(NewSequentialMeansGate(name, std::move(o)), p);
    }
    case v1::GateSpec::kCanaryAnalysis: {
      const std::string p = absl::StrCat(path, ".canary_analysis");
      SLUICE_ASSIGN_OR_RETURN(
          CanaryAnalysisGateOptions o,
          CanaryAnalysisFromProto(g.canary_analysis(), metrics, p));
      return Nested(NewCanaryAnalysisGate(name, std::move(o)), p);
    }
    case v1::GateSpec::kSequentialQuantile: {
      const std::string p = absl::StrCat(path, ".sequential_quantile");
      SLUICE_ASSIGN_OR_RETURN(
          SequentialQuantileGateOptions o,
          SequentialQuantileFromProto(g.sequential_quantile(), metrics, p));
      return Nested(NewSequentialQuantileGate(name, std::move(o)), p);
    }
    case v1::GateSpec::kRankTest:
      return BuildRankTestGate(g.rank_test(), name, metrics,
                               absl::StrCat(path, ".rank_test"));
    case v1::GateSpec::KIND_NOT_SET:
      break;
  }
  return InvalidArgumentAt(
      path,
      "needs a kind: one of threshold, relative, alarm, analysis, bake, "
      "window, manual_approval, all_of, any_of, at_least, weighted, shadow, "
      "kayenta_judge, sequential_count, sequential_means, "
      "sequential_quantile, canary_analysis, rank_test");
}

absl::StatusOr<Metrics> BuildMetrics(const v1::RolloutSpec& spec) {
  Metrics metrics;
  std::map<std::string, int> first;
  for (int i = 0; i < spec.metrics_size(); ++i) {
    const std::string path = absl::StrCat("metrics[", i, "]");
    absl::StatusOr<MetricDefinition> m = MetricFromProto(spec.metrics(i));
    if (!m.ok()) return NestStatus(m.status(), path);
    auto [it, inserted] = first.emplace(m->name, i);
    if (!inserted) {
      return InvalidArgumentAt(
          absl::StrCat(path, ".name"),
          absl::StrCat("duplicate metric \"", m->name, "\" (first at metrics[",
                       it->second, "])"));
    }
    metrics.emplace(m->name, *std::move(m));
  }
  return metrics;
}

}  // namespace

absl::StatusOr<MetricDefinition> MetricFromProto(const v1::MetricSpec& proto) {
  MetricDefinition m;
  if (proto.name().empty())
    return InvalidArgumentAt("name", "must not be empty");
  if (proto.name().size() > 200) {
    return InvalidArgumentAt(
        "name", absl::StrCat("must be at most 200 characters (got ",
                             proto.name().size(), ")"));
  }
  for (char c : proto.name()) {
    if (!ValidMetricNameChar(c)) {
      return InvalidArgumentAt(
          "name", absl::StrCat("\"", proto.name(),
                               "\" has a character other than letters, "
                               "digits, '_', '-', '.', ':' and '/'"));
    }
  }
  m.name = proto.name();
  m.query = proto.query();
  for (const auto& [k, v] : proto.params()) m.params[k] = v;
  if (proto.has_prometheus()) {
    // The Prometheus form is the query plus the adapter's params
    // (docs/prometheus.md).
    const v1::PrometheusMetric& p = proto.prometheus();
    if (!proto.query().empty()) {
      return InvalidArgumentAt("prometheus",
                               "set either query or prometheus, not both");
    }
    if (p.query().empty())
      return InvalidArgumentAt("prometheus.query", "must not be empty");
    for (const char* key : {"prometheus.range", "prometheus.step"}) {
      if (m.params.count(key) > 0) {
        return InvalidArgumentAt(
            absl::StrCat("params[\"", key, "\"]"),
            "set by prometheus: do not also set it in params");
      }
    }
    m.query = p.query();
    if (p.range()) m.params["prometheus.range"] = "true";
    if (p.has_step()) {
      SLUICE_ASSIGN_OR_RETURN(absl::Duration step,
                              DurationFromProto(p.step(), "prometheus.step"));
      if (step <= absl::ZeroDuration()) {
        return InvalidArgumentAt(
            "prometheus.step",
            absl::StrCat("must be > 0 (got ", absl::FormatDuration(step), ")"));
      }
      m.params["prometheus.step"] = absl::FormatDuration(step);
    }
  }
  m.unit = proto.unit();
  SLUICE_ASSIGN_OR_RETURN(m.missing_data,
                          MissingDataFromProto(proto.missing_data()));
  return m;
}

absl::StatusOr<BuiltGates> BuildGates(const v1::RolloutSpec& spec) {
  SLUICE_ASSIGN_OR_RETURN(Metrics metrics, BuildMetrics(spec));
  BuiltGates out;
  SLUICE_ASSIGN_OR_RETURN(
      out.default_gates,
      BuildGateList(spec.gates().default_(), metrics, "gates.default"));
  std::map<std::string, int> first;
  for (int i = 0; i < spec.gates().stages_size(); ++i) {
    const v1::StageGates& stage = spec.gates().stages(i);
    const std::string path = absl::StrCat("gates.stages[", i, "]");
    if (stage.stage().empty()) {
      return InvalidArgumentAt(absl::StrCat(path, ".stage"),
                               "must not be empty");
    }
    auto [it, inserted] = first.emplace(stage.stage(), i);
    if (!inserted) {
      return InvalidArgumentAt(
          absl::StrCat(path, ".stage"),
          absl::StrCat("duplicate stage \"", stage.stage(),
                       "\" (first at gates.stages[", it->second, "])"));
    }
    SLUICE_ASSIGN_OR_RETURN(
        auto gates,
        BuildGateList(stage.gates(), metrics, absl::StrCat(path, ".gates")));
    out.stage_gates.emplace(stage.stage(), std::move(gates));
  }
  return out;
}

absl::Status ValidateGatesSpec(const v1::RolloutSpec& spec) {
  return BuildGates(spec).status();
}

std::string SummarizeGates(const v1::RolloutSpec& spec) {
  const v1::GatePolicy& g = spec.gates();
  if (spec.metrics_size() == 0 && g.default__size() == 0 &&
      g.stages_size() == 0) {
    return "";
  }
  std::vector<std::string> names;
  for (const v1::GateSpec& gate : g.default_()) names.push_back(NameOf(gate));
  std::string out = absl::StrCat("gates: ", g.default__size(), " default");
  if (!names.empty())
    absl::StrAppend(&out, " (", absl::StrJoin(names, ", "), ")");
  if (g.stages_size() > 0) {
    std::vector<std::string> stages;
    for (const v1::StageGates& s : g.stages()) stages.push_back(s.stage());
    absl::StrAppend(&out, ", ", g.stages_size(), " stage override",
                    g.stages_size() == 1 ? "" : "s", " (",
                    absl::StrJoin(stages, ", "), ")");
  }
  absl::StrAppend(&out, "; ", spec.metrics_size(), " metric",
                  spec.metrics_size() == 1 ? "" : "s");
  return out;
}

}  // namespace sluice::internal

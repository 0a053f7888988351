// Copyright 2026 The Sluice Authors.
//
// Threshold, relative-to-baseline and alarm measurements.

#include "lib/gates/checks.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"

namespace sluice {
namespace internal {

std::string DurationText(absl::Duration d) {
  // absl prints "5m", "1h30m", "10s", "1.5s".
  return absl::FormatDuration(d);
}

std::string FormatTimeIn(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Z", t, zone);
}

std::string FormatTimeUtc(absl::Time t) {
  if (t == absl::InfiniteFuture()) return "never";
  if (t == absl::InfinitePast()) return "-inf";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

absl::Status ValidateGateName(absl::string_view name) {
  if (name.empty()) return InvalidArgumentAt("name", "must not be empty");
  if (name.size() > 200) {
    return InvalidArgumentAt(
        "name",
        absl::StrCat("must be at most 200 characters (got ", name.size(), ")"));
  }
  for (char c : name) {
    if (absl::ascii_iscntrl(static_cast<unsigned char>(c))) {
      return InvalidArgumentAt("name", "must not contain control characters");
    }
  }
  return absl::OkStatus();
}

std::optional<double> Aggregate(absl::Span<const Sample> samples,
                                const Aggregation& aggregation,
                                absl::Duration window) {
  std::vector<double> values;
  values.reserve(samples.size());
  for (const Sample& s : samples) {
    if (!std::isnan(s.value)) values.push_back(s.value);
  }
  if (values.empty()) return std::nullopt;
  const double n = static_cast<double>(values.size());
  switch (aggregation.kind) {
    case AggregationKind::kMean: {
      // Sum in a fixed order (the host's order) for determinism.
      double sum = 0;
      for (double v : values) sum += v;
      return sum / n;
    }
    case AggregationKind::kSum: {
      double sum = 0;
      for (double v : values) sum += v;
      return sum;
    }
    case AggregationKind::kRate: {
      double sum = 0;
      for (double v : values) sum += v;
      double seconds = absl::ToDoubleSeconds(window);
      if (!(seconds > 0)) return std::nullopt;
      return sum / seconds;
    }
    case AggregationKind::kCount:
      return n;
    case AggregationKind::kMin:
      return *std::min_element(values.begin(), values.end());
    case AggregationKind::kMax:
      return *std::max_element(values.begin(), values.end());
    case AggregationKind::kQuantile: {
      std::sort(values.begin(), values.end());
      // Linear interpolation between closest ranks (R type 7, NumPy's
      // default): h = (n - 1) q.
      double h = (n - 1) * aggregation.quantile;
      size_t lo = static_cast<size_t>(std::floor(h));
      size_t hi = std::min(lo + 1, values.size() - 1);
      double frac = h - static_cast<double>(lo);
      return values[lo] + frac * (values[hi] - values[lo]);
    }
  }
  return std::nullopt;
}

namespace {

absl::Status ValidateMetricDefinition(const MetricDefinition& metric) {
  if (metric.name.empty()) {
    return InvalidArgumentAt("metric.name", "must not be empty");
  }
  return absl::OkStatus();
}

absl::Status ValidateAggregation(const Aggregation& aggregation) {
  if (aggregation.kind == AggregationKind::kQuantile &&
      !(aggregation.quantile > 0 && aggregation.quantile < 1)) {
    return InvalidArgumentAt(
        "aggregation.quantile",
        absl::StrCat("must be in (0, 1) (got ", aggregation.quantile, ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateWindow(absl::Duration window) {
  if (window <= absl::ZeroDuration() || window == absl::InfiniteDuration()) {
    return FieldPath("window").Invalid(MustBe(kMustBePositiveFinite, window));
  }
  return absl::OkStatus();
}

absl::Status ValidateFinite(absl::string_view field,
                            const std::optional<double>& v) {
  if (v.has_value() && !std::isfinite(*v)) {
    return InvalidArgumentAt(field,
                             absl::StrCat("must be finite (got ", *v, ")"));
  }
  return absl::OkStatus();
}

// "p99_latency" for metric p99_latency with p99; "p99 of latency" for metric
// latency with p99.
std::string Subject(const MetricDefinition& metric,
                    const Aggregation& aggregation) {
  std::string agg = AggregationName(aggregation);
  std::string lower = absl::AsciiStrToLower(metric.name);
  if (absl::StartsWith(lower, absl::StrCat(agg, "_")) ||
      absl::EndsWith(lower, absl::StrCat("_", agg)) || lower == agg) {
    return metric.name;
  }
  return absl::StrCat(agg, " of ", metric.name);
}

std::string WithUnit(double v, const std::string& unit) {
  if (unit.empty()) return absl::StrCat(v);
  return absl::StrCat(v, " ", unit);
}

std::string CohortPhrase(Cohort cohort, const GateContext& context) {
  switch (cohort) {
    case Cohort::kWave:
      if (context.wave_index >= 0) {
        return absl::StrCat("wave ", context.wave_index);
      }
      return "the wave";
    case Cohort::kBaseline:
      return "the baseline";
    case Cohort::kFleet:
      return "the fleet";
  }
  return "?";
}

absl::Span<const std::string> CohortTargets(Cohort cohort,
                                            const GateContext& context) {
  switch (cohort) {
    case Cohort::kWave:
      return context.wave_targets;
    case Cohort::kBaseline:
      return context.baseline_targets;
    case Cohort::kFleet:
      return {};
  }
  return {};
}

// One queried and aggregated cohort.
struct Aggregated {
  // Set when the query failed.
  std::optional<absl::Status> error;
  // Unset when there was no data.
  std::optional<double> value;
  std::optional<int64_t> sample_count;
  std::string no_data_message;
};

// The start of a check's window ending now: `window` back, but not before
// the wave's deploy unless `include_before_deploy`.
absl::Time WindowStart(absl::Duration window, bool include_before_deploy,
                       const GateContext& context) {
  absl::Time start = context.now - window;
  if (!include_before_deploy &&
      context.wave_deployed_at != absl::InfinitePast() &&
      context.wave_deployed_at > start) {
    start = std::min(context.wave_deployed_at, context.now);
  }
  return start;
}

// The query of `metric` on `cohort` over the check's window ending now.
MetricQuery CheckQuery(const MetricDefinition& metric,
                       const Aggregation& aggregation, Cohort cohort,
                       absl::Duration window, bool include_before_deploy,
                       const GateContext& context) {
  MetricQuery query;
  query.metric = metric.name;
  query.query = metric.query;
  query.params = metric.params;
  query.cohort = cohort;
  query.targets = CohortTargets(cohort, context);
  query.wave_index = context.wave_index;
  query.stage = context.stage;
  query.start = WindowStart(window, include_before_deploy, context);
  query.end = context.now;
  query.aggregation = aggregation;
  return query;
}

absl::Status NoMetricSource() {
  return absl::FailedPreconditionError(
      "GateContext.metric_source is null (the host provided no "
      "MetricSource)");
}

Aggregated QueryAndAggregate(const MetricDefinition& metric,
                             const Aggregation& aggregation, Cohort cohort,
                             absl::Duration window, bool include_before_deploy,
                             const GateContext& context) {
  Aggregated out;
  if (context.metric_source == nullptr) {
    out.error = NoMetricSource();
    return out;
  }
  const MetricQuery query = CheckQuery(metric, aggregation, cohort, window,
                                       include_before_deploy, context);
  absl::StatusOr<MetricResult> result = context.metric_source->Query(query);
  if (!result.ok()) {
    out.error = result.status();
    return out;
  }
  switch (result->kind) {
    case MetricResult::Kind::kNoData:
      out.no_data_message = result->message;
      break;
    case MetricResult::Kind::kSamples: {
      out.value =
          Aggregate(result->samples, aggregation, query.end - query.start);
      int64_t finite = 0;
      for (const Sample& s : result->samples) {
        if (!std::isnan(s.value)) ++finite;
      }
      if (out.value.has_value()) out.sample_count = finite;
      break;
    }
    case MetricResult::Kind::kAggregate:
      if (!std::isnan(result->value)) {
        out.value = result->value;
        out.sample_count = result->sample_count;
        if (out.sample_count.has_value() && *out.sample_count == 0) {
          // The host says nothing was behind the aggregate.
          out.value.reset();
          out.sample_count.reset();
        }
      }
      break;
  }
  return out;
}

CheckResult ErrorResult(const absl::Status& status, absl::string_view what) {
  CheckResult r;
  r.phase = Outcome::kError;
  r.retryable = IsRetryable(status);
  r.message = absl::StrCat(what, ": ", status.ToString());
  return r;
}

CheckResult MissingData(const MetricDefinition& metric, std::string message) {
  CheckResult r;
  absl::StrAppend(&message, " (missing_data: ",
                  MissingDataPolicyName(metric.missing_data), ")");
  r.message = std::move(message);
  r.sample_count = 0;
  r.observations.push_back({"n", 0, ""});
  switch (metric.missing_data) {
    case MissingDataPolicy::kFail:
      r.phase = Outcome::kFail;
      break;
    case MissingDataPolicy::kPass:
      r.phase = Outcome::kPass;
      break;
    case MissingDataPolicy::kInconclusive:
      r.phase = Outcome::kInconclusive;
      break;
    case MissingDataPolicy::kIgnore:
      r.phase = Outcome::kPass;
      r.ignored = true;
      break;
  }
  return r;
}

// A kInconclusive result when `n` is known and below `min_samples`.
std::optional<CheckResult> TooFewSamples(const std::string& metric,
                                         const std::optional<int64_t>& n,
                                         int64_t min_samples,
                                         const std::string& over) {
  if (min_samples <= 0 || !n.has_value() || *n >= min_samples) {
    return std::nullopt;
  }
  CheckResult r;
  r.phase = Outcome::kInconclusive;
  r.sample_count = n;
  r.observations.push_back({"n", static_cast<double>(*n), ""});
  r.message = absl::StrCat(metric, ": too few samples", over, " (n=", *n,
                           " < min_samples ", min_samples, ")");
  return r;
}

std::string SampleSuffix(const std::optional<int64_t>& n) {
  if (!n.has_value()) return "";
  return absl::StrCat(" (n=", *n, ")");
}

class ThresholdCheckImpl : public Check {
 public:
  explicit ThresholdCheckImpl(ThresholdCheck c) : c_(std::move(c)) {}

  std::string default_name() const override { return c_.metric.name; }
  absl::Duration settle() const override {
    return c_.include_before_deploy ? absl::ZeroDuration() : c_.window;
  }

  CheckResult Measure(const GateContext& context) const override {
    const std::string cohort = CohortPhrase(c_.cohort, context);
    const std::string over =
        absl::StrCat(" over ", DurationText(c_.window), " on ", cohort);
    Aggregated a =
        QueryAndAggregate(c_.metric, c_.aggregation, c_.cohort, c_.window,
                          c_.include_before_deploy, context);
    if (a.error.has_value()) {
      return ErrorResult(
          *a.error, absl::StrCat("querying ", c_.metric.name, " on ", cohort));
    }
    if (!a.value.has_value()) {
      std::string why = a.no_data_message.empty()
                            ? ""
                            : absl::StrCat(": ", a.no_data_message);
      return MissingData(c_.metric,
                         absl::StrCat(c_.metric.name, ": no data", over, why));
    }
    if (std::optional<CheckResult> few = TooFewSamples(
            c_.metric.name, a.sample_count, c_.min_samples, over)) {
      return *few;
    }
    const double v = *a.value;
    const std::string& unit = c_.metric.unit;
    CheckResult r;
    r.value = v;
    r.sample_count = a.sample_count;
    r.observations.push_back({c_.metric.name, v, unit});
    if (c_.min.has_value()) r.observations.push_back({"min", *c_.min, unit});
    if (c_.max.has_value()) r.observations.push_back({"max", *c_.max, unit});
    if (a.sample_count.has_value()) {
      r.observations.push_back({"n", static_cast<double>(*a.sample_count), ""});
    }
    const std::string subject = absl::StrCat(Subject(c_.metric, c_.aggregation),
                                             " ", WithUnit(v, unit));
    std::string comparison;
    if (c_.max.has_value() && v > *c_.max) {
      r.phase = Outcome::kFail;
      comparison = absl::StrCat(" > max ", WithUnit(*c_.max, unit));
    } else if (c_.min.has_value() && v < *c_.min) {
      r.phase = Outcome::kFail;
      comparison = absl::StrCat(" < min ", WithUnit(*c_.min, unit));
    } else {
      r.phase = Outcome::kPass;
      if (c_.min.has_value() && c_.max.has_value()) {
        comparison = absl::StrCat(" within [", *c_.min, ", ",
                                  WithUnit(*c_.max, unit), "]");
      } else if (c_.max.has_value()) {
        comparison = absl::StrCat(" <= max ", WithUnit(*c_.max, unit));
      } else {
        comparison = absl::StrCat(" >= min ", WithUnit(*c_.min, unit));
      }
    }
    r.message =
        absl::StrCat(subject, comparison, over, SampleSuffix(a.sample_count));
    return r;
  }

 private:
  ThresholdCheck c_;
};

// One cohort's pooled counts over a check's window.
struct PooledCounts {
  // Set when a query failed; `what` says which.
  std::optional<absl::Status> error;
  std::string what;
  double errors = 0;
  double requests = 0;
  // False when the cohort has no request counts in the window.
  bool known = false;
  // The minutes (data points) pooled, when known.
  std::optional<int64_t> points;
};

// The sum of the finite values of `samples` per timestamp.
std::map<absl::Time, double> SumsByTime(const std::vector<Sample>& samples) {
  std::map<absl::Time, double> out;
  for (const Sample& s : samples) {
    if (!std::isnan(s.value)) out[s.time] += s.value;
  }
  return out;
}

// Queries `events` and `requests` on `cohort` and pools them: when both
// answers are samples, only the minutes (timestamps) present in both count,
// so a minute one series lost is left out of both sums; an aggregate answer
// is taken whole. No event data is zero events.
PooledCounts QueryPooled(const MetricDefinition& events,
                         const MetricDefinition& requests, Cohort cohort,
                         absl::Duration window, bool include_before_deploy,
                         const GateContext& context,
                         const std::string& cohort_phrase) {
  PooledCounts out;
  if (context.metric_source == nullptr) {
    out.error = NoMetricSource();
    out.what = absl::StrCat("querying ", events.name, " on ", cohort_phrase);
    return out;
  }
  const Aggregation sum{AggregationKind::kSum};
  absl::StatusOr<MetricResult> answers[2];
  const MetricDefinition* defs[2] = {&events, &requests};
  for (int k = 0; k < 2; ++k) {
    answers[k] = context.metric_source->Query(CheckQuery(
        *defs[k], sum, cohort, window, include_before_deploy, context));
    if (!answers[k].ok()) {
      out.error = answers[k].status();
      out.what =
          absl::StrCat("querying ", defs[k]->name, " on ", cohort_phrase);
      return out;
    }
  }
  const MetricResult& e = *answers[0];
  const MetricResult& r = *answers[1];
  auto finite = [](double v) { return !std::isnan(v); };
  if (r.kind == MetricResult::Kind::kNoData ||
      (r.kind == MetricResult::Kind::kAggregate &&
       (!finite(r.value) ||
        (r.sample_count.has_value() && *r.sample_count == 0)))) {
    return out;
  }
  const bool no_events =
      e.kind == MetricResult::Kind::kNoData ||
      (e.kind == MetricResult::Kind::kAggregate && !finite(e.value)) ||
      (e.kind == MetricResult::Kind::kSamples &&
       std::none_of(e.samples.begin(), e.samples.end(),
                    [&](const Sample& x) { return finite(x.value); }));
  if (r.kind == MetricResult::Kind::kSamples) {
    std::map<absl::Time, double> req = SumsByTime(r.samples);
    if (req.empty()) return out;
    if (no_events || e.kind == MetricResult::Kind::kAggregate) {
      for (const auto& [t, v] : req) out.requests += v;
      out.errors = no_events ? 0 : e.value;
      out.points = static_cast<int64_t>(req.size());
    } else {
      std::map<absl::Time, double> err = SumsByTime(e.samples);
      int64_t points = 0;
      for (const auto& [t, v] : req) {
        auto it = err.find(t);
        if (it == err.end()) continue;
        out.requests += v;
        out.errors += it->second;
        ++points;
      }
      if (points == 0) return out;
      out.points = points;
    }
  } else {
    out.requests = r.value;
    out.points = r.sample_count;
    if (no_events) {
      out.errors = 0;
    } else if (e.kind == MetricResult::Kind::kAggregate) {
      out.errors = e.value;
    } else {
      for (const Sample& x : e.samples) {
        if (finite(x.value)) out.errors += x.value;
      }
    }
  }
  out.known = out.requests > 0;
  return out;
}

// log C(n, k) p^k (1 - p)^(n - k).
double LogBinomialPmf(double n, double k, double p) {
  return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1) +
         (k > 0 ? k * std::log(p) : 0) +
         (n - k > 0 ? (n - k) * std::log1p(-p) : 0);
}

}  // namespace

double BinomialUpperTail(int64_t n, int64_t k, double p) {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // Sum the terms from k up in log space, from the largest; they fall off
  // geometrically past the mode, so stop once they no longer count.
  const double nd = static_cast<double>(n);
  double log_max = -std::numeric_limits<double>::infinity();
  std::vector<double> terms;
  for (int64_t i = k; i <= n; ++i) {
    const double t = LogBinomialPmf(nd, static_cast<double>(i), p);
    terms.push_back(t);
    log_max = std::max(log_max, t);
    if (static_cast<double>(i) > nd * p && t < log_max - 40) break;
  }
  double sum = 0;
  for (double t : terms) sum += std::exp(t - log_max);
  return std::min(1.0, std::exp(log_max + std::log(sum)));
}

namespace {

class RelativeCheckImpl : public Check {
 public:
  explicit RelativeCheckImpl(RelativeCheck c) : c_(std::move(c)) {}

  std::string default_name() const override { return c_.metric.name; }
  absl::Duration settle() const override {
    return c_.include_before_deploy ? absl::ZeroDuration() : c_.window;
  }

  CheckResult Measure(const GateContext& context) const override {
    const std::string cohort = CohortPhrase(Cohort::kWave, context);
    if (context.baseline_targets.empty() && !context.wave_targets.empty()) {
      // The last wave: no target is left on the old version.
      CheckResult r;
      r.phase = Outcome::kPass;
      r.message = absl::StrCat(c_.metric.name, ": no baseline for ", cohort,
                               " (no target is left on the old version to "
                               "compare with)");
      return r;
    }
    const std::string over =
        absl::StrCat(" over ", DurationText(c_.window), " on ", cohort);
    // The two cohorts' values and the data behind them.
    double w = 0, b = 0;
    std::optional<int64_t> wave_n, base_n;
    std::optional<PooledCounts> pooled[2];
    if (c_.requests_metric.has_value()) {
      const Cohort cohorts[2] = {Cohort::kWave, Cohort::kBaseline};
      for (int i = 0; i < 2; ++i) {
        pooled[i] = QueryPooled(c_.metric, *c_.requests_metric, cohorts[i],
                                c_.window, c_.include_before_deploy, context,
                                i == 0 ? cohort : std::string("the baseline"));
        if (pooled[i]->error.has_value()) {
          return ErrorResult(*pooled[i]->error, pooled[i]->what);
        }
      }
      if (!pooled[0]->known || !pooled[1]->known) {
        std::string which = !pooled[0]->known && !pooled[1]->known
                                ? "the wave and the baseline"
                            : !pooled[0]->known ? cohort
                                                : "the baseline";
        return MissingData(
            c_.metric, absl::StrCat(c_.metric.name, ": no requests (",
                                    c_.requests_metric->name, ") on ", which,
                                    " over ", DurationText(c_.window)));
      }
      w = pooled[0]->errors / pooled[0]->requests;
      b = pooled[1]->errors / pooled[1]->requests;
      wave_n = static_cast<int64_t>(std::llround(pooled[0]->requests));
      base_n = static_cast<int64_t>(std::llround(pooled[1]->requests));
      if (c_.min_samples > 0 && *wave_n < c_.min_samples) {
        CheckResult r;
        r.phase = Outcome::kInconclusive;
        r.sample_count = wave_n;
        r.observations.push_back({"requests", pooled[0]->requests, ""});
        r.observations.push_back({"n", static_cast<double>(*wave_n), ""});
        r.message = absl::StrCat(c_.metric.name, ": too few requests", over,
                                 " (", c_.requests_metric->name, "=", *wave_n,
                                 " < min_samples ", c_.min_samples, ")");
        return r;
      }
    } else {
      Aggregated wave =
          QueryAndAggregate(c_.metric, c_.aggregation, Cohort::kWave, c_.window,
                            c_.include_before_deploy, context);
      if (wave.error.has_value()) {
        return ErrorResult(
            *wave.error,
            absl::StrCat("querying ", c_.metric.name, " on ", cohort));
      }
      Aggregated base =
          QueryAndAggregate(c_.metric, c_.aggregation, Cohort::kBaseline,
                            c_.window, c_.include_before_deploy, context);
      if (base.error.has_value()) {
        return ErrorResult(
            *base.error,
            absl::StrCat("querying ", c_.metric.name, " on the baseline"));
      }
      if (!wave.value.has_value() || !base.value.has_value()) {
        std::string which = !wave.value.has_value() && !base.value.has_value()
                                ? "the wave and the baseline"
                            : !wave.value.has_value() ? cohort
                                                      : "the baseline";
        return MissingData(c_.metric,
                           absl::StrCat(c_.metric.name, ": no data on ", which,
                                        " over ", DurationText(c_.window)));
      }
      if (std::optional<CheckResult> few = TooFewSamples(
              c_.metric.name, wave.sample_count, c_.min_samples, over)) {
        return *few;
      }
      w = *wave.value;
      b = *base.value;
      wave_n = wave.sample_count;
      base_n = base.sample_count;
    }
    const bool counts = c_.requests_metric.has_value();
    // Rates of counts are per request: no unit.
    const std::string unit = counts ? std::string() : c_.metric.unit;
    double ratio;
    if (b == 0) {
      ratio = w == 0
                  ? 1.0
                  : std::copysign(std::numeric_limits<double>::infinity(), w);
    } else {
      ratio = w / b;
    }
    const double diff = w - b;

    CheckResult r;
    r.value = w;
    if (wave_n.has_value() && base_n.has_value()) {
      r.sample_count = *wave_n + *base_n;
    } else if (wave_n.has_value()) {
      r.sample_count = wave_n;
    }
    const std::string value_name =
        counts ? absl::StrCat(c_.metric.name, "/", c_.requests_metric->name)
               : c_.metric.name;
    r.observations.push_back({value_name, w, unit});
    r.observations.push_back({value_name + ".baseline", b, unit});
    r.observations.push_back({"ratio", ratio, ""});
    r.observations.push_back({"difference", diff, unit});
    if (counts) {
      r.observations.push_back({"errors", pooled[0]->errors, ""});
      r.observations.push_back({"requests", pooled[0]->requests, ""});
      r.observations.push_back({"errors.baseline", pooled[1]->errors, ""});
      r.observations.push_back({"requests.baseline", pooled[1]->requests, ""});
      const double total = pooled[0]->requests + pooled[1]->requests;
      r.observations.push_back(
          {"measured_share", pooled[0]->requests / total, ""});
    }
    if (c_.min_ratio)
      r.observations.push_back({"min_ratio", *c_.min_ratio, ""});
    if (c_.max_ratio)
      r.observations.push_back({"max_ratio", *c_.max_ratio, ""});
    if (c_.min_difference) {
      r.observations.push_back({"min_difference", *c_.min_difference, unit});
    }
    if (c_.max_difference) {
      r.observations.push_back({"max_difference", *c_.max_difference, unit});
    }
    if (wave_n.has_value()) {
      r.observations.push_back({"n", static_cast<double>(*wave_n), ""});
    }
    if (base_n.has_value()) {
      r.observations.push_back(
          {"n.baseline", static_cast<double>(*base_n), ""});
    }

    const bool has_ratio = c_.min_ratio.has_value() || c_.max_ratio.has_value();
    const bool has_diff =
        c_.min_difference.has_value() || c_.max_difference.has_value();
    std::string ratio_violation;
    std::optional<double> bound_crossed;  // the ratio bound beyond
    bool above = false;
    if (c_.max_ratio.has_value() && ratio > *c_.max_ratio) {
      ratio_violation = absl::StrCat("ratio ", ratio, " > max ", *c_.max_ratio);
      bound_crossed = *c_.max_ratio;
      above = true;
    } else if (c_.min_ratio.has_value() && ratio < *c_.min_ratio) {
      ratio_violation = absl::StrCat("ratio ", ratio, " < min ", *c_.min_ratio);
      bound_crossed = *c_.min_ratio;
    }
    std::string significance;
    if (counts && c_.significance_alpha.has_value() &&
        bound_crossed.has_value()) {
      // Conditional binomial test of "the ratio is within the bound t":
      // given n = E_w + E_b errors, E_w ~ Binomial(n, p0),
      // p0 = t R_w / (t R_w + R_b).
      const double t = *bound_crossed;
      const double rw = pooled[0]->requests;
      const double rb = pooled[1]->requests;
      const int64_t ew = std::llround(pooled[0]->errors);
      const int64_t eb = std::llround(pooled[1]->errors);
      const int64_t n = ew + eb;
      const double p0 = t * rw / (t * rw + rb);
      const double p_value =
          above ? BinomialUpperTail(n, ew, p0)
                // P(E_w <= ew) = P(E_b >= eb) with E_b ~ Binomial(n, 1 - p0).
                : BinomialUpperTail(n, eb, 1 - p0);
      r.observations.push_back({"p_value", p_value, ""});
      r.observations.push_back({"alpha", *c_.significance_alpha, ""});
      if (p_value > *c_.significance_alpha) {
        significance = absl::StrCat(" (not significant: p=", p_value,
                                    " > alpha ", *c_.significance_alpha, ")");
        ratio_violation.clear();
      } else {
        absl::StrAppend(&ratio_violation, " (p=", p_value, " <= alpha ",
                        *c_.significance_alpha, ")");
      }
    }
    std::string diff_violation;
    if (c_.max_difference.has_value() && diff > *c_.max_difference) {
      diff_violation =
          absl::StrCat("difference ", WithUnit(diff, unit), " > max ",
                       WithUnit(*c_.max_difference, unit));
    } else if (c_.min_difference.has_value() && diff < *c_.min_difference) {
      diff_violation =
          absl::StrCat("difference ", WithUnit(diff, unit), " < min ",
                       WithUnit(*c_.min_difference, unit));
    }
    const bool ratio_ok = has_ratio && ratio_violation.empty();
    const bool diff_ok = has_diff && diff_violation.empty();
    bool pass;
    if (has_ratio && has_diff) {
      pass = c_.require_both ? (ratio_ok && diff_ok) : (ratio_ok || diff_ok);
    } else {
      pass = has_ratio ? ratio_ok : diff_ok;
    }
    std::string detail;
    if (pass) {
      detail = absl::StrCat("ratio ", ratio, significance, ", difference ",
                            WithUnit(diff, unit), " within bounds");
    } else {
      std::vector<std::string> parts;
      if (!ratio_violation.empty()) parts.push_back(ratio_violation);
      if (!diff_violation.empty()) parts.push_back(diff_violation);
      detail = absl::StrJoin(parts, " and ");
    }
    r.phase = pass ? Outcome::kPass : Outcome::kFail;
    if (counts) {
      // "error rate 0.012 (36/3000) vs baseline 0.004 (60/15000): ..."
      r.message = absl::StrCat(
          c_.metric.name, "/", c_.requests_metric->name, " ", w, " (",
          pooled[0]->errors, "/", pooled[0]->requests, ") vs baseline ", b,
          " (", pooled[1]->errors, "/", pooled[1]->requests,
          "; measured share ",
          absl::StrFormat("%.3g", pooled[0]->requests / (pooled[0]->requests +
                                                         pooled[1]->requests)),
          "): ", detail, over);
      return r;
    }
    std::string n;
    if (wave_n.has_value() || base_n.has_value()) {
      n = absl::StrCat(" (n=", wave_n.has_value() ? absl::StrCat(*wave_n) : "?",
                       " vs ", base_n.has_value() ? absl::StrCat(*base_n) : "?",
                       ")");
    }
    r.message =
        absl::StrCat(Subject(c_.metric, c_.aggregation), " ", WithUnit(w, unit),
                     " vs baseline ", WithUnit(b, unit), ": ", detail, over, n);
    return r;
  }

 private:
  RelativeCheck c_;
};

class AlarmCheckImpl : public Check {
 public:
  explicit AlarmCheckImpl(AlarmCheck c) : c_(std::move(c)) {}

  std::string default_name() const override { return "alarms"; }

  CheckResult Measure(const GateContext& context) const override {
    if (context.alarm_source == nullptr) {
      return ErrorResult(
          absl::FailedPreconditionError(
              "GateContext.alarm_source is null (the host provided no "
              "AlarmSource)"),
          "querying alarms");
    }
    AlarmQuery query;
    query.alarms = c_.alarms;
    query.targets = context.wave_targets;
    query.wave_index = context.wave_index;
    query.stage = context.stage;
    query.now = context.now;
    absl::StatusOr<std::vector<AlarmStatus>> answer =
        context.alarm_source->QueryAlarms(query);
    if (!answer.ok()) {
      return ErrorResult(answer.status(), "querying alarms");
    }
    std::map<std::string, const AlarmStatus*> by_name;
    for (const AlarmStatus& s : *answer) by_name[s.name] = &s;
    std::vector<std::string> in_alarm, insufficient, missing;
    for (const std::string& name : c_.alarms) {
      auto it = by_name.find(name);
      if (it == by_name.end()) {
        missing.push_back(name);
        continue;
      }
      const AlarmStatus& s = *it->second;
      std::string text =
          s.reason.empty() ? name : absl::StrCat(name, " (", s.reason, ")");
      if (s.state == AlarmState::kAlarm) in_alarm.push_back(text);
      if (s.state == AlarmState::kInsufficientData) {
        insufficient.push_back(text);
      }
    }
    CheckResult r;
    r.observations.push_back(
        {"alarms", static_cast<double>(c_.alarms.size()), ""});
    r.observations.push_back(
        {"in_alarm", static_cast<double>(in_alarm.size()), ""});
    r.observations.push_back(
        {"insufficient_data", static_cast<double>(insufficient.size()), ""});
    if (!missing.empty()) {
      r.phase = Outcome::kError;
      r.retryable = false;
      r.message = absl::StrCat("the alarm source did not report: ",
                               absl::StrJoin(missing, ", "));
      return r;
    }
    r.value = static_cast<double>(in_alarm.size());
    const std::string ins_text = absl::StrCat(absl::StrJoin(insufficient, ", "),
                                              " in INSUFFICIENT_DATA");
    if (!in_alarm.empty()) {
      r.phase = Outcome::kFail;
      r.message =
          absl::StrCat(in_alarm.size(), " of ", c_.alarms.size(),
                       " alarms in ALARM: ", absl::StrJoin(in_alarm, ", "));
      if (!insufficient.empty()) absl::StrAppend(&r.message, "; ", ins_text);
      return r;
    }
    if (!insufficient.empty()) {
      switch (c_.insufficient_data) {
        case InsufficientDataPolicy::kFail:
          r.phase = Outcome::kFail;
          r.message = absl::StrCat(ins_text, " (insufficient_data: fail)");
          return r;
        case InsufficientDataPolicy::kInconclusive:
          r.phase = Outcome::kInconclusive;
          r.message =
              absl::StrCat(ins_text, " (insufficient_data: inconclusive)");
          return r;
        case InsufficientDataPolicy::kIgnore:
          r.phase = Outcome::kPass;
          r.message = absl::StrCat("no alarm in ALARM; ", ins_text,
                                   " ignored (insufficient_data: ignore)");
          return r;
      }
    }
    r.phase = Outcome::kPass;
    r.message = absl::StrCat("all ", c_.alarms.size(), " alarms OK");
    return r;
  }

 private:
  AlarmCheck c_;
};

absl::Status ValidateThreshold(const ThresholdCheck& c) {
  SLUICE_RETURN_IF_ERROR(ValidateMetricDefinition(c.metric));
  SLUICE_RETURN_IF_ERROR(ValidateAggregation(c.aggregation));
  SLUICE_RETURN_IF_ERROR(ValidateFinite("min", c.min));
  SLUICE_RETURN_IF_ERROR(ValidateFinite("max", c.max));
  if (!c.min.has_value() && !c.max.has_value()) {
    return InvalidArgumentAt("max", "at least one of min and max is required");
  }
  if (c.min.has_value() && c.max.has_value() && *c.max < *c.min) {
    return InvalidArgumentAt("max", absl::StrCat("must be >= min (got ", *c.max,
                                                 " < ", *c.min, ")"));
  }
  if (c.min_samples < 0) {
    return InvalidArgumentAt(
        "min_samples", absl::StrCat("must be >= 0 (got ", c.min_samples, ")"));
  }
  return ValidateWindow(c.window);
}

absl::Status ValidateRelative(const RelativeCheck& c) {
  SLUICE_RETURN_IF_ERROR(ValidateMetricDefinition(c.metric));
  SLUICE_RETURN_IF_ERROR(ValidateAggregation(c.aggregation));
  SLUICE_RETURN_IF_ERROR(ValidateFinite("min_ratio", c.min_ratio));
  SLUICE_RETURN_IF_ERROR(ValidateFinite("max_ratio", c.max_ratio));
  SLUICE_RETURN_IF_ERROR(ValidateFinite("min_difference", c.min_difference));
  SLUICE_RETURN_IF_ERROR(ValidateFinite("max_difference", c.max_difference));
  if (!c.min_ratio && !c.max_ratio && !c.min_difference && !c.max_difference) {
    return InvalidArgumentAt(
        "max_ratio",
        "at least one of min_ratio, max_ratio, min_difference and "
        "max_difference is required");
  }
  if (c.min_ratio.has_value() && *c.min_ratio < 0) {
    return InvalidArgumentAt(
        "min_ratio", absl::StrCat("must be >= 0 (got ", *c.min_ratio, ")"));
  }
  if (c.max_ratio.has_value() && *c.max_ratio <= 0) {
    return InvalidArgumentAt(
        "max_ratio", absl::StrCat("must be > 0 (got ", *c.max_ratio, ")"));
  }
  if (c.min_ratio && c.max_ratio && *c.max_ratio < *c.min_ratio) {
    return InvalidArgumentAt(
        "max_ratio", absl::StrCat("must be >= min_ratio (got ", *c.max_ratio,
                                  " < ", *c.min_ratio, ")"));
  }
  if (c.min_difference && c.max_difference &&
      *c.max_difference < *c.min_difference) {
    return InvalidArgumentAt(
        "max_difference",
        absl::StrCat("must be >= min_difference (got ", *c.max_difference,
                     " < ", *c.min_difference, ")"));
  }
  if (c.min_samples < 0) {
    return InvalidArgumentAt(
        "min_samples", absl::StrCat("must be >= 0 (got ", c.min_samples, ")"));
  }
  if (c.requests_metric.has_value()) {
    if (c.requests_metric->name.empty()) {
      return InvalidArgumentAt("requests_metric.name", "must not be empty");
    }
    if (c.requests_metric->name == c.metric.name) {
      return InvalidArgumentAt(
          "requests_metric.name",
          absl::StrCat("must differ from metric.name (both \"", c.metric.name,
                       "\")"));
    }
    const AggregationKind k = c.aggregation.kind;
    if (k != AggregationKind::kSum && k != AggregationKind::kRate &&
        k != AggregationKind::kMean) {
      return InvalidArgumentAt(
          "aggregation",
          absl::StrCat("must be sum, rate or mean with requests_metric (got ",
                       AggregationName(c.aggregation),
                       "): each cohort's error and request counts are summed "
                       "into one rate"));
    }
  }
  if (c.significance_alpha.has_value()) {
    if (!c.requests_metric.has_value()) {
      return InvalidArgumentAt(
          "significance_alpha",
          "needs requests_metric (the test is on error and request counts)");
    }
    const double a = *c.significance_alpha;
    if (!(a > 0 && a < 1)) {
      return InvalidArgumentAt("significance_alpha",
                               absl::StrCat("must be in (0, 1) (got ", a, ")"));
    }
    if (!c.min_ratio.has_value() && !c.max_ratio.has_value()) {
      return InvalidArgumentAt(
          "significance_alpha",
          "needs min_ratio or max_ratio (it guards the ratio bounds)");
    }
  }
  return ValidateWindow(c.window);
}

absl::Status ValidateAlarm(const AlarmCheck& c) {
  if (c.alarms.empty()) return InvalidArgumentAt("alarms", "must not be empty");
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < c.alarms.size(); ++i) {
    const std::string path = absl::StrCat("alarms[", i, "]");
    if (c.alarms[i].empty())
      return InvalidArgumentAt(path, "must not be empty");
    auto [it, inserted] = seen.emplace(c.alarms[i], i);
    if (!inserted) {
      return InvalidArgumentAt(
          path, absl::StrCat("duplicate alarm \"", c.alarms[i],
                             "\" (first at alarms[", it->second, "])"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Check>> NewCheck(const MetricCheck& check) {
  if (const auto* t = std::get_if<ThresholdCheck>(&check)) {
    SLUICE_RETURN_IF_ERROR(ValidateThreshold(*t));
    return std::unique_ptr<Check>(new ThresholdCheckImpl(*t));
  }
  if (const auto* r = std::get_if<RelativeCheck>(&check)) {
    SLUICE_RETURN_IF_ERROR(ValidateRelative(*r));
    return std::unique_ptr<Check>(new RelativeCheckImpl(*r));
  }
  const auto& a = std::get<AlarmCheck>(check);
  SLUICE_RETURN_IF_ERROR(ValidateAlarm(a));
  return std::unique_ptr<Check>(new AlarmCheckImpl(a));
}

}  // namespace internal
}  // namespace sluice

// Copyright 2026 The Sluice Authors.

#include "sluice/metric_source.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "lib/core/field_path.h"

namespace sluice {

absl::string_view CohortName(Cohort cohort) {
  switch (cohort) {
    case Cohort::kWave:
      return "wave";
    case Cohort::kBaseline:
      return "baseline";
    case Cohort::kFleet:
      return "fleet";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, Cohort cohort) {
  return os << CohortName(cohort);
}

namespace {

absl::Status QuantileRangeError(double q) {
  return absl::InvalidArgumentError(
      absl::StrCat("quantile must be in (0, 1) (got ", q, ")"));
}

}  // namespace

absl::StatusOr<Aggregation> ParseAggregation(absl::string_view text) {
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  Aggregation out;
  if (lower == "mean" || lower == "avg" || lower == "average") {
    out.kind = AggregationKind::kMean;
    return out;
  }
  if (lower == "sum") {
    out.kind = AggregationKind::kSum;
    return out;
  }
  if (lower == "rate") {
    out.kind = AggregationKind::kRate;
    return out;
  }
  if (lower == "count") {
    out.kind = AggregationKind::kCount;
    return out;
  }
  if (lower == "min") {
    out.kind = AggregationKind::kMin;
    return out;
  }
  if (lower == "max") {
    out.kind = AggregationKind::kMax;
    return out;
  }
  if (lower == "median") {
    out.kind = AggregationKind::kQuantile;
    out.quantile = 0.5;
    return out;
  }
  absl::string_view rest = lower;
  double q = 0;
  if (absl::ConsumePrefix(&rest, "quantile(") &&
      absl::ConsumeSuffix(&rest, ")")) {
    if (!absl::SimpleAtod(rest, &q) || !std::isfinite(q)) {
      return absl::InvalidArgumentError(
          absl::StrCat("quantile(q): q must be a number (got \"", rest, "\")"));
    }
  } else if (absl::ConsumePrefix(&rest, "p") && !rest.empty() &&
             absl::ascii_isdigit(rest[0])) {
    // Shift the decimal point two places in the text ("99.9" -> "0.999") so
    // that p99.9 is exactly the double nearest 0.999.
    absl::string_view whole = rest, fraction;
    if (size_t dot = rest.find('.'); dot != absl::string_view::npos) {
      whole = rest.substr(0, dot);
      fraction = rest.substr(dot + 1);
    }
    bool digits = !whole.empty();
    for (char c : whole) digits = digits && absl::ascii_isdigit(c);
    for (char c : fraction) digits = digits && absl::ascii_isdigit(c);
    double percent = 0;
    if (!digits || !absl::SimpleAtod(rest, &percent)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown aggregation \"", text,
                       "\" (pNN wants a percentile, e.g. p99 or p99.9)"));
    }
    while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
    if (whole.size() > 2) return QuantileRangeError(percent / 100.0);
    std::string shifted =
        absl::StrCat("0.", whole.size() == 1 ? "0" : "", whole, fraction);
    if (!absl::SimpleAtod(shifted, &q)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown aggregation \"", text, "\""));
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown aggregation \"", text,
        "\" (want mean, sum, rate, count, min, max, pNN or quantile(q))"));
  }
  if (!(q > 0 && q < 1)) return QuantileRangeError(q);
  out.kind = AggregationKind::kQuantile;
  out.quantile = q;
  return out;
}

std::string AggregationName(const Aggregation& aggregation) {
  switch (aggregation.kind) {
    case AggregationKind::kMean:
      return "mean";
    case AggregationKind::kSum:
      return "sum";
    case AggregationKind::kRate:
      return "rate";
    case AggregationKind::kCount:
      return "count";
    case AggregationKind::kMin:
      return "min";
    case AggregationKind::kMax:
      return "max";
    case AggregationKind::kQuantile: {
      // p50, p99, p99.9 when the quantile has a short exact decimal form
      // (shift its decimal point); else quantile(q).
      const double q = aggregation.quantile;
      std::string text = absl::StrFormat("%.15g", q);
      double back = 0;
      if (q > 0 && q < 1 && absl::SimpleAtod(text, &back) && back == q &&
          absl::StartsWith(text, "0.") && text.find('e') == std::string::npos) {
        std::string digits = text.substr(2);
        if (digits.size() < 2) digits.append(2 - digits.size(), '0');
        std::string whole = digits.substr(0, 2);
        std::string fraction = digits.substr(2);
        if (whole[0] == '0') whole.erase(0, 1);
        if (whole != "0") {
          return fraction.empty() ? absl::StrCat("p", whole)
                                  : absl::StrCat("p", whole, ".", fraction);
        }
      }
      return absl::StrFormat("quantile(%.17g)", q);
    }
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, const Aggregation& aggregation) {
  return os << AggregationName(aggregation);
}

MetricResult MetricResult::NoData(std::string message) {
  MetricResult r;
  r.kind = Kind::kNoData;
  r.message = std::move(message);
  return r;
}

MetricResult MetricResult::FromSamples(std::vector<Sample> samples) {
  MetricResult r;
  r.kind = Kind::kSamples;
  r.samples = std::move(samples);
  return r;
}

MetricResult MetricResult::FromAggregate(double value,
                                         std::optional<int64_t> sample_count) {
  MetricResult r;
  r.kind = Kind::kAggregate;
  r.value = value;
  r.sample_count = sample_count;
  return r;
}

bool operator==(const MetricResult& a, const MetricResult& b) {
  if (a.kind != b.kind || a.message != b.message) return false;
  switch (a.kind) {
    case MetricResult::Kind::kNoData:
      return true;
    case MetricResult::Kind::kSamples:
      return a.samples == b.samples;
    case MetricResult::Kind::kAggregate:
      return (a.value == b.value ||
              (std::isnan(a.value) && std::isnan(b.value))) &&
             a.sample_count == b.sample_count;
  }
  return false;
}

std::ostream& operator<<(std::ostream& os, const MetricResult& result) {
  switch (result.kind) {
    case MetricResult::Kind::kNoData:
      os << "no data";
      if (!result.message.empty()) os << " (" << result.message << ")";
      return os;
    case MetricResult::Kind::kSamples:
      return os << result.samples.size() << " samples";
    case MetricResult::Kind::kAggregate:
      os << "aggregate " << result.value;
      if (result.sample_count.has_value()) {
        os << " (n=" << *result.sample_count << ")";
      }
      return os;
  }
  return os;
}

MetricDistribution MetricDistribution::NoData(std::string message) {
  MetricDistribution d;
  d.kind = Kind::kNoData;
  d.message = std::move(message);
  return d;
}

MetricDistribution MetricDistribution::FromObservations(
    std::vector<double> observations) {
  MetricDistribution d;
  d.kind = Kind::kObservations;
  d.observations = std::move(observations);
  return d;
}

MetricDistribution MetricDistribution::FromHistogram(
    std::vector<HistogramBucket> buckets) {
  MetricDistribution d;
  d.kind = Kind::kHistogram;
  d.buckets = std::move(buckets);
  return d;
}

double MetricDistribution::count() const {
  if (total_count.has_value()) return *total_count;
  switch (kind) {
    case Kind::kNoData:
      return 0;
    case Kind::kObservations:
      return static_cast<double>(observations.size());
    case Kind::kHistogram:
      return buckets.empty() ? 0 : buckets.back().cumulative_count;
  }
  return 0;
}

bool operator==(const MetricDistribution& a, const MetricDistribution& b) {
  return a.kind == b.kind && a.observations == b.observations &&
         a.buckets == b.buckets && a.total_count == b.total_count &&
         a.sum == b.sum && a.message == b.message;
}

std::ostream& operator<<(std::ostream& os, const MetricDistribution& d) {
  switch (d.kind) {
    case MetricDistribution::Kind::kNoData:
      os << "no data";
      if (!d.message.empty()) os << " (" << d.message << ")";
      return os;
    case MetricDistribution::Kind::kObservations:
      os << d.observations.size() << " observations";
      if (d.total_count.has_value()) os << " (of " << *d.total_count << ")";
      return os;
    case MetricDistribution::Kind::kHistogram:
      return os << "histogram of " << d.buckets.size()
                << " buckets (n=" << d.count() << ")";
  }
  return os;
}

absl::Status ValidateHistogram(absl::Span<const HistogramBucket> buckets) {
  if (buckets.empty()) {
    return absl::InvalidArgumentError("buckets: need at least one");
  }
  for (size_t i = 0; i < buckets.size(); ++i) {
    const HistogramBucket& b = buckets[i];
    const internal::FieldPath at =
        internal::FieldPath("buckets").Index(static_cast<int>(i));
    if (std::isnan(b.upper_bound)) {
      return at.Field("upper_bound").Invalid("must be a number (got nan)");
    }
    if (!std::isfinite(b.cumulative_count) || b.cumulative_count < 0) {
      return at.Field("cumulative_count")
          .Invalid(internal::MustBe(internal::kMustBeNonNegativeFinite,
                                    b.cumulative_count));
    }
    if (i == 0) continue;
    const HistogramBucket& prev = buckets[i - 1];
    if (!(b.upper_bound > prev.upper_bound)) {
      return at.Field("upper_bound")
          .Invalid(absl::StrCat("must be > buckets[", i - 1, "]'s (got ",
                                b.upper_bound, " <= ", prev.upper_bound, ")"));
    }
    if (b.cumulative_count < prev.cumulative_count) {
      return at.Field("cumulative_count")
          .Invalid(absl::StrCat("must be >= buckets[", i - 1, "]'s (got ",
                                b.cumulative_count, " < ",
                                prev.cumulative_count, ")"));
    }
  }
  if (buckets.back().upper_bound != std::numeric_limits<double>::infinity()) {
    return absl::InvalidArgumentError(
        absl::StrCat("buckets[", buckets.size() - 1,
                     "].upper_bound: the last bucket must be +inf (got ",
                     buckets.back().upper_bound, ")"));
  }
  return absl::OkStatus();
}

double HistogramQuantile(absl::Span<const HistogramBucket> buckets, double q) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (!ValidateHistogram(buckets).ok() || !(q >= 0 && q <= 1)) return kNaN;
  const double total = buckets.back().cumulative_count;
  if (!(total > 0)) return kNaN;
  const double rank = q * total;
  size_t b = 0;
  while (b + 1 < buckets.size() && buckets[b].cumulative_count < rank) ++b;
  if (b == buckets.size() - 1) {
    // The +inf bucket: the largest finite bound (as Prometheus).
    return buckets.size() >= 2 ? buckets[buckets.size() - 2].upper_bound : kNaN;
  }
  double lower = 0;
  double below = 0;
  if (b > 0) {
    lower = buckets[b - 1].upper_bound;
    below = buckets[b - 1].cumulative_count;
  } else if (buckets[0].upper_bound <= 0) {
    return buckets[0].upper_bound;
  }
  const double upper = buckets[b].upper_bound;
  const double in_bucket = buckets[b].cumulative_count - below;
  if (!(in_bucket > 0)) return upper;
  return lower + (upper - lower) * (rank - below) / in_bucket;
}

absl::StatusOr<MetricDistribution> MetricSource::QueryDistribution(
    const MetricQuery& query) {
  return absl::UnimplementedError(
      absl::StrCat("this MetricSource answers no distribution queries (metric "
                   "\"",
                   query.metric, "\")"));
}

bool IsRetryable(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable ||
         status.code() == absl::StatusCode::kDeadlineExceeded;
}

absl::string_view AlarmStateName(AlarmState state) {
  switch (state) {
    case AlarmState::kOk:
      return "OK";
    case AlarmState::kAlarm:
      return "ALARM";
    case AlarmState::kInsufficientData:
      return "INSUFFICIENT_DATA";
  }
  return "UNKNOWN";
}

std::ostream& operator<<(std::ostream& os, AlarmState state) {
  return os << AlarmStateName(state);
}

}  // namespace sluice

// Copyright 2026 The Sluice Authors.

#include "sluice/stats/kayenta_classifier.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/core/status_macros.h"
#include "lib/stats/rank.h"
#include "lib/stats/shift.h"
#include "sluice/stats/mann_whitney.h"

namespace sluice::stats {

absl::string_view MetricDirectionName(MetricDirection d) {
  switch (d) {
    case MetricDirection::kIncrease:
      return "increase";
    case MetricDirection::kDecrease:
      return "decrease";
    case MetricDirection::kEither:
      return "either";
  }
  return "unknown";
}

absl::string_view NanStrategyName(NanStrategy s) {
  return s == NanStrategy::kRemove ? "remove" : "replace";
}

absl::string_view OutlierStrategyName(OutlierStrategy s) {
  return s == OutlierStrategy::kKeep ? "keep" : "remove";
}

absl::string_view EffectSizeMeasureName(EffectSizeMeasure m) {
  return m == EffectSizeMeasure::kMeanRatio ? "meanRatio" : "cles";
}

absl::string_view MetricLabelName(MetricLabel l) {
  switch (l) {
    case MetricLabel::kPass:
      return "Pass";
    case MetricLabel::kHigh:
      return "High";
    case MetricLabel::kLow:
      return "Low";
    case MetricLabel::kNodata:
      return "Nodata";
    case MetricLabel::kNodataFailMetric:
      return "NodataFailMetric";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, MetricDirection d) {
  return os << MetricDirectionName(d);
}
std::ostream& operator<<(std::ostream& os, NanStrategy s) {
  return os << NanStrategyName(s);
}
std::ostream& operator<<(std::ostream& os, OutlierStrategy s) {
  return os << OutlierStrategyName(s);
}
std::ostream& operator<<(std::ostream& os, EffectSizeMeasure m) {
  return os << EffectSizeMeasureName(m);
}
std::ostream& operator<<(std::ostream& os, MetricLabel l) {
  return os << MetricLabelName(l);
}

namespace {

bool SameDouble(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

double DefaultEffect(EffectSizeMeasure m) {
  return m == EffectSizeMeasure::kCles ? 0.5 : 1.0;
}

}  // namespace

double MetricClassifierConfig::effective_allowed_increase() const {
  return allowed_increase.value_or(DefaultEffect(effect_size_measure));
}
double MetricClassifierConfig::effective_allowed_decrease() const {
  return allowed_decrease.value_or(DefaultEffect(effect_size_measure));
}
double MetricClassifierConfig::effective_critical_increase() const {
  return critical_increase.value_or(DefaultEffect(effect_size_measure));
}
double MetricClassifierConfig::effective_critical_decrease() const {
  return critical_decrease.value_or(DefaultEffect(effect_size_measure));
}

absl::Status MetricClassifierConfig::Validate() const {
  if (!(confidence > 0 && confidence < 1)) {
    return internal::InvalidArgumentAt(
        "confidence", absl::StrCat("must be in (0, 1) (got ", confidence, ")"));
  }
  if (!(tolerance >= 0) || !std::isfinite(tolerance)) {
    return internal::InvalidArgumentAt(
        "tolerance",
        absl::StrCat("must be finite and >= 0 (got ", tolerance, ")"));
  }
  if (!(outlier_factor > 0) || !std::isfinite(outlier_factor)) {
    return internal::InvalidArgumentAt(
        "outlier_factor",
        absl::StrCat("must be finite and > 0 (got ", outlier_factor, ")"));
  }
  const bool cles = effect_size_measure == EffectSizeMeasure::kCles;
  const std::pair<const char*, const std::optional<double>*> thresholds[] = {
      {"allowed_increase", &allowed_increase},
      {"allowed_decrease", &allowed_decrease},
      {"critical_increase", &critical_increase},
      {"critical_decrease", &critical_decrease}};
  for (const auto& [field, value] : thresholds) {
    if (!value->has_value()) continue;
    const double v = **value;
    if (cles ? !(v >= 0 && v <= 1) : !(v >= 0 && std::isfinite(v))) {
      return internal::InvalidArgumentAt(
          field, absl::StrCat(cles ? "must be in [0, 1] for measure cles"
                                   : "must be finite and >= 0",
                              " (got ", v, ")"));
    }
  }
  return absl::OkStatus();
}

bool operator==(const MetricClassifierConfig& a,
                const MetricClassifierConfig& b) {
  return a.direction == b.direction && a.nan_strategy == b.nan_strategy &&
         a.outlier_strategy == b.outlier_strategy &&
         a.outlier_factor == b.outlier_factor && a.critical == b.critical &&
         a.must_have_data == b.must_have_data &&
         a.effect_size_measure == b.effect_size_measure &&
         a.allowed_increase == b.allowed_increase &&
         a.allowed_decrease == b.allowed_decrease &&
         a.critical_increase == b.critical_increase &&
         a.critical_decrease == b.critical_decrease &&
         a.tolerance == b.tolerance && a.confidence == b.confidence;
}

std::ostream& operator<<(std::ostream& os, const MetricClassifierConfig& c) {
  return os << "{direction: " << c.direction
            << ", nan_strategy: " << c.nan_strategy
            << ", outlier_strategy: " << c.outlier_strategy
            << ", outlier_factor: " << c.outlier_factor
            << ", critical: " << (c.critical ? "true" : "false")
            << ", must_have_data: " << (c.must_have_data ? "true" : "false")
            << ", effect_size_measure: " << c.effect_size_measure
            << ", allowed_increase: " << c.effective_allowed_increase()
            << ", allowed_decrease: " << c.effective_allowed_decrease()
            << ", critical_increase: " << c.effective_critical_increase()
            << ", critical_decrease: " << c.effective_critical_decrease()
            << ", tolerance: " << c.tolerance
            << ", confidence: " << c.confidence << "}";
}

bool operator==(const SampleSummary& a, const SampleSummary& b) {
  return a.count == b.count && SameDouble(a.min, b.min) &&
         SameDouble(a.max, b.max) && SameDouble(a.mean, b.mean) &&
         SameDouble(a.stddev, b.stddev);
}

std::ostream& operator<<(std::ostream& os, const SampleSummary& s) {
  return os << absl::StrFormat(
             "{count: %d, min: %.17g, max: %.17g, mean: %.17g, stddev: %.17g}",
             s.count, s.min, s.max, s.mean, s.stddev);
}

bool operator==(const MetricClassification& a, const MetricClassification& b) {
  return a.label == b.label && a.reason == b.reason &&
         a.critical == b.critical && SameDouble(a.deviation, b.deviation) &&
         SameDouble(a.effect_size, b.effect_size) &&
         SameDouble(a.estimate, b.estimate) && SameDouble(a.lower, b.lower) &&
         SameDouble(a.upper, b.upper) && SameDouble(a.p_value, b.p_value) &&
         a.control == b.control && a.experiment == b.experiment;
}

std::ostream& operator<<(std::ostream& os, const MetricClassification& c) {
  return os << "{label: " << c.label << ", reason: \"" << c.reason
            << "\", critical: " << (c.critical ? "true" : "false")
            << absl::StrFormat(
                   ", deviation: %.17g, effect_size: %.17g, estimate: %.17g, "
                   "lower: %.17g, upper: %.17g, p_value: %.17g",
                   c.deviation, c.effect_size, c.estimate, c.lower, c.upper,
                   c.p_value)
            << ", control: " << c.control << ", experiment: " << c.experiment
            << "}";
}

namespace {

// Apache Commons Math's mean: sum / n plus the correction pass.
double Mean(const std::vector<double>& v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (double x : v) sum += x;
  const double n = static_cast<double>(v.size());
  const double xbar = sum / n;
  double correction = 0;
  for (double x : v) correction += x - xbar;
  return xbar + correction / n;
}

// R-7 percentile of ascending `sorted` (Commons Math's EstimationType.R_7),
// p in [0, 100].
double PercentileR7(const std::vector<double>& sorted, double p) {
  const size_t n = sorted.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const double q = p / 100;
  const double pos = q == 1.0 ? static_cast<double>(n) : 1 + (n - 1) * q;
  if (pos < 1) return sorted.front();
  if (pos >= static_cast<double>(n)) return sorted.back();
  const double fpos = std::floor(pos);
  const size_t i = static_cast<size_t>(fpos);
  const double lower = sorted[i - 1];
  const double upper = sorted[i];
  return lower + (pos - fpos) * (upper - lower);
}

// Kayenta's IQRDetector(factor, reduceSensitivity = true) and
// Transforms.removeOutliers.
std::vector<double> RemoveOutliers(const std::vector<double>& values,
                                   double factor) {
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const double p25 = PercentileR7(sorted, 25);
  const double p75 = PercentileR7(sorted, 75);
  const double iqr = p75 - p25;
  const double lower = std::min(PercentileR7(sorted, 1), p25 - factor * iqr);
  const double upper = std::max(PercentileR7(sorted, 99), p75 + factor * iqr);
  std::vector<double> kept;
  kept.reserve(values.size());
  for (double v : values) {
    if (!(v > upper || v < lower)) kept.push_back(v);
  }
  return kept;
}

std::vector<double> Transform(absl::Span<const double> raw,
                              const MetricClassifierConfig& config) {
  std::vector<double> values;
  values.reserve(raw.size());
  for (double v : raw) {
    if (std::isfinite(v)) {
      values.push_back(v);
    } else if (config.nan_strategy == NanStrategy::kReplace) {
      values.push_back(0.0);
    }
  }
  if (config.outlier_strategy == OutlierStrategy::kRemove) {
    values = RemoveOutliers(values, config.outlier_factor);
  }
  return values;
}

SampleSummary Summarize(const std::vector<double>& v) {
  SampleSummary s;
  s.count = static_cast<int64_t>(v.size());
  if (v.empty()) return s;
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  s.mean = Mean(v);
  if (v.size() > 1) {
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.stddev = std::sqrt(ss / static_cast<double>(v.size() - 1));
  }
  return s;
}

double MeanRatio(const std::vector<double>& control,
                 const std::vector<double>& experiment) {
  const double c = Mean(control);
  const double e = Mean(experiment);
  if (c == 0.0 || e == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return e / c;
}

}  // namespace

absl::StatusOr<MetricClassification> ClassifyMetric(
    const MetricClassifierConfig& config, absl::string_view name,
    absl::Span<const double> control_raw,
    absl::Span<const double> experiment_raw) {
  SLUICE_RETURN_IF_ERROR(config.Validate());
  const std::vector<double> control = Transform(control_raw, config);
  const std::vector<double> experiment = Transform(experiment_raw, config);

  MetricClassification out;
  out.control = Summarize(control);
  out.experiment = Summarize(experiment);

  // No data.
  if (control.empty() || experiment.empty()) {
    if (config.nan_strategy == NanStrategy::kRemove) {
      out.reason = absl::StrCat("Missing data for ", name);
      if (config.must_have_data && !config.critical) {
        out.label = MetricLabel::kNodataFailMetric;
        out.critical = false;
      } else {
        out.label = MetricLabel::kNodata;
        out.critical = config.critical;
      }
    } else {
      out.label = MetricLabel::kPass;
    }
    return out;
  }

  std::vector<double> sc = control;
  std::vector<double> se = experiment;
  internal::SortForRanking(&sc);
  internal::SortForRanking(&se);
  out.p_value = 1;
  // Identical samples, or one distinct value in both together.
  if (sc == se) {
    out.label = MetricLabel::kPass;
    out.reason = "The Canary and Baseline data are identical";
    return out;
  }
  if (sc.front() == sc.back() && se.front() == se.back() &&
      sc.front() == se.front()) {
    out.label = MetricLabel::kPass;
    return out;
  }

  // The Hodges-Lehmann interval of experiment - control, Kayenta's way.
  // Kayenta adds Gaussian noise when both samples are constant; Sluice is
  // deterministic and uses the exact point interval there instead.
  if (sc.front() == sc.back() && se.front() == se.back()) {
    out.estimate = out.lower = out.upper = se.front() - sc.front();
  } else {
    internal::InversionOptions inversion;
    inversion.confidence = config.confidence;
    inversion.alternative = Alternative::kTwoSided;
    inversion.continuity_correction = true;
    inversion.correct_estimate = true;  // Kayenta's estimate keeps it
    inversion.tolerance = 1e-4;
    const internal::InvertedShift shift =
        internal::InvertRankSum(se, sc, inversion);
    out.estimate = shift.estimate;
    out.lower = shift.lower;
    out.upper = shift.upper;
  }
  if (absl::StatusOr<MannWhitneyResult> test = MannWhitneyU(se, sc);
      test.ok()) {
    out.p_value = test->p_value;
  }
  out.deviation = MeanRatio(control, experiment);
  if (config.effect_size_measure == EffectSizeMeasure::kCles) {
    const internal::RankSummary ranks = internal::MergeRank(se, sc);
    out.effect_size = ranks.u_x / (static_cast<double>(se.size()) *
                                   static_cast<double>(sc.size()));
  } else {
    out.effect_size = out.deviation;
  }

  const double critical_value = config.tolerance * std::fabs(out.estimate);
  const bool effect_unknown = std::isnan(out.effect_size);
  const bool high = config.direction != MetricDirection::kDecrease &&
                    out.lower > critical_value &&
                    (effect_unknown ||
                     out.effect_size >= config.effective_allowed_increase());
  const bool low = config.direction != MetricDirection::kIncrease &&
                   out.upper < -critical_value &&
                   (effect_unknown ||
                    out.effect_size <= config.effective_allowed_decrease());
  if (high) {
    out.label = MetricLabel::kHigh;
    out.reason = absl::StrCat(name, " was classified as High");
  } else if (low) {
    out.label = MetricLabel::kLow;
    out.reason = absl::StrCat(name, " was classified as Low");
  } else {
    out.label = MetricLabel::kPass;
  }

  if (config.critical && high &&
      (effect_unknown ||
       out.effect_size >= config.effective_critical_increase())) {
    out.critical = true;
    out.reason =
        absl::StrCat("The metric ", name, " was classified as High (Critical)");
  } else if (config.critical && low &&
             (effect_unknown ||
              out.effect_size <= config.effective_critical_decrease())) {
    out.critical = true;
    out.reason =
        absl::StrCat("The metric ", name, " was classified as Low (Critical)");
  }
  return out;
}

}  // namespace sluice::stats

// Copyright 2026 The Sluice Authors.
//
// Kayenta-compatible classification of one canary metric: the rules of
// Spinnaker Kayenta's NetflixACAJudge and its MannWhitneyClassifier, applied
// to the baseline (control) and canary (experiment) samples of one metric,
// giving Pass, High, Low, Nodata or NodataFailMetric.
//
// The rules, in order (docs/statistics.md has the full account and where
// Sluice differs):
//  1. Missing values: NaN (and, in Sluice, +-inf) are removed
//     (NanStrategy::kRemove, the default) or replaced by 0 (kReplace, for
//     counts where no data means no events).
//  2. Outliers, only with OutlierStrategy::kRemove: values outside
//     [min(P1, Q1 - f*IQR), max(P99, Q3 + f*IQR)] (R-7 percentiles, f =
//     outlier_factor, default 3) are dropped from each sample.
//  3. An empty sample: kNodata with kRemove (critical if the metric is);
//     kNodataFailMetric if the metric must have data and is not critical;
//     kPass with kReplace.
//  4. Identical samples (as multisets), or a single distinct value overall:
//     kPass.
//  5. The Hodges-Lehmann interval of canary - baseline at `confidence`
//     (default 0.98) by inversion of the Mann-Whitney test. kHigh when the
//     direction allows an increase, the interval's lower end exceeds
//     tolerance * |estimate| (default tolerance 0.25) and the effect size
//     reaches allowed_increase; kLow mirrors it. Otherwise kPass.
//  6. A critical metric is a critical failure when it is kHigh with effect
//     size >= critical_increase (or kLow with <= critical_decrease); a
//     NaN effect size (a zero mean) skips the effect-size checks.
//
// Example:
//
//   #include "sluice/stats/kayenta_classifier.h"
//
//   sluice::stats::MetricClassifierConfig config;
//   config.direction = sluice::stats::MetricDirection::kIncrease;
//   absl::StatusOr<sluice::stats::MetricClassification> c =
//       sluice::stats::ClassifyMetric(config, "latency", baseline, canary);
//   if (!c.ok()) return c.status();
//   if (c->label == sluice::stats::MetricLabel::kHigh) { /* regression */ }

#ifndef SLUICE_STATS_KAYENTA_CLASSIFIER_H_
#define SLUICE_STATS_KAYENTA_CLASSIFIER_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace sluice::stats {

// Which change of the canary is a failure (Kayenta's `direction`).
enum class MetricDirection {
  kIncrease,  // only a higher canary fails ("increase")
  kDecrease,  // only a lower canary fails ("decrease")
  kEither,    // both fail ("either", Kayenta's default)
};

// What to do with NaN values (Kayenta's `nanStrategy`). Sluice treats +-inf
// the same way.
enum class NanStrategy {
  kRemove,   // drop them ("remove", the default)
  kReplace,  // replace them by 0 ("replace")
};

// Whether to drop outliers before the comparison (Kayenta's
// `outliers.strategy`).
enum class OutlierStrategy {
  kKeep,    // "keep", the default
  kRemove,  // "remove"
};

// How the effect size that allowed_* and critical_* thresholds compare with
// is measured (Kayenta's `effectSize.measure`).
enum class EffectSizeMeasure {
  // mean(canary) / mean(baseline); NaN when either mean is 0 ("meanRatio",
  // the default).
  kMeanRatio,
  // The common-language effect size: P(canary > baseline) + P(=) / 2
  // ("cles").
  kCles,
};

// The classification of one metric.
enum class MetricLabel {
  kPass,
  kHigh,
  kLow,
  kNodata,
  kNodataFailMetric,
};

absl::string_view MetricDirectionName(MetricDirection d);  // "increase", ...
absl::string_view NanStrategyName(NanStrategy s);          // "remove", ...
absl::string_view OutlierStrategyName(OutlierStrategy s);  // "keep", ...
absl::string_view EffectSizeMeasureName(EffectSizeMeasure m);  // "meanRatio"
absl::string_view MetricLabelName(MetricLabel l);  // "Pass", "High", ...
std::ostream& operator<<(std::ostream& os, MetricDirection d);
std::ostream& operator<<(std::ostream& os, NanStrategy s);
std::ostream& operator<<(std::ostream& os, OutlierStrategy s);
std::ostream& operator<<(std::ostream& os, EffectSizeMeasure m);
std::ostream& operator<<(std::ostream& os, MetricLabel l);

// How one metric is classified. A value type; Kayenta's per-metric
// `analysisConfigurations.canary` settings plus the classifier's tolerance
// and confidence, which Kayenta fixes at 0.25 and 0.98.
struct MetricClassifierConfig {
  // Default: kEither.
  MetricDirection direction = MetricDirection::kEither;
  // Default: kRemove.
  NanStrategy nan_strategy = NanStrategy::kRemove;
  // Default: kKeep.
  OutlierStrategy outlier_strategy = OutlierStrategy::kKeep;
  // The IQR multiple of the outlier fences, > 0. Default: 3.0.
  double outlier_factor = 3.0;
  // A failing critical metric fails the whole canary. Default: false.
  bool critical = false;
  // A metric without data fails (kNodataFailMetric) instead of being
  // ignored (kNodata). Default: false.
  bool must_have_data = false;
  // Default: kMeanRatio.
  EffectSizeMeasure effect_size_measure = EffectSizeMeasure::kMeanRatio;
  // A higher canary is kHigh only if its effect size is >= this. Default:
  // unset, meaning 1.0 for kMeanRatio and 0.5 for kCles (Kayenta's).
  std::optional<double> allowed_increase;
  // A lower canary is kLow only if its effect size is <= this. Default: as
  // allowed_increase.
  std::optional<double> allowed_decrease;
  // A critical kHigh metric fails the canary only if its effect size is >=
  // this. Default: as allowed_increase.
  std::optional<double> critical_increase;
  // A critical kLow metric fails the canary only if its effect size is <=
  // this. Default: as allowed_increase.
  std::optional<double> critical_decrease;
  // The band around zero, as a fraction of |estimate|, that the interval must
  // clear, >= 0. Default: 0.25 (Kayenta's judge).
  double tolerance = 0.25;
  // The confidence level of the interval, in (0, 1). Default: 0.98
  // (Kayenta's judge).
  double confidence = 0.98;

  // The effect-size thresholds with Kayenta's defaults filled in.
  double effective_allowed_increase() const;
  double effective_allowed_decrease() const;
  double effective_critical_increase() const;
  double effective_critical_decrease() const;

  // OK, or kInvalidArgument naming the field, e.g.
  // "confidence: must be in (0, 1) (got 1.5)".
  absl::Status Validate() const;

  friend bool operator==(const MetricClassifierConfig& a,
                         const MetricClassifierConfig& b);
  friend bool operator!=(const MetricClassifierConfig& a,
                         const MetricClassifierConfig& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const MetricClassifierConfig& c);

// Descriptive statistics of a sample after NaN and outlier handling
// (Kayenta's result metadata). min, max and mean are 0 for an empty sample,
// as in Kayenta.
struct SampleSummary {
  int64_t count = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  // The sample standard deviation (n - 1); 0 for fewer than 2 values.
  double stddev = 0;

  friend bool operator==(const SampleSummary& a, const SampleSummary& b);
  friend bool operator!=(const SampleSummary& a, const SampleSummary& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const SampleSummary& s);

// The classification of one metric. A value type.
struct MetricClassification {
  MetricLabel label = MetricLabel::kPass;
  // Why, in Kayenta's words, e.g. "latency was classified as High"; empty
  // for a plain pass.
  std::string reason;
  // Whether this result fails the whole canary (a critical metric that is
  // kHigh/kLow past its critical threshold, or kNodata).
  bool critical = false;
  // mean(canary) / mean(baseline), Kayenta's "ratio" (1.0 when the samples
  // pass without a comparison; NaN when a mean is 0).
  double deviation = 1.0;
  // The effect size in the configured measure; NaN when not compared.
  double effect_size = std::numeric_limits<double>::quiet_NaN();
  // The Hodges-Lehmann estimate and interval of canary - baseline; NaN when
  // not compared.
  double estimate = std::numeric_limits<double>::quiet_NaN();
  double lower = std::numeric_limits<double>::quiet_NaN();
  double upper = std::numeric_limits<double>::quiet_NaN();
  // The two-sided Mann-Whitney p-value of canary vs baseline (after NaN and
  // outlier handling); 1 when the samples pass without a comparison, NaN
  // when a sample is empty.
  double p_value = std::numeric_limits<double>::quiet_NaN();
  SampleSummary control;
  SampleSummary experiment;

  friend bool operator==(const MetricClassification& a,
                         const MetricClassification& b);
  friend bool operator!=(const MetricClassification& a,
                         const MetricClassification& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const MetricClassification& c);

// Classifies one metric, named `name` in reasons, from its baseline
// (`control`) and canary (`experiment`) samples. The samples may hold NaN
// and +-inf (handled per the NaN strategy) and may be empty.
// Errors: kInvalidArgument from config.Validate().
// Thread-safe (a pure function).
absl::StatusOr<MetricClassification> ClassifyMetric(
    const MetricClassifierConfig& config, absl::string_view name,
    absl::Span<const double> control, absl::Span<const double> experiment);

}  // namespace sluice::stats

#endif  // SLUICE_STATS_KAYENTA_CLASSIFIER_H_

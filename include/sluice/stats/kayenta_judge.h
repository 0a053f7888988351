// Copyright 2026 The Sluice Authors.
//
// A Kayenta-compatible canary judge: classifies every metric of a canary
// (sluice/stats/kayenta_classifier.h), scores the metric groups, combines them
// into a weighted score from 0 to 100 and compares it with the marginal and
// pass thresholds, as Spinnaker Kayenta's NetflixACAJudge does.
//
// Scoring rules (Kayenta's WeightedSumScorer and ThresholdScoreClassifier):
//  - A group's score is 100 * Pass / (Pass + High + Low + NodataFailMetric)
//    over its non-muted metrics; Nodata metrics do not count; a group with
//    nothing to count has no data and scores 100 in the summary.
//  - The summary is the sum of group score * weight / 100, rounded half-up to
//    two decimals. Groups without a weight share what the weighted ones leave
//    of 100 equally.
//  - Any critical metric that is not Pass (High, Low or Nodata of a critical
//    metric) makes the score 0; so do Nodata results for 50% or more of the
//    metrics.
//  - Pass when score >= pass threshold, Marginal when >= marginal threshold,
//    Fail otherwise.
// Sluice differs deliberately in: a critical failure or too much Nodata is
// always Fail (Kayenta compares their score of 0 with the thresholds, so a
// marginal threshold of 0 would make it Marginal); configurations are
// validated (weights sum to 100, every group has a metric, marginal <= pass).
//
// Example:
//
//   #include "sluice/stats/kayenta_judge.h"
//
//   sluice::stats::KayentaJudgeConfig config;
//   config.groups = {{"latency", 60.0}, {"errors", 40.0}};
//   sluice::stats::JudgedMetricConfig latency;
//   latency.name = "p50_latency";
//   latency.groups = {"latency"};
//   latency.classifier.direction = sluice::stats::MetricDirection::kIncrease;
//   sluice::stats::JudgedMetricConfig errors;
//   errors.name = "error_rate";
//   errors.groups = {"errors"};
//   errors.classifier.critical = true;
//   config.metrics = {latency, errors};
//   config.thresholds = {/*pass=*/95, /*marginal=*/75};
//
//   std::vector<sluice::stats::MetricSamples> samples = {
//       {"p50_latency", baseline_latency, canary_latency},
//       {"error_rate", baseline_errors, canary_errors}};
//   absl::StatusOr<sluice::stats::JudgeResult> result =
//       sluice::stats::JudgeCanary(config, samples);
//   if (!result.ok()) return result.status();
//   if (result->label == sluice::stats::ScoreLabel::kFail) { /* roll back */ }

#ifndef SLUICE_STATS_KAYENTA_JUDGE_H_
#define SLUICE_STATS_KAYENTA_JUDGE_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "sluice/stats/kayenta_classifier.h"

namespace sluice::stats {

// A group of metrics and its weight in the summary score.
struct MetricGroup {
  // Unique, non-empty.
  std::string name;
  // In [0, 100]. Default: unset, meaning an equal share of what the weighted
  // groups leave of 100.
  std::optional<double> weight;

  friend bool operator==(const MetricGroup& a, const MetricGroup& b) {
    return a.name == b.name && a.weight == b.weight;
  }
  friend bool operator!=(const MetricGroup& a, const MetricGroup& b) {
    return !(a == b);
  }
};

// One metric of the judge.
struct JudgedMetricConfig {
  // Unique, non-empty; MetricSamples refer to it.
  std::string name;
  // The groups it scores in: at least one, each a name in
  // KayentaJudgeConfig::groups.
  std::vector<std::string> groups;
  // How it is classified. Default: Kayenta's defaults.
  MetricClassifierConfig classifier;
  // A muted metric is classified and reported but not scored. Default:
  // false.
  bool muted = false;

  friend bool operator==(const JudgedMetricConfig& a,
                         const JudgedMetricConfig& b) {
    return a.name == b.name && a.groups == b.groups &&
           a.classifier == b.classifier && a.muted == b.muted;
  }
  friend bool operator!=(const JudgedMetricConfig& a,
                         const JudgedMetricConfig& b) {
    return !(a == b);
  }
};

// Kayenta's score thresholds (CanaryClassifierThresholdsConfig).
struct ScoreThresholds {
  // Score >= pass is Pass; in [0, 100]. Default: 95.
  double pass = 95;
  // Score >= marginal (and < pass) is Marginal; in [0, pass]. Default: 75.
  double marginal = 75;

  friend bool operator==(const ScoreThresholds& a, const ScoreThresholds& b) {
    return a.pass == b.pass && a.marginal == b.marginal;
  }
  friend bool operator!=(const ScoreThresholds& a, const ScoreThresholds& b) {
    return !(a == b);
  }
};

// The judge's configuration (Kayenta's canary config and thresholds). A value
// type.
struct KayentaJudgeConfig {
  std::vector<MetricGroup> groups;
  std::vector<JudgedMetricConfig> metrics;
  ScoreThresholds thresholds;

  // OK, or kInvalidArgument with the path of the first bad field, e.g.
  // "groups[1].weight: must be in [0, 100] (got 120)",
  // "groups: weights must sum to 100 (got 90)",
  // "metrics[2].groups[0]: unknown group \"latncy\"",
  // "metrics[0].confidence: must be in (0, 1) (got 1.5)",
  // "thresholds.marginal: must be <= thresholds.pass (got 90 > 80)".
  absl::Status Validate() const;

  friend bool operator==(const KayentaJudgeConfig& a,
                         const KayentaJudgeConfig& b) {
    return a.groups == b.groups && a.metrics == b.metrics &&
           a.thresholds == b.thresholds;
  }
  friend bool operator!=(const KayentaJudgeConfig& a,
                         const KayentaJudgeConfig& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const KayentaJudgeConfig& config);

// The samples of one metric: baseline (control) and canary (experiment).
struct MetricSamples {
  std::string name;
  std::vector<double> control;
  std::vector<double> experiment;
};

// The judge's verdict.
enum class ScoreLabel { kPass, kMarginal, kFail };
absl::string_view ScoreLabelName(ScoreLabel label);  // "Pass", ...
std::ostream& operator<<(std::ostream& os, ScoreLabel label);

// The score of one group.
struct GroupScore {
  std::string name;
  // 100 * Pass / counted metrics; 0 when no_data.
  double score = 0;
  // No metric of the group counted (all Nodata or muted).
  bool no_data = false;

  friend bool operator==(const GroupScore& a, const GroupScore& b) {
    return a.name == b.name && a.score == b.score && a.no_data == b.no_data;
  }
  friend bool operator!=(const GroupScore& a, const GroupScore& b) {
    return !(a == b);
  }
};

// One metric's result in the judge.
struct JudgedMetric {
  std::string name;
  MetricClassification classification;
  bool muted = false;

  friend bool operator==(const JudgedMetric& a, const JudgedMetric& b) {
    return a.name == b.name && a.classification == b.classification &&
           a.muted == b.muted;
  }
  friend bool operator!=(const JudgedMetric& a, const JudgedMetric& b) {
    return !(a == b);
  }
};

// The judge's result. A value type.
struct JudgeResult {
  // In [0, 100], two decimals.
  double score = 0;
  ScoreLabel label = ScoreLabel::kFail;
  // Why the score is 0, in Kayenta's words ("Canary Failed: ..."); empty
  // otherwise.
  std::string reason;
  // In the order of KayentaJudgeConfig::groups; groups whose metrics are all
  // muted are absent, as in Kayenta.
  std::vector<GroupScore> groups;
  // In the order of KayentaJudgeConfig::metrics.
  std::vector<JudgedMetric> metrics;

  friend bool operator==(const JudgeResult& a, const JudgeResult& b) {
    return a.score == b.score && a.label == b.label && a.reason == b.reason &&
           a.groups == b.groups && a.metrics == b.metrics;
  }
  friend bool operator!=(const JudgeResult& a, const JudgeResult& b) {
    return !(a == b);
  }
};
std::ostream& operator<<(std::ostream& os, const JudgeResult& result);

// Classifies and scores every metric of `config` with its samples. A metric
// with no entry in `samples` is judged on empty samples (so Nodata or, with
// must_have_data, NodataFailMetric).
// Errors (kInvalidArgument): config.Validate(); a samples entry whose name is
// not a metric ("samples[3].name: no metric \"x\" in the config") or repeats
// one ("samples[4].name: duplicate metric \"x\"").
// Thread-safe (a pure function).
absl::StatusOr<JudgeResult> JudgeCanary(
    const KayentaJudgeConfig& config, absl::Span<const MetricSamples> samples);

// Kayenta's scoring of already classified metrics (exposed for hosts that
// classify metrics themselves, and for tests): group scores, summary score
// and label. `metrics` must follow config.metrics in order and size.
// Errors: config.Validate(); kInvalidArgument when sizes or names differ.
absl::StatusOr<JudgeResult> ScoreMetrics(const KayentaJudgeConfig& config,
                                         std::vector<JudgedMetric> metrics);

}  // namespace sluice::stats

#endif  // SLUICE_STATS_KAYENTA_JUDGE_H_

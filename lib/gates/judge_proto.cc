// Copyright 2026 The Sluice Authors.
//
// The Kayenta judge's config and result in their proto forms
// (sluice/judge_proto.h): sluice.v1.KayentaJudgeSpec ->
// stats::KayentaJudgeConfig, and stats::JudgeResult -> sluice.v1.JudgeResult.

#include "sluice/judge_proto.h"

#include <cmath>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"

namespace sluice {

absl::StatusOr<stats::MetricDirection> DirectionFromProto(
    v1::MetricDirection direction, stats::MetricDirection unspecified) {
  switch (direction) {
    case v1::DIRECTION_UNSPECIFIED:
      return unspecified;
    case v1::DIRECTION_INCREASE:
      return stats::MetricDirection::kIncrease;
    case v1::DIRECTION_DECREASE:
      return stats::MetricDirection::kDecrease;
    case v1::DIRECTION_EITHER:
      return stats::MetricDirection::kEither;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unknown value ", static_cast<int>(direction)));
  }
}

absl::StatusOr<stats::KayentaJudgeConfig> JudgeConfigFromProto(
    const v1::KayentaJudgeSpec& spec) {
  stats::KayentaJudgeConfig config;
  for (const v1::JudgeGroupSpec& g : spec.groups()) {
    stats::MetricGroup group;
    group.name = g.name();
    if (g.has_weight()) group.weight = g.weight();
    config.groups.push_back(std::move(group));
  }
  for (int i = 0; i < spec.metrics_size(); ++i) {
    const v1::JudgeMetricSpec& m = spec.metrics(i);
    const internal::FieldPath path = internal::FieldPath("metrics").Index(i);
    stats::JudgedMetricConfig metric;
    metric.name = m.name();
    metric.groups.assign(m.groups().begin(), m.groups().end());
    metric.muted = m.muted();
    stats::MetricClassifierConfig& c = metric.classifier;
    absl::StatusOr<stats::MetricDirection> direction =
        DirectionFromProto(m.direction(), stats::MetricDirection::kEither);
    if (!direction.ok()) {
      return path.Field("direction").Invalid(direction.status().message());
    }
    c.direction = *direction;
    c.critical = m.critical();
    c.must_have_data = m.must_have_data();
    switch (m.nan_strategy()) {
      case v1::JudgeMetricSpec::NAN_STRATEGY_UNSPECIFIED:
      case v1::JudgeMetricSpec::NAN_STRATEGY_REMOVE:
        c.nan_strategy = stats::NanStrategy::kRemove;
        break;
      case v1::JudgeMetricSpec::NAN_STRATEGY_REPLACE:
        c.nan_strategy = stats::NanStrategy::kReplace;
        break;
      default:
        return path.Field("nan_strategy")
            .Invalid(absl::StrCat("unknown value ", m.nan_strategy()));
    }
    switch (m.effect_size()) {
      case v1::JudgeMetricSpec::EFFECT_SIZE_UNSPECIFIED:
      case v1::JudgeMetricSpec::EFFECT_SIZE_MEAN_RATIO:
        c.effect_size_measure = stats::EffectSizeMeasure::kMeanRatio;
        break;
      case v1::JudgeMetricSpec::EFFECT_SIZE_CLES:
        c.effect_size_measure = stats::EffectSizeMeasure::kCles;
        break;
      default:
        return path.Field("effect_size")
            .Invalid(absl::StrCat("unknown value ", m.effect_size()));
    }
    if (m.has_allowed_increase()) c.allowed_increase = m.allowed_increase();
    if (m.has_allowed_decrease()) c.allowed_decrease = m.allowed_decrease();
    if (m.has_critical_increase()) c.critical_increase = m.critical_increase();
    if (m.has_critical_decrease()) c.critical_decrease = m.critical_decrease();
    c.outlier_strategy = m.remove_outliers() ? stats::OutlierStrategy::kRemove
                                             : stats::OutlierStrategy::kKeep;
    if (m.has_outlier_factor()) c.outlier_factor = m.outlier_factor();
    if (m.has_confidence()) c.confidence = m.confidence();
    if (m.has_tolerance()) c.tolerance = m.tolerance();
    config.metrics.push_back(std::move(metric));
  }
  if (spec.has_thresholds()) {
    if (spec.thresholds().has_pass()) {
      config.thresholds.pass = spec.thresholds().pass();
    }
    if (spec.thresholds().has_marginal()) {
      config.thresholds.marginal = spec.thresholds().marginal();
    }
  }
  SLUICE_RETURN_IF_ERROR(config.Validate());
  return config;
}

v1::JudgeResult JudgeResultToProto(const stats::KayentaJudgeConfig& config,
                                   const stats::JudgeResult& result) {
  v1::JudgeResult out;
  out.set_score(result.score);
  out.set_verdict(std::string(stats::ScoreLabelName(result.label)));
  out.set_reason(result.reason);
  out.set_pass_threshold(config.thresholds.pass);
  out.set_marginal_threshold(config.thresholds.marginal);
  for (const stats::GroupScore& g : result.groups) {
    v1::GroupScoreResult* group = out.add_groups();
    group->set_name(g.name);
    group->set_score(g.score);
    group->set_no_data(g.no_data);
  }
  for (const stats::JudgedMetric& m : result.metrics) {
    const stats::MetricClassification& c = m.classification;
    v1::JudgedMetricResult* metric = out.add_metrics();
    metric->set_name(m.name);
    metric->set_classification(std::string(stats::MetricLabelName(c.label)));
    metric->set_reason(c.reason);
    metric->set_critical(c.critical);
    metric->set_muted(m.muted);
    if (std::isfinite(c.p_value)) metric->set_p_value(c.p_value);
    if (std::isfinite(c.estimate)) metric->set_estimate(c.estimate);
    if (std::isfinite(c.lower)) metric->set_lower(c.lower);
    if (std::isfinite(c.upper)) metric->set_upper(c.upper);
    if (std::isfinite(c.deviation)) metric->set_ratio(c.deviation);
    if (std::isfinite(c.effect_size)) metric->set_effect_size(c.effect_size);
    metric->set_n_control(c.control.count);
    metric->set_n_experiment(c.experiment.count);
    metric->set_mean_control(c.control.mean);
    metric->set_mean_experiment(c.experiment.mean);
  }
  return out;
}

}  // namespace sluice

// Copyright 2026 The Sluice Authors.
//
// Percent progressions: linear, canary (CodeDeploy, AppConfig), exponential
// (AppConfig), explicit steps (Argo Rollouts, Flagger stepWeights) and
// Flagger's stepWeight/maxWeight. Each is a list of cumulative percents with a
// bake after each, planned as traffic waves or as target waves.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/core/field_path.h"
#include "lib/core/status_macros.h"
#include "lib/waves/builtin_schedulers.h"
#include "sluice/wave_scheduler.h"

namespace sluice {
namespace {

using internal::BuiltinScheduler;

// One step of a progression.
struct Step {
  double percent;
  absl::Duration bake;
  std::string stage;
  std::string name;
};

std::string Pct(double p) { return absl::StrFormat("%g%%", p); }

// Turns steps (percents increasing, the last 100) into waves.
WavePlan PlanSteps(absl::Span<const Fleet::TargetIndex> targets,
                   const std::vector<Step>& steps, bool traffic_routed,
                   PercentRounding rounding) {
  WavePlan plan;
  if (traffic_routed) {
    for (const Step& step : steps) {
      Wave wave;
      wave.name = step.name;
      wave.stage = step.stage;
      wave.traffic_percent = step.percent;
      wave.bake = step.bake;
      plan.waves.push_back(std::move(wave));
    }
    return plan;
  }
  const int64_t n = static_cast<int64_t>(targets.size());
  int64_t done = 0;
  // The bakes of leading steps that add no target: no wave before them, so
  // they join the first wave's bake.
  absl::Duration carried = absl::ZeroDuration();
  for (const Step& step : steps) {
    const int64_t count = std::max(
        done, rounding == PercentRounding::kDefault
                  ? internal::ArgoWeightToCount(n, step.percent)
                  : internal::RoundPercentOf(n, step.percent, rounding));
    if (count == done) {
      // No new target at this step: its bake joins the wave before it (or,
      // before the first wave, the first wave), so the timeline keeps its
      // length.
      if (!plan.waves.empty()) {
        plan.waves.back().bake += step.bake;
      } else {
        carried += step.bake;
      }
      continue;
    }
    Wave wave;
    wave.name = step.name;
    wave.stage = step.stage;
    wave.targets.assign(targets.begin() + done, targets.begin() + count);
    wave.bake = step.bake + carried;
    carried = absl::ZeroDuration();
    plan.waves.push_back(std::move(wave));
    done = count;
  }
  return plan;
}

// A scheduler defined by its list of steps.
class ProgressionScheduler : public BuiltinScheduler {
 public:
  ProgressionScheduler(std::string label, std::vector<Step> steps,
                       bool traffic_routed, PercentRounding rounding)
      : label_(std::move(label)),
        steps_(std::move(steps)),
        traffic_routed_(traffic_routed),
        rounding_(rounding) {}
  std::string name() const override {
    if (rounding_ == PercentRounding::kDefault) return label_;
    // "linear(10% every 1m)" -> "linear(10% every 1m, rounding down)".
    return absl::StrCat(label_.substr(0, label_.size() - 1),
                        internal::RoundingLabel(rounding_), ")");
  }

 protected:
  absl::StatusOr<WavePlan> PlanTargets(
      const Fleet& fleet,
      absl::Span<const Fleet::TargetIndex> targets) const override {
    return PlanSteps(targets, steps_, traffic_routed_, rounding_);
  }

 private:
  std::string label_;
  std::vector<Step> steps_;
  bool traffic_routed_;
  PercentRounding rounding_;
};

// The number of steps of `step` percent each to reach 100: ceil(100 / step),
// robust to noise (100 / 33.333333333333336 is 3).
int64_t LinearStepCount(double step) {
  const double x = 100.0 / step;
  const double r = std::round(x);
  if (std::fabs(x - r) <= 1e-9 * x) return static_cast<int64_t>(r);
  return static_cast<int64_t>(std::ceil(x));
}

absl::Status TooManySteps(absl::string_view path, int64_t steps) {
  return internal::InvalidArgumentAt(
      path,
      absl::StrCat("gives ", steps, " steps, more than ", internal::kMaxSteps));
}

}  // namespace

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewLinearScheduler(
    const LinearOptions& options) {
  SLUICE_RETURN_IF_ERROR(internal::CheckRounding(
      options.rounding, "linear.rounding", options.traffic_routed));
  SLUICE_RETURN_IF_ERROR(
      internal::CheckPercent(options.step_percent, "linear.step_percent"));
  SLUICE_RETURN_IF_ERROR(
      internal::CheckBake(options.interval, "linear.interval"));
  if (options.deployment_duration.has_value()) {
    SLUICE_RETURN_IF_ERROR(internal::CheckBake(*options.deployment_duration,
                                               "linear.deployment_duration"));
  }
  SLUICE_RETURN_IF_ERROR(
      internal::CheckBake(options.final_bake, "linear.final_bake"));
  const int64_t count = LinearStepCount(options.step_percent);
  if (count > internal::kMaxSteps) {
    return TooManySteps("linear.step_percent", count);
  }
  // AppConfig spreads the steps over the deployment time and bakes every
  // step, the last included; CodeDeploy waits `interval` between steps.
  const bool appconfig = options.deployment_duration.has_value();
  const absl::Duration interval =
      appconfig ? *options.deployment_duration / count : options.interval;
  std::vector<Step> steps;
  steps.reserve(count);
  for (int64_t k = 1; k <= count; ++k) {
    const double p =
        k == count ? 100.0 : std::min(100.0, k * options.step_percent);
    const bool last = k == count;
    absl::Duration bake = last ? options.final_bake : interval;
    if (last && appconfig) bake += interval;
    steps.push_back(
        {p, bake, "step", absl::StrCat("step ", k, "/", count, ": ", Pct(p))});
  }
  std::string label =
      absl::StrCat("linear(", Pct(options.step_percent), " every ",
                   absl::FormatDuration(interval), ")");
  return std::make_unique<ProgressionScheduler>(
      std::move(label), std::move(steps), options.traffic_routed,
      options.rounding);
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewCanaryScheduler(
    const CanaryOptions& options) {
  SLUICE_RETURN_IF_ERROR(internal::CheckRounding(
      options.rounding, "canary.rounding", options.traffic_routed));
  SLUICE_RETURN_IF_ERROR(
      internal::CheckPercent(options.percent, "canary.percent"));
  SLUICE_RETURN_IF_ERROR(
      internal::CheckBake(options.interval, "canary.interval"));
  SLUICE_RETURN_IF_ERROR(
      internal::CheckBake(options.final_bake, "canary.final_bake"));
  std::vector<Step> steps;
  if (options.percent < 100) {
    steps.push_back({options.percent, options.interval, "canary",
                     absl::StrCat("canary ", Pct(options.percent))});
  }
  steps.push_back({100.0, options.final_bake, "rest", "rest 100%"});
  std::string label =
      absl::StrCat("canary(", Pct(options.percent), ", then the rest after ",
                   absl::FormatDuration(options.interval), ")");
  return std::make_unique<ProgressionScheduler>(
      std::move(label), std::move(steps), options.traffic_routed,
      options.rounding);
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewExponentialScheduler(
    const ExponentialOptions& options) {
  SLUICE_RETURN_IF_ERROR(internal::CheckRounding(
      options.rounding, "exponential.rounding", options.traffic_routed));
  SLUICE_RETURN_IF_ERROR(internal::CheckPercent(options.growth_factor,
                                                "exponential.growth_factor"));
  if (!(options.multiplier > 1) || !std::isfinite(options.multiplier)) {
    return internal::InvalidArgumentAt(
        "exponential.multiplier",
        absl::StrCat("must be finite and > 1 (got ", options.multiplier, ")"));
  }
  SLUICE_RETURN_IF_ERROR(internal::CheckBake(
      options.deployment_duration, "exponential.deployment_duration"));
  SLUICE_RETURN_IF_ERROR(
      internal::CheckBake(options.final_bake, "exponential.final_bake"));
  std::vector<double> percents;
  for (double p = options.growth_factor;; p *= options.multiplier) {
    // Snap noise so that 12.5 * 2^3 is 100, not 100.00000000000001.
    if (p >= 100 - 1e-9) {
      percents.push_back(100);
      break;
    }
    percents.push_back(p);
    if (static_cast<int64_t>(percents.size()) > internal::kMaxSteps) {
      return TooManySteps("exponential.multiplier",
                          static_cast<int64_t>(percents.size()));
    }
  }
  const int64_t count = static_cast<int64_t>(percents.size());
  const absl::Duration interval = options.deployment_duration / count;
  std::vector<Step> steps;
  steps.reserve(count);
  for (int64_t k = 0; k < count; ++k) {
    absl::Duration bake = interval;
    if (k + 1 == count) bake += options.final_bake;
    steps.push_back(
        {percents[k], bake, "step",
         absl::StrCat("step ", k + 1, "/", count, ": ", Pct(percents[k]))});
  }
  std::string label = absl::StrCat(
      "exponential(", Pct(options.growth_factor), " x ", options.multiplier,
      "^N over ", absl::FormatDuration(options.deployment_duration), ")");
  return std::make_unique<ProgressionScheduler>(
      std::move(label), std::move(steps), options.traffic_routed,
      options.rounding);
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewStepsScheduler(
    const StepsOptions& options) {
  SLUICE_RETURN_IF_ERROR(internal::CheckRounding(
      options.rounding, "steps.rounding", options.traffic_routed));
  if (options.steps.empty()) {
    return internal::InvalidArgumentAt("steps.steps",
                                       internal::kMustNotBeEmpty);
  }
  if (static_cast<int64_t>(options.steps.size()) > internal::kMaxSteps) {
    return TooManySteps("steps.steps",
                        static_cast<int64_t>(options.steps.size()));
  }
  const size_t count = options.steps.size();
  std::vector<Step> steps;
  for (size_t i = 0; i < count; ++i) {
    const WeightStep& s = options.steps[i];
    const internal::FieldPath path =
        internal::FieldPath("steps").Field("steps").Index(static_cast<int>(i));
    SLUICE_RETURN_IF_ERROR(
        internal::CheckPercent(s.percent, path.Field("percent").str()));
    SLUICE_RETURN_IF_ERROR(
        internal::CheckBake(s.bake, path.Field("bake").str()));
    if (i > 0 && !(s.percent > options.steps[i - 1].percent)) {
      return path.Field("percent").Invalid(
          absl::StrCat("must be greater than the step before (got ", s.percent,
                       " after ", options.steps[i - 1].percent, ")"));
    }
    steps.push_back(
        {s.percent, s.bake, "step",
         absl::StrCat("step ", i + 1, "/", count, ": ", Pct(s.percent))});
  }
  SLUICE_RETURN_IF_ERROR(
      internal::CheckBake(options.final_bake, "steps.final_bake"));
  if (steps.back().percent < 100) {
    steps.push_back({100.0, options.final_bake, "promotion", "promotion 100%"});
  } else {
    steps.back().bake += options.final_bake;
  }
  std::string label = "steps(";
  for (size_t i = 0; i < count; ++i) {
    absl::StrAppend(&label, i == 0 ? "" : ", ", Pct(options.steps[i].percent));
  }
  absl::StrAppend(&label, ")");
  return std::make_unique<ProgressionScheduler>(
      std::move(label), std::move(steps), options.traffic_routed,
      options.rounding);
}

absl::StatusOr<std::unique_ptr<WaveScheduler>> NewFlaggerScheduler(
    const FlaggerOptions& options) {
  SLUICE_RETURN_IF_ERROR(internal::CheckRounding(
      options.rounding, "flagger.rounding", options.traffic_routed));
  SLUICE_RETURN_IF_ERROR(
      internal::CheckPercent(options.step_weight, "flagger.step_weight"));
  if (!(options.max_weight >= options.step_weight &&
        options.max_weight <= 100)) {
    return internal::InvalidArgumentAt(
        "flagger.max_weight",
        absl::StrCat("must be in [step_weight, 100] = [", options.step_weight,
                     ", 100] (got ", options.max_weight, ")"));
  }
  SLUICE_RETURN_IF_ERROR(
      internal::CheckBake(options.interval, "flagger.interval"));
  SLUICE_RETURN_IF_ERROR(
      internal::CheckBake(options.final_bake, "flagger.final_bake"));
  // Flagger's runCanary: while canaryWeight < maxWeight, canaryWeight +=
  // stepWeight, capped at 100; promotion once it reaches maxWeight.
  std::vector<Step> steps;
  double weight = 0;
  int64_t k = 0;
  while (weight < options.max_weight - 1e-9) {
    ++k;
    if (k > internal::kMaxSteps) return TooManySteps("flagger.step_weight", k);
    weight = std::min(100.0, k * options.step_weight);
    if (weight > 100 - 1e-9) weight = 100;
    steps.push_back({weight, options.interval, "step",
                     absl::StrCat("canary weight ", Pct(weight))});
  }
  if (weight < 100) {
    steps.push_back({100.0, options.final_bake, "promotion", "promotion 100%"});
  } else {
    steps.back().stage = "promotion";
    steps.back().name = "promotion 100%";
    steps.back().bake += options.final_bake;
  }
  std::string label = absl::StrCat("flagger(stepWeight ", options.step_weight,
                                   ", maxWeight ", options.max_weight, ")");
  return std::make_unique<ProgressionScheduler>(
      std::move(label), std::move(steps), options.traffic_routed,
      options.rounding);
}

}  // namespace sluice
